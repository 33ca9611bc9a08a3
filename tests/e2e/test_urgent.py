"""Acute danger in a real browser, by keyboard only and axe clean: the desk asks it first,
and an officer calls an urgent request back from its page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale, ngettext
from playwright.sync_api import expect
from sqlalchemy import select, update

from portal.clock import utcnow
from portal.letters.models import Letter
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.triage.models import Decision
from tests.accounts.conftest import make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_resident_form import REFERENCE, choose, dutch, press_button, type_into
from tests.e2e.test_staff import follow_link, log_in_by_keyboard, look_up, stored
from tests.intake.conftest import NEVER_INSPECTED
from tests.triage.conftest import file_request

# A live server answers from its own threads: its sessions commit for real.
pytestmark = [pytest.mark.browser, pytest.mark.committing]


def test_the_desk_asks_about_danger_first_and_yes_needs_only_name_and_phone(page, app,
                                                                            session, register):
    agent = make_user(app, "agent", name="Aaltje Agent")
    log_in_by_keyboard(page, app, agent)
    follow_link(page, dutch(app, "Call centre: find an address or a request"),
                "**/medewerkers/balie/")
    look_up(page, app, *NEVER_INSPECTED)
    assert_accessible(page)

    form = page.locator("form[action$='/medewerkers/balie/aanvraag']")
    assert form.locator("input[type='radio']").first.get_attribute("name") == "acute_danger"
    expect(form.locator("input[name='acute_danger']:checked")).to_have_count(0)

    choose(page, "acute_danger", "yes")
    type_into(page, "contact_name", "Jan Beller")
    type_into(page, "phone", "06 12345678")
    press_button(page, dutch(app, "Enter request"), "**/ingevoerd")
    assert_accessible(page)

    shown = page.locator("#reference")
    expect(shown).to_have_text(REFERENCE)
    entered = stored(session, shown.inner_text().strip().removeprefix("OV-").replace("-", ""))
    assert (entered.status, entered.priority, entered.building_kind, entered.phone) == (
        "urgent", 0, "", "+31612345678")


def test_an_officer_calls_back_an_overdue_urgent_request_and_refers_it(page, app, session,
                                                                       register):
    with app.app_context():
        req = file_request(session, NEVER_INSPECTED[1], acute=True, email=None)
    session.execute(update(InspectionRequest).where(InspectionRequest.id == req.id)
                    .values(created_at=utcnow() - timedelta(hours=26)))
    session.commit()
    officer = make_user(app, "officer", name="Olga Officer")

    log_in_by_keyboard(page, app, officer)
    with app.test_request_context(), force_locale("nl"):
        overdue = ngettext("%(num)d urgent request not called back within 24 hours",
                           "%(num)d urgent requests not called back within 24 hours", 1)
    expect(page.get_by_text(overdue)).to_be_visible()
    follow_link(page, dutch(app, "Triage: requests waiting for a decision"),
                "**/medewerkers/triage/")
    assert_accessible(page)
    follow_link(page, format_reference(req.reference), f"**/aanvraag/{req.id}")
    expect(page.get_by_text(dutch(app, "overdue"), exact=False).first).to_be_visible()
    expect(page.locator("form[action$='/besluit']")).to_have_count(0)
    assert_accessible(page)

    choose(page, "outcome", "not_reached")
    press_button(page, dutch(app, "Record the call back"), f"**/aanvraag/{req.id}")
    with app.test_request_context(), force_locale("nl"):
        recorded = ngettext("Not reached: %(num)d attempt recorded.",
                            "Not reached: %(num)d attempts recorded.", 1)
    expect(page.get_by_text(recorded)).to_be_visible()
    assert_accessible(page)

    choose(page, "outcome", "danger")
    type_into(page, "note", "Schoorsteen dreigt te vallen")
    press_button(page, dutch(app, "Record the call back"), f"**/aanvraag/{req.id}")
    expect(page.get_by_text(dutch(
        app, "Referred to the emergency procedure; the letter is on its way."))).to_be_visible()
    expect(page.locator(".opnameloket-danger")).to_have_count(0)
    expect(page.locator("form[action$='/besluit'], form[action$='/terugbellen']")
           ).to_have_count(0)
    assert_accessible(page)

    session.rollback()
    decision = session.scalar(select(Decision).where(Decision.request_id == req.id))
    assert (decision.decision, decision.decided_by_label) == (
        "referred_to_emergency", "Olga Officer")
    assert session.get(Letter, decision.letter_id).kind == "decision"
    assert stored(session, req.reference).status == "closed"
