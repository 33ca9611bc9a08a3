"""`/medewerkers/balie`: an agent looks up an address, enters a request, and handles it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.intake.receipt import KIND as RECEIPT
from portal.letters.models import Letter, PrintJob
from portal.outbox.models import OutboxMessage
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.reference import format_reference
from tests.accounts.conftest import LOGIN_URL, login_as
from tests.factories import address_id
from tests.intake.conftest import IN_P50, INSPECTED_BEFORE, NEVER_INSPECTED, csrf_token
from tests.triage.conftest import file_request_in_app as file_request
from tests.web.html import visible_text

DESK = "/medewerkers/balie"
# The entry form as an agent fills it for a caller at a register address.
CALLER = {
    "acute_danger": "no", "building_kind": "home", "relation": "owner_occupier",
    "signs": ["new_cracks"], "explanation": "Scheur in de keuken",
    "contact_name": "Jan Beller", "phone": "06 12345678", "email": "jan@example.nl",
    "language": "nl", "letters_by_post": "no", "identity_checked": "y",
}
# In the intake register, address ids follow the row numbers: row 20 is Hoofdstraat 20-1,
# row 21 is 20-2 and row 22 is 20A, all three in one building.
FLAT_1, FLAT_2, FLAT_A = 20, 21, 22


@pytest.fixture
def client(app):
    """A test client that reads the staff pages in English."""
    english = app.test_client()
    english.set_cookie("taal", "en")
    return english


@pytest.fixture
def agent(client):
    """The client logged in as a call-centre agent; returns the agent's account."""
    return login_as(client, "agent")



def text(response) -> str:
    """The visible text of a response's page, with a space between elements' texts."""
    return visible_text(response.text.replace("<", " <"))


def fresh(session) -> None:
    """Forget what the test's session has loaded, to read what the portal committed."""
    session.rollback()
    session.expire_all()


def address_page(client, postcode: str, number: int, letter: str = "", addition: str = ""):
    """Look up an address at the desk."""
    return client.get(f"{DESK}/adres", query_string={
        "postcode": postcode, "huisnummer": str(number), "huisletter": letter,
        "huisnummertoevoeging": addition})


def enter(client, postcode: str, number: int, addition: str = "", **answers):
    """Enter a request from the address page's form, with CALLER's answers unless given."""
    page = address_page(client, postcode, number, addition=addition)
    key = re.search(r'name="submission_key" value="([^"]*)"', page.text)[1]
    data = {**CALLER, **answers}
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(f"{DESK}/aanvraag", data={
        "csrf_token": csrf_token(page.text), "submission_key": key, "postcode": postcode,
        "huisnummer": str(number), "huisletter": "", "huisnummertoevoeging": addition,
        **data})


def entered_request(client, session, postcode: str, number: int, **answers):
    """Enter a request and return it as stored."""
    response = enter(client, postcode, number, **answers)
    assert response.status_code == 303, text(response)
    fresh(session)
    return session.scalar(select(InspectionRequest).order_by(InspectionRequest.id.desc()))


def post_form(client, page_url: str, action: str, data: dict):
    """POST data to action with the CSRF token of the page at page_url."""
    page = client.get(page_url)
    return client.post(action, data={"csrf_token": csrf_token(page.text), **data})


def views_of(session, req: InspectionRequest) -> list[tuple[str, str]]:
    """Who viewed req's personal data, as (actor id, actor label) per audit entry."""
    fresh(session)
    return [tuple(row) for row in session.execute(
        select(AuditEntry.actor_id, AuditEntry.actor_label).where(
            AuditEntry.action == "request.viewed", AuditEntry.subject_type == "request",
            AuditEntry.subject_id == str(req.id)).order_by(AuditEntry.id))]


# Looking up an address


def test_address_page_lists_requests_for_the_address_and_for_the_rest_of_the_building(app,
        client, session, register, agent):
    own = file_request(app, session, FLAT_1)
    neighbour = file_request(app, session, FLAT_2)
    other_street_number = file_request(app, session, NEVER_INSPECTED[1])

    response = address_page(client, "9937AB", 20, addition="1")

    page = text(response)
    assert response.status_code == 200
    assert "Hoofdstraat 20-1, 9937AB Meedhuizen" in page
    assert "Municipality Eemsdelta" in page
    assert "3 addresses in this building" in page
    assert re.search(r"Requests for this address Reference .* "
                     + re.escape(format_reference(own.reference)) + r" Hoofdstraat 20-1 ", page)
    assert re.search(r"Requests for other addresses in the building Reference .* "
                     + re.escape(format_reference(neighbour.reference))
                     + r" Hoofdstraat 20-2 ", page)
    assert format_reference(other_street_number.reference) not in page


def test_address_page_lists_earlier_requests_that_are_no_longer_open(app, client, session,
                                                                      register, agent):
    earlier = file_request(app, session, NEVER_INSPECTED[1], key="earlier")
    detail = f"{DESK}/aanvraag/{earlier.id}"
    post_form(client, detail, f"{detail}/intrekken", {"reason": "Toch niet nodig"})

    page = text(address_page(client, *NEVER_INSPECTED))

    assert f"{format_reference(earlier.reference)} Hoofdstraat 10 Withdrawn" in page


@pytest.mark.parametrize(("address", "register_says"), [
    (NEVER_INSPECTED, "Risk category none Batch none Inspected on never"),
    (INSPECTED_BEFORE, "Inspected before: this becomes a reassessment."),
    (IN_P50, "Tell the caller: the home is already in the programme. A request is not needed."),
])
def test_address_page_shows_what_the_register_says(client, register, agent, address,
                                                   register_says):
    page = text(address_page(client, *address))

    assert register_says in page


def test_a_number_with_several_addresses_offers_the_choice(client, register, agent):
    response = address_page(client, "9937AB", 20)

    page = text(response)
    assert response.status_code == 200
    assert "Which address? Hoofdstraat 20-1 Hoofdstraat 20-2 Hoofdstraat 20A" in page
    assert 'action="/medewerkers/balie/aanvraag"' not in response.text


def test_an_address_not_in_the_register_asks_for_street_and_place(client, register, agent):
    response = address_page(client, "9937AB", 99)

    page = text(response)
    assert "Not in the register: 9937AB 99" in page
    assert 'name="straat"' in response.text and 'name="woonplaats"' in response.text


def test_a_register_address_does_not_ask_for_street_and_place(client, register, agent):
    response = address_page(client, *NEVER_INSPECTED)

    assert 'name="straat"' not in response.text


def test_a_wrong_postcode_shows_the_lookup_form_with_the_error(client, register, agent):
    response = address_page(client, "99378", 10)

    assert "Enter a postcode like 9712 AB" in text(response)


# Entering a request


def test_an_agent_enters_a_request_through_the_public_path_as_a_phone_request(
        client, session, register, agent):
    response = enter(client, *NEVER_INSPECTED)

    fresh(session)
    req = session.scalar(select(InspectionRequest))
    assert response.status_code == 303
    assert response.location == f"{DESK}/aanvraag/{req.id}/ingevoerd"
    assert (req.channel, req.entered_by_id, req.entered_by_label, req.identity_checked) == (
        "phone", str(agent.id), agent.display_name, True)
    assert (req.nummeraanduiding_id, req.request_type, req.status, req.suggested_route) == (
        address_id(NEVER_INSPECTED[1]), "inspection", "received", "inspection")
    assert (req.contact_name, req.phone, req.email, req.signs) == (
        "Jan Beller", "+31612345678", "jan@example.nl", "new_cracks")
    assert [(e.actor_kind, e.actor_id, e.actor_label, e.to_status, e.reason)
            for e in req.events if e.kind == "status"] == [
        ("staff", str(agent.id), agent.display_name, "received", "submitted (phone)")]
    assert session.scalars(select(OutboxMessage.to_address)).all() == ["jan@example.nl"]


def test_entering_the_same_form_twice_stores_one_request(client, session, register, agent):
    page = address_page(client, *NEVER_INSPECTED)
    form = {**CALLER, "csrf_token": csrf_token(page.text), "postcode": "9937AB",
            "huisnummer": "10", "submission_key": re.search(
                r'name="submission_key" value="([^"]*)"', page.text)[1]}

    first = client.post(f"{DESK}/aanvraag", data=form)
    again = client.post(f"{DESK}/aanvraag", data=form)

    fresh(session)
    [stored] = session.scalars(select(InspectionRequest.id)).all()
    assert [first.location, again.location] == [f"{DESK}/aanvraag/{stored}/ingevoerd"] * 2


def test_entering_without_the_identity_check_is_refused(client, session, register, agent):
    response = enter(client, *NEVER_INSPECTED, identity_checked=None)

    assert response.status_code == 422
    assert "There is a problem Check the caller's identity first" in text(response)
    fresh(session)
    assert session.scalars(select(InspectionRequest)).all() == []


def test_acute_danger_makes_the_entered_request_urgent(client, session, register, agent):
    req = entered_request(client, session, *NEVER_INSPECTED, acute_danger="yes")

    assert (req.status, req.acute_danger, req.priority, req.suggested_route) == (
        "urgent", True, 0, "urgent")


def test_the_danger_question_comes_first_with_no_answer_chosen(client, session, register,
                                                                agent):
    page = address_page(client, *NEVER_INSPECTED).text
    form = page[page.index('id="new-request"'):]

    first_question = re.search(r'<input[^>]*type="radio"[^>]*name="(\w+)"|'
                               r'<input[^>]*name="(\w+)"[^>]*type="radio"', form)
    assert (first_question[1] or first_question[2]) == "acute_danger"
    danger = re.findall(r'<input[^>]*name="acute_danger"[^>]*>', form)
    assert danger and not any("checked" in tag for tag in danger)


def test_acute_danger_needs_only_name_and_phone_at_the_desk(client, session, register, agent):
    req = entered_request(client, session, *NEVER_INSPECTED, acute_danger="yes",
                          building_kind=None, relation=None, signs=None, explanation=None,
                          email=None, identity_checked=None, language=None,
                          letters_by_post=None)

    assert (req.status, req.priority, req.contact_name, req.phone, req.straat) == (
        "urgent", 0, "Jan Beller", "+31612345678", "Hoofdstraat")
    assert (req.building_kind, req.relation, req.identity_checked) == ("", "", False)


def test_acute_danger_at_the_desk_still_needs_a_phone_number(client, session, register, agent):
    response = enter(client, *NEVER_INSPECTED, acute_danger="yes", building_kind=None,
                     phone="", email=None)

    assert response.status_code == 422
    assert "Enter a phone number so we can call back" in text(response)
    fresh(session)
    assert session.scalars(select(InspectionRequest)).all() == []


def test_without_a_danger_answer_the_desk_refuses(client, session, register, agent):
    response = enter(client, *NEVER_INSPECTED, acute_danger=None)

    assert response.status_code == 422
    assert "Answer whether there is acute danger" in text(response)


def test_an_address_not_in_the_register_needs_street_and_place(client, session, register,
                                                               agent):
    response = enter(client, "9937AB", 99)

    assert response.status_code == 422
    assert "Enter the street and place of an address not in the register" in text(response)
    fresh(session)
    assert session.scalars(select(InspectionRequest)).all() == []


def test_an_address_not_in_the_register_is_entered_with_street_and_place(
        client, session, register, agent):
    req = entered_request(client, session, "9937AB", 99, straat="Nieuwe Weg",
                          woonplaats="Meedhuizen")

    assert (req.in_register, req.straat, req.huisnummer, req.woonplaats, req.suggested_route) == (
        False, "Nieuwe Weg", 99, "Meedhuizen", "review")


def test_the_entered_page_shows_the_reference_to_read_back(client, session, register, agent):
    response = enter(client, *NEVER_INSPECTED)
    page = client.get(response.location)

    fresh(session)
    req = session.scalar(select(InspectionRequest))
    assert page.status_code == 200
    assert f"Read the reference back to the caller: {format_reference(req.reference)}" in text(
        page)


def test_the_receipt_by_email_is_queued_in_the_outbox(client, session, register, agent):
    req = entered_request(client, session, *NEVER_INSPECTED)
    url = f"{DESK}/aanvraag/{req.id}/ingevoerd"

    arrival = session.scalars(select(OutboxMessage.id)).all()

    response = post_form(client, url, url, {"method": "email"})

    assert (response.status_code, response.location) == (303, f"{DESK}/aanvraag/{req.id}")
    fresh(session)
    receipts = session.scalars(select(OutboxMessage).where(
        OutboxMessage.id.not_in(arrival))).all()
    subject = f"Ontvangstbewijs van uw aanvraag {format_reference(req.reference)}"
    assert [(m.to_address, m.language, m.subject) for m in receipts] == [
        ("jan@example.nl", "nl", subject)]
    assert session.scalars(select(Letter)).all() == []


def test_the_receipt_by_post_is_a_window_envelope_letter_in_the_print_queue(
        client, session, register, agent):
    req = entered_request(client, session, *NEVER_INSPECTED, email="")
    url = f"{DESK}/aanvraag/{req.id}/ingevoerd"

    post_form(client, url, url, {"method": "post"})

    fresh(session)
    letter = session.scalar(select(Letter))
    jobs = session.scalars(select(PrintJob)).all()
    assert (letter.kind, letter.subject_reference) == (RECEIPT, format_reference(req.reference))
    assert [(job.letter_id, job.queued_by, job.printed_at) for job in jobs] == [
        (letter.id, agent.display_name, None)]
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.pdf)).pages)
    assert "Jan Beller\nHoofdstraat 10\n9937 AB  MEEDHUIZEN" in pdf


def test_the_receipt_by_email_without_an_address_asks_for_post(client, session, register,
                                                               agent):
    req = entered_request(client, session, *NEVER_INSPECTED, email="")
    url = f"{DESK}/aanvraag/{req.id}/ingevoerd"

    response = post_form(client, url, url, {"method": "email"})

    assert response.status_code == 200
    assert "There is no email address: send it by post" in text(response)
    fresh(session)
    assert session.scalars(select(OutboxMessage)).all() == []


# Finding a request


@pytest.mark.parametrize("typed", ["{lower}", "{bare}", "  {formatted}  "])
def test_search_by_reference_in_any_case_with_or_without_dashes(app, client, session, register,
                                                                agent, typed):
    wanted = file_request(app, session, NEVER_INSPECTED[1])
    file_request(app, session, INSPECTED_BEFORE[1])
    query = typed.format(lower=format_reference(wanted.reference).lower(),
                         bare=wanted.reference, formatted=format_reference(wanted.reference))

    page = text(client.get(f"{DESK}/zoeken", query_string={"q": query}))

    assert re.findall(r"OV-\w{4}-\w{4}-\w{4}", page) == [format_reference(wanted.reference)]


def test_search_by_phone_finds_the_same_request_however_the_number_is_written(
        client, session, register, agent):
    wanted = entered_request(client, session, *NEVER_INSPECTED, phone="06 12345678")
    entered_request(client, session, *INSPECTED_BEFORE, phone="06 87654321")

    found = [re.findall(r"OV-\w{4}-\w{4}-\w{4}", text(client.get(
        f"{DESK}/zoeken", query_string={"q": number})))
        for number in ("06 12345678", "+31612345678", "0612345678")]

    assert found == [[format_reference(wanted.reference)]] * 3


def test_search_by_postcode_and_number(app, client, session, register, agent):
    first = file_request(app, session, NEVER_INSPECTED[1], key="first")
    second = file_request(app, session, NEVER_INSPECTED[1], key="second")
    file_request(app, session, INSPECTED_BEFORE[1])

    page = text(client.get(f"{DESK}/zoeken", query_string={"q": "9937 ab 10"}))

    assert re.findall(r"OV-\w{4}-\w{4}-\w{4}", page) == [
        format_reference(second.reference), format_reference(first.reference)]


def test_search_for_nothing_known_finds_nothing(app, client, session, register, agent):
    file_request(app, session, NEVER_INSPECTED[1])

    page = text(client.get(f"{DESK}/zoeken", query_string={"q": "Hoofdstraat"}))

    assert "Requests found: none" in page


# Acting on a request


def test_a_note_is_added_with_who_wrote_it(app, client, session, register, agent):
    req = file_request(app, session, NEVER_INSPECTED[1])
    detail = f"{DESK}/aanvraag/{req.id}"

    response = post_form(client, detail, f"{detail}/notitie", {"text": "Belt morgen terug"})

    assert (response.status_code, response.location) == (303, detail)
    fresh(session)
    notes = session.scalars(select(RequestEvent).where(RequestEvent.kind == "note")).all()
    assert [(n.actor_id, n.actor_label, n.reason, n.from_status, n.to_status) for n in notes] == [
        (str(agent.id), agent.display_name, "Belt morgen terug", "received", "received")]
    assert f"{agent.display_name}: Belt morgen terug" in text(client.get(detail))


def test_a_blank_note_is_refused_with_a_message(app, client, session, register, agent):
    req = file_request(app, session, NEVER_INSPECTED[1])
    detail = f"{DESK}/aanvraag/{req.id}"

    response = post_form(client, detail, f"{detail}/notitie", {"text": "  "})

    assert (response.status_code, response.location) == (303, detail)
    assert "Write the note" in text(client.get(detail))
    fresh(session)
    assert session.scalars(select(RequestEvent).where(RequestEvent.kind == "note")).all() == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_correcting_contact_details_without_a_reason_changes_nothing(app, client, session,
                                                                     register, agent, reason):
    req = file_request(app, session, NEVER_INSPECTED[1])
    detail = f"{DESK}/aanvraag/{req.id}"

    response = post_form(client, detail, f"{detail}/contact", {
        "contact_name": "R. Bewoner", "email": "nieuw@example.nl", "phone": "",
        "language": "nl", "letters_by_post": "no", "reason": reason})

    assert response.status_code == 422
    assert "There is a problem Write why the details change" in text(response)
    fresh(session)
    assert session.get(InspectionRequest, req.id).email == "r@x.nl"


def test_correcting_contact_details_records_who_and_why(app, client, session, register, agent):
    req = file_request(app, session, NEVER_INSPECTED[1])
    detail = f"{DESK}/aanvraag/{req.id}"

    response = post_form(client, detail, f"{detail}/contact", {
        "contact_name": "R. Bewoner", "email": "nieuw@example.nl", "phone": "050 1234567",
        "language": "en", "letters_by_post": "yes", "reason": "Nieuw e-mailadres"})

    assert (response.status_code, response.location) == (303, detail)
    fresh(session)
    stored = session.get(InspectionRequest, req.id)
    assert (stored.email, stored.phone, stored.language, stored.letters_by_post) == (
        "nieuw@example.nl", "+31501234567", "en", True)
    assert [(e.actor_label, e.kind, e.reason) for e in stored.events][-1] == (
        agent.display_name, "note", "contact details corrected by phone: Nieuw e-mailadres")


@pytest.mark.parametrize("reason", ["", "   "])
def test_withdrawing_without_a_reason_leaves_the_request_as_it_is(app, client, session, register,
                                                                  agent, reason):
    req = file_request(app, session, NEVER_INSPECTED[1])
    detail = f"{DESK}/aanvraag/{req.id}"

    response = post_form(client, detail, f"{detail}/intrekken", {"reason": reason})

    assert "Write why the caller withdraws" in text(client.get(response.location))
    fresh(session)
    assert session.get(InspectionRequest, req.id).status == "received"


def test_withdrawing_with_a_reason_moves_the_request_to_withdrawn(app, client, session, register,
                                                                  agent):
    req = file_request(app, session, NEVER_INSPECTED[1])
    detail = f"{DESK}/aanvraag/{req.id}"

    post_form(client, detail, f"{detail}/intrekken", {"reason": "Schade is hersteld"})

    fresh(session)
    stored = session.get(InspectionRequest, req.id)
    assert (stored.status, stored.events[-1].actor_label, stored.events[-1].reason) == (
        "withdrawn", agent.display_name, "withdrawn by phone: Schade is hersteld")
    assert "Withdraw request" not in text(client.get(detail))


# The audit trail


def test_opening_a_request_records_who_viewed_it(app, client, session, register, agent):
    req = file_request(app, session, NEVER_INSPECTED[1])

    client.get(f"{DESK}/aanvraag/{req.id}")
    client.get(f"{DESK}/aanvraag/{req.id}")

    assert views_of(session, req) == [(str(agent.id), agent.display_name)] * 2


@pytest.mark.parametrize("show", [
    pytest.param(lambda client, req: address_page(client, *NEVER_INSPECTED), id="address"),
    pytest.param(lambda client, req: client.get(
        f"{DESK}/zoeken", query_string={"q": req.reference}), id="search"),
    pytest.param(lambda client, req: client.get(f"{DESK}/aanvraag/{req.id}/ingevoerd"),
                 id="entered"),
])
def test_every_page_that_shows_a_request_records_a_view(app, client, session, register, agent,
                                                        show):
    req = file_request(app, session, NEVER_INSPECTED[1])
    neighbour = file_request(app, session, INSPECTED_BEFORE[1])

    show(client, req)

    assert (views_of(session, req), views_of(session, neighbour)) == (
        [(str(agent.id), agent.display_name)], [])


def test_the_building_requests_on_an_address_page_are_views_too(app, client, session, register,
                                                                agent):
    own, neighbour = file_request(app, session, FLAT_1), file_request(app, session, FLAT_A)

    address_page(client, "9937AB", 20, addition="1")

    assert [len(views_of(session, r)) for r in (own, neighbour)] == [1, 1]


# Who may use the desk


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_officers_and_coordinators_may_use_the_desk(client, session, register, role):
    user = login_as(client, role)

    req = entered_request(client, session, *NEVER_INSPECTED)

    assert client.get(f"{DESK}/").status_code == 200
    assert client.get(f"{DESK}/aanvraag/{req.id}").status_code == 200
    assert (req.channel, req.entered_by_label) == ("phone", user.display_name)


@pytest.mark.parametrize("path", ["/", "/adres?postcode=9937AB&huisnummer=10",
                                  "/zoeken?q=9937AB+10", "/aanvraag/1"])
def test_anonymous_visitors_are_sent_to_the_login(client, register, path):
    response = client.get(DESK + path)

    assert response.status_code == 302
    assert response.location.startswith(LOGIN_URL + "?next=")


def test_anonymous_posts_change_nothing(app, client, session, register):
    req = file_request(app, session, NEVER_INSPECTED[1])

    response = post_form(client, LOGIN_URL, f"{DESK}/aanvraag/{req.id}/intrekken",
                         {"reason": "Schade is hersteld"})

    assert (response.status_code, response.location) == (302, LOGIN_URL)
    fresh(session)
    assert session.get(InspectionRequest, req.id).status == "received"
