"""A required question looks wrong only after the server found it unanswered, never before.

The NL Design System styles a radio button, a checkbox and a text area that match the
browser's :invalid with the error border. An unanswered `required` input matches :invalid
from the moment the page loads, so the form does not write `required`; the server marks an
unanswered question with aria-invalid="true" after a submit.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page

from tests.e2e.test_resident_form import dutch
from tests.intake.conftest import NEVER_INSPECTED
from tests.intake.walk import walk_to_check

pytestmark = [pytest.mark.browser, pytest.mark.committing]

# The border of the input, and the border of a copy of it that can never be invalid: the
# copy has no `required`, no aria-invalid, no --invalid class and a group of its own.
_BORDERS = """input => {
    const normal = input.cloneNode();
    normal.removeAttribute("required");
    normal.removeAttribute("aria-invalid");
    normal.className = normal.className.replace(/\\S*--invalid/g, "");
    normal.name = "normal-copy";
    normal.id = "";
    input.parentNode.appendChild(normal);
    const borders = [getComputedStyle(input).borderTopColor,
                     getComputedStyle(normal).borderTopColor];
    normal.remove();
    return borders;
}"""


def borders(locator: Locator) -> tuple[str, str]:
    """The input's border colour and the normal one, as the browser computes them."""
    shown, normal = locator.evaluate(_BORDERS)
    return shown, normal


def submit(page: Page, app, url_glob: str) -> None:
    with page.expect_navigation(url=url_glob):
        page.get_by_role("button", name=dutch(app, "Continue")).click()


def test_required_radios_look_normal_until_submitted_unanswered(page, app):
    page.goto("/aanvraag/gevaar")
    radio = page.locator("input[name=acute_danger]").first

    fresh, normal = borders(radio)
    submit(page, app, "**/aanvraag/gevaar")
    after_error, _ = borders(page.locator("input[name=acute_danger]").first)

    assert fresh == normal
    assert after_error != normal


def test_the_consent_box_looks_normal_until_sent_without_it(page, app, live_server, register):
    client = app.test_client()
    walk_to_check(client, *NEVER_INSPECTED)
    page.context.add_cookies([{"name": "session", "value": client.get_cookie("session").value,
                               "url": live_server}])
    page.goto("/aanvraag/controleren")
    consent = page.locator("#consent")

    fresh, normal = borders(consent)
    with page.expect_navigation(url="**/aanvraag/controleren"):
        page.get_by_role("button", name=dutch(app, "Send request")).click()
    after_error, _ = borders(page.locator("#consent"))

    assert fresh == normal
    assert after_error != normal
