"""Running triage on a request at arrival, and again when the register changes under it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from portal.actors import SYSTEM, Actor
from portal.clock import utcnow
from portal.register.importer import import_register
from portal.register.models import RegisterChange, RegisterImport
from portal.register.report import ImportReport
from portal.requests import workflow
from portal.requests.events import StatusChanged
from portal.requests.models import InspectionRequest
from portal.requests.queries import followers
from portal.requests.routes import Route
from portal.requests.states import OPEN, Status, can_move
from portal.triage.rules import RULESET_VERSION, Outcome, judge

REQUEST_TYPE_BY_ROUTE = {
    Route.INSPECTION: "inspection",
    Route.REASSESSMENT: "reassessment",
    Route.IN_PROGRAMME: "question",
}
# The status a route moves an undecided request to; other routes leave the status as is.
STATUS_BY_ROUTE = {
    Route.URGENT: Status.URGENT,
    Route.LINKED: Status.LINKED,
    Route.IN_PROGRAMME: Status.IN_PROGRAMME,
}


def triage_request(session: Session, req: InspectionRequest, *, actor: Actor = SYSTEM,
                   notify: bool = True, outcome: Outcome | None = None) -> Outcome:
    """Judge req by the rules, store the suggested route and why, and move it if the route says.

    Urgent, linked and already-in-programme move the request at once (the last one tells
    the resident where the home stands); inspection, reassessment and review wait for an
    officer's decision with the suggestion shown in the queue.
    """
    outcome = outcome or judge(session, req)
    req.suggested_route = outcome.route
    req.triage_reason = outcome.reason
    req.triage_detail = outcome.detail
    req.ruleset_version = RULESET_VERSION
    req.register_import_id = session.scalar(select(func.max(RegisterImport.id)))
    req.triaged_at = utcnow()
    req.priority = 0 if outcome.route == Route.URGENT else 1
    if outcome.route in REQUEST_TYPE_BY_ROUTE:
        req.request_type = REQUEST_TYPE_BY_ROUTE[outcome.route]
    if outcome.linked_to_id is not None:
        req.linked_to_id = outcome.linked_to_id
    workflow.note(session, req, actor=actor, kind="check",
                  reason=f"rules {RULESET_VERSION}: {outcome.route} ({outcome.reason}"
                         f"{': ' + outcome.detail if outcome.detail else ''})")
    target = STATUS_BY_ROUTE.get(outcome.route)
    if target is not None and req.status != target and can_move(Status(req.status), target):
        workflow.transition(session, req, target, actor=actor, reason=outcome.explain(),
                            notify=notify)
    return outcome


# A lead that ends without inspecting the home leaves its followers to stand alone: each
# needs an answer of its own (domain rule 10).
ENDS_FOLLOWING = frozenset({Status.WITHDRAWN, Status.DECLINED, Status.CLOSED})


def free_followers(session: Session, event: StatusChanged) -> None:
    """Subscriber: when a request ends, the requests that followed it end or stand alone.

    Completed after the assessment: the followers are closed with it. Withdrawn, declined
    or closed without the home (informed, referred to the emergency procedure, not
    reached): each follower goes back to received and is triaged again, so the first of
    them becomes the open request for the home and the others follow that one. Each
    resident gets one message: where the request stands now.
    """
    if event.target not in ENDS_FOLLOWING:
        return
    if event.target is Status.CLOSED and event.source is Status.ASSESSED:
        # The home was inspected and assessed: what the followers asked for is done too.
        for req in followers(session, event.request):
            workflow.transition(session, req, Status.CLOSED, actor=SYSTEM,
                                reason="the request it followed was completed")
        return
    for req in followers(session, event.request):
        req.linked_to_id = None
        outcome = judge(session, req)
        # Told by the move triage makes next, or here when triage leaves it received.
        workflow.transition(session, req, Status.RECEIVED, actor=SYSTEM,
                            notify=STATUS_BY_ROUTE.get(outcome.route) is None,
                            reason="the request it followed ended without it")
        triage_request(session, req, outcome=outcome)


@dataclass(frozen=True)
class Retriaged:
    """A request whose suggested route changed because the register changed."""

    request_id: int
    reference: str
    previous_route: str | None
    route: str


# Re-triage covers every request that is not final, except urgent ones: a call back is owed
# whatever the register says. Linked requests follow the request they joined.
RETRIAGED: frozenset[Status] = (OPEN | {Status.IN_PROGRAMME}) - {Status.URGENT}


def retriage_after_import(session: Session, import_id: int, *,
                          actor: Actor = SYSTEM) -> list[Retriaged]:
    """Judge again every request not final that was judged on an older register; list those
    whose route changed.

    Not just those whose address this import changed: a request judged on an older
    import (say one whose re-triage never ran) is judged again when its address changed
    in any import since, even when the newest import changed nothing. The others could
    not come out differently: they are only marked as judged on this import, in one
    statement. A request waiting as already in the programme whose home left the
    programme goes back to received with its new route, and the resident is told. The
    caller commits.
    """
    R, changes = InspectionRequest, RegisterChange
    not_final = R.status.in_(sorted(s.value for s in RETRIAGED))
    changed_since = exists().where(changes.nummeraanduiding_id == R.nummeraanduiding_id,
                                   changes.import_id > R.register_import_id)
    candidates = session.scalars(
        select(R).where(not_final, or_(
            R.register_import_id.is_(None),
            # Judged by an older rule set: the rules themselves may say something else now.
            R.ruleset_version.is_distinct_from(RULESET_VERSION),
            and_(R.register_import_id < import_id, changed_since),
        )).order_by(R.id)
    ).all()
    moved = []
    for req in candidates:
        before = req.suggested_route
        outcome = judge(session, req)
        if outcome.route == before:
            req.register_import_id, req.ruleset_version = import_id, RULESET_VERSION
            continue
        if req.status == Status.IN_PROGRAMME and outcome.route != Route.IN_PROGRAMME:
            # Back in the queue with the new suggestion. The resident hears it now, unless
            # the new route moves the request again (and that move tells them).
            workflow.transition(session, req, Status.RECEIVED, actor=actor,
                                notify=STATUS_BY_ROUTE.get(outcome.route) is None,
                                reason="no longer in the programme after register import "
                                       f"{import_id}: {outcome.explain()}")
        triage_request(session, req, actor=actor, outcome=outcome)
        req.register_import_id = import_id
        req.retriaged_from = before
        moved.append(Retriaged(req.id, req.reference, before, outcome.route))
    session.execute(update(R).where(not_final, R.register_import_id < import_id)
                    .values(register_import_id=import_id)
                    .execution_options(synchronize_session=False))
    return moved


def import_and_retriage(session: Session, *, addresses: Path | None = None,
                        programme: Path | None = None, skip_invalid: bool = False,
                        actor: Actor = SYSTEM) -> tuple[ImportReport, list[Retriaged]]:
    """Import the register and re-triage on it in one transaction: both commit or neither.

    If re-triage fails, the register is as it was before and the error propagates.
    """
    try:
        report = import_register(session, addresses=addresses, programme=programme,
                                 skip_invalid=skip_invalid, commit=False)
        moved: list[Retriaged] = []
        if report.applied:
            moved = retriage_after_import(session, report.import_id, actor=actor)
            session.commit()
    except BaseException:
        session.rollback()
        raise
    return report, moved
