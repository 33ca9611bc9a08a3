"""The one writer of a request's status: every transition goes through `transition`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.intake.models import InspectionRequest, RequestEvent
from portal.triage.states import INITIAL, Status, can_move


class TransitionRefused(ValueError):
    """The state table does not allow this change of status."""


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo, as the database stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def start(session: Session, request: InspectionRequest, status: Status, *, actor: Actor,
          reason: str, notify: bool = True) -> RequestEvent:
    """Give a new request its first status and record who created it and why."""
    if status not in INITIAL:
        raise TransitionRefused(f"a request cannot start as {status}")
    now = utcnow()
    request.status = status
    request.status_changed_at = now
    session.add(request)
    session.flush()
    event = _record(session, request, None, status, actor, reason, now)
    if notify:
        _notify(session, request, status)
    return event


def transition(session: Session, request: InspectionRequest, target: Status, *, actor: Actor,
               reason: str, notify: bool = True) -> RequestEvent:
    """Move a request to target: lock it, check the edge, record who/when/why, notify.

    Side effects, all in the caller's transaction: the request row is locked (FOR UPDATE
    on PostgreSQL) and re-read, a RequestEvent is appended, and when notify is true the
    resident's notification is queued in the outbox. Raises TransitionRefused when the
    table in `states` does not allow the edge.
    """
    locked = session.scalar(
        select(InspectionRequest).where(InspectionRequest.id == request.id)
        .with_for_update().execution_options(populate_existing=True)
    )
    source = Status(locked.status)
    if not can_move(source, target):
        raise TransitionRefused(f"a request cannot move from {source} to {target}")
    now = utcnow()
    locked.status = target
    locked.status_changed_at = now
    event = _record(session, locked, source, target, actor, reason, now)
    if notify:
        _notify(session, locked, target)
    return event


def note(session: Session, request: InspectionRequest, *, actor: Actor, reason: str,
         kind: str = "note") -> RequestEvent:
    """Record something done to a request that does not change its status."""
    status = Status(request.status)
    return _record(session, request, status, status, actor, reason, utcnow(), kind=kind)


def _record(session: Session, request: InspectionRequest, source: Status | None,
            target: Status, actor: Actor, reason: str, now: datetime,
            kind: str = "status") -> RequestEvent:
    event = RequestEvent(
        request_id=request.id, at=now, from_status=source.value if source else None,
        to_status=target.value, actor_kind=actor.kind, actor_id=actor.id,
        actor_label=actor.label, reason=reason, kind=kind,
    )
    session.add(event)
    session.flush()
    return event


def _notify(session: Session, request: InspectionRequest, status: Status) -> None:
    # Imported here: notifications render texts and queue mail, which the state table
    # itself must not depend on.
    from portal.intake.notify import queue_status_notification

    queue_status_notification(session, request, status)
