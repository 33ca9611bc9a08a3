"""Staff pages in the staff's language: no code and no ISO day on the request page through
its life, and a queue with a waiting time and labelled checkboxes."""

from __future__ import annotations

import re
from datetime import date, timedelta

from portal.actors import Actor
from portal.capacity import planning
from portal.capacity.allocation import week_start_of
from portal.capacity.models import CapacityWeek
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from tests.accounts.conftest import login_as
from tests.triage.conftest import IN_P50, NEVER_INSPECTED, file_request_in_app
from tests.triage.test_views import TRIAGE, decide, received_hours_ago, text
from tests.web.html import visible_text

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# What a stored history row or a column may hold that staff should never read.
CODES = ("submitted (", "rules 2026", "not_known", "accept_inspection", "rules_apply",
         "in_programme", "planned in the week of 20", "accepted_inspection")
PLANNER = Actor(kind="staff", id="planner", label="Coördinator Bakker")


def history(page: str) -> str:
    """The text of the page's history list (its last timeline)."""
    return page.rpartition("Geschiedenis")[2] or page.rpartition("History")[2]


def assert_in_words(page: str) -> None:
    """Nowhere on the page (history, summary, letters) a code or an ISO day."""
    shown = page
    assert history(page), "the page has a history"
    assert not ISO_DAY.search(shown), ISO_DAY.search(shown)
    for code in CODES:
        assert code not in shown, code


def test_the_request_page_shows_no_code_or_iso_day_through_the_requests_life(
        app, client, session, triage_register):
    login_as(client, "officer")
    client.set_cookie("taal", "nl")
    req = file_request_in_app(app, session, NEVER_INSPECTED)
    detail = f"{TRIAGE}/aanvraag/{req.id}"

    received = text(client.get(detail))
    assert_in_words(received)

    assert decide(client, req, "accept_inspection").status_code == 303
    decided = text(client.get(detail))
    assert_in_words(decided)

    session.expire_all()
    stored = session.get(InspectionRequest, req.id)
    monday = week_start_of(date.today()) + timedelta(weeks=1)
    session.add(CapacityWeek(week_start=monday, gemeentecode=stored.gemeentecode,
                             kind="inspection", capacity=2, reserved=0, booked=0))
    session.commit()
    with app.app_context():
        planning.book(session, stored, actor=PLANNER)
        session.commit()
    planned = text(client.get(detail))
    assert_in_words(planned)
    assert monday.isoformat() not in planned


def test_the_request_page_in_english_says_what_happened_in_words(app, client, session,
                                                                  triage_register):
    login_as(client, "officer")
    client.set_cookie("taal", "en")
    req = file_request_in_app(app, session, NEVER_INSPECTED)
    decide(client, req, "accept_inspection")

    shown = history(text(client.get(f"{TRIAGE}/aanvraag/{req.id}")))

    assert "Request sent in through the website" in shown
    assert ("Checked against the rules (version 2026.1): Inspection. The address was never "
            "inspected and is not in the programme.") in shown
    assert ("New status: Accepted for inspection. Decision: Accept for inspection. Reason: "
            "As the rules suggest") in shown


def test_the_queue_shows_how_long_each_request_waits(app, client, session, triage_register):
    login_as(client, "officer")
    client.set_cookie("taal", "en")
    old = file_request_in_app(app, session, NEVER_INSPECTED)
    new = file_request_in_app(app, session, IN_P50)
    received_hours_ago(session, old, 3 * 24 + 2)
    received_hours_ago(session, new, 1)

    page = client.get(f"{TRIAGE}/")
    shown = text(page)

    assert "Waiting time" in shown
    row_of = {format_reference(r.reference): r for r in (old, new)}
    body = page.text.partition("<tbody>")[2]
    rows = {ref: row for row in re.split(r"<tr\b", body)[1:]
            for ref in row_of if ref in row}
    assert "3 days" in text_of(rows[format_reference(old.reference)])
    assert "less than a day" in text_of(rows[format_reference(new.reference)])
    assert 'class="opnameloket-nowrap"><a' in page.text


def test_each_bulk_checkbox_has_a_label_naming_its_request(app, client, session,
                                                           triage_register):
    login_as(client, "officer")
    client.set_cookie("taal", "en")
    p50 = file_request_in_app(app, session, IN_P50)

    page = client.get(f"{TRIAGE}/").text

    box = f'id="select-{p50.id}"'
    assert box in page
    label = re.search(rf'<label[^>]*for="select-{p50.id}"[^>]*>([^<]*)</label>', page)
    assert label is not None
    assert label[1] == f"Select {format_reference(p50.reference)}"


def text_of(fragment: str) -> str:
    return visible_text(fragment.replace("<", " <"))
