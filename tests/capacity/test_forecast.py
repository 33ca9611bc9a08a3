"""When the on-request queue clears, at today's capacity and with a what-if; and its chart."""
# ruff: noqa: F811  (the fixtures imported from forecast_fixtures are test parameters here)

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

from portal.actors import SYSTEM
from portal.capacity import charts
from portal.capacity.forecast import HORIZON_WEEKS, forecast, project, waiting_counts
from portal.capacity.models import Booking, CapacityWeek
from portal.requests.states import Status
from tests.capacity.forecast_fixtures import (  # noqa: F401  (fixtures)
    ASKED,
    DECLINED,
    EEMSDELTA,
    GRONINGEN,
    IN_P50,
    NEVER_INSPECTED,
    NOT_ASKED,
    NOT_IN_PROGRAMME,
    accept,
    add_ledger,
    advance,
    file_request,
    reassessment_register,
)

START = date(2026, 3, 2)  # a Monday
SVG = "{http://www.w3.org/2000/svg}"


def weeks(*rows: tuple[int, int, int], first: date = START) -> list[CapacityWeek]:
    """Ledger rows in memory, one a week from first: (capacity, reserved, booked)."""
    return [CapacityWeek(week_start=first + timedelta(weeks=i), capacity=c, reserved=r, booked=b)
            for i, (c, r, b) in enumerate(rows)]


def test_ten_waiting_at_three_free_a_week_are_cleared_in_week_four():
    result = project(10, weeks(*[(3, 0, 0)] * 8), start=START)

    assert (result.cleared_by, result.weeks_needed, result.weekly_free) == (
        START + timedelta(weeks=3), 4, 3.0)
    assert [p.remaining for p in result.points] == [7, 4, 1, 0]
    assert [p.cleared for p in result.points] == [3, 6, 9, 10]


def test_reserved_risk_work_and_bookings_are_not_free():
    result = project(10, weeks(*[(5, 1, 1)] * 8), start=START)

    assert result.weeks_needed == 4


def test_a_week_missing_from_the_ledger_has_no_free_capacity():
    ledger = weeks((3, 0, 0)) + weeks((3, 0, 0), (3, 0, 0), (3, 0, 0),
                                      first=START + timedelta(weeks=2))

    result = project(6, ledger, start=START)

    assert [p.remaining for p in result.points] == [3, 3, 0]


def test_after_the_ledger_the_average_of_the_last_known_weeks_is_assumed():
    # Two past weeks with 2 free and two coming weeks with 4: the average of the four is 3.
    ledger = weeks((2, 0, 0), (2, 0, 0), (4, 0, 0), (4, 0, 0), first=START - timedelta(weeks=2))

    result = project(12, ledger, start=START)

    assert (result.extension_free, result.ledger_until) == (3.0, START + timedelta(weeks=1))
    assert [p.remaining for p in result.points] == [8, 4, 1, 0]


def test_a_fractional_average_counts_towards_later_weeks():
    ledger = weeks((2, 0, 0), (3, 0, 0), (2, 0, 0), (3, 0, 0), first=START - timedelta(weeks=4))

    result = project(5, ledger, start=START)

    assert [p.cleared for p in result.points] == [2, 5]


def test_without_free_capacity_the_queue_is_not_cleared_within_the_horizon():
    result = project(4, weeks(*[(5, 5, 0)] * 4), start=START)

    assert (result.cleared_by, result.weeks_needed, result.within_horizon) == (None, None, False)
    assert len(result.points) == HORIZON_WEEKS


def test_nothing_waiting_is_cleared_at_once():
    result = project(0, weeks((3, 0, 0)), start=START)

    assert (result.cleared_by, result.weeks_needed, result.points) == (None, 0, [])


def test_a_what_if_capacity_replaces_the_capacity_of_every_coming_week():
    ledger = weeks(*[(3, 1, 0)] * 4)

    now = project(10, ledger, start=START)
    more = project(10, ledger, start=START, weekly_capacity=6)

    assert (now.weeks_needed, more.weeks_needed, more.weekly_free) == (5, 2, 5.0)
    # Beyond the ledger too: 6 a week minus the average reserved of 1.
    assert more.extension_free == 5.0


def test_a_what_if_for_a_municipality_without_a_ledger():
    assert project(10, [], start=START).within_horizon is False
    assert project(10, [], start=START, weekly_capacity=4).weeks_needed == 3


def _book(session, req, week: CapacityWeek) -> None:
    """A booking as the ledger makes it: the row counts it and the request is planned."""
    session.add(Booking(request_id=req.id, capacity_week_id=week.id, kind=week.kind,
                        booked_at=datetime(2026, 3, 2), booked_by=SYSTEM.label))
    week.booked += 1
    session.commit()
    advance(session, req, Status.SCHEDULED)


def test_waiting_work_is_accepted_and_unbooked_or_received_on_its_route(
        session, app_context, reassessment_register):
    file_request(session, NEVER_INSPECTED)                       # inspection, received
    accept(session, file_request(session, NOT_IN_PROGRAMME), "accept_inspection")
    file_request(session, NOT_ASKED)                              # reassessment, received
    accept(session, file_request(session, ASKED))                 # reassessment, accepted
    booked = file_request(session, DECLINED)
    accept(session, booked)
    (week,) = add_ledger(session, EEMSDELTA, "assessment", START, [(5, 0, 0)])
    _book(session, booked, week)
    file_request(session, IN_P50)                                 # in the programme

    assert waiting_counts(session, "inspection") == {EEMSDELTA: 2}
    assert waiting_counts(session, "assessment") == {EEMSDELTA: 2}


def test_forecast_covers_each_municipality_with_work_or_capacity_by_name(
        session, app_context, reassessment_register):
    file_request(session, NOT_ASKED)
    accept(session, file_request(session, ASKED))
    add_ledger(session, EEMSDELTA, "assessment", START, [(1, 0, 0)] * 4)
    add_ledger(session, GRONINGEN, "assessment", START, [(2, 0, 0)] * 4)

    current = forecast(session, kind="assessment", today=START + timedelta(days=3))
    what_if = forecast(session, kind="assessment", today=START, gemeentecode=EEMSDELTA,
                       weekly_capacity={EEMSDELTA: 2})

    assert [(p.name, p.waiting, p.weeks_needed, p.cleared_by) for p in current] == [
        ("Eemsdelta", 2, 2, START + timedelta(weeks=1)), ("Groningen", 0, 0, None)]
    assert [(p.gemeentecode, p.weeks_needed, p.weekly_capacity) for p in what_if] == [
        (EEMSDELTA, 1, 2)]
    assert forecast(session, kind="inspection", today=START) == []


# The chart -----------------------------------------------------------------------------


def _chart(name: str = "Eemsdelta"):
    ledger = weeks(*[(3, 0, 0)] * 8)
    now = project(10, ledger, start=START, name=name)
    more = project(10, ledger, start=START, weekly_capacity=5, name=name)
    return charts.queue_chart([now, more], ["Now", "With 5 a week"], START)


def test_the_chart_starts_with_the_whole_queue_and_holds_each_series_at_its_end():
    chart = _chart()

    assert chart.rows() == [
        (START, [10, 10]),
        (START + timedelta(weeks=1), [7, 5]),
        (START + timedelta(weeks=2), [4, 0]),
        (START + timedelta(weeks=3), [1, 0]),
        (START + timedelta(weeks=4), [0, 0]),
    ]


def test_the_svg_is_well_formed_with_title_description_and_distinct_lines():
    svg = charts.render_svg(_chart(), title="Remaining queue in Loppersum & Garrelsweer",
                            description="Ten waiting <now>.", x_label="Week starting",
                            y_label="Requests waiting")

    root = ET.fromstring(str(svg))
    paths = root.findall(f"{SVG}path")
    assert (root.tag, root.get("role"), root.get("aria-labelledby")) == (
        f"{SVG}svg", "img", "queue-chart-title queue-chart-desc")
    assert root.find(f"{SVG}title").text == "Remaining queue in Loppersum & Garrelsweer"
    assert root.find(f"{SVG}desc").text == "Ten waiting <now>."
    assert [(p.get("stroke"), p.get("stroke-dasharray")) for p in paths] == [
        ("#1f3a57", None), ("#a34a00", "10 6")]
    assert all(element.get("style") is None for element in root.iter())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2026-03-02", "2026-03-30", "Week starting", "Requests waiting", "Now",
            "With 5 a week", "0", "10"} <= set(texts)


def test_the_step_line_follows_the_table_figures():
    chart = _chart()
    svg = ET.fromstring(str(charts.render_svg(chart, title="t", description="d", x_label="x",
                                              y_label="y")))
    path = svg.findall(f"{SVG}path")[0].get("d")
    heights = [float(step.split("V")[1]) for step in path.split("H")[1:]]
    # y = top + plot height * (1 - value / 10): the values 7, 4, 1, 0 of the table.
    top = charts.plot_top(2)
    plot_h = charts.HEIGHT - top - charts.BOTTOM
    assert heights == [round(top + plot_h * (1 - v / 10), 1) for v in (7, 4, 1, 0)]


def test_a_chart_of_one_point_still_draws():
    empty = project(0, [], start=START)
    chart = charts.queue_chart([empty], ["Now"], START)

    svg = ET.fromstring(str(charts.render_svg(chart, title="t", description="d", x_label="x",
                                              y_label="y")))

    assert chart.rows() == [(START, [0])]
    assert len(svg.findall(f"{SVG}path")) == 1
