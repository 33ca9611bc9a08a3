"""Running triage on a request at arrival, and again when the register changes under it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.actors import SYSTEM, Actor
from portal.clock import utcnow
from portal.register.models import RegisterChange, RegisterImport
from portal.requests import workflow
from portal.requests.models import InspectionRequest
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


@dataclass(frozen=True)
class Retriaged:
    """A request whose suggested route changed because the register changed."""

    request_id: int
    reference: str
    previous_route: str | None
    route: str


def retriage_after_import(session: Session, import_id: int, *,
                          actor: Actor = SYSTEM) -> list[Retriaged]:
    """Judge again every open request whose address the import changed; list those that moved.

    The caller commits. Requests that are urgent are left alone: a call back is owed
    whatever the register says.
    """
    changed_ids = select(RegisterChange.nummeraanduiding_id).where(
        RegisterChange.import_id == import_id)
    candidates = session.scalars(
        select(InspectionRequest).where(
            InspectionRequest.nummeraanduiding_id.in_(changed_ids),
            InspectionRequest.status.in_([s.value for s in OPEN if s is not Status.URGENT]),
        ).order_by(InspectionRequest.id)
    ).all()
    moved = []
    for req in candidates:
        before = req.suggested_route
        outcome = judge(session, req)
        if outcome.route == before:
            continue
        triage_request(session, req, actor=actor, outcome=outcome)
        req.retriaged_from = before
        moved.append(Retriaged(req.id, req.reference, before, outcome.route))
    return moved
