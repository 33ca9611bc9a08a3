"""Reassessments filed by the programme: homes from the waiting list, accepted and planned.

A way in beside the resident's form and the desk: a coordinator picks homes that were
inspected before and wait for a reassessment (`capacity.reassessments` lists them), and
each gets a request on behalf of the programme — or the resident's own request is taken
up — accepted for reassessment and planned into assessment capacity in one action.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.capacity import planning
from portal.capacity.models import Booking
from portal.capacity.reassessments import WaitingReassessment, waiting_reassessments
from portal.db import begin_write
from portal.intake.submit import Answers, submit_request
from portal.register.models import Address
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.routes import Route
from portal.requests.states import Status
from portal.triage.decisions import DecisionRefused, decide

R = InspectionRequest
CHANNEL = "programme"
# Letters to a home whose resident did not ask go "to the resident" of it.
PROGRAMME_CONTACT = "Bewoner"
# In Dutch, like a reason an officer types: it can appear in the (Dutch) decision letter.
PROGRAMME_NOTE = ("Door de coördinator ingepland voor herbeoordeling, uit de lijst van "
                  "woningen die op herbeoordeling wachten.")
ACCEPTABLE = (Status.RECEIVED, Status.AWAITING_INFORMATION)


def plan_reassessments(session: Session, ids: list[str], *, actor: Actor) -> int:
    """Accept the chosen waiting homes for reassessment and plan them; the caller commits.

    For each address (nummeraanduiding id) that still waits: the resident's own received
    request is accepted for reassessment; without one, a request is filed on behalf of
    the programme (channel "programme", through the one intake path) and accepted. An
    address whose request is urgent is left to the call-back procedure, and one that no
    longer waits is skipped, so a second click plans nothing twice. Then every accepted
    request is planned into free capacity by `planning.plan_accepted`. Returns how many
    of the chosen addresses now have a booking.
    """
    begin_write(session)
    accepted: list[tuple[InspectionRequest, bool]] = []
    for home in waiting_reassessments(session, ids=sorted(set(ids))):
        req = _request_for(session, home, actor)
        if req is None:
            continue
        if req.status != Status.ACCEPTED_REASSESSMENT.value:
            try:
                with session.begin_nested():
                    _accept(session, req, actor)
            except (DecisionRefused, workflow.TransitionRefused):
                continue  # another coordinator took it a moment earlier
        accepted.append((req, home.resident_asked))
    if not accepted:
        return 0
    planning.plan_accepted(session, actor=actor)
    # Recorded last: the trail's head stays locked from here until the caller commits.
    for req, resident_asked in accepted:
        record(session, actor=actor, action="capacity.reassessment_planned",
               subject_type="request", subject_id=req.id,
               details={"channel": req.channel, "resident_asked": resident_asked})
    return session.scalar(select(func.count(func.distinct(Booking.request_id)))
                          .where(Booking.request_id.in_([req.id for req, _ in accepted])))


def _request_for(session: Session, home: WaitingReassessment,
                 actor: Actor) -> InspectionRequest | None:
    """The resident's open request, or a new one filed on behalf of the programme."""
    if home.open_request_id is not None:
        req = session.get(R, home.open_request_id)
        return req if Status(req.status) in ACCEPTABLE else None
    address = session.get(Address, home.nummeraanduiding_id)
    # Counting the address's requests makes the key the same for two coordinators who
    # plan the same home at once: the second submission returns the first request.
    earlier = session.scalar(select(func.count()).where(
        R.nummeraanduiding_id == home.nummeraanduiding_id))
    answers = Answers(
        postcode=address.postcode, huisnummer=address.huisnummer, straat=address.straat,
        woonplaats=address.woonplaats, huisletter=address.huisletter,
        huisnummertoevoeging=address.huisnummertoevoeging,
        nummeraanduiding_id=address.nummeraanduiding_id, building_kind="home",
        relation="other", contact_name=PROGRAMME_CONTACT, language="nl",
        explanation=PROGRAMME_NOTE, letters_by_post=True,
    )
    submission = submit_request(session, answers, actor=actor, channel=CHANNEL,
                                submission_key=f"{CHANNEL}:{home.nummeraanduiding_id}:{earlier}")
    req = submission.request
    if req.status == Status.ACCEPTED_REASSESSMENT.value:
        return req
    return req if Status(req.status) in ACCEPTABLE else None


def _accept(session: Session, req: InspectionRequest, actor: Actor) -> None:
    """Accept req for reassessment, as the rules suggest or with the coordinator's reason."""
    as_suggested = req.suggested_route == Route.REASSESSMENT
    decide(session, req, "accept_reassessment", actor=actor,
           reason_code="rules_apply" if as_suggested else "local_priority",
           reason_text="" if as_suggested else PROGRAMME_NOTE)
    workflow.note(session, req, actor=actor, reason=PROGRAMME_NOTE)
