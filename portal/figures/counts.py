"""Counting requests per place as they stood at the end of a day, read from the history.

Figures are published as of the end of the previous day, never live: two looks a minute
apart would otherwise show that someone in a village has just asked. A request's status at
a moment is the status its last history entry before that moment left it in.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal.register.models import Address, Municipality
from portal.requests.kinds import RequestType
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status

S = Status
# What the request is about: the route groups published.
ROUTES = (RequestType.INSPECTION.value, RequestType.REASSESSMENT.value,
          RequestType.QUESTION.value)
# Where it stands: the status groups published.
WAITING, ACCEPTED, INSPECTED, ENDED = "waiting", "accepted", "inspected", "ended"
STATUSES = (WAITING, ACCEPTED, INSPECTED, ENDED)
_GROUP = {
    S.RECEIVED: WAITING, S.URGENT: WAITING, S.LINKED: WAITING,
    S.AWAITING_INFORMATION: WAITING,
    S.ACCEPTED_INSPECTION: ACCEPTED, S.ACCEPTED_REASSESSMENT: ACCEPTED, S.SCHEDULED: ACCEPTED,
    S.INSPECTED: INSPECTED, S.ASSESSED: INSPECTED,
    S.IN_PROGRAMME: ENDED, S.DECLINED: ENDED, S.WITHDRAWN: ENDED, S.CLOSED: ENDED,
}
# The first of these after a request came in is its decision: the end of waiting.
DECIDED = frozenset({S.ACCEPTED_INSPECTION, S.ACCEPTED_REASSESSMENT, S.IN_PROGRAMME,
                     S.DECLINED, S.CLOSED})

Place = tuple[str, str]  # (gemeentecode, woonplaats)


def status_group(status: str, was_inspected: bool) -> str:
    """The published group of a status; a closed request that was inspected counts as such."""
    if status == S.CLOSED and was_inspected:
        return INSPECTED
    return _GROUP[Status(status)]


@dataclass(frozen=True)
class DayCounts:
    """Every count a publication is made of, as they stood at `until`."""

    until: datetime
    municipalities: dict[str, str]  # code → name
    places: dict[str, list[str]]  # code → its places, sorted
    route: Counter  # (place, route) → count
    status: Counter  # (place, status group) → count
    waits_in_days: dict[str, list[float]]  # code → days from arrival to decision


def count_until(session: Session, until: datetime,
                served: Collection[str] | None = None) -> DayCounts:
    """Count the requests that came in before `until`, as they stood then, per place."""
    municipalities = _municipalities(session, served)
    places = _places(session, municipalities)
    latest = _latest_events(until)
    rows = session.execute(
        select(InspectionRequest.gemeentecode, InspectionRequest.woonplaats,
               InspectionRequest.request_type, latest.c.to_status, latest.c.inspected)
        .join(latest, latest.c.request_id == InspectionRequest.id)
        .where(latest.c.rank == 1, InspectionRequest.created_at < until,
               InspectionRequest.gemeentecode.in_(municipalities))
    ).all()
    route: Counter = Counter()
    status: Counter = Counter()
    for code, place, request_type, current, inspected in rows:
        key = (code, place)
        if place not in places[code]:
            places[code].append(place)
        route[(key, request_type)] += 1
        status[(key, status_group(current, bool(inspected)))] += 1
    for names in places.values():
        names.sort()
    # A municipality without a place in the register has nothing to publish.
    municipalities = {code: name for code, name in municipalities.items() if places[code]}
    places = {code: names for code, names in places.items() if names}
    return DayCounts(until, municipalities, places, route, status,
                     _waits(session, until, municipalities))


def median_days(waits: list[float]) -> float | None:
    """The median of a list of waits, or None for an empty list."""
    return statistics.median(waits) if waits else None


def _municipalities(session: Session, served: Collection[str] | None) -> dict[str, str]:
    query = select(Municipality.code, Municipality.name)
    if served is not None:
        query = query.where(Municipality.code.in_(sorted(served)))
    return dict(session.execute(query).all())


def _places(session: Session, municipalities: dict[str, str]) -> dict[str, list[str]]:
    places: dict[str, list[str]] = {code: [] for code in municipalities}
    for code, place in session.execute(
        select(Address.gemeentecode, Address.woonplaats).distinct()
        .where(Address.gemeentecode.in_(municipalities))
    ):
        places[code].append(place)
    return places


def _latest_events(until: datetime):
    """Per request, its history before `until` ranked newest first, and if it was inspected."""
    event = RequestEvent
    return (
        select(
            event.request_id, event.to_status,
            func.row_number().over(partition_by=event.request_id,
                                   order_by=(event.at.desc(), event.id.desc())).label("rank"),
            func.max(case((event.to_status == S.INSPECTED.value, 1), else_=0))
            .over(partition_by=event.request_id).label("inspected"),
        )
        .where(event.at < until)
        .subquery()
    )


def _waits(session: Session, until: datetime,
           municipalities: dict[str, str]) -> dict[str, list[float]]:
    """Days from arrival to the first decision, per municipality, for decisions before until."""
    decided = (
        select(RequestEvent.request_id, func.min(RequestEvent.at).label("at"))
        .where(RequestEvent.to_status.in_([s.value for s in DECIDED]),
               RequestEvent.at < until)
        .group_by(RequestEvent.request_id)
        .subquery()
    )
    waits: dict[str, list[float]] = defaultdict(list)
    for code, created, decided_at in session.execute(
        select(InspectionRequest.gemeentecode, InspectionRequest.created_at, decided.c.at)
        .join(decided, decided.c.request_id == InspectionRequest.id)
        .where(InspectionRequest.gemeentecode.in_(municipalities))
    ):
        waits[code].append(max(0.0, (decided_at - created).total_seconds() / 86400))
    return dict(waits)
