"""What planning passes share: the kinds of work per status, the report, ledger changes,
and the query that gives each request its place in line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.capacity.allocation import Slot, Waiting
from portal.capacity.models import CapacityWeek
from portal.refusals import Joined, Refused
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status

KIND_OF_STATUS = {Status.ACCEPTED_INSPECTION.value: "inspection",
                  Status.ACCEPTED_REASSESSMENT.value: "assessment"}
ACCEPTED_OF_KIND = {kind: Status(status) for status, kind in KIND_OF_STATUS.items()}
# The kinds of work in words, for messages to staff.
KIND_WORDS = {"inspection": _l("inspection"), "assessment": _l("reassessment")}
# A booking of a request in one of these statuses holds its place; any other is stale.
HOLDS_PLACE = frozenset({Status.SCHEDULED.value, Status.INSPECTED.value,
                         Status.ASSESSED.value, Status.CLOSED.value})
CHUNK = 2000


class NoFreeCapacity(Refused):
    """No week from the current one on has a free place for this request (code
    `planning.no_free_capacity`)."""


class NotPlannable(Refused):
    """The request cannot be booked: wrong status, already booked, or no municipality
    (code `planning.*`)."""


@dataclass
class PlanReport:
    """What one planning pass did, in counts; `by_municipality` per code."""

    planned: int = 0
    moved_later: int = 0
    moved_earlier: int = 0
    unplanned: int = 0
    released: int = 0
    waiting: int = 0
    without_municipality: int = 0
    borrowed: int = 0
    notified: int = 0
    by_municipality: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, code: str, what: str, n: int = 1) -> None:
        """Add n to one municipality's count of what."""
        row = self.by_municipality.setdefault(
            code, {"planned": 0, "borrowed": 0, "moved": 0, "unplanned": 0, "waiting": 0})
        row[what] += n

    def totals(self) -> dict[str, int]:
        """The counts without the per-municipality table, e.g. for the audit trail."""
        return {k: v for k, v in vars(self).items() if k != "by_municipality"}


def today_of(today: date | datetime | None) -> date:
    """The day planning counts from: the one given (tests, benchmarks) or today."""
    if isinstance(today, datetime):
        return today.date()
    return today or date.today()


def acceptance_times(session: Session, *, statuses: Iterable[str] = (),
                     ids: Iterable[int] = (), gemeentecode: str | None = None) -> list:
    """(request id, gemeentecode, status, accepted at) of requests by status or by id.

    A request's acceptance is its latest move into accepted_* that did not come back
    from `scheduled`: a request that loses its week keeps its place in line. Requests
    without such an event count from their last change of status.
    """
    r, e = InspectionRequest.__table__, RequestEvent.__table__
    accepted = [s for s in KIND_OF_STATUS]
    query = (
        select(r.c.id, r.c.gemeentecode, r.c.status,
               func.coalesce(func.max(e.c.at), r.c.status_changed_at))
        .select_from(r.outerjoin(e, (e.c.request_id == r.c.id) & e.c.to_status.in_(accepted)
                                 & ((e.c.from_status.is_(None))
                                    | (e.c.from_status != Status.SCHEDULED.value))))
        .group_by(r.c.id, r.c.gemeentecode, r.c.status, r.c.status_changed_at)
    )
    if gemeentecode is not None:
        query = query.where(r.c.gemeentecode == gemeentecode)
    statuses, ids = list(statuses), sorted(set(ids))
    if statuses:
        return list(session.execute(query.where(r.c.status.in_(statuses))).all())
    rows = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows += session.execute(query.where(r.c.id.in_(chunk))).all()
    return rows


@dataclass(frozen=True)
class LedgerChange:
    """New capacity and/or reservation for one ledger row; None keeps the current value."""

    week_start: date
    gemeentecode: str
    kind: str
    capacity: int | None = None
    reserved: int | None = None

    @property
    def key(self) -> tuple[date, str, str]:
        """The row this change is for."""
        return (self.week_start, self.gemeentecode, self.kind)


class LedgerRefused(Refused):
    """A ledger change breaks a rule; problems lists each one (translated messages)."""

    def __init__(self, problems: list) -> None:
        super().__init__("ledger.rules_broken", _l("This ledger change is refused: "
                                                   "%(problems)s",
                                                   problems=Joined(problems)),
                         problems=problems)


def merge_changes(changes: Iterable[LedgerChange]) -> dict[tuple, LedgerChange]:
    """One change per row; a later change of the same row overrides the fields it gives."""
    merged: dict[tuple, LedgerChange] = {}
    for change in changes:
        before = merged.get(change.key)
        if before is not None:
            change = LedgerChange(
                *change.key,
                capacity=before.capacity if change.capacity is None else change.capacity,
                reserved=before.reserved if change.reserved is None else change.reserved)
        merged[change.key] = change
    return merged


def slot_of(row: CapacityWeek | tuple) -> Slot:
    """A ledger row as the allocation sees it."""
    return Slot(row.id, row.week_start, row.gemeentecode, row.kind, row.capacity,
                row.reserved, row.booked)


def waiting_of(row: tuple, kind: str) -> Waiting:
    """An acceptance_times row as a place in line."""
    request_id, gemeentecode, _status, accepted_at = row
    if isinstance(accepted_at, str):  # SQLite returns MAX() of a DATETIME column as text
        accepted_at = datetime.fromisoformat(accepted_at)
    return Waiting(accepted_at, request_id, gemeentecode, kind)
