"""Staff pages in the staff's language, in a real browser: the wide queue with its waiting
time and labelled checkboxes, and the request pages' history in words, all axe clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.requests.reference import format_reference
from tests.accounts.conftest import make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.staff import log_in
from tests.e2e.test_resident_form import dutch
from tests.e2e.test_staff import filed_request
from tests.intake.conftest import IN_P50, NEVER_INSPECTED

pytestmark = [pytest.mark.browser, pytest.mark.committing]

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def log_in_as(page: Page, app, role: str, name: str) -> None:
    log_in(page, app, make_user(app, role, name=name))


def test_the_queue_uses_the_width_and_names_each_checkbox(page, app, session, register):
    p50 = filed_request(app, session, IN_P50[1])
    other = filed_request(app, session, NEVER_INSPECTED[1])
    page.set_viewport_size({"width": 1600, "height": 900})
    log_in_as(page, app, "officer", "Olga Officer")

    page.goto("/medewerkers/triage/")
    reference = format_reference(p50.reference)
    box = page.get_by_label(dutch(app, "Select %(reference)s", reference=reference),
                            exact=True)
    expect(box).to_be_visible()
    box.check()
    expect(box).to_be_checked()
    table = page.locator("table.opnameloket-table")
    assert table.bounding_box()["width"] > 1100
    link = page.get_by_role("link", name=format_reference(other.reference), exact=True)
    assert link.bounding_box()["height"] < 40  # one line: the reference does not wrap
    expect(page.get_by_role("columnheader", name=dutch(app, "Waiting time"))).to_be_visible()
    assert_accessible(page)

    page.goto(f"/medewerkers/triage/aanvraag/{other.id}")
    history = page.locator("ol.opnameloket-timeline").last
    expect(history).to_contain_text(dutch(app, "Request sent in through the website"))
    assert not ISO_DAY.search(history.inner_text())
    assert "not_known" not in history.inner_text()
    assert_accessible(page)


def test_the_desk_request_page_tells_the_history_in_words(page, app, session, register):
    req = filed_request(app, session, NEVER_INSPECTED[1])
    log_in_as(page, app, "agent", "Aaltje Agent")

    page.goto(f"/medewerkers/balie/aanvraag/{req.id}")
    history = page.locator("ol.opnameloket-timeline")
    expect(history).to_contain_text(dutch(app, "Request sent in through the website"))
    assert "submitted (web)" not in history.inner_text()
    expect(page.get_by_label(dutch(app, "Caller's name"), exact=True)).to_be_visible()
    assert_accessible(page)
