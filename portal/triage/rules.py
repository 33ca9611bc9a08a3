"""Automatic triage: ordered rules that suggest a route for a request, each with its reason.

The rules read the register as it is now; the outcome, the rule set's version and the
register import it was judged on are kept with the request, so a later officer can see
why a request was routed as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.register.models import Address
from portal.register.verdict import Standing, served_by, verdict
from portal.requests.models import InspectionRequest
from portal.requests.routes import Route
from portal.requests.states import OPEN, Status

RULESET_VERSION = "2026.1"


ROUTE_LABELS = {
    Route.URGENT: _l("Urgent: call back"),
    Route.REVIEW: _l("Review by an officer"),
    Route.LINKED: _l("Linked to an open request"),
    Route.IN_PROGRAMME: _l("Already in the programme: inform"),
    Route.REASSESSMENT: _l("Reassessment"),
    Route.INSPECTION: _l("Inspection"),
}

# Why a route was suggested, by reason code; shown to officers beside the route.
REASONS = {
    "acute_danger": _l("The resident reported acute danger."),
    "not_in_register": _l("The address is not in the register; check it by hand."),
    "outside_area": _l("The address lies outside the area served by the desk."),
    "open_request": _l("There is already an open request for this address."),
    "risk_profile": _l("The address is in risk category %(detail)s."),
    "batch": _l("The address is in batch %(detail)s."),
    "inspected_before": _l("The address was inspected on %(detail)s and is not in P50 or "
                           "P90."),
    "not_known": _l("The address was never inspected and is not in the programme."),
}


@dataclass(frozen=True)
class Outcome:
    """A suggested route and why: the reason code and its detail (a profile, batch, date)."""

    route: str
    reason: str
    detail: str | None = None
    linked_to_id: int | None = None

    def explain(self) -> str:
        """The reason as a sentence in the current language."""
        return str(REASONS[self.reason]).replace("%(detail)s", self.detail or "")


def judge(session: Session, req: InspectionRequest) -> Outcome:
    """Apply the rules in order to req; the first that matches decides.

    What the register says comes from `register.verdict`, as on the form and at the desk.
    Acute danger comes first, before the address checks of the issue's order, because a
    person in danger must be called back whatever the register says.
    """
    if req.acute_danger:
        return Outcome(Route.URGENT, "acute_danger")
    address = session.get(Address, req.nummeraanduiding_id) if req.nummeraanduiding_id else None
    found = verdict(address, served_by(session))
    if found.standing is Standing.NOT_IN_REGISTER:
        return Outcome(Route.REVIEW, "not_in_register")
    if found.standing is Standing.OUTSIDE_AREA:
        return Outcome(Route.REVIEW, "outside_area", found.municipality)
    earlier = _open_request_before(session, req)
    if earlier is not None:
        return Outcome(Route.LINKED, "open_request", earlier.reference, earlier.id)
    if found.in_programme and found.risk_profile:
        return Outcome(Route.IN_PROGRAMME, "risk_profile", found.risk_profile)
    if found.in_programme:
        return Outcome(Route.IN_PROGRAMME, "batch", found.batch)
    if found.standing is Standing.INSPECTED_BEFORE:
        return Outcome(Route.REASSESSMENT, "inspected_before", found.inspected_on.isoformat())
    return Outcome(Route.INSPECTION, "not_known")


def _open_request_before(session: Session, req: InspectionRequest) -> InspectionRequest | None:
    """The oldest open request for the same address that came in before req."""
    return session.scalar(
        select(InspectionRequest).where(
            InspectionRequest.nummeraanduiding_id == req.nummeraanduiding_id,
            InspectionRequest.id < req.id,
            # Not an urgent one: that is answered by its call back, and may end with it.
            InspectionRequest.status.in_([s.value for s in OPEN if s is not Status.URGENT]),
        ).order_by(InspectionRequest.id).limit(1)
    )
