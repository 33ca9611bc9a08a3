"""The one writer of a request's status: every transition goes through `transition`.

Each change is published as an event (`portal.requests.events`) in the caller's
transaction; the resident's mail and bookings given back subscribe to it, so this module
depends on nothing that reacts to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from portal.actors import Actor
from portal.clock import utcnow
from portal.events import publish
from portal.refusals import Refused
from portal.requests.events import StatusChanged, StatusesChanged
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import INITIAL, Status, can_move


class TransitionRefused(Refused):
    """The state table does not allow this change of status (code `transition.*`)."""



def start(session: Session, request: InspectionRequest, status: Status, *, actor: Actor,
          reason: str, notify: bool = True) -> RequestEvent:
    """Give a new request its first status and record who created it and why."""
    if status not in INITIAL:
        raise TransitionRefused("transition.not_initial", _l(
            "A request cannot start as %(status)s.", status=str(status)), status=str(status))
    now = utcnow()
    request.status = status
    request.status_changed_at = now
    session.add(request)
    session.flush()
    event = _record(session, request, None, status, actor, reason, now)
    publish(session, StatusChanged(request, None, status, actor, reason, notify))
    return event


def transition(session: Session, request: InspectionRequest, target: Status, *, actor: Actor,
               reason: str, notify: bool = True) -> RequestEvent:
    """Move a request to target: lock it, check the edge, record who/when/why, publish.

    Side effects, all in the caller's transaction: the request row is locked (FOR UPDATE
    on PostgreSQL) and re-read, a RequestEvent is appended, and StatusChanged is
    published (notify says whether the resident is to be told). Raises TransitionRefused
    when the table in `states` does not allow the edge.
    """
    locked = session.scalar(
        select(InspectionRequest).where(InspectionRequest.id == request.id)
        .with_for_update().execution_options(populate_existing=True)
    )
    source = Status(locked.status)
    if not can_move(source, target):
        raise TransitionRefused("transition.not_allowed", _l(
            "A request cannot move from %(source)s to %(target)s.", source=str(source),
            target=str(target)), source=str(source), target=str(target))
    now = utcnow()
    locked.status = target
    locked.status_changed_at = now
    event = _record(session, locked, source, target, actor, reason, now)
    publish(session, StatusChanged(locked, source, target, actor, reason, notify))
    return event


_CHUNK = 2000  # ids per IN list: well inside SQLite's limit on bound parameters


def transition_many(session: Session, requests: Sequence[InspectionRequest | int],
                    target: Status, *, actor: Actor, reason: str | Mapping[int, str],
                    notify: bool = True) -> int:
    """Move many requests to target at once, with the same guarantees as `transition`.

    All or nothing: the rows are locked (FOR UPDATE on PostgreSQL, in id order, so two
    bulk moves cannot deadlock) and re-read, and when any of them may not move to target
    TransitionRefused names them and nothing is written. Then one UPDATE per chunk of ids,
    one bulk INSERT of RequestEvents (reason may be one text or a text per request id),
    and one StatusesChanged published for all of them. Request objects the session holds
    are refreshed. Returns the number of requests moved.
    """
    ids = sorted({r if isinstance(r, int) else r.id for r in requests})
    if not ids:
        return 0
    table = InspectionRequest.__table__
    sources: dict[int, str] = {}
    for chunk in _chunks(ids):
        rows = session.execute(
            select(table.c.id, table.c.status).where(table.c.id.in_(chunk))
            .order_by(table.c.id).with_for_update()
        )
        sources.update(dict(rows.all()))
    missing = [i for i in ids if i not in sources]
    refused = [i for i, s in sources.items() if not can_move(Status(s), target)]
    if missing or refused:
        raise TransitionRefused("transition.not_allowed_many", _l(
            "Cannot move to %(target)s: requests %(ids)s (%(missing)d missing, %(refused)d "
            "in a status without that edge).", target=str(target),
            ids=", ".join(map(str, (missing + refused)[:10])), missing=len(missing),
            refused=len(refused)), target=str(target), ids=missing + refused)
    now = utcnow()
    for chunk in _chunks(ids):
        session.execute(update(table).where(table.c.id.in_(chunk))
                        .values(status=target.value, status_changed_at=now))
    session.execute(insert(RequestEvent.__table__), [{
        "request_id": i, "at": now, "from_status": sources[i], "to_status": target.value,
        "actor_kind": actor.kind, "actor_id": actor.id, "actor_label": actor.label,
        "kind": "status", "reason": reason if isinstance(reason, str) else reason[i],
    } for i in ids])
    for i in ids:
        held = session.identity_map.get(identity_key(InspectionRequest, i))
        if held is not None:
            session.expire(held, ["status", "status_changed_at", "events"])
    publish(session, StatusesChanged(tuple(ids), target, actor, notify))
    return len(ids)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def note(session: Session, request: InspectionRequest, *, actor: Actor, reason: str,
         kind: str = "note") -> RequestEvent:
    """Record something done to a request that does not change its status."""
    status = Status(request.status)
    return _record(session, request, status, status, actor, reason, utcnow(), kind=kind)


def note_many(session: Session, reasons: Mapping[int, str], *, actor: Actor,
              kind: str = "note") -> int:
    """Record, for many requests at once, something done without a change of status.

    reasons maps request id → text; one bulk INSERT of RequestEvents, each with the
    request's current status as from and to, as `note` writes them. Returns the count.
    """
    ids = sorted(reasons)
    table = InspectionRequest.__table__
    statuses: dict[int, str] = {}
    for chunk in _chunks(ids):
        statuses.update(dict(session.execute(
            select(table.c.id, table.c.status).where(table.c.id.in_(chunk))).all()))
    now = utcnow()
    rows = [{"request_id": i, "at": now, "from_status": statuses[i], "to_status": statuses[i],
             "actor_kind": actor.kind, "actor_id": actor.id, "actor_label": actor.label,
             "kind": kind, "reason": reasons[i]} for i in ids if i in statuses]
    if rows:
        session.execute(insert(RequestEvent.__table__), rows)
    return len(rows)


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

