"""Walking the resident's form page by page with the test client."""

from __future__ import annotations

import re

from tests.intake.conftest import csrf_token, post, submission_key

CONTACT = {"contact_name": "Anne de Vries", "email": "anne@example.nl", "phone": "",
           "language": "nl", "letters_by_post": "no"}


def no_danger(client) -> None:
    """Answer the first question of the form: no acute danger."""
    response = post(client, "/aanvraag/gevaar", {"acute_danger": "no"})
    assert response.status_code == 302, response.text
    assert response.location.endswith("/aanvraag/adres")


def walk_to_check(client, postcode: str, number: int, *, choose: str | None = None,
                  contact: dict | None = None) -> str:
    """Answer every page up to 'check your answers' and return that page's HTML."""
    no_danger(client)
    response = post(client, "/aanvraag/adres", {"postcode": postcode, "huisnummer": str(number)})
    assert response.status_code == 302, response.text
    page = client.get("/aanvraag/adres-kiezen")
    if page.status_code == 200:
        data = {"address": choose} if choose else {}
        if not choose:
            data["address"] = re.search(r'name="address"[^>]*value="(\d{16})"', page.text)[1]
        assert client.post("/aanvraag/adres-kiezen", data={
            "csrf_token": csrf_token(page.text), **data}).status_code == 302
    assert post(client, "/aanvraag/register", {}).status_code == 302
    assert post(client, "/aanvraag/gebouw", {"building_kind": "home"}).status_code == 302
    assert post(client, "/aanvraag/relatie", {"relation": "owner_occupier"}).status_code == 302
    assert post(client, "/aanvraag/reden", {"signs": ["new_cracks", "jamming"],
                                            "explanation": "Scheur boven de deur"}
                ).status_code == 302
    response = post(client, "/aanvraag/contact", contact or CONTACT)
    assert response.status_code == 302, response.text
    return client.get("/aanvraag/controleren").text


def submit(client, check_page: str):
    """Consent and send from the check page."""
    return client.post("/aanvraag/controleren", data={
        "csrf_token": csrf_token(check_page), "submission_key": submission_key(check_page),
        "consent": "y"})
