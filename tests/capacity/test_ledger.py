"""The ledger: changing weeks, importing a capacity file, reservations from the register,
a yearly pool, and the coordinator's shares."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.capacity import ledger, planning
from portal.capacity.models import CapacityWeek, MunicipalityShare
from tests.capacity.conftest import (
    COORDINATOR,
    EEMSDELTA,
    GRONINGEN,
    TODAY,
    accept,
    assert_ledger_consistent,
    booked_weeks,
    ledger_state,
    week,
    week_row,
)

HEADER = "week_start;gemeentecode;kind;capacity;reserved\n"


def _file(tmp_path, text: str, name: str = "capaciteit.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ledger_table_shows_missing_weeks_as_zero(session, capacity_register):
    week_row(session, EEMSDELTA, 1, capacity=5, reserved=2)

    rows = ledger.ledger_table(session, EEMSDELTA, "inspection", week(0), 3)

    assert [(r.week_start, r.capacity, r.reserved, r.booked, r.free) for r in rows] == [
        (week(0), 0, 0, 0, 0), (week(1), 5, 2, 0, 3), (week(2), 0, 0, 0, 0)]


def test_set_weeks_creates_and_changes_a_range(app_context, session, capacity_register):
    week_row(session, EEMSDELTA, 1, capacity=5, reserved=2)

    ledger.set_weeks(session, EEMSDELTA, "inspection", TODAY, 3, capacity=4,
                     actor=COORDINATOR, today=TODAY)
    ledger.set_weeks(session, EEMSDELTA, "inspection", week(2), 1, reserved=1,
                     actor=COORDINATOR, today=TODAY)
    session.commit()

    assert ledger_state(session) == [
        (week(0), EEMSDELTA, "inspection", 4, 0, 0, 0),
        (week(1), EEMSDELTA, "inspection", 4, 2, 0, 0),
        (week(2), EEMSDELTA, "inspection", 4, 1, 0, 0)]
    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["capacity.changed", "capacity.changed"]


@pytest.mark.parametrize(("changes", "problem"), [
    ({"capacity": 2, "reserved": 3}, "reserved (3) exceeds capacity (2)"),
    ({"capacity": -1}, "below zero"),
])
def test_set_weeks_refuses_impossible_numbers(app_context, session,
                                                        capacity_register, changes, problem):
    with pytest.raises(planning.LedgerRefused) as refused:
        ledger.set_weeks(session, EEMSDELTA, "inspection", week(0), 2, actor=COORDINATOR,
                         today=TODAY, **changes)
    assert refused.value.code == "ledger.rules_broken"
    with force_locale("en"):
        assert any(problem in str(p) for p in refused.value.problems)
    session.rollback()

    assert ledger_state(session) == []


def test_a_week_that_has_passed_cannot_be_changed(app_context, session, capacity_register):
    with pytest.raises(planning.LedgerRefused) as refused:
        ledger.set_weeks(session, EEMSDELTA, "inspection", week(-1), 1, capacity=3,
                         actor=COORDINATOR, today=TODAY)
    assert refused.value.code == "ledger.rules_broken"
    with force_locale("en"):
        assert ["the week has passed" in str(p) for p in refused.value.problems] == [True]


def test_capacity_file_is_imported_with_either_delimiter(app_context, session,
                                                          capacity_register, tmp_path):
    semicolons = _file(tmp_path, HEADER + f"{week(0)};1979;inspection;10;4\n"
                       f"{week(1)};14;assessment;3;0\n")
    commas = _file(tmp_path, HEADER.replace(";", ",") + f"{week(2)},GM1979,inspection,8,8\n",
                   "commas.csv")

    first = ledger.import_capacity_csv(session, semicolons, COORDINATOR, today=TODAY)
    second = ledger.import_capacity_csv(session, commas, COORDINATOR, today=TODAY)
    session.commit()

    assert (first.applied, first.rows, second.applied) == (True, 2, True)
    assert ledger_state(session) == [
        (week(0), EEMSDELTA, "inspection", 10, 4, 0, 0),
        (week(1), GRONINGEN, "assessment", 3, 0, 0, 0),
        (week(2), EEMSDELTA, "inspection", 8, 8, 0, 0)]


def test_capacity_file_with_bad_lines_is_refused_whole_naming_each(app_context, session,
                                                                    capacity_register,
                                                                    tmp_path):
    path = _file(tmp_path, HEADER
                 + f"{week(0)};1979;inspection;10;4\n"      # line 2: good
                 + f"{week(0)};1979;inspection;9;4\n"       # 3: the same row again
                 + "2026-12-01;9999;repair;x;-1\n"          # 4: everything wrong
                 + f"{week(-1)};1979;inspection;1;0\n"      # 5: past
                 + f"{week(1)};1979;inspection;2;3\n"       # 6: reserved above capacity
                 + "07-12-2026;1979;inspection;2;1\n")      # 7: not ISO

    outcome = ledger.import_capacity_csv(session, path, COORDINATOR, today=TODAY)

    with force_locale("en"):
        shown = [r.render() for r in outcome.refusals]
    assert (outcome.applied, shown) == (False, [
        "capaciteit.csv, line 3, column week_start: same week, municipality and kind as "
        "line 2",
        "capaciteit.csv, line 4, column week_start: not a Monday",
        "capaciteit.csv, line 4, column gemeentecode: unknown municipality",
        "capaciteit.csv, line 4, column kind: must be one of inspection, assessment",
        "capaciteit.csv, line 4, column capacity: not a whole number of zero or more",
        "capaciteit.csv, line 4, column reserved: not a whole number of zero or more",
        "capaciteit.csv, line 5, column week_start: the week has passed",
        "capaciteit.csv, line 6, column reserved: more than the capacity",
        "capaciteit.csv, line 7, column week_start: not a date as YYYY-MM-DD",
    ])
    assert ledger_state(session) == []
    assert outcome.render().startswith("Refused: nothing was imported")


def test_capacity_file_without_header_or_rows_is_refused(app_context, session,
                                                         capacity_register, tmp_path):
    no_header = _file(tmp_path, f"{week(0)};1979;inspection;10;4\n")
    empty = _file(tmp_path, HEADER, "empty.csv")

    missing = ledger.import_capacity_csv(session, no_header, COORDINATOR, today=TODAY)
    nothing = ledger.import_capacity_csv(session, empty, COORDINATOR, today=TODAY)

    with force_locale("en"):
        assert [r.render() for r in missing.refusals][0] == \
            "capaciteit.csv, column week_start: required column is missing"
        assert [r.render() for r in nothing.refusals] == ["empty.csv: the file has no rows"]


def test_importing_a_larger_reservation_moves_bookings(app_context, session,
                                                       capacity_register, tmp_path):
    week_row(session, EEMSDELTA, 0, capacity=2)
    week_row(session, EEMSDELTA, 1, capacity=2)
    reqs = [accept(session, EEMSDELTA, home) for home in (1, 2)]
    planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    outcome = ledger.import_capacity_csv(
        session, _file(tmp_path, HEADER + f"{week(0)};1979;inspection;2;1\n"), COORDINATOR,
        today=TODAY)
    session.commit()

    assert (outcome.applied, outcome.plan.moved_later) == (True, 1)
    assert booked_weeks(session) == {reqs[0].id: week(0), reqs[1].id: week(1)}
    assert_ledger_consistent(session)


def test_derive_reserved_spreads_the_unfinished_risk_work(app_context, session,
                                                          capacity_register):
    for n in range(3):
        week_row(session, EEMSDELTA, n, capacity=3)

    derived = ledger.derive_reserved(session, EEMSDELTA, "inspection", weeks=3,
                                     actor=COORDINATOR, today=TODAY)
    session.commit()

    # Five P50 homes not yet inspected: 2, 2, 1 over three weeks.
    assert (derived.addresses, derived.weeks, derived.shortfall) == (
        5, [(week(0), 2), (week(1), 2), (week(2), 1)], 0)


def test_derive_reserved_at_a_pace_never_exceeds_capacity(app_context, session,
                                                          capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=2, kind="assessment")
    week_row(session, EEMSDELTA, 1, capacity=2, kind="assessment")

    derived = ledger.derive_reserved(session, EEMSDELTA, "assessment", weeks=2, per_week=3,
                                     actor=COORDINATOR, today=TODAY)

    # Three P90 homes inspected without advice; 3 a week wanted, only 2 fit in week 0.
    assert (derived.addresses, derived.weeks, derived.shortfall) == (
        3, [(week(0), 2), (week(1), 0)], 1)


def test_spread_pool_gives_a_yearly_number_on_top_of_reserved(app_context, session,
                                                              capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=10, reserved=7)

    ledger.spread_pool(session, EEMSDELTA, "inspection", 2026, 10, actor=COORDINATOR,
                       today=TODAY)
    ledger.spread_pool(session, EEMSDELTA, "inspection", 2027, 500, actor=COORDINATOR,
                       today=TODAY)
    session.commit()

    rows = {(r.week_start, r.kind): r for r in session.scalars(select(CapacityWeek))}
    year_2026 = [r for (w, _k), r in rows.items() if w.isocalendar()[0] == 2026]
    year_2027 = [r for (w, _k), r in rows.items() if w.isocalendar()[0] == 2027]
    # 2026 has five weeks left from the week of 30 November: 2 places each.
    assert [(r.capacity - r.reserved) for r in sorted(year_2026, key=lambda r: r.week_start)] \
        == [2, 2, 2, 2, 2]
    assert sum(r.capacity - r.reserved for r in year_2027) == 500
    assert {r.capacity - r.reserved for r in year_2027} == {9, 10}
    assert rows[(week(0), "inspection")].reserved == 7


def test_shares_are_saved_and_checked(app_context, session, capacity_register):
    ledger.set_shares(session, {EEMSDELTA: (60, 1), GRONINGEN: (40, 2)}, actor=COORDINATOR)
    ledger.set_shares(session, {EEMSDELTA: (70, 1)}, actor=COORDINATOR)
    session.commit()

    with pytest.raises(ledger.SharesRefused) as refused:
        ledger.set_shares(session, {EEMSDELTA: (70, 1), GRONINGEN: (40, 2)},
                          actor=COORDINATOR)
    assert refused.value.code == "shares.above_100"
    assert [(s.gemeentecode, s.share, s.rank)
            for s in session.scalars(select(MunicipalityShare))] == [(EEMSDELTA, 70, 1)]


def test_cli_imports_plans_and_shows(capacity_app, session, capacity_register, tmp_path):
    from portal.capacity.allocation import week_start_of

    runner = capacity_app.test_cli_runner()
    monday = week_start_of(date.today())
    good = _file(tmp_path, HEADER + f"{monday};1979;inspection;3;1\n")
    bad = _file(tmp_path, HEADER + f"{monday};1979;inspection;1;3\n", "bad.csv")
    with capacity_app.app_context():
        accept(session, EEMSDELTA, 1)

    refused = runner.invoke(args=["capacity", "import", str(bad)])
    imported = runner.invoke(args=["capacity", "import", str(good)])
    planned = runner.invoke(args=["capacity", "plan"])
    shown = runner.invoke(args=["capacity", "show", "1979", "--weeks", "2"])

    assert (refused.exit_code, imported.exit_code, planned.exit_code) == (1, 0, 0)
    with capacity_app.test_request_context(), force_locale("nl"):
        more = gettext("more than the capacity")  # the CLI speaks the portal's language
    assert f"line 2, column reserved: {more}" in refused.output
    assert "planned: 1" in planned.output
    assert shown.output.splitlines()[1].split() == [monday.isoformat(), "3", "1", "1", "1"]
