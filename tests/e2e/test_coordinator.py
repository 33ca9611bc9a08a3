"""A coordinator in a real browser: capacity in, requests planned, a cluster's work order out.

The accepted requests are arranged in the database beforehand (the capacity tests' register
of three municipalities); everything after that goes through the pages. The coordinator is
a user of this test alone: a TOTP code is accepted once per 30 seconds per user.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.capacity.allocation import week_start_of
from portal.capacity.models import Booking, CapacityWeek, Cluster
from portal.capacity.workorder import COLUMNS
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from tests.accounts.conftest import make_user
from tests.capacity.conftest import (
    EEMSDELTA,
    accept,
    assert_ledger_consistent,
    capacity_register,  # noqa: F401  a fixture
    number,
)
from tests.e2e.conftest import assert_accessible
from tests.e2e.staff import log_in
from tests.e2e.test_resident_form import dutch

# A live server answers from its own threads: its sessions commit for real.
pytestmark = [pytest.mark.browser, pytest.mark.committing]

CAPACITY_PAGE = "/medewerkers/capaciteit/"
CLUSTERS_PAGE = "/medewerkers/clusters/"
# Three accepted requests, two free places a week (capacity 3, one reserved for risk
# work): planning must fill this week and put the third request in the next one.
HOMES = (1, 2, 3)
CAPACITY, RESERVED, WEEKS = 3, 1, 2


@pytest.mark.usefixtures("capacity_register")
def test_coordinator_enters_capacity_plans_forms_a_cluster_and_downloads_its_work_order(
        page, app, session):
    with app.app_context():
        accepted = [accept(session, EEMSDELTA, home, email=None if home == 1 else
                           "bewoner@example.nl") for home in HOMES]
    addresses = [f"Hoofdstraat {number(EEMSDELTA, home)}" for home in HOMES]
    this_week = week_start_of(date.today())
    coordinator = make_user(app, "coordinator", name="Corrie Coördinator")

    log_in(page, app, coordinator)
    page.goto(CAPACITY_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text(dutch(app, "Capacity"))
    assert_accessible(page)

    save = page.get_by_role("button", name=dutch(app, "Save the weeks"))
    weeks_form = page.locator("form", has=save)
    weeks_form.get_by_label(dutch(app, "Municipality"), exact=True).select_option(EEMSDELTA)
    weeks_form.get_by_label(dutch(app, "Kind of work"), exact=True).select_option("inspection")
    weeks_form.get_by_label(dutch(app, "From the week of"), exact=True).fill(
        this_week.isoformat())
    weeks_form.get_by_label(dutch(app, "Number of weeks"), exact=True).fill(str(WEEKS))
    weeks_form.get_by_label(dutch(app, "Capacity per week"), exact=True).fill(str(CAPACITY))
    weeks_form.get_by_label(dutch(app, "Reserved for risk work per week"), exact=True).fill(
        str(RESERVED))
    save.click()
    expect(page.get_by_text(dutch(app, "The ledger is saved for %(count)d weeks.",
                                  count=WEEKS))).to_be_visible()
    ledger = page.get_by_role("table")
    first_row = ledger.get_by_role("row").nth(1)
    expect(first_row.get_by_role("cell")).to_have_text([str(CAPACITY), str(RESERVED), "0",
                                                        str(CAPACITY - RESERVED)])
    assert_accessible(page)

    page.get_by_role("button", name=dutch(app, "Plan accepted requests")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch(app, "Accepted requests planned"))
    planned = page.locator(".opnameloket-summary__row", has_text=dutch(app, "Newly planned"))
    expect(planned.locator("dd")).to_have_text(str(len(HOMES)))
    assert_accessible(page)

    page.goto(CLUSTERS_PAGE)
    waiting = page.get_by_role("table", name=dutch(app, "Booked homes waiting for a cluster, "
                                                      "per place"))
    expect(waiting.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Meedhuizen", EEMSDELTA, dutch(app, "Inspection"), str(len(HOMES))])
    assert_accessible(page)

    page.get_by_role("button", name=dutch(app, "Form clusters")).click()
    expect(page.get_by_text(dutch(app, "%(count)d clusters formed or filled.", count=1))
           ).to_be_visible()
    expect(page.get_by_text(dutch(app, "Every booked home is in a cluster."))).to_be_visible()
    assert_accessible(page)

    session.rollback()
    session.expire_all()
    cluster = session.scalar(select(Cluster))
    cluster_name = dutch(app, "Cluster %(number)d", number=cluster.id)
    page.get_by_role("link", name=cluster_name, exact=True).click()
    page.wait_for_url(f"**/medewerkers/clusters/{cluster.id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(cluster_name)
    homes = page.get_by_role("table", name=dutch(app, "Homes in this cluster"))
    for address in addresses:
        expect(homes.get_by_role("cell", name=f"{address}, 9937AB", exact=True)).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as arrived:
        page.get_by_role("link", name=dutch(
            app, "Download the work order (CSV, for the inspection organisation)")).click()
    download = arrived.value
    assert download.suggested_filename == f"werkopdracht-{cluster.id}-meedhuizen.csv"
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(COLUMNS)
    work = {row[1]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert sorted(work) == sorted(addresses)
    assert {work[a]["verzoek"] for a in addresses} == {
        format_reference(r.reference) for r in accepted}
    assert {(w["postcode"], w["woonplaats"], w["soort"]) for w in work.values()} == {
        ("9937AB", "Meedhuizen", "opname")}
    # Only the resident who gave no email gave a phone number; it travels the Dutch way,
    # as text (a leading + would make a spreadsheet run the cell as a formula).
    assert accepted[0].phone == "+31612345678"
    assert [(a, w["telefoon"]) for a, w in work.items() if w["telefoon"]] == [
        (addresses[0], "06 12345678")]

    session.rollback()
    session.expire_all()
    bookings = {b.request_id: b for b in session.scalars(select(Booking))}
    assert sorted(bookings) == sorted(r.id for r in accepted)
    assert {b.cluster_id for b in bookings.values()} == {cluster.id}
    assert {r.status for r in session.scalars(select(InspectionRequest).where(
        InspectionRequest.id.in_([r.id for r in accepted])))} == {"scheduled"}
    ledger_rows = session.scalars(select(CapacityWeek).order_by(CapacityWeek.week_start)).all()
    assert [(r.gemeentecode, r.capacity, r.reserved, r.booked) for r in ledger_rows] == [
        (EEMSDELTA, CAPACITY, RESERVED, 2), (EEMSDELTA, CAPACITY, RESERVED, 1)]
    assert ledger_rows[0].week_start == this_week
    assert all(r.booked + r.reserved <= r.capacity for r in ledger_rows)
    assert_ledger_consistent(session)
