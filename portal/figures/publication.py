"""The figures as published: per province, municipality and place, suppressed and rounded.

One Publication feeds the public page, the village pages and /cijfers.json, in every
language, so no page can show a figure the others hide. It is made of the counts as they
stood at the end of the previous day (see counts.py), so it changes once a day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.capacity.models import CapacityWeek
from portal.figures.counts import ROUTES, STATUSES, DayCounts, count_until, median_days
from portal.figures.suppression import ROUND_TO, THRESHOLD, Line, Shown, publish, rounded

MONTHS_AHEAD = 6
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


@dataclass
class Area:
    """One row of the figures: the province, a municipality or a place (see suppression)."""

    name: str
    code: str
    slug: str
    total: Shown
    route: dict[str, Shown]
    status: dict[str, Shown]
    median_wait_weeks: int | None = None
    places: list[Area] = field(default_factory=list)


@dataclass(frozen=True)
class Month:
    """What a coming month is expected to deliver: places for on-request work, planned homes."""

    month: str  # YYYY-MM
    places_on_request: int
    planned: int | None


@dataclass
class Publication:
    """Everything published for one day."""

    as_of: date
    province: Area
    municipalities: list[Area]
    months: list[Month]

    def place(self, slug: str) -> tuple[Area, Area] | None:
        """The municipality and the place with this slug, or None."""
        for municipality in self.municipalities:
            for place in municipality.places:
                if place.slug == slug:
                    return municipality, place
        return None


def slug_of(name: str) -> str:
    """A place name as a URL part: lower case ASCII words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "plaats"


def publication_for(session: Session, today: date,
                    served: Collection[str] | None = None) -> Publication:
    """The figures published on `today`: as they stood at the end of the day before."""
    counts = count_until(session, start_of_day(today), served)
    return build(counts, months=months_ahead(session, today, served),
                 as_of=today - timedelta(days=1))


def start_of_day(day: date) -> datetime:
    """Midnight at the start of a Dutch day, as the naive UTC the database stores."""
    midnight = datetime.combine(day, time.min, tzinfo=DUTCH_TIME)
    return midnight.astimezone(UTC).replace(tzinfo=None)


def dutch_today(now: datetime) -> date:
    """The Dutch date at a naive UTC moment."""
    return now.replace(tzinfo=UTC).astimezone(DUTCH_TIME).date()


def build(counts: DayCounts, *, months: list[Month], as_of: date) -> Publication:
    """Suppress and round one day's counts into what is published."""
    values, lines = _cells(counts)
    shown = publish(values, lines)
    slugs = _slugs(counts)
    municipalities = []
    for code, name in sorted(counts.municipalities.items(), key=lambda item: item[1]):
        places = [_area(shown, ("place", code, place), place, code, slugs[(code, place)])
                  for place in counts.places[code]]
        municipality = _area(shown, ("municipality", code), name, code, slug_of(name))
        municipality.median_wait_weeks = _weeks(counts.waits_in_days.get(code, []))
        municipality.places = places
        municipalities.append(municipality)
    province = _area(shown, ("province",), "", "", "")
    province.median_wait_weeks = _weeks(
        [days for waits in counts.waits_in_days.values() for days in waits])
    return Publication(as_of, province, municipalities, months)


def as_json(publication: Publication) -> dict:
    """The publication as /cijfers.json serves it (keys documented in the README)."""
    def area(item: Area, *, with_places: bool = False) -> dict:
        shaped = {"name": item.name, "code": item.code, "total": item.total,
                  "route": item.route, "status": item.status}
        if item.slug:
            shaped["slug"] = item.slug
        if with_places:
            shaped["median_wait_weeks"] = item.median_wait_weeks
            shaped["places"] = [area(place) for place in item.places]
        return shaped

    province = area(publication.province)
    province["median_wait_weeks"] = publication.province.median_wait_weeks
    del province["name"], province["code"]
    return {
        "as_of": publication.as_of.isoformat(),
        "threshold": THRESHOLD,
        "rounded_to": ROUND_TO,
        "routes": list(ROUTES),
        "statuses": list(STATUSES),
        "province": province,
        "municipalities": [area(m, with_places=True) for m in publication.municipalities],
        "months": [{"month": m.month, "places_on_request": m.places_on_request,
                    "planned": m.planned} for m in publication.months],
    }


def _cells(counts: DayCounts) -> tuple[dict, list[Line]]:
    """Every published cell with its true value, and every sum published with its parts."""
    values: dict = {}
    lines: list[Line] = []

    def row(key: tuple, route: dict, status: dict) -> None:
        values[(*key, "total")] = sum(route.values())
        for group, value in route.items():
            values[(*key, "route", group)] = value
        for group, value in status.items():
            values[(*key, "status", group)] = value
        lines.append(Line((*key, "total"), tuple((*key, "route", g) for g in ROUTES)))
        lines.append(Line((*key, "total"), tuple((*key, "status", g) for g in STATUSES)))

    def column_sums(whole: tuple, parts: list[tuple]) -> None:
        lines.append(Line((*whole, "total"), tuple((*p, "total") for p in parts)))
        for group in ROUTES:
            lines.append(Line((*whole, "route", group), tuple((*p, "route", group) for p in parts)))
        for group in STATUSES:
            lines.append(Line((*whole, "status", group),
                              tuple((*p, "status", group) for p in parts)))

    province_route = dict.fromkeys(ROUTES, 0)
    province_status = dict.fromkeys(STATUSES, 0)
    for code in counts.municipalities:
        m_route = dict.fromkeys(ROUTES, 0)
        m_status = dict.fromkeys(STATUSES, 0)
        for place in counts.places[code]:
            route = {g: counts.route[((code, place), g)] for g in ROUTES}
            status = {g: counts.status[((code, place), g)] for g in STATUSES}
            row(("place", code, place), route, status)
            for g in ROUTES:
                m_route[g] += route[g]
            for g in STATUSES:
                m_status[g] += status[g]
        row(("municipality", code), m_route, m_status)
        column_sums(("municipality", code), [("place", code, p) for p in counts.places[code]])
        for g in ROUTES:
            province_route[g] += m_route[g]
        for g in STATUSES:
            province_status[g] += m_status[g]
    row(("province",), province_route, province_status)
    column_sums(("province",), [("municipality", code) for code in counts.municipalities])
    return values, lines


def _area(shown: dict, key: tuple, name: str, code: str, slug: str) -> Area:
    return Area(name=name, code=code, slug=slug, total=shown[(*key, "total")],
                route={g: shown[(*key, "route", g)] for g in ROUTES},
                status={g: shown[(*key, "status", g)] for g in STATUSES})


def _slugs(counts: DayCounts) -> dict[tuple[str, str], str]:
    """A slug per place; a name that two municipalities share gets the code added."""
    taken: dict[str, int] = {}
    for places in counts.places.values():
        for place in places:
            taken[slug_of(place)] = taken.get(slug_of(place), 0) + 1
    return {(code, place): slug_of(place) if taken[slug_of(place)] == 1
            else f"{slug_of(place)}-{code}"
            for code, places in counts.places.items() for place in places}


def _weeks(waits: list[float]) -> int | None:
    """The median wait in whole weeks, published only over at least THRESHOLD requests."""
    if len(waits) < THRESHOLD:
        return None
    return round(median_days(waits) / 7)


def months_ahead(session: Session, today: date, served: Collection[str] | None) -> list[Month]:
    """Capacity for on-request work and homes planned, per month, for the coming months."""
    first = today.replace(day=1)
    end = _add_months(first, MONTHS_AHEAD)
    query = (
        select(CapacityWeek.week_start,
               func.sum(CapacityWeek.capacity - CapacityWeek.reserved),
               func.sum(CapacityWeek.booked))
        .where(CapacityWeek.week_start >= first, CapacityWeek.week_start < end)
        .group_by(CapacityWeek.week_start)
    )
    if served is not None:
        query = query.where(CapacityWeek.gemeentecode.in_(sorted(served)))
    places: dict[str, int] = {}
    planned: dict[str, int] = {}
    for week_start, free, booked in session.execute(query):
        month = week_start.strftime("%Y-%m")
        places[month] = places.get(month, 0) + max(0, int(free or 0))
        planned[month] = planned.get(month, 0) + int(booked or 0)
    months = []
    month = first
    while month < end:
        key = month.strftime("%Y-%m")
        on_request = places.get(key, 0)
        booked = planned.get(key, 0)
        months.append(Month(key, ROUND_TO * round(on_request / ROUND_TO),
                            rounded(booked) if booked >= THRESHOLD else None))
        month = _add_months(month, 1)
    return months


def _add_months(day: date, count: int) -> date:
    years, month = divmod(day.month - 1 + count, 12)
    return day.replace(year=day.year + years, month=month + 1, day=1)
