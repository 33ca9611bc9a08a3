"""From the form to a decision, and the letter from /status, in a real browser.

The resident uses only the keyboard; every page the resident sees passes axe-core. The
officer's clicks are covered by test_staff; here they only move the request along.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from portal.letters.models import Letter
from portal.requests.models import InspectionRequest, RequestAnswer
from tests.accounts.conftest import make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.staff import log_in
from tests.e2e.test_resident_form import (
    HOMES,
    REFERENCE,
    choose,
    dutch,
    press_button,
    tab_to,
    tick,
    type_into,
    walk_to_contact,
)

# A live server answers from its own threads: its sessions commit for real.
pytestmark = [pytest.mark.browser, pytest.mark.committing]

QUESTION = "Stuur ons een foto van de scheur boven de deur."


def send_request_by_keyboard(page: Page, app) -> str:
    """Fill in the form for Hoofdstraat 10 by keyboard; return the reference shown."""
    home = HOMES["inspection"]
    walk_to_contact(page, app, home)
    type_into(page, "contact_name", "Anne de Vries")
    type_into(page, "email", "anne@example.nl")
    choose(page, "language", "nl")
    choose(page, "letters_by_post", "no")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/controleren")
    tick(page, page.locator("#consent"))
    press_button(page, dutch(app, "Send request"), "**/aanvraag/bevestiging")
    shown = page.locator(".opnameloket-reference")
    expect(shown).to_have_text(REFERENCE)
    return shown.inner_text().strip()


def officer_decides(page: Page, app, request_id: int, decision: str, label: str,
                    text: str = "") -> None:
    """The officer (logged in) takes a decision on the request's page."""
    page.goto(f"/medewerkers/triage/aanvraag/{request_id}")
    page.get_by_role("radio", name=dutch(app, label)).check()
    page.get_by_label(dutch(app, "Reason"), exact=True).select_option(
        "information_missing" if decision == "ask_information" else "rules_apply")
    page.locator("[name='reason_text']").fill(text)
    page.get_by_role("button", name=dutch(app, "Save decision and send the letter")).click()
    expect(page.get_by_text(dutch(app, "Decision saved; the letter is on its way."))
           ).to_be_visible()


def log_in_officer(page: Page, app) -> None:
    log_in(page, app, make_user(app, "officer", name="Olga Officer"))


def open_status_by_keyboard(page: Page, app, reference: str) -> None:
    page.goto("/status")
    assert_accessible(page)
    type_into(page, "reference", reference)
    type_into(page, "postcode", "9937 AB")
    type_into(page, "huisnummer", "10")
    press_button(page, dutch(app, "Check"), "**/status/aanvraag")
    assert_accessible(page)


def test_resident_answers_the_question_and_downloads_the_decision_letter(
        page, app, session, register, tmp_path: Path):
    reference = send_request_by_keyboard(page, app)
    session.rollback()
    req = session.scalar(select(InspectionRequest))

    log_in_officer(page, app)
    officer_decides(page, app, req.id, "ask_information", "Ask for information", QUESTION)

    open_status_by_keyboard(page, app, reference)
    expect(page.get_by_text(QUESTION, exact=True)).to_be_visible()
    type_into(page, "text", "De foto stuur ik mee.")
    photo = tmp_path / "scheur.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    page.locator("[name='upload']").set_input_files(str(photo))
    press_button(page, dutch(app, "Send my answer"), "**/status/aanvraag?melding=beantwoord")
    expect(page.get_by_text(dutch(app, "Thank you. We received your answer."))).to_be_visible()
    assert_accessible(page)
    session.rollback()
    assert session.get(InspectionRequest, req.id).status == "received"
    assert session.scalar(select(RequestAnswer.file_name)) == "scheur.png"

    officer_decides(page, app, req.id, "accept_inspection", "Accept for inspection")

    open_status_by_keyboard(page, app, reference)
    outcome = dutch(app, "Your home will be inspected")
    link = page.get_by_role("link", name=dutch(app, "Decision: %(outcome)s", outcome=outcome))
    tab_to(page, link)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    pdf = Path(download_info.value.path()).read_bytes()

    session.rollback()
    stored = session.scalars(select(Letter).where(Letter.kind == "decision")
                             .order_by(Letter.id.desc())).first()
    assert pdf == stored.pdf
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert reference in text
