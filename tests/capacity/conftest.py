"""A register of three municipalities, accepted requests, and ledger rows for capacity tests.

    accept(session, EEMSDELTA, 1)            # an accepted inspection request, committed
    week_row(session, EEMSDELTA, 0, capacity=2, reserved=1)   # the ledger row of week 0

Weeks are counted from MONDAY, the current week of the tests: every planning call in
these tests passes today=TODAY, so nothing depends on the real date.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.actors import Actor
from portal.app import create_app
from portal.capacity.models import Booking, CapacityWeek
from portal.triage.decisions import decide
from tests.factories import address_row, import_rows, programme_row
from tests.triage.conftest import file_request

COORDINATOR = Actor.staff(8, "Coördinator Bakker")
TODAY = date(2026, 12, 2)  # a Wednesday
MONDAY = date(2026, 11, 30)
EEMSDELTA, GRONINGEN, MIDDEN = "1979", "0014", "1952"
MUNICIPALITIES = {EEMSDELTA: ("Eemsdelta", "Meedhuizen", "9937"),
                  GRONINGEN: ("Groningen", "Groningen", "9711"),
                  MIDDEN: ("Midden-Groningen", "Slochteren", "9621")}
# Each municipality has homes 1–19 never inspected and 20–24 inspected before (an address
# number is 1000 × the municipality's place in MUNICIPALITIES + the home's number), and
# risk work: five P50 homes not yet inspected and three P90 homes inspected without advice.
HOMES = range(1, 20)
INSPECTED = range(20, 25)


def number(code: str, home: int) -> int:
    """The address number (and house number) of home in municipality code."""
    return 1000 * (list(MUNICIPALITIES).index(code) + 1) + home


def week(n: int) -> date:
    """The Monday n weeks after the tests' current week."""
    return MONDAY + timedelta(weeks=n)


@pytest.fixture
def capacity_register(session, tmp_path):
    """Import the register of the three municipalities."""
    rows, programme = [], []
    for code, (name, place, pc4) in MUNICIPALITIES.items():
        for home in [*HOMES, *INSPECTED, *range(30, 38)]:
            n = number(code, home)
            rows.append(address_row(n, huisnummer=n, postcode=f"{pc4}AB", woonplaats=place,
                                    gemeentecode=code, gemeentenaam=name))
        programme += [programme_row(number(code, h), opname_datum="2017-11-21",
                                    advies="versterken") for h in INSPECTED]
        programme += [programme_row(number(code, h), risicoprofiel="P50")
                      for h in range(30, 35)]
        programme += [programme_row(number(code, h), risicoprofiel="P90",
                                    opname_datum="2018-03-01") for h in range(35, 38)]
    import_rows(session, tmp_path / "register", rows, programme)


def accept(session, code: str, home: int, *, language: str = "nl",
           email: str | None = "bewoner@example.nl"):
    """File a request for home in municipality code and accept it; committed."""
    req = file_request(session, number(code, home), language=language, email=email,
                       key=f"capacity-{code}-{home}")
    decision = "accept_reassessment" if home in INSPECTED else "accept_inspection"
    decide(session, req, decision, actor=COORDINATOR, reason_code="rules_apply",
           issue_letter=False)
    session.commit()
    return req


def week_row(session, code: str, n: int, *, capacity: int, reserved: int = 0,
             kind: str = "inspection") -> CapacityWeek:
    """Put the ledger row of week n in place (committed), as a coordinator's entry would."""
    row = CapacityWeek(week_start=week(n), gemeentecode=code, kind=kind, capacity=capacity,
                       reserved=reserved, booked=0)
    session.add(row)
    session.commit()
    return row


def booked_weeks(session) -> dict[int, date]:
    """request id → the week it is booked in."""
    return dict(session.execute(
        select(Booking.request_id, CapacityWeek.week_start)
        .join(CapacityWeek, CapacityWeek.id == Booking.capacity_week_id)).all())


def ledger_state(session) -> list[tuple]:
    """(week, code, kind, capacity, reserved, booked, bookings) of every ledger row."""
    counts = dict(session.execute(select(Booking.capacity_week_id, func.count())
                                  .group_by(Booking.capacity_week_id)).all())
    return sorted((r.week_start, r.gemeentecode, r.kind, r.capacity, r.reserved, r.booked,
                   counts.get(r.id, 0)) for r in session.scalars(select(CapacityWeek)))


def assert_ledger_consistent(session) -> None:
    """Every row: booked equals its bookings, and booked + reserved fits the capacity."""
    session.expire_all()
    for week_start, code, kind, capacity, reserved, booked, bookings in ledger_state(session):
        assert (booked, booked + reserved <= capacity) == (bookings, True), \
            (week_start, code, kind, capacity, reserved, booked, bookings)


@pytest.fixture
def capacity_app(app, test_environ):
    """The portal with the capacity pages and commands, until create_app registers them.

    A second app on the same test database: Flask refuses a new blueprint on an app that
    has served requests already.
    """
    from portal.capacity import ledger_views
    from portal.capacity.cli import capacity_cli

    if "capacity" in app.blueprints:
        return app
    fresh = create_app({"environ": test_environ})
    fresh.register_blueprint(ledger_views.bp)
    fresh.cli.add_command(capacity_cli)
    return fresh


@pytest.fixture
def english(app):
    """Texts made outside a request (refusal reasons) in English, the msgids' language."""
    default = app.config["BABEL_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = default
