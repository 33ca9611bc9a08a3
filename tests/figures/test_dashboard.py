"""The staff figures on pace: weekly counts, waits per step, capacity, charts and CSVs."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update

from portal.actors import Actor
from portal.capacity.forecast import monday_of
from portal.figures import management
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status
from portal.requests.workflow import transition
from portal.triage.decisions import decide
from tests.accounts.conftest import client_as
from tests.factories import address_row, capacity_weeks, file_request, import_rows

TODAY = date(2026, 11, 25)  # a Wednesday
OFFICER = Actor.staff(1, "Olga Officer")


@pytest.fixture
def history(app, session, tmp_path):
    """Four requests two weeks ago: one decided a week later, three waiting; one by phone."""
    with app.app_context():
        import_rows(session, tmp_path, [address_row(n) for n in range(1, 5)])
        requests = [file_request(session, n) for n in range(1, 5)]
        decide(session, requests[0], "accept_inspection", actor=OFFICER,
               reason_code="rules_apply")
        session.commit()
    two_weeks_ago = datetime(2026, 11, 11, 9)
    session.execute(update(InspectionRequest).values(created_at=two_weeks_ago))
    session.execute(update(InspectionRequest).where(InspectionRequest.id == requests[3].id)
                    .values(channel="phone"))
    session.execute(update(RequestEvent).values(at=two_weeks_ago))
    session.execute(update(RequestEvent)
                    .where(RequestEvent.request_id == requests[0].id,
                           RequestEvent.to_status == Status.ACCEPTED_INSPECTION.value)
                    .values(at=two_weeks_ago + timedelta(days=7)))
    session.commit()
    return requests


def test_requests_are_counted_per_week_and_channel(session, history):
    table = management.requests_per_week(session, TODAY, "channel")

    week = monday_of(date(2026, 11, 11))
    assert len(table.weeks) == management.WEEKS_BACK and table.weeks[-1] == monday_of(TODAY)
    assert table.values[(week, "web")] == 3
    assert table.values[(week, "phone")] == 1
    assert table.total(week) == 4


def test_the_wait_for_a_decision_comes_from_the_history(session, history):
    [decision, *_] = management.step_waits(session, TODAY)

    assert decision.step == "decision"
    assert decision.count == 1
    assert decision.median_days == 7.0 and decision.p90_days == 7.0


def test_decisions_are_counted_per_week_and_kind(session, history):
    table = management.decisions_per_week(session, TODAY)
    assert sum(table.values.values()) == 1
    assert [code for code, _ in table.columns][0] == "accept_inspection"


def test_capacity_planned_and_inspected_per_week(app, session, history):
    week = monday_of(TODAY)
    capacity_weeks(session, "1979", "inspection", week, [(10, 4, 2)])
    with app.app_context():
        transition(session, history[0], Status.SCHEDULED, actor=OFFICER, reason="planned")
        transition(session, history[0], Status.INSPECTED, actor=OFFICER, reason="done")
        session.commit()
    table = management.capacity_per_week(session, TODAY)

    assert table.row(week) == [10, 4, 2, 1]


def test_the_dashboard_shows_charts_tables_and_downloads(app, history):
    client = client_as(app, "officer")
    page = client.get("/medewerkers/cijfers/")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("<svg") == 5
    assert "/medewerkers/cijfers/requests-by-channel.csv" in text

    download = client.get("/medewerkers/cijfers/requests-by-channel.csv")
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True)), delimiter=";"))
    assert rows[0][0] == "Week starting" and rows[0][-1] == "Total"
    assert len(rows) == 1 + management.WEEKS_BACK


@pytest.mark.parametrize("key", ["nothing", "x" * 500, "%00"])
def test_an_unknown_download_is_not_found(app, key):
    assert client_as(app, "officer").get(f"/medewerkers/cijfers/{key}.csv").status_code == 404


def test_agents_do_not_see_the_figures(app):
    assert client_as(app, "agent").get("/medewerkers/cijfers/").status_code == 403
