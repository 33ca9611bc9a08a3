"""Officers' decisions: accept, inform, ask for information or decline, always with a reason.

Every decision moves the request through `workflow.transition`, records who decided what
and why, and publishes DecisionTaken, on which the decision letter in the resident's
language is issued (`triage.letters`) and the email that says what was decided is queued
(`intake.notify.tell_decision`). Choosing
another route than the suggested one needs a written reason (domain rule 6).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.clock import utcnow
from portal.db import begin_write
from portal.events import publish
from portal.refusals import Refused
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.routes import Route
from portal.requests.states import Status, can_move
from portal.triage.events import DecisionTaken
from portal.triage.models import Decision
from portal.triage.queue import release


class DecisionRefused(Refused):
    """The decision cannot be taken as given; `code` says why (`decision.*`)."""


@dataclass(frozen=True)
class DecisionKind:
    """A kind of decision: the status it leads to and the route it stands for."""

    code: str
    target: Status
    route: str | None
    label: object


KINDS = {
    k.code: k for k in (
        DecisionKind("accept_inspection", Status.ACCEPTED_INSPECTION, Route.INSPECTION,
                     _l("Accept for inspection")),
        DecisionKind("accept_reassessment", Status.ACCEPTED_REASSESSMENT, Route.REASSESSMENT,
                     _l("Accept for reassessment")),
        DecisionKind("inform", Status.CLOSED, Route.IN_PROGRAMME,
                     _l("Inform: already in the programme")),
        DecisionKind("ask_information", Status.AWAITING_INFORMATION, None,
                     _l("Ask for information")),
        DecisionKind("decline", Status.DECLINED, None, _l("Decline")),
    )
}

REASON_CODES = {
    "rules_apply": _l("As the rules suggest"),
    "feels_unsafe": _l("Resident feels unsafe: an inspection takes away unrest"),
    "identical_neighbours": _l("Same as the identical neighbouring homes"),
    "in_programme": _l("The home is already in the programme"),
    "inspected_recently": _l("The home was inspected recently"),
    "outside_area": _l("The address lies outside the area"),
    "not_a_building_in_scope": _l("The building is not in scope"),
    "information_missing": _l("Information is missing"),
    "local_priority": _l("Priority set by the local steering group"),
    "other": _l("Other reason (see the text)"),
}


def decide(session: Session, req: InspectionRequest, decision: str, *, actor: Actor,
           reason_code: str, reason_text: str = "", issue_letter: bool = True,
           seen_status: str | None = None) -> Decision:
    """Take a decision on req: move it, record it, and publish it for the decision letter.

    The request is locked (FOR UPDATE on PostgreSQL, the write lock on SQLite) and read
    again before its status is checked, so of two officers deciding at once one decides
    and the other is refused with `decision.taken_by_someone_else`: the status changed
    since seen_status (what the officer saw; by default the status req held when called).

    Raises DecisionRefused for an unknown decision or reason, a deviation from the
    suggested route without a written reason, or a status that does not allow it.
    """
    seen = seen_status or req.status
    kind = KINDS.get(decision)
    if kind is None:
        raise DecisionRefused("decision.unknown", _l("Unknown decision %(decision)s.",
                                                     decision=decision), decision=decision)
    if reason_code not in REASON_CODES:
        raise DecisionRefused("decision.unknown_reason", _l("Unknown reason %(reason)s.",
                                                            reason=reason_code),
                              reason=reason_code)
    begin_write(session)
    locked = session.scalar(
        select(InspectionRequest).where(InspectionRequest.id == req.id)
        .with_for_update().execution_options(populate_existing=True))
    if locked is None or locked.status != seen:
        raise DecisionRefused("decision.taken_by_someone_else", _l(
            "Someone else decided this request just now. Look at its new status before "
            "you decide."), seen=seen, status=locked.status if locked else None)
    req = locked
    text = (reason_text or "").strip()
    if decision == "ask_information" and not text:
        raise DecisionRefused("decision.question_needed", _l(
            "Write the question the resident must answer"))
    deviates = kind.route != req.suggested_route
    if deviates and not text:
        raise DecisionRefused("decision.needs_reason", _l(
            "Write why you deviate from the suggested route"))
    if reason_code == "other" and not text:
        raise DecisionRefused("decision.other_needs_text", _l(
            "Write the reason when you choose 'other reason'"))
    if req.status == Status.URGENT:
        # An urgent request is answered by its call back (triage.callback), never by a
        # decision whose letter would say something nobody checked.
        raise DecisionRefused("decision.urgent_needs_call_back", _l(
            "An urgent request is answered by its call back, not by a decision"))
    path = _path(Status(req.status), kind.target)
    if path is None:
        raise DecisionRefused("decision.not_in_this_status", _l(
            "This request cannot get this decision in its current status"),
            status=req.status)
    why = f"{decision}: {reason_code}" + (f" – {text}" if text else "")
    for step in path:
        # The resident hears of the decision itself (what, and where the letter is), not
        # of the bare status: see intake.notify.tell_decision.
        workflow.transition(session, req, step, actor=actor, reason=why, notify=False)
    record = Decision(
        request_id=req.id, decision=decision, reason_code=reason_code, reason_text=text,
        suggested_route=req.suggested_route, deviates=deviates, decided_by_id=actor.id,
        decided_by_label=actor.label, decided_at=utcnow(),
    )
    session.add(record)
    session.flush()
    publish(session, DecisionTaken(req, record, actor, issue_letter))
    release(session, req)
    return record


def decidable(req: InspectionRequest) -> bool:
    """True when some decision can still be taken on req (not urgent, not finished)."""
    return req.status != Status.URGENT and any(
        _path(Status(req.status), kind.target) is not None for kind in KINDS.values())


def _path(source: Status, target: Status) -> list[Status] | None:
    """The statuses to pass through: direct, or via 'already in programme' for inform."""
    if can_move(source, target):
        return [target]
    if target is Status.CLOSED and can_move(source, Status.IN_PROGRAMME):
        return [Status.IN_PROGRAMME, Status.CLOSED]
    return None


def bulk_inform(session: Session, requests: list[InspectionRequest], *, actor: Actor,
                reason_text: str = "") -> list[Decision]:
    """Inform many already-in-programme requests at once, each with its own letter.

    Requests that can no longer be informed (already closed, say by a resubmitted form
    or a colleague) are left out rather than refused.
    """
    informed = []
    for req in requests:
        if not (req.suggested_route == Route.IN_PROGRAMME and req.status != Status.URGENT
                and _path(Status(req.status), Status.CLOSED) is not None):
            continue
        try:
            with session.begin_nested():
                informed.append(decide(session, req, "inform", actor=actor,
                                       reason_code="in_programme", reason_text=reason_text))
        except DecisionRefused:
            continue  # a colleague decided it a moment ago: one refusal spoils no batch
    return informed
