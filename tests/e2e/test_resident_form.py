"""A resident fills in the request form in a real browser, by keyboard only, checked by axe-core.

Every step uses the keys a keyboard user has: Tab to move, typing, Space and the arrow keys
to choose, Enter to follow a link or press a button. Texts are looked up in the Dutch
catalogue, so the tests follow the translations instead of copying them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import select

from portal.intake.templating import format_day
from portal.requests.models import InspectionRequest
from tests.e2e.conftest import assert_accessible
from tests.factories import address_id
from tests.intake.conftest import IN_P50, INSPECTED_BEFORE, NEVER_INSPECTED

# A live server answers from its own threads: its sessions commit for real.
pytestmark = [pytest.mark.browser, pytest.mark.committing]

# More presses than any page here has stops; a page that needs more is itself a finding.
MAX_TABS = 60
_SYMBOL = "[0-9A-HJKMNP-TV-Z]"  # Crockford base32, as portal.intake.reference writes it
REFERENCE = re.compile(rf"^OV-{_SYMBOL}{{4}}-{_SYMBOL}{{4}}-{_SYMBOL}{{4}}$")


@dataclass(frozen=True)
class Home:
    """An address from the register fixture and what the form should make of it."""

    postcode: str
    number: int
    register_says: str
    button: str
    request_type: str
    says_variables: dict = field(default_factory=dict)


HOMES = {
    "inspection": Home(*NEVER_INSPECTED, register_says=(
        "This home has not been inspected yet and is not in the programme. "
        "You can ask for an inspection."), button="Continue", request_type="inspection"),
    "reassessment": Home(*INSPECTED_BEFORE, register_says=(
        "This home was inspected before, on %(date)s. You can ask for a reassessment: "
        "a new assessment of the home."), says_variables={"date": date(2017, 11, 21)},
        button="Continue", request_type="reassessment"),
    "already-in-programme": Home(*IN_P50, register_says=(
        "This home is already in the reinforcement programme"), button="Leave a question",
        request_type="question"),
}


def dutch(app, message: str, **variables) -> str:
    """A message as the Dutch pages show it; dates are written the Dutch way too."""
    with app.test_request_context(), force_locale("nl"):
        values = {key: format_day(value) if isinstance(value, date) else value
                  for key, value in variables.items()}
        return gettext(message, **values)


def has_focus(target: Locator) -> bool:
    """Whether target is the element with the keyboard focus."""
    return target.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until target has the keyboard focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if has_focus(target):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab on {page.url} never reached {target}")


def type_into(page: Page, name: str, text: str) -> None:
    """Tab to the field called name and type text into it."""
    tab_to(page, page.locator(f"[name='{name}']"))
    page.keyboard.type(text)


def choose(page: Page, name: str, value: str) -> None:
    """Tab into a radio group, move to the option with the arrow keys, and select it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("name => document.activeElement.name === name", name):
            break
    else:
        raise AssertionError(f"Tab on {page.url} never reached the radio group {name!r}")
    for _ in range(page.locator(f"input[name='{name}']").count()):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(page.locator(f"input[name='{name}'][value='{value}']")).to_be_checked()


def tick(page: Page, box: Locator) -> None:
    """Tab to a checkbox and tick it with Space."""
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def press_button(page: Page, name: str, then: str) -> None:
    """Tab to the button called name, press Enter, and wait for the page at URL pattern then."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    page.keyboard.press("Enter")
    try:
        page.wait_for_url(then)
    except PlaywrightTimeoutError:
        raise AssertionError(f"After {name!r} the browser shows {page.url} "
                             f"({page.title()!r}), not {then}") from None


def assert_form_page(page: Page) -> None:
    """A page of the public form: axe clean, and the emergency number on it."""
    expect(page.locator(".opnameloket-emergency-line a[href^='tel:']")).to_be_visible()
    assert_accessible(page)


def start_at_the_danger_question(page: Page, app) -> None:
    """From the start page to the form's first question: is there acute danger now?"""
    page.goto("/")
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name=dutch(app, "Start your request")))
    page.keyboard.press("Enter")
    page.wait_for_url("**/aanvraag/gevaar")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch(app, "Is there acute danger now?"))
    expect(page.locator("input[name='acute_danger']:checked")).to_have_count(0)
    assert_form_page(page)


def walk_to_contact(page: Page, app, home: Home) -> None:
    """From the start page, no acute danger, to the contact page; every page checked."""
    start_at_the_danger_question(page, app)
    choose(page, "acute_danger", "no")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/adres")
    assert_form_page(page)

    type_into(page, "postcode", home.postcode)
    type_into(page, "huisnummer", str(home.number))
    press_button(page, dutch(app, "Continue"), "**/aanvraag/adres-kiezen")
    assert_form_page(page)

    choose(page, "address", address_id(home.number))
    press_button(page, dutch(app, "Continue"), "**/aanvraag/register")
    expect(page.get_by_text(dutch(app, home.register_says, **home.says_variables),
                            exact=True)).to_be_visible()
    assert_form_page(page)

    press_button(page, dutch(app, home.button), "**/aanvraag/gebouw")
    assert_form_page(page)
    choose(page, "building_kind", "home")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/relatie")
    assert_form_page(page)
    choose(page, "relation", "owner_occupier")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/reden")
    assert_form_page(page)

    tick(page, page.locator("input[name='signs'][value='new_cracks']"))
    tick(page, page.locator("input[name='signs'][value='jamming']"))
    type_into(page, "explanation", "Scheur boven de deur")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/contact")
    assert_form_page(page)


def stored_requests(session) -> list[tuple]:
    """Reference, request type and acute danger of every request in the database."""
    session.rollback()
    return session.execute(select(
        InspectionRequest.reference, InspectionRequest.request_type,
        InspectionRequest.acute_danger).order_by(InspectionRequest.id)).all()


@pytest.mark.parametrize("home", HOMES.values(), ids=HOMES.keys())
def test_resident_completes_the_form_by_keyboard_and_every_page_passes_axe(
        page, app, session, register, home):
    walk_to_contact(page, app, home)

    type_into(page, "contact_name", "Anne de Vries")
    type_into(page, "email", "anne@example.nl")
    choose(page, "language", "nl")
    choose(page, "letters_by_post", "no")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/controleren")
    assert_form_page(page)

    tick(page, page.locator("#consent"))
    press_button(page, dutch(app, "Send request"), "**/aanvraag/bevestiging")
    assert_form_page(page)

    shown = page.locator(".opnameloket-reference")
    expect(shown).to_have_text(REFERENCE)
    reference = shown.inner_text().strip().removeprefix("OV-").replace("-", "")
    assert [tuple(row) for row in stored_requests(session)] == [
        (reference, home.request_type, False)]


def test_empty_address_shows_an_error_summary_that_takes_focus_and_links_to_each_field(
        page, app):
    page.goto("/aanvraag/gevaar")
    choose(page, "acute_danger", "no")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/adres")

    press_button(page, dutch(app, "Continue"), "**/aanvraag/adres")

    summary = page.get_by_role("alert", name=dutch(app, "There is a problem"))
    expect(summary).to_be_focused()
    assert has_focus(summary)
    links = summary.get_by_role("link")
    expect(links).to_have_text([dutch(app, "Enter the postcode of the home"),
                                dutch(app, "Enter the house number")])
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "#postcode", "#huisnummer"]
    expect(page.locator("#postcode")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#postcode")).to_be_focused()


def test_acute_danger_shows_the_emergency_number_at_once_and_takes_a_call_back(
        page, app, session, register):
    start_at_the_danger_question(page, app)

    choose(page, "acute_danger", "yes")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/gevaar/terugbellen")

    number = app.config["EMERGENCY_NUMBER"]
    emergency = page.get_by_role("alert").get_by_role(
        "link", name=dutch(app, "Call %(number)s", number=number))
    expect(emergency).to_be_in_viewport()
    expect(emergency).to_have_attribute("href", "tel:" + re.sub(r"[^\d+]", "", number))
    assert_accessible(page)

    type_into(page, "contact_name", "Anne de Vries")
    type_into(page, "phone", "06 12345678")
    press_button(page, dutch(app, "Call me back"), "**/aanvraag/gevaar/ontvangen")
    assert_form_page(page)
    assert [row.acute_danger for row in stored_requests(session)] == [True]
    session.rollback()
    urgent = session.scalar(select(InspectionRequest))
    assert (urgent.status, urgent.phone, urgent.straat) == ("urgent", "+31612345678", "")


@pytest.mark.parametrize("path", ["/status", "/toegankelijkheid", "/privacy"])
def test_information_pages_pass_axe(page, path):
    response = page.goto(path)

    assert response.status == 200
    assert_accessible(page)
