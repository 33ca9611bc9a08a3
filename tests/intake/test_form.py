"""The resident's form, page by page, through the web layer."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.outbox.models import OutboxMessage
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from tests.factories import address_id
from tests.intake.conftest import FLAT, IN_P50, INSPECTED_BEFORE, NEVER_INSPECTED, post
from tests.intake.walk import no_danger, submit, walk_to_check


def _requests(session) -> list[tuple]:
    session.rollback()
    session.expire_all()
    return [(r.nummeraanduiding_id, r.request_type, r.status, r.channel)
            for r in session.scalars(select(InspectionRequest).order_by(InspectionRequest.id))]


def test_inspection_request_end_to_end(client, session, register):
    check = walk_to_check(client, *NEVER_INSPECTED)
    assert "Hoofdstraat 10, 9937AB Meedhuizen" in check

    response = submit(client, check)

    assert response.status_code == 302
    confirmation = client.get(response.location).text
    assert _requests(session) == [(address_id(10), "inspection", "received", "web")]
    reference = session.scalar(select(InspectionRequest.reference))
    assert f"OV-{reference[:4]}-{reference[4:8]}-{reference[8:]}" in confirmation
    outbox = session.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in outbox] == ["anne@example.nl"]
    assert f"OV-{reference[:4]}" in outbox[0].body_text


def test_inspected_before_becomes_a_reassessment(client, session, register):
    no_danger(client)
    page = client.get("/aanvraag/adres")
    assert page.status_code == 200
    post(client, "/aanvraag/adres", {"postcode": "9937 ab", "huisnummer": "12"})
    client.get("/aanvraag/adres-kiezen")
    client.post("/aanvraag/adres-kiezen")  # no CSRF: refused, nothing changes
    check = walk_to_check(client, *INSPECTED_BEFORE)
    submit(client, check)

    assert _requests(session) == [(address_id(12), "reassessment", "received", "web")]


def test_register_page_explains_p50_and_still_allows_a_question(client, session, register):
    no_danger(client)
    post(client, "/aanvraag/adres", {"postcode": IN_P50[0], "huisnummer": str(IN_P50[1])})
    choose = client.get("/aanvraag/adres-kiezen").text
    from tests.intake.conftest import csrf_token
    client.post("/aanvraag/adres-kiezen", data={"csrf_token": csrf_token(choose),
                                                "address": address_id(14)})

    page = client.get("/aanvraag/register").text

    assert "P50" in page
    check = walk_to_check(client, *IN_P50)
    submit(client, check)
    assert _requests(session) == [(address_id(14), "question", "in_programme", "web")]


def test_flat_resident_picks_the_exact_address(client, session, register):
    no_danger(client)
    post(client, "/aanvraag/adres", {"postcode": FLAT[0], "huisnummer": str(FLAT[1])})
    choose = client.get("/aanvraag/adres-kiezen").text
    assert choose.count('type="radio"') == 3

    submit(client, walk_to_check(client, *FLAT, choose=address_id(21)))

    assert _requests(session)[0][0] == address_id(21)


def test_unknown_address_can_be_typed_for_an_officer(client, session, register):
    no_danger(client)
    post(client, "/aanvraag/adres", {"postcode": "9937AB", "huisnummer": "99"})
    assert client.get("/aanvraag/adres-kiezen").status_code == 302
    response = post(client, "/aanvraag/adres-invullen", {
        "straat": "Nieuwbouwlaan", "woonplaats": "Meedhuizen", "huisletter": "",
        "huisnummertoevoeging": ""})
    assert response.status_code == 302
    register_page = client.get("/aanvraag/register?lang=en")
    assert register_page.status_code == 200
    assert "This address is not in the register" in register_page.text

    for url, data in [("/aanvraag/register", {}), ("/aanvraag/gebouw", {"building_kind": "home"}),
                      ("/aanvraag/relatie", {"relation": "tenant"}),
                      ("/aanvraag/reden", {"explanation": "Scheuren"}),
                      ("/aanvraag/contact", {"contact_name": "B", "phone": "06 1234 5678",
                                             "email": "", "language": "en",
                                             "letters_by_post": "yes"})]:
        assert post(client, url, data).status_code == 302
    submit(client, client.get("/aanvraag/controleren").text)

    stored = session.scalar(select(InspectionRequest))
    assert (stored.in_register, stored.straat, stored.phone, stored.letters_by_post) == (
        False, "Nieuwbouwlaan", "+31612345678", True)


def test_errors_are_summarised_and_linked_to_their_field(client, register):
    no_danger(client)
    response = post(client, "/aanvraag/adres", {"postcode": "12", "huisnummer": ""})

    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert 'href="#postcode"' in response.text
    assert 'href="#huisnummer"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_contact_needs_email_or_phone_and_valid_ones(client, register):
    walk_to_check(client, *NEVER_INSPECTED)

    neither = post(client, "/aanvraag/contact", {"contact_name": "A", "email": "", "phone": "",
                                                 "language": "nl", "letters_by_post": "no"})
    bad = post(client, "/aanvraag/contact", {"contact_name": "A", "email": "a@b", "phone": "12",
                                             "language": "nl", "letters_by_post": "no"})

    assert neither.status_code == bad.status_code == 200
    assert 'href="#phone"' in neither.text
    assert 'href="#email"' in bad.text and 'href="#phone"' in bad.text


def test_a_second_click_gives_one_request(client, session, register):
    check = walk_to_check(client, *NEVER_INSPECTED)

    first = submit(client, check)
    second = submit(client, check)

    assert first.location == second.location
    assert session.scalar(select(func.count()).select_from(InspectionRequest)) == 1


def test_new_request_for_an_address_with_an_open_one_is_linked(app, session, register):
    for _ in range(2):
        client = app.test_client()
        submit(client, walk_to_check(client, *NEVER_INSPECTED))

    requests = session.scalars(select(InspectionRequest).order_by(InspectionRequest.id)).all()
    assert [r.status for r in requests] == ["received", "linked"]
    assert requests[1].linked_to_id == requests[0].id


def test_acute_danger_is_the_first_question_with_no_answer_chosen(client, register):
    start = client.get("/aanvraag")
    assert start.location.endswith("/aanvraag/gevaar")

    page = client.get("/aanvraag/gevaar").text

    assert "Is there acute danger now?" in page or "acuut gevaar" in page
    assert "checked" not in page
    assert 'href="tel:112"' in page
    # The address waits for the danger question.
    assert client.get("/aanvraag/adres").location.endswith("/aanvraag/gevaar")


def test_acute_danger_first_needs_only_name_and_phone(client, session, register):
    response = post(client, "/aanvraag/gevaar", {"acute_danger": "yes"})
    assert response.location.endswith("/aanvraag/gevaar/terugbellen")

    page = client.get(response.location).text
    assert 'href="tel:112"' in page
    assert 'name="postcode"' in page
    done = post(client, "/aanvraag/gevaar/terugbellen", {"contact_name": "C",
                                                         "phone": "050 123 4567"})
    assert done.location.endswith("/aanvraag/gevaar/ontvangen")

    stored = session.scalar(select(InspectionRequest))
    assert (stored.status, stored.priority, stored.phone, stored.postcode, stored.straat) == (
        "urgent", 0, "+31501234567", "", "")


def test_acute_danger_first_with_the_address_given(client, session, register):
    post(client, "/aanvraag/gevaar", {"acute_danger": "yes"})
    post(client, "/aanvraag/gevaar/terugbellen", {"contact_name": "C", "phone": "0612345678",
                                                  "postcode": "9937 ab", "huisnummer": "10"})

    assert _requests(session) == [(address_id(10), "inspection", "urgent", "web")]
    stored = session.scalar(select(InspectionRequest))
    assert (stored.straat, stored.huisnummer) == ("Hoofdstraat", 10)


def test_after_a_call_back_request_the_resident_gets_the_reference_and_the_receipt(
        client, session, register):
    post(client, "/aanvraag/gevaar", {"acute_danger": "yes"})
    post(client, "/aanvraag/gevaar/terugbellen", {"contact_name": "C", "phone": "0612345678"})
    stored = session.scalar(select(InspectionRequest))

    page = client.get("/aanvraag/gevaar/ontvangen").text
    receipt = client.get("/aanvraag/ontvangstbewijs.pdf")

    # Without it, nobody could follow the call back or read its letter on /status.
    assert format_reference(stored.reference) in page
    assert 'href="/status"' in page
    assert (receipt.status_code, receipt.mimetype) == (200, "application/pdf")


def test_the_call_back_page_shows_no_reference_of_an_ordinary_request(client, session,
                                                                       register):
    submit(client, walk_to_check(client, *NEVER_INSPECTED))
    ordinary = session.scalar(select(InspectionRequest))

    page = client.get("/aanvraag/gevaar/ontvangen").text

    assert format_reference(ordinary.reference) not in page
    assert "opnameloket-reference" not in page


def test_acute_danger_address_needs_both_parts(client, session, register):
    post(client, "/aanvraag/gevaar", {"acute_danger": "yes"})
    response = post(client, "/aanvraag/gevaar/terugbellen", {
        "contact_name": "C", "phone": "0612345678", "postcode": "9937AB", "huisnummer": ""})

    assert response.status_code == 200
    assert 'href="#huisnummer"' in response.text
    assert _requests(session) == []


def test_changing_danger_to_yes_from_the_check_page_keeps_the_address(client, session,
                                                                      register):
    walk_to_check(client, *NEVER_INSPECTED)
    response = post(client, "/aanvraag/gevaar?change=1", {"acute_danger": "yes"})
    assert response.location.endswith("/aanvraag/gevaar/terugbellen")

    page = client.get(response.location).text
    assert 'href="tel:112"' in page
    assert 'name="postcode"' not in page
    post(client, "/aanvraag/gevaar/terugbellen", {"contact_name": "C", "phone": "050 123 4567"})

    assert _requests(session) == [(address_id(10), "inspection", "urgent", "web")]
    assert session.scalar(select(InspectionRequest.phone)) == "+31501234567"


def test_every_page_of_the_form_shows_the_emergency_line(client, session, register):
    no_danger(client)
    urls = ["/aanvraag/gevaar", "/aanvraag/adres"]
    post(client, "/aanvraag/adres", {"postcode": IN_P50[0], "huisnummer": str(IN_P50[1])})
    urls.append("/aanvraag/register")  # the page for a P50 home
    walk_to_check(client, *NEVER_INSPECTED)
    urls += ["/aanvraag/adres-kiezen", "/aanvraag/gebouw", "/aanvraag/relatie",
             "/aanvraag/reden", "/aanvraag/contact", "/aanvraag/controleren"]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'href="tel:112"' in page.text, url
