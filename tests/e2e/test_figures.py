"""The public figures pages pass axe-core and can be read by keyboard."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from portal.requests.models import InspectionRequest, RequestEvent
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff_words import log_in_as
from tests.factories import address_row, file_request, import_rows

pytestmark = [pytest.mark.browser, pytest.mark.committing]


@pytest.fixture
def requests_long_ago(app, session, tmp_path):
    with app.app_context():
        import_rows(session, tmp_path, [address_row(n) for n in range(1, 15)])
        for n in range(1, 15):
            file_request(session, n)
        session.execute(update(InspectionRequest).values(created_at=datetime(2026, 1, 5)))
        session.execute(update(RequestEvent).values(at=datetime(2026, 1, 5)))
        session.commit()


def test_the_figures_and_a_village_page_pass_axe(page, requests_long_ago):
    page.goto("/cijfers")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Meedhuizen").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/cijfers/meedhuizen")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meedhuizen")
    assert_accessible(page)


def test_the_staff_figures_pass_axe(page, app, requests_long_ago):
    log_in_as(page, app, "coordinator", "Cor Coordinator")
    page.goto("/medewerkers/cijfers/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
