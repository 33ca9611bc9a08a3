"""The period in which a resident can expect the inspection: computed on the fly, never stored.

- a planned (scheduled) request: its booked week;
- an accepted request without a week: an estimate from its place in line in its
  municipality and the free capacity of the coming weeks (the next planning pass would
  put it there), shown as a window of ESTIMATE_WEEKS weeks, because reservations for risk
  work may still grow and unused capacity of other municipalities may make it earlier;
- any other status: None (a received request is promised a decision within two weeks
  by the intake; an inspected one has nothing left to plan).

Two queries at most: the request's booking, or the municipality's line and its ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.capacity.allocation import line_key, week_start_of
from portal.capacity.models import Booking, CapacityWeek
from portal.capacity.notify import DAY_PATTERN
from portal.capacity.plan_base import KIND_OF_STATUS, acceptance_times, today_of, waiting_of
from portal.requests.models import InspectionRequest
from portal.requests.states import Status

# An estimate is shown as a window this long from the estimated week.
ESTIMATE_WEEKS = 8


@dataclass(frozen=True)
class ExpectedPeriod:
    """When to expect the inspection: a booked week, an estimated window, or not yet known."""

    kind: str  # "booked", "estimate" or "unknown"
    start: date | None = None
    end: date | None = None

    @property
    def known(self) -> bool:
        """True when there is a period to show."""
        return self.start is not None

    def describe(self) -> str:
        """The period as a plain sentence in the current language."""
        if self.kind == "booked":
            return _("In the week of %(day)s", day=format_date(self.start, DAY_PATTERN))
        if self.kind == "unknown" or self.start is None or self.end is None:
            return _("Not known yet: all capacity planned so far is taken. We let you know "
                     "as soon as your request has a week.")
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return _("In %(month)s", month=format_date(self.start, "MMMM y"))
        first = format_date(self.start, "MMMM" if self.start.year == self.end.year
                            else "MMMM y")
        return _("Between %(first)s and %(last)s", first=first,
                 last=format_date(self.end, "MMMM y"))


def expected_period(session: Session, req: InspectionRequest, *,
                    today: date | None = None) -> ExpectedPeriod | None:
    """The period the resident of req can expect, or None when the status has none."""
    status = Status(req.status)
    if status is Status.SCHEDULED:
        week = session.scalar(
            select(CapacityWeek.week_start)
            .join(Booking, Booking.capacity_week_id == CapacityWeek.id)
            .where(Booking.request_id == req.id).order_by(CapacityWeek.week_start.desc())
            .limit(1))
        if week is None:
            return ExpectedPeriod("unknown")
        return ExpectedPeriod("booked", week, week + timedelta(days=6))
    kind = KIND_OF_STATUS.get(status.value)
    if kind is None:
        return None
    if req.gemeentecode is None:
        return ExpectedPeriod("unknown")
    week = _estimate(session, req, kind, week_start_of(today_of(today)))
    if week is None:
        return ExpectedPeriod("unknown")
    return ExpectedPeriod("estimate", week, week + timedelta(weeks=ESTIMATE_WEEKS, days=-1))


def _estimate(session: Session, req: InspectionRequest, kind: str,
              current: date) -> date | None:
    """The week the next planning pass would give req within its own municipality."""
    line = sorted((waiting_of(row, kind) for row in acceptance_times(
        session, statuses=[req.status], gemeentecode=req.gemeentecode)), key=line_key)
    place = next((i for i, w in enumerate(line, start=1) if w.request_id == req.id), None)
    if place is None:
        return None
    free = session.execute(
        select(CapacityWeek.week_start, CapacityWeek.free)
        .where(CapacityWeek.gemeentecode == req.gemeentecode, CapacityWeek.kind == kind,
               CapacityWeek.week_start >= current)
        .order_by(CapacityWeek.week_start))
    ahead = 0
    for week, places in free:
        ahead += max(0, places)
        if ahead >= place:
            return week
    return None
