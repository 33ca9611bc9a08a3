"""The period a resident can expect: the booked week, an estimate from the line, or none."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from portal.capacity import planning
from portal.capacity.expected import ExpectedPeriod, expected_period
from portal.triage.decisions import decide
from tests.capacity.conftest import (
    COORDINATOR,
    EEMSDELTA,
    GRONINGEN,
    TODAY,
    accept,
    week,
    week_row,
)
from tests.triage.conftest import file_request


def test_a_planned_request_expects_its_booked_week(app_context, session, capacity_register):
    week_row(session, EEMSDELTA, 2, capacity=1)
    req = accept(session, EEMSDELTA, 1)
    planning.book(session, req, actor=COORDINATOR, today=TODAY)
    session.commit()

    period = expected_period(session, req, today=TODAY)

    assert period == ExpectedPeriod("booked", week(2), date(2026, 12, 20))
    with force_locale("en"):
        assert period.describe() == "In the week of 14 December 2026"


def test_an_accepted_request_gets_an_estimate_from_its_place_in_line(app_context, session,
                                                                     capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=3, reserved=2)
    week_row(session, EEMSDELTA, 1, capacity=1, reserved=1)
    week_row(session, EEMSDELTA, 5, capacity=2)
    first, second, third = (accept(session, EEMSDELTA, home) for home in (1, 2, 3))
    accept(session, GRONINGEN, 1)  # another municipality's line does not count

    periods = [expected_period(session, r, today=TODAY) for r in (first, second, third)]

    assert [(p.kind, p.start) for p in periods] == [
        ("estimate", week(0)), ("estimate", week(5)), ("estimate", week(5))]
    assert periods[1].end == date(2027, 2, 28)
    with force_locale("en"):
        assert periods[1].describe() == "Between January and February 2027"
    with force_locale("nl"):  # Dutch month names, whatever the sentence around them
        assert tuple(
            part for part in ("november 2026", "januari 2027")
            if part in periods[0].describe()) == ("november 2026", "januari 2027")


def test_an_accepted_request_beyond_all_capacity_has_no_period_yet(app_context, session,
                                                                   capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=1)
    accept(session, EEMSDELTA, 1)
    second = accept(session, EEMSDELTA, 2)

    period = expected_period(session, second, today=TODAY)

    assert (period.kind, period.known) == ("unknown", False)
    with force_locale("en"):
        assert period.describe().startswith("Not known yet")


def test_an_estimate_within_one_month_names_that_month(app_context):
    with force_locale("en"):
        assert ExpectedPeriod("estimate", date(2027, 3, 1),
                              date(2027, 3, 28)).describe() == "In March 2027"


@pytest.mark.parametrize("status", ["received", "declined"])
def test_a_request_not_yet_accepted_has_no_period(app_context, session, capacity_register,
                                                  status):
    req = file_request(session, 1001, key=f"expected-{status}")
    if status == "declined":
        decide(session, req, "decline", actor=COORDINATOR, reason_code="other",
               reason_text="Dubbel", issue_letter=False)

    assert expected_period(session, req, today=TODAY) is None


def test_expected_period_needs_at_most_two_queries(app_context, session, capacity_register):
    from sqlalchemy import event

    week_row(session, EEMSDELTA, 0, capacity=5)
    reqs = [accept(session, EEMSDELTA, home) for home in range(1, 6)]
    statements = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        expected_period(session, reqs[-1], today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", listener)

    assert len([s for s in statements if s.startswith("SELECT")]) <= 2
