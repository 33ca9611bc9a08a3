"""The officers' queue: filters, counts, keyset pages, and "take next" without collisions."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, text, tuple_
from sqlalchemy.orm import Session

from portal.clock import utcnow
from portal.db import begin_write
from portal.requests.models import InspectionRequest
from portal.requests.states import WAITING, WAITING_SQL, Status

R = InspectionRequest
# Requests that wait for an officer. Linked requests follow the one they joined.
PAGE_SIZE = 25
ASSIGNMENT = timedelta(minutes=30)
CALL_BACK_WITHIN = timedelta(hours=24)


@dataclass(frozen=True)
class QueueFilter:
    """What an officer narrowed the queue to; None means any."""
    route: str | None = None
    status: str | None = None
    gemeentecode: str | None = None
    woonplaats: str | None = None
    urgent: bool | None = None
    older_than_days: int | None = None

    def conditions(self, now: datetime) -> list:
        """The WHERE conditions for this filter."""
        waiting = [s.value for s in WAITING]
        # Only waiting requests are in the queue, whatever status a filter names.
        found = [R.status == self.status if self.status in waiting else text(WAITING_SQL)]
        if self.route:
            found.append(R.suggested_route == self.route)
        if self.gemeentecode:
            found.append(R.gemeentecode == self.gemeentecode)
        if self.woonplaats:
            found.append(R.woonplaats == self.woonplaats)
        if self.urgent is not None:
            found.append(R.priority == 0 if self.urgent else R.priority != 0)
        if self.older_than_days:
            found.append(R.created_at < now - timedelta(days=self.older_than_days))
        return found


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue and the cursor of the next page (None on the last page)."""
    requests: list[InspectionRequest]
    next_cursor: str | None
    total: int


def _encode(req: InspectionRequest) -> str:
    raw = json.dumps([req.priority, req.created_at.isoformat(), req.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, datetime, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        priority, created, ident = json.loads(base64.urlsafe_b64decode(padded))
        return int(priority), datetime.fromisoformat(created), int(ident)
    except (ValueError, TypeError):
        return None


def queue_page(session: Session, queue_filter: QueueFilter, *, cursor: str | None = None,
               size: int = PAGE_SIZE, now: datetime | None = None) -> QueuePage:
    """One page of waiting requests, urgent first, oldest first within a priority.

    Keyset pagination (after the last row's priority, date and id) keeps every page as
    fast as the first, however deep an officer pages.
    """
    now = now or utcnow()
    conditions = queue_filter.conditions(now)
    query = select(R).where(*conditions)
    position = _decode(cursor) if cursor else None
    if position is not None:
        query = query.where(tuple_(R.priority, R.created_at, R.id) > tuple_(*position))
    rows = session.scalars(
        query.order_by(R.priority, R.created_at, R.id).limit(size + 1)).all()
    total = session.scalar(select(func.count()).select_from(R).where(*conditions))
    more = len(rows) > size
    rows = rows[:size]
    return QueuePage(rows, _encode(rows[-1]) if more and rows else None, total)


def queue_counts(session: Session, queue_filter: QueueFilter,
                 now: datetime | None = None) -> dict[str, dict[str, int]]:
    """How many waiting requests each route and each status has, within the other filters.

    One grouped query over the queue; each dimension's counts are then taken from the
    groups that match the filters on the other dimensions.
    """
    now = now or utcnow()
    wide = replace(queue_filter, route=None, status=None, urgent=None)
    urgent_flag = case((R.priority == 0, 1), else_=0)
    groups = session.execute(
        select(R.suggested_route, R.status, urgent_flag, func.count())
        .where(*wide.conditions(now)).group_by(R.suggested_route, R.status, urgent_flag)
    ).all()

    def matches(route, status, urgent, *, skip: str) -> bool:
        return ((skip == "route" or not queue_filter.route or route == queue_filter.route)
                and (skip == "status" or not queue_filter.status
                     or status == queue_filter.status)
                and (skip == "urgent" or queue_filter.urgent is None
                     or bool(urgent) == queue_filter.urgent))

    routes: dict[str, int] = {}
    statuses: dict[str, int] = {}
    urgent_total = 0
    for route, status, urgent, count in groups:
        if matches(route, status, urgent, skip="route"):
            routes[route] = routes.get(route, 0) + count
        if matches(route, status, urgent, skip="status"):
            statuses[status] = statuses.get(status, 0) + count
        if urgent and matches(route, status, urgent, skip="urgent"):
            urgent_total += count
    return {"route": routes, "status": statuses, "urgent": {"urgent": urgent_total}}


def take_next(session: Session, officer_id: int, queue_filter: QueueFilter | None = None,
              now: datetime | None = None) -> InspectionRequest | None:
    """Assign the next waiting request to the officer, never one another officer holds.

    On PostgreSQL the row is locked with SKIP LOCKED, so two officers asking at the same
    moment get two different requests; on SQLite writers queue (BEGIN IMMEDIATE) and the
    second sees the first one's assignment. The caller commits.
    """
    now = now or utcnow()
    queue_filter = queue_filter or QueueFilter()
    begin_write(session)
    free = or_(R.assigned_to_id.is_(None), R.assigned_until < now, R.assigned_to_id == officer_id)
    query = (
        select(R).where(*queue_filter.conditions(now), free)
        .order_by(R.priority, R.created_at, R.id).limit(1)
        .with_for_update(skip_locked=True)
    )
    req = session.scalar(query)
    if req is None:
        return None
    req.assigned_to_id = officer_id
    req.assigned_until = now + ASSIGNMENT
    session.flush()
    return req


def release(session: Session, req: InspectionRequest) -> None:
    """Give a request back to the queue (after a decision, or when the officer stops)."""
    req.assigned_to_id = None
    req.assigned_until = None


def call_back_deadline(req: InspectionRequest) -> datetime:
    """When an urgent request must have been called back: 24 hours after it came in."""
    return req.created_at + CALL_BACK_WITHIN


def waiting_days(req: InspectionRequest, now: datetime | None = None) -> int:
    """How many whole days a request has waited since it came in (0 on its first day)."""
    return max(0, ((now or utcnow()) - req.created_at).days)


def is_overdue(req: InspectionRequest, now: datetime | None = None) -> bool:
    """True for an urgent request whose call-back deadline has passed."""
    return req.status == Status.URGENT and call_back_deadline(req) < (now or utcnow())


def count_overdue(session: Session, now: datetime | None = None) -> int:
    """How many urgent requests have not been called back within 24 hours."""
    cutoff = (now or utcnow()) - CALL_BACK_WITHIN
    return session.scalar(select(func.count()).select_from(R).where(
        R.status == Status.URGENT.value, R.created_at < cutoff)) or 0
