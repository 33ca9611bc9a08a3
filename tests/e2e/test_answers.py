"""Every request ends with an answer the resident receives: from the form to /status.

For each decision kind, for an urgent request through its call back, for a request
added to an earlier one once that one is planned, and for a home in risk category P50,
the resident fills in the form by keyboard, an officer moves the request on, and the
resident opens /status by keyboard, reads where the request stands and downloads the
letter. Every page the resident sees passes axe-core. Texts come from the Dutch
catalogue. The officer's side goes through the domain functions, as the officer's pages
do (test_staff and test_urgent click through those), except for the P50 home, where the
officer informs on the request's page.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale, format_date
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from portal.actors import Actor
from portal.capacity.notify import DAY_PATTERN
from portal.capacity.planning import plan_accepted
from portal.letters.models import Letter
from portal.outbox.models import OutboxMessage
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.requests.states import EXPLANATIONS, LABELS, Status
from portal.triage.callback import reached_in_danger
from portal.triage.decisions import decide
from portal.triage.resident_words import DECISION_OUTCOMES
from tests.accounts.conftest import make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_letters import log_in_officer, officer_decides
from tests.e2e.test_resident_form import (
    HOMES,
    REFERENCE,
    Home,
    assert_form_page,
    choose,
    dutch,
    press_button,
    start_at_the_danger_question,
    tab_to,
    tick,
    type_into,
    walk_to_contact,
)
from tests.factories import capacity_weeks, file_request

# A live server answers from its own threads: its sessions commit for real.
pytestmark = [pytest.mark.browser, pytest.mark.committing]

EEMSDELTA = "1979"  # the municipality of every home in the register fixture


def nl(app, lazy) -> str:
    """A lazy message (a status label, a decision outcome) as the Dutch pages show it."""
    with app.test_request_context(), force_locale("nl"):
        return str(lazy)


def one_line(text: str) -> str:
    """Text with every run of white space, line breaks included, as one space."""
    return " ".join(text.split())


def send_form(page: Page, app, home: Home, *, name: str, email: str) -> str:
    """The resident sends the form for home by keyboard; returns the reference shown."""
    walk_to_contact(page, app, home)
    type_into(page, "contact_name", name)
    type_into(page, "email", email)
    choose(page, "language", "nl")
    choose(page, "letters_by_post", "no")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/controleren")
    assert_form_page(page)
    tick(page, page.locator("#consent"))
    press_button(page, dutch(app, "Send request"), "**/aanvraag/bevestiging")
    assert_form_page(page)
    shown = page.locator(".opnameloket-reference")
    expect(shown).to_have_text(REFERENCE)
    return shown.inner_text().strip()


def open_status(page: Page, app, reference: str, postcode: str, number: int) -> None:
    """The resident looks the request up on /status by keyboard; both pages axe clean."""
    page.goto("/status")
    assert_accessible(page)
    type_into(page, "reference", reference)
    type_into(page, "postcode", postcode)
    type_into(page, "huisnummer", str(number))
    press_button(page, dutch(app, "Check"), "**/status/aanvraag")
    assert_accessible(page)


def expect_status(page: Page, app, status: Status) -> None:
    """The status page names status and says what it means."""
    expect(page.get_by_role("heading", level=2, name=dutch(
        app, "Status: %(status)s", status=nl(app, LABELS[status])))).to_be_visible()
    expect(page.get_by_text(nl(app, EXPLANATIONS[status]), exact=True)).to_be_visible()


def download_decision_letter(page: Page, app, decision: str) -> bytes:
    """Tab to the decision letter under "Your letters", press Enter; the PDF's bytes.

    The day the list gives the letter must be the day printed on it.
    """
    expect(page.get_by_role("heading", level=2, name=dutch(app, "Your letters"))
           ).to_be_visible()
    link = page.get_by_role("link", name=dutch(
        app, "Decision: %(outcome)s", outcome=nl(app, DECISION_OUTCOMES[decision])))
    day = page.get_by_role("listitem").filter(has=link).locator("time").inner_text()
    tab_to(page, link)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    pdf = Path(download_info.value.path()).read_bytes()
    assert one_line(day) in pdf_text(pdf), f"the letter is not dated {day}, as listed"
    return pdf


def stored_decision_letter(session) -> Letter:
    session.rollback()
    return session.scalars(select(Letter).where(Letter.kind == "decision")
                           .order_by(Letter.id.desc())).first()


def pdf_text(pdf: bytes) -> str:
    return one_line("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def request_of(session, reference: str) -> InspectionRequest:
    """The stored request with the reference as shown (OV-XXXX-XXXX-XXXX)."""
    session.rollback()
    found = session.scalar(select(InspectionRequest).where(
        InspectionRequest.reference == reference.removeprefix("OV-").replace("-", "")))
    session.commit()  # only read: on SQLite an open read would hold off the live server
    return found


def officer(app) -> Actor:
    user = make_user(app, "officer", name="Olga Officer")
    return Actor.staff(user.id, "Olga Officer")


def standing_sentences(app) -> list[str]:
    """Where the P50 home of the register fixture stands, as the Dutch pages say it."""
    facts = {"phone": app.config["DESK_PHONE"], "number": app.config["EMERGENCY_NUMBER"]}
    return [
        dutch(app, "Your home is in risk category P50: the group with the highest risk. "
                   "These homes go first."),
        dutch(app, "Your home has not been inspected yet."),
        dutch(app, "You do not need to ask for an inspection. The programme contacts you "
                   "when it is your home's turn."),
        dutch(app, "Do you still feel unsafe in your home? Call the desk on %(phone)s. Is "
                   "there acute danger, for example a wall that may collapse? Call "
                   "%(number)s straight away.", **facts),
    ]


# The decision kinds test_letters does not follow: the home, the officer's decision and
# reason, and the status the resident then sees.
DECISIONS = {
    "accept_reassessment": ("reassessment", "rules_apply", "",
                            Status.ACCEPTED_REASSESSMENT),
    "inform": ("already-in-programme", "in_programme", "", Status.CLOSED),
    "decline": ("inspection", "other", "De schade is al hersteld.", Status.DECLINED),
}


@pytest.mark.parametrize("decision", DECISIONS, ids=DECISIONS.keys())
def test_the_resident_finds_the_decision_and_its_letter_on_status(page, app, session,
                                                                   register, decision):
    home_key, reason_code, reason_text, status = DECISIONS[decision]
    home = HOMES[home_key]
    reference = send_form(page, app, home, name="Anne de Vries", email="anne@example.nl")
    req = request_of(session, reference)
    if decision == "inform":
        # The register says it at once: the request waits as "already in the programme".
        assert req.status == Status.IN_PROGRAMME
        open_status(page, app, reference, home.postcode, home.number)
        expect_status(page, app, Status.IN_PROGRAMME)

    with app.app_context():
        decide(session, req, decision, actor=officer(app), reason_code=reason_code,
               reason_text=reason_text)
        session.commit()

    open_status(page, app, reference, home.postcode, home.number)
    expect_status(page, app, status)
    pdf = download_decision_letter(page, app, decision)

    assert pdf == stored_decision_letter(session).pdf
    text = pdf_text(pdf)
    assert reference in text
    assert one_line(nl(app, DECISION_OUTCOMES[decision])) in text
    if decision == "inform":
        for sentence in standing_sentences(app):
            expect(page.get_by_text(sentence, exact=True)).to_be_visible()
        assert one_line(standing_sentences(app)[0]) in text
    if decision == "decline":
        assert reason_text in text


def test_an_urgent_request_ends_with_a_letter_about_the_emergency_procedure(
        page, app, session, register):
    start_at_the_danger_question(page, app)
    choose(page, "acute_danger", "yes")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/gevaar/terugbellen")
    assert_accessible(page)
    type_into(page, "contact_name", "Anne de Vries")
    type_into(page, "phone", "06 12345678")
    type_into(page, "postcode", "9937 AB")
    type_into(page, "huisnummer", "10")
    press_button(page, dutch(app, "Call me back"), "**/aanvraag/gevaar/ontvangen")
    assert_form_page(page)
    shown = page.locator(".opnameloket-reference")
    expect(shown).to_have_text(REFERENCE)
    reference = shown.inner_text().strip()

    req = request_of(session, reference)
    assert (req.status, req.straat, req.email) == (Status.URGENT, "Hoofdstraat", None)
    open_status(page, app, reference, "9937 AB", 10)
    expect_status(page, app, Status.URGENT)

    with app.app_context():
        reached_in_danger(session, req, actor=officer(app), note="Schoorsteen los")
        session.commit()

    open_status(page, app, reference, "9937 AB", 10)
    expect_status(page, app, Status.CLOSED)
    pdf = download_decision_letter(page, app, "referred_to_emergency")

    assert pdf == stored_decision_letter(session).pdf
    text = pdf_text(pdf)
    assert reference in text
    assert one_line(nl(app, DECISION_OUTCOMES["referred_to_emergency"])) in text
    assert one_line(dutch(app, "Your home is handled by the procedure for acute danger. "
                               "The people of that procedure contact you to make your "
                               "home safe.")) in text


def test_a_linked_request_shows_its_lead_once_that_one_is_planned(page, app, session,
                                                                  register):
    home = HOMES["inspection"]
    with app.app_context():
        lead = file_request(session, home.number, email="eerste@example.nl")
    reference = send_form(page, app, home, name="Bert Buur", email="bert@example.nl")
    follower = request_of(session, reference)
    assert (follower.status, follower.linked_to_id) == (Status.LINKED, lead.id)

    first_week = date.today() + timedelta(days=7 - date.today().weekday())
    capacity_weeks(session, EEMSDELTA, "inspection", first_week, [(2, 0, 0)])
    with app.app_context():
        decide(session, session.get(InspectionRequest, lead.id), "accept_inspection",
               actor=officer(app), reason_code="rules_apply")
        session.commit()
        report = plan_accepted(session, actor=officer(app))
        session.commit()
    assert report.planned == 1

    open_status(page, app, reference, home.postcode, home.number)
    expect_status(page, app, Status.LINKED)
    expect(page.get_by_text(dutch(app, "That request now has the status: %(status)s.",
                                  status=nl(app, LABELS[Status.SCHEDULED])), exact=True)
           ).to_be_visible()
    expect(page.get_by_text(nl(app, EXPLANATIONS[Status.SCHEDULED]), exact=True)
           ).to_be_visible()
    expect(page.get_by_text(re.compile("^" + re.escape(dutch(
        app, "You will hear from us before %(date)s.", date="@").split("@")[0])))
    ).to_have_count(0)
    with app.test_request_context(), force_locale("nl"):
        week = format_date(first_week, DAY_PATTERN)
    period = page.locator("p", has_text=dutch(app, "Expected period:"))
    expect(period).to_have_text(re.compile(
        re.escape(dutch(app, "In the week of %(day)s", day=week)) + "$"))

    session.rollback()
    mails = session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "bert@example.nl")).all()
    planned = dutch(app, "The inspection of your home is planned in the week of %(week)s.",
                    week=week)
    assert [m.subject for m in mails if planned in m.body_text] == [dutch(
        app, "Your request %(reference)s is planned", reference=format_reference(
            follower.reference))]


def test_a_p50_home_hears_where_it_stands_on_the_form_and_on_status(page, app, session,
                                                                    register):
    home = HOMES["already-in-programme"]
    walk_to_contact(page, app, home)
    # Back to the page that said what the register knows of the home (the draft keeps
    # the answers): where it stands, and whom to call when the resident feels unsafe.
    page.goto("/aanvraag/register")
    for sentence in standing_sentences(app):
        expect(page.get_by_text(sentence, exact=True)).to_be_visible()
    assert_form_page(page)
    page.goto("/aanvraag/contact")
    type_into(page, "contact_name", "Anne de Vries")
    type_into(page, "email", "anne@example.nl")
    choose(page, "language", "nl")
    choose(page, "letters_by_post", "no")
    press_button(page, dutch(app, "Continue"), "**/aanvraag/controleren")
    tick(page, page.locator("#consent"))
    press_button(page, dutch(app, "Send request"), "**/aanvraag/bevestiging")
    reference = page.locator(".opnameloket-reference").inner_text().strip()
    req = request_of(session, reference)

    log_in_officer(page, app)
    officer_decides(page, app, req.id, "inform", "Inform: already in the programme")
    page.context.clear_cookies()

    open_status(page, app, reference, home.postcode, home.number)
    expect_status(page, app, Status.CLOSED)
    for sentence in standing_sentences(app):
        expect(page.get_by_text(sentence, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=dutch(
        app, "Decision: %(outcome)s", outcome=nl(app, DECISION_OUTCOMES["inform"])))
    ).to_be_visible()
