"""The figures on pace for officers and coordinators: weekly counts, waits per step, capacity.

Internal figures, so nothing is suppressed; they never leave the staff pages except as the
CSV a coordinator downloads. Every table is a WeeklyTable or a StepWaits list, so one page
template and one CSV writer show them all.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.capacity.forecast import forecast, monday_of
from portal.capacity.models import CapacityWeek
from portal.capacity.reassessments import count_waiting_reassessments
from portal.figures.words import ROUTE_WORDS
from portal.register.models import Municipality
from portal.requests.kinds import Channel
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status
from portal.triage.decisions import KINDS as DECISION_KINDS
from portal.triage.models import Decision

WEEKS_BACK = 12
WEEKS_AHEAD = 6
CHANNEL_WORDS = {
    Channel.WEB.value: _l("Website"),
    Channel.PHONE.value: _l("Phone (desk)"),
    Channel.PROGRAMME.value: _l("Programme"),
}


@dataclass(frozen=True)
class WeeklyTable:
    """Counts per week (rows) and column; `key` names its CSV download."""

    key: str
    title: object
    columns: list[tuple[str, object]]  # (code, label)
    weeks: list[date]
    values: dict[tuple[date, str], int]
    # The columns its chart draws as lines; None: all of them when few, else the total.
    chart_columns: tuple[str, ...] | None = None

    def row(self, week: date) -> list[int]:
        """The counts of one week, in column order."""
        return [self.values.get((week, code), 0) for code, _ in self.columns]

    def total(self, week: date) -> int:
        """The sum of one week's counts."""
        return sum(self.row(week))


@dataclass(frozen=True)
class StepWait:
    """How long one step of the chain took, over the steps completed in the period."""

    step: str
    label: object
    count: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Backlog:
    """Inspected homes outside P50/P90 that wait for a reassessment, and when they clear."""

    waiting: int
    cleared_by: date | None  # None: not within the forecast's horizon
    within_horizon: bool


def weeks_back(today: date, count: int = WEEKS_BACK) -> list[date]:
    """The Mondays of the last `count` weeks, this week included, oldest first."""
    this_week = monday_of(today)
    return [this_week - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def requests_per_week(session: Session, today: date, by: str) -> WeeklyTable:
    """Requests that came in per week, by channel, route (request type) or municipality."""
    weeks = weeks_back(today)
    field = {"channel": InspectionRequest.channel, "route": InspectionRequest.request_type,
             "municipality": InspectionRequest.gemeentecode}[by]
    values: Counter = Counter()
    for created, value in session.execute(
        select(InspectionRequest.created_at, field)
        .where(InspectionRequest.created_at >= _start(weeks[0]))
    ):
        values[(monday_of(created.date()), value or "")] += 1
    codes = sorted({code for _, code in values})
    if by == "channel":
        columns = [(c, CHANNEL_WORDS.get(c, c)) for c in codes]
        title = _l("Requests per week, by channel")
    elif by == "route":
        columns = [(c, ROUTE_WORDS.get(c, c)) for c in codes]
        title = _l("Requests per week, by route")
    else:
        names = dict(session.execute(select(Municipality.code, Municipality.name)).all())
        columns = sorted(((c, names.get(c) or _l("Not in the register")) for c in codes),
                         key=lambda column: str(column[1]))
        title = _l("Requests per week, by municipality")
    return WeeklyTable(f"requests-by-{by}", title, columns, weeks, dict(values))


def decisions_per_week(session: Session, today: date) -> WeeklyTable:
    """Decisions taken per week, by kind of decision."""
    weeks = weeks_back(today)
    values: Counter = Counter()
    for decided, kind in session.execute(
        select(Decision.decided_at, Decision.decision)
        .where(Decision.decided_at >= _start(weeks[0]))
    ):
        values[(monday_of(decided.date()), kind)] += 1
    columns = [(code, kind.label) for code, kind in DECISION_KINDS.items()]
    return WeeklyTable("decisions", _l("Decisions per week"), columns, weeks, dict(values))


def capacity_per_week(session: Session, today: date) -> WeeklyTable:
    """Capacity, reserved risk work, planned on-request work and inspections done, per week."""
    this_week = monday_of(today)
    weeks = [this_week + timedelta(weeks=n) for n in range(-WEEKS_BACK + 1, WEEKS_AHEAD + 1)]
    values: dict[tuple[date, str], int] = {}
    for week, capacity, reserved, booked in session.execute(
        select(CapacityWeek.week_start, func.sum(CapacityWeek.capacity),
               func.sum(CapacityWeek.reserved), func.sum(CapacityWeek.booked))
        .where(CapacityWeek.week_start >= weeks[0], CapacityWeek.week_start <= weeks[-1])
        .group_by(CapacityWeek.week_start)
    ):
        values[(week, "capacity")] = int(capacity or 0)
        values[(week, "reserved")] = int(reserved or 0)
        values[(week, "planned")] = int(booked or 0)
    done: Counter = Counter()
    for (at,) in session.execute(
        select(RequestEvent.at).where(RequestEvent.kind == "status",
                                      RequestEvent.to_status == Status.INSPECTED.value,
                                      RequestEvent.at >= _start(weeks[0]))
    ):
        done[monday_of(at.date())] += 1
    for week, count in done.items():
        values[(week, "inspected")] = count
    columns = [("capacity", _l("Capacity")), ("reserved", _l("Reserved for P50 and P90")),
               ("planned", _l("Planned on request")), ("inspected", _l("Inspected"))]
    return WeeklyTable("capacity", _l("Capacity, planned and done per week"), columns, weeks,
                       values, chart_columns=("capacity", "planned", "inspected"))



def step_waits(session: Session, today: date) -> list[StepWait]:
    """Median and 90th percentile of each step, over the steps completed in the period."""
    since = _start(weeks_back(today)[0])
    # Only requests that moved within the period can have finished a step in it.
    recent = select(RequestEvent.request_id).where(RequestEvent.at >= since).distinct()
    firsts: dict[int, dict[str, datetime]] = defaultdict(dict)
    for request_id, status, at in session.execute(
        select(RequestEvent.request_id, RequestEvent.to_status, func.min(RequestEvent.at))
        .where(RequestEvent.kind == "status", RequestEvent.request_id.in_(recent))
        .group_by(RequestEvent.request_id, RequestEvent.to_status)
    ):
        firsts[request_id][status] = at
    created = dict(session.execute(
        select(InspectionRequest.id, InspectionRequest.created_at)
        .where(InspectionRequest.id.in_(recent))
    ).all())
    durations: dict[str, list[float]] = defaultdict(list)
    for request_id, seen in firsts.items():
        if request_id not in created:
            continue
        for step, _label, span in _STEPS:
            found = span({**seen, "created": created[request_id]})
            if found and found[1] >= since:
                durations[step].append(max(0.0, (found[1] - found[0]).total_seconds() / 86400))
    return [StepWait(step, label, len(durations[step]), _percentile(durations[step], 50),
                     _percentile(durations[step], 90)) for step, label, _ in _STEPS]


def reassessment_backlog(session: Session, today: date) -> Backlog:
    """Inspected homes outside P50/P90 waiting for a reassessment, and when they are done."""
    waiting = count_waiting_reassessments(session)
    projections = forecast(session, kind="assessment", today=today)
    within = all(p.within_horizon for p in projections)
    dates = [p.cleared_by for p in projections if p.cleared_by]
    return Backlog(waiting, max(dates) if dates and within else None, within)


def _first(seen: dict, *statuses: str) -> datetime | None:
    moments = [seen[s] for s in statuses if s in seen]
    return min(moments) if moments else None


def _span(start: Callable[[dict], datetime | None], end: Callable[[dict], datetime | None]):
    def span(seen: dict) -> tuple[datetime, datetime] | None:
        begin, finish = start(seen), end(seen)
        return (begin, finish) if begin and finish else None
    return span


S = Status
_DECIDED = (S.ACCEPTED_INSPECTION, S.ACCEPTED_REASSESSMENT, S.IN_PROGRAMME, S.DECLINED,
            S.CLOSED, S.AWAITING_INFORMATION)
_STEPS = [
    ("decision", _l("From request to decision"),
     _span(lambda s: s["created"], lambda s: _first(s, *_DECIDED))),
    ("planning", _l("From acceptance to a planned week"),
     _span(lambda s: _first(s, S.ACCEPTED_INSPECTION, S.ACCEPTED_REASSESSMENT),
           lambda s: _first(s, S.SCHEDULED))),
    ("inspection", _l("From a planned week to the inspection"),
     _span(lambda s: _first(s, S.SCHEDULED), lambda s: _first(s, S.INSPECTED))),
    ("assessment", _l("From inspection to assessment"),
     _span(lambda s: _first(s, S.INSPECTED), lambda s: _first(s, S.ASSESSED))),
]


def _percentile(values: list[float], percent: int) -> float | None:
    """The nearest-rank percentile, in days with one decimal; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


def _start(week: date) -> datetime:
    return datetime.combine(week, time.min)
