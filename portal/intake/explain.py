"""What a request's status means to its resident, and what happens next, in their words.

One answer for the status page, the confirmation and every status mail: the status's own
sentence; for a home already in the programme, where that home stands
(`register.words.home_standing`); for a request added to an earlier one, where that
earlier request — the lead, which this one follows — stands now.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.register.lookups import get_address
from portal.register.verdict import served_by, verdict
from portal.register.words import home_standing
from portal.requests.models import InspectionRequest
from portal.requests.routes import Route
from portal.requests.states import EXPLANATIONS, LABELS, Status
from portal.service import ServiceFacts


def lead_of(req: InspectionRequest) -> InspectionRequest | None:
    """The earlier request a linked request follows, while it is linked."""
    return req.linked_to if Status(req.status) is Status.LINKED else None


def explain(session: Session, req: InspectionRequest, facts: ServiceFacts) -> list[str]:
    """The sentences a resident reads about req now (call under the resident's locale)."""
    status = Status(req.status)
    sentences = [str(EXPLANATIONS[status])]
    lead = lead_of(req)
    if lead is not None:
        sentences += [_("That request now has the status: %(status)s.",
                        status=str(LABELS[Status(lead.status)])),
                      str(EXPLANATIONS[Status(lead.status)])]
        req, status = lead, Status(lead.status)
    if status is Status.IN_PROGRAMME or (
            status is Status.CLOSED and req.suggested_route == Route.IN_PROGRAMME):
        sentences += standing_of(session, req, facts)
    return sentences


def standing_of(session: Session, req: InspectionRequest, facts: ServiceFacts) -> list[str]:
    """Where req's home stands in the programme, from the register as it is now."""
    address = get_address(session, req.nummeraanduiding_id) if req.nummeraanduiding_id else None
    return home_standing(verdict(address, served_by(session)), desk_phone=facts.desk_phone,
                         emergency_number=facts.emergency_number)
