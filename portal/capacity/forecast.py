"""When the on-request queue is cleared at today's capacity, per municipality, and what-if.

The figures rest on these assumptions, which the forecast page repeats:

- Waiting work is every request accepted for inspection or reassessment (planning moves
  a booked request on to `scheduled`; a booking left on an accepted request holds no
  place), plus every request still `received` whose suggested route is inspection or
  reassessment: officers accept nearly all of those. Requests that wait for information,
  are urgent, linked, in the programme, or need review are not counted; nor are requests
  without a municipality (not in the register).
- Inspections use inspection capacity and reassessments assessment capacity; a forecast
  is for one kind of work.
- Each municipality's queue is worked off with its own free capacity in the ledger
  (capacity − reserved − booked), from the current week on; a week missing from the
  ledger has none. Planning also lends places that a municipality without a queue leaves
  unused, so the real week may come earlier than forecast.
- After the last week in the ledger, each week is assumed to have the average free
  capacity of the last known weeks (AVERAGE_OVER of them).
- New requests that arrive meanwhile are not foreseen: this is when today's queue clears.

A what-if replaces the weekly capacity of a municipality in every future week (in the
ledger and beyond it); reserved risk work and existing bookings stay as they are.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from portal.capacity.models import KINDS, CapacityWeek
from portal.register.models import Municipality
from portal.requests.models import InspectionRequest
from portal.requests.routes import Route
from portal.requests.states import Status

R = InspectionRequest
HORIZON_YEARS = 3
HORIZON_WEEKS = 52 * HORIZON_YEARS
AVERAGE_OVER = 4
# Which requests count as waiting work of each kind of capacity.
ACCEPTED = {"inspection": Status.ACCEPTED_INSPECTION, "assessment": Status.ACCEPTED_REASSESSMENT}
ROUTES = {"inspection": Route.INSPECTION, "assessment": Route.REASSESSMENT}


def monday_of(day: date) -> date:
    """The Monday of the week day falls in: the ledger's week_start."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekPoint:
    """The end of one week of a projection: how many of the queue are cleared by then."""

    week_start: date
    cleared: int
    remaining: int


@dataclass(frozen=True)
class Projection:
    """One municipality's queue and the week it is cleared, at the capacity assumed."""

    gemeentecode: str
    name: str
    kind: str
    waiting: int
    weekly_free: float  # the average free capacity per week until cleared (or the horizon)
    extension_free: float  # the free capacity assumed per week after the ledger
    ledger_until: date | None  # the last week in the ledger; after it, extension_free
    cleared_by: date | None  # the week the last waiting request gets a place
    weeks_needed: int | None  # 0 when nothing waits; None when not within the horizon
    weekly_capacity: int | None = None  # the what-if capacity, when one was given
    points: list[WeekPoint] = field(default_factory=list)

    @property
    def within_horizon(self) -> bool:
        """True when the queue clears within the horizon (or nothing waits)."""
        return self.weeks_needed is not None


def waiting_counts(session: Session, kind: str) -> dict[str, int]:
    """Waiting on-request work of one kind per municipality (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    counted = or_(
        R.status == ACCEPTED[kind].value,
        and_(R.status == Status.RECEIVED.value, R.suggested_route == ROUTES[kind]),
    )
    return dict(session.execute(
        select(R.gemeentecode, func.count()).where(counted, R.gemeentecode.is_not(None))
        .group_by(R.gemeentecode)
    ).all())


def forecast(session: Session, *, kind: str = "inspection", today: date | None = None,
             weekly_capacity: dict[str, int] | None = None, gemeentecode: str | None = None,
             horizon_weeks: int = HORIZON_WEEKS) -> list[Projection]:
    """Project when each municipality's queue clears; weekly_capacity gives a what-if.

    Covers every municipality with waiting work or ledger weeks of the kind (or only
    gemeentecode), ordered by name. weekly_capacity maps a municipality to the capacity
    that replaces the ledger's in every week from the current one on.
    """
    waiting = waiting_counts(session, kind)
    start = monday_of(today or date.today())
    ledger = _ledger(session, kind)
    codes = set(waiting) | set(ledger)
    if gemeentecode:
        codes &= {gemeentecode}
    names = dict(session.execute(select(Municipality.code, Municipality.name)
                                 .where(Municipality.code.in_(codes))).all())
    override = weekly_capacity or {}
    return sorted(
        (project(waiting.get(code, 0), ledger.get(code, []), start=start,
                 weekly_capacity=override.get(code), horizon_weeks=horizon_weeks,
                 gemeentecode=code, name=names.get(code, code), kind=kind)
         for code in codes),
        key=lambda p: (p.name, p.gemeentecode),
    )


def _ledger(session: Session, kind: str) -> dict[str, list[CapacityWeek]]:
    """Every ledger row of the kind, per municipality, in week order."""
    rows: dict[str, list[CapacityWeek]] = defaultdict(list)
    for week in session.scalars(select(CapacityWeek).where(CapacityWeek.kind == kind)
                                .order_by(CapacityWeek.gemeentecode, CapacityWeek.week_start)):
        rows[week.gemeentecode].append(week)
    return rows


def project(waiting: int, weeks: list[CapacityWeek], *, start: date,
            weekly_capacity: int | None = None, horizon_weeks: int = HORIZON_WEEKS,
            gemeentecode: str = "", name: str = "", kind: str = "inspection") -> Projection:
    """Walk the free capacity week by week from start until waiting is cleared.

    weeks are one municipality's ledger rows in week order (past ones are used only for
    the average after the ledger). A week is cleared when the cumulative free capacity
    reaches the waiting count; fractions of the average count towards later weeks.
    """
    by_week = {w.week_start: w for w in weeks}
    last = weeks[-AVERAGE_OVER:]
    ledger_until = weeks[-1].week_start if weeks else None

    def free(capacity: float, taken: float) -> float:
        return max(0.0, capacity - taken)

    def free_in(week: date) -> float:
        row = by_week.get(week)
        if ledger_until is not None and week <= ledger_until:
            taken = (row.reserved + row.booked) if row else 0
            capacity = row.capacity if row else 0
            return free(capacity if weekly_capacity is None else weekly_capacity, taken)
        return extension

    taken_avg = sum(w.reserved + w.booked for w in last) / len(last) if last else 0.0
    capacity_avg = sum(w.capacity for w in last) / len(last) if last else 0.0
    extension = free(capacity_avg if weekly_capacity is None else weekly_capacity, taken_avg)

    points: list[WeekPoint] = []
    total = 0.0
    cleared_by, weeks_needed = (None, 0) if not waiting else (None, None)
    for number in range(1, horizon_weeks + 1 if waiting else 1):
        week = start + timedelta(weeks=number - 1)
        total += free_in(week)
        # The small margin keeps 0.1 + 0.2 + ... from falling just short of a whole place.
        cleared = min(waiting, math.floor(total + 1e-9))
        points.append(WeekPoint(week, cleared, waiting - cleared))
        if cleared >= waiting:
            cleared_by, weeks_needed = week, number
            break
    return Projection(
        gemeentecode=gemeentecode, name=name, kind=kind, waiting=waiting,
        weekly_free=round(total / len(points), 1) if points else round(extension, 1),
        extension_free=round(extension, 1), ledger_until=ledger_until, cleared_by=cleared_by,
        weeks_needed=weeks_needed, weekly_capacity=weekly_capacity, points=points,
    )
