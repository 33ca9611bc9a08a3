"""The pages this work added pass axe-core: the post queue and the outside-the-area answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.actors import Actor
from portal.triage.decisions import decide
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_resident_form import (
    choose,
    dutch,
    press_button,
    start_at_the_danger_question,
    type_into,
)
from tests.e2e.test_staff_words import log_in_as
from tests.factories import file_request
from tests.intake.conftest import NEVER_INSPECTED

pytestmark = [pytest.mark.browser, pytest.mark.committing]

OFFICER = Actor.staff(1, "Olga Officer")


def test_the_post_queue_with_a_letter_waiting_passes_axe(page, app, session, register):
    with app.app_context():
        req = file_request(session, NEVER_INSPECTED[1], email=None)
        decide(session, req, "decline", actor=OFFICER, reason_code="other",
               reason_text="Dubbele aanvraag")
        session.commit()
    log_in_as(page, app, "officer", "Olga Officer")

    page.goto("/medewerkers/post/")

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("table")).to_have_count(1)
    assert_accessible(page)


def test_an_address_outside_the_province_is_answered_on_an_accessible_page(page, app):
    start_at_the_danger_question(page, app)
    choose(page, "acute_danger", "no")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/adres")
    type_into(page, "postcode", "1012 AB")
    type_into(page, "huisnummer", "1")

    press_button(page, dutch(app, "Continue"), "**/aanvraag/buiten-gebied")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch(app, "This address lies outside our area"))
    expect(page.locator(".opnameloket-emergency-line a[href^='tel:']")).to_be_visible()
    assert_accessible(page)


