"""Staff in a real browser: an agent at the desk by keyboard only, an officer deciding a request.

Every login uses a user of its own: a TOTP code is accepted once per 30 seconds per user,
so two logins of one user within a window would meet the replay protection.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.letters.models import Letter
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.triage.models import Decision
from tests.accounts.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_resident_form import (
    REFERENCE,
    choose,
    dutch,
    press_button,
    tab_to,
    tick,
    type_into,
)
from tests.factories import address_id
from tests.intake.conftest import INSPECTED_BEFORE, NEVER_INSPECTED
from tests.triage.conftest import file_request

# A live server answers from its own threads: its sessions commit for real.
pytestmark = [pytest.mark.browser, pytest.mark.committing]

ADDRESS_PAGE = re.compile(r"/medewerkers/balie/adres\?")


def filed_request(app, session, number: int) -> InspectionRequest:
    """File a resident's request for Hoofdstraat <number> through the intake code path."""
    with app.app_context():
        return file_request(session, number)


def log_in_by_keyboard(page: Page, app, user) -> None:
    """Log in with email and password, then the current TOTP code, by keyboard only."""
    page.goto("/medewerkers/inloggen")
    assert_accessible(page)
    type_into(page, "email", user.email)
    type_into(page, "password", PASSWORD)
    press_button(page, dutch(app, "Continue"), "**/medewerkers/code")
    assert_accessible(page)
    type_into(page, "code", pyotp.TOTP(user.totp_secret).now())
    press_button(page, dutch(app, "Log in"), "**/medewerkers/")
    assert_accessible(page)


def follow_link(page: Page, name: str, then: str) -> None:
    """Tab to the link called name, press Enter, and wait for the page at URL pattern then."""
    tab_to(page, page.get_by_role("link", name=name, exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(then)


def look_up(page: Page, app, postcode: str, number: int) -> None:
    """Type postcode and number on the desk's first page and look the address up."""
    type_into(page, "postcode", postcode)
    type_into(page, "huisnummer", str(number))
    press_button(page, dutch(app, "Look up"), ADDRESS_PAGE)


def stored(session, reference: str) -> InspectionRequest | None:
    """The request with this reference as the portal committed it."""
    session.rollback()
    return session.scalar(select(InspectionRequest).where(
        InspectionRequest.reference == reference))


def test_agent_finds_an_open_request_and_enters_a_new_one_by_keyboard(page, app, session,
                                                                      register):
    open_request = filed_request(app, session, NEVER_INSPECTED[1])
    agent = make_user(app, "agent", name="Aaltje Agent")

    log_in_by_keyboard(page, app, agent)
    follow_link(page, dutch(app, "Call centre: find an address or a request"),
                "**/medewerkers/balie/")
    assert_accessible(page)

    look_up(page, app, *NEVER_INSPECTED)
    listed = page.get_by_role("table", name=dutch(app, "Requests for this address"))
    expect(listed.get_by_role("link", name=format_reference(open_request.reference),
                              exact=True)).to_be_visible()
    assert_accessible(page)

    follow_link(page, dutch(app, "Other address"), "**/medewerkers/balie/")
    look_up(page, app, *INSPECTED_BEFORE)
    assert_accessible(page)
    choose(page, "acute_danger", "no")
    choose(page, "building_kind", "home")
    choose(page, "relation", "owner_occupier")
    tick(page, page.locator("input[name='signs'][value='new_cracks']"))
    type_into(page, "explanation", "Scheur in de gevel")
    type_into(page, "contact_name", "Jan Beller")
    type_into(page, "phone", "06 12345678")
    choose(page, "language", "nl")
    choose(page, "letters_by_post", "yes")
    tick(page, page.locator("input[name='identity_checked']"))
    press_button(page, dutch(app, "Enter request"), "**/ingevoerd")
    assert_accessible(page)

    shown = page.locator("#reference")
    expect(shown).to_have_text(REFERENCE)
    entered = stored(session, shown.inner_text().strip().removeprefix("OV-").replace("-", ""))
    assert (entered.channel, entered.nummeraanduiding_id, entered.entered_by_label,
            entered.identity_checked, entered.phone) == (
        "phone", address_id(INSPECTED_BEFORE[1]), "Aaltje Agent", True, "+31612345678")


def test_officer_takes_the_next_request_and_overrides_the_route_with_a_reason(page, app,
                                                                              session, register):
    req = filed_request(app, session, INSPECTED_BEFORE[1])
    officer = make_user(app, "officer", name="Olga Officer")

    page.goto("/medewerkers/inloggen")
    page.locator("[name='email']").fill(officer.email)
    page.locator("[name='password']").fill(PASSWORD)
    page.get_by_role("button", name=dutch(app, "Continue")).click()
    page.locator("[name='code']").fill(pyotp.TOTP(officer.totp_secret).now())
    page.get_by_role("button", name=dutch(app, "Log in")).click()
    page.get_by_role("link", name=dutch(app, "Triage: requests waiting for a decision")).click()
    page.wait_for_url("**/medewerkers/triage/")
    expect(page.get_by_role("link", name=format_reference(req.reference))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name=dutch(app, "Take next request")).click()
    page.wait_for_url(f"**/medewerkers/triage/aanvraag/{req.id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        format_reference(req.reference))
    assert_accessible(page)

    page.get_by_role("radio", name=dutch(app, "Accept for inspection")).check()
    page.get_by_label(dutch(app, "Reason"), exact=True).select_option("feels_unsafe")
    page.get_by_role("button", name=dutch(app, "Save decision and send the letter")).click()
    summary = page.get_by_role("alert", name=dutch(app, "There is a problem"))
    expect(summary).to_contain_text(dutch(app, "Write why you deviate from the suggested route"))
    assert_accessible(page)

    page.locator("[name='reason_text']").fill("Nieuwe scheuren sinds de beving van 2019")
    page.get_by_role("button", name=dutch(app, "Save decision and send the letter")).click()
    expect(page.get_by_text(dutch(app, "Decision saved; the letter is on its way."))
           ).to_be_visible()
    assert_accessible(page)

    session.rollback()
    decision = session.scalar(select(Decision).where(Decision.request_id == req.id))
    assert (decision.decision, decision.suggested_route, decision.deviates,
            decision.reason_code, decision.reason_text, decision.decided_by_label) == (
        "accept_inspection", "reassessment", True, "feels_unsafe",
        "Nieuwe scheuren sinds de beving van 2019", "Olga Officer")
    letter = session.get(Letter, decision.letter_id)
    assert (letter.kind, letter.subject_reference) == ("decision", format_reference(req.reference))
    assert stored(session, req.reference).status == "accepted_inspection"
