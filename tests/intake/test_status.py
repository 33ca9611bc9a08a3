"""`/status`: the same answer for every failed lookup, the timeline, withdraw and correct."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.actors import Actor
from portal.intake.status import DECISION_WITHIN, expected_decision
from portal.outbox.models import OutboxMessage
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.triage.decisions import decide
from tests.factories import file_request
from tests.intake.conftest import NEVER_INSPECTED, csrf_token, post
from tests.intake.walk import submit, walk_to_check


def _submitted(client, session) -> InspectionRequest:
    submit(client, walk_to_check(client, *NEVER_INSPECTED))
    session.rollback()
    session.expire_all()
    return session.scalar(select(InspectionRequest))


def _lookup(client, reference: str, postcode: str, number: str):
    return post(client, "/status", {"reference": reference, "postcode": postcode,
                                    "huisnummer": number})


def _stored_session(app, response) -> dict:
    """The signed session cookie a response sets, decoded."""
    cookie = response.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    return app.session_interface.get_signing_serializer(app).loads(cookie)


def _all_but_the_cookie(response) -> tuple:
    # The request id is random per request, whatever was looked up: it tells nothing.
    return (response.status_code, response.get_data(),
            tuple(sorted((k, v) for k, v in response.headers.items()
                         if k not in ("Set-Cookie", "X-Request-ID"))))


def test_failed_lookups_get_byte_identical_answers(app, session, register):
    req = _submitted(app.test_client(), session)
    reference = format_reference(req.reference)
    wrong_reference = reference[:-1] + ("0" if reference[-1] != "0" else "1")
    client = app.test_client()
    tries = [(wrong_reference, "9937AB", "10"), (reference, "9937AC", "10"),
             (reference, "9937AB", "11"), ("OV-0000-0000-0000", "9937AB", "10")]

    answers = [_lookup(client, *typed) for typed in tries]

    assert {a.status_code for a in answers} == {303}
    assert len({_all_but_the_cookie(a) for a in answers}) == 1
    # The cookie holds what was typed, for the fields, and nothing the lookup found out.
    stored = [_stored_session(app, a) for a in answers]
    assert [s.pop("status_typed") for s in stored] == [
        dict(zip(("reference", "postcode", "huisnummer"), typed, strict=True))
        for typed in tries]
    assert all(s == stored[0] for s in stored) and "status_request" not in stored[0]


def test_a_failed_lookup_answers_the_same_whether_or_not_the_reference_exists(
        app, session, register):
    req = _submitted(app.test_client(), session)
    client = app.test_client()
    typed = (format_reference(req.reference), "9937AC", "10")

    exists = _lookup(client, *typed)
    session.get(InspectionRequest, req.id).reference = req.reference[::-1]
    session.commit()
    missing = _lookup(client, *typed)

    assert exists.status_code == missing.status_code == 303
    assert _all_but_the_cookie(exists) == _all_but_the_cookie(missing)
    assert _stored_session(app, exists) == _stored_session(app, missing)


def test_a_failed_lookup_keeps_what_was_typed_in_the_fields(app, session, register):
    client = app.test_client()

    failed = _lookup(client, "OV-1234-5678-9ABC", "9937 ab", "12")
    page = client.get(failed.location + "&lang=en").text
    again = client.get("/status").text

    assert "We could not find a request with these details." in page
    assert 'value="OV-1234-5678-9ABC"' in page
    assert 'value="9937 ab"' in page and 'value="12"' in page
    assert "OV-1234-5678-9ABC" not in again  # kept for the next page only


def test_status_shows_meaning_timeline_and_expected_period(app, session, register):
    req = _submitted(app.test_client(), session)
    client = app.test_client()

    response = _lookup(client, req.reference.lower(), "9937 ab", "10")
    page = client.get(response.location + "?lang=en").text

    assert "Status: Received" in page
    assert "We have received your request." in page
    assert "You will hear from us before" in page
    assert "anne@example.nl" not in page and "Anne" not in page


def test_a_linked_request_promises_a_decision_only_while_its_lead_waits_for_one(
        app, session, register):
    with app.app_context():
        lead = file_request(session, NEVER_INSPECTED[1], email="eerste@example.nl")
        follower = file_request(session, NEVER_INSPECTED[1], key="second")
        assert follower.status == "linked"
        waiting = expected_decision(follower)

        decide(session, lead, "accept_inspection", actor=Actor.staff(3, "T. Officer"),
               reason_code="rules_apply")
        session.commit()

    assert waiting == (lead.created_at + DECISION_WITHIN).date()
    # "You will hear from us before …" would be false: the lead was decided and the
    # resident was told (status page, and the lead's planning mail).
    assert expected_decision(follower) is None


def test_failed_lookups_are_rate_limited_per_client(app, session, register):
    req = _submitted(app.test_client(), session)
    client = app.test_client()
    for _ in range(10):
        _lookup(client, "OV-0000-0000-0000", "9937AB", "10")

    blocked = _lookup(client, format_reference(req.reference), "9937AB", "10")

    assert blocked.location.endswith("melding=te-vaak")


def test_successful_lookups_do_not_count_toward_the_limit(app, session, register):
    req = _submitted(app.test_client(), session)
    client = app.test_client()
    reference = format_reference(req.reference)

    checks = [_lookup(client, reference, "9937AB", "10") for _ in range(12)]
    failures = [_lookup(client, "OV-0000-0000-0000", "9937AB", "10") for _ in range(10)]
    blocked = _lookup(client, "OV-0000-0000-0000", "9937AB", "10")

    assert {c.location for c in checks} == {"/status/aanvraag"}
    assert {f.location for f in failures} == {"/status?melding=niet-gevonden"}
    assert blocked.location == "/status?melding=te-vaak"


def _email_link(session, purpose: str) -> str:
    session.rollback()
    session.expire_all()
    bodies = [m.body_text for m in session.scalars(select(OutboxMessage))]
    return re.search(rf"http://[^\s]+/status/link/{purpose}/[\w-]+", "\n".join(bodies))[0]


def _open_status(app, session, req):
    client = app.test_client()
    _lookup(client, format_reference(req.reference), "9937AB", "10")
    return client


def test_withdraw_through_a_one_time_link(app, session, register):
    req = _submitted(app.test_client(), session)
    client = _open_status(app, session, req)
    overview = client.get("/status/aanvraag").text
    client.post("/status/link/withdraw", data={"csrf_token": csrf_token(overview)})
    link = _email_link(session, "withdraw").removeprefix("http://127.0.0.1:5000")

    confirm = client.get(link)
    client.post(link, data={"csrf_token": csrf_token(confirm.text)})
    again = client.get(link)

    session.rollback()
    session.expire_all()
    stored = session.get(InspectionRequest, req.id)
    assert stored.status == "withdrawn"
    assert [e.actor_kind for e in stored.events if e.kind == "status"] == ["resident"] * 2
    assert again.status_code == 410


def test_correct_contact_details_through_a_one_time_link(app, session, register):
    req = _submitted(app.test_client(), session)
    client = _open_status(app, session, req)
    overview = client.get("/status/aanvraag").text
    client.post("/status/link/correct", data={"csrf_token": csrf_token(overview)})
    link = _email_link(session, "correct").removeprefix("http://127.0.0.1:5000")

    form = client.get(link)
    client.post(link, data={"csrf_token": csrf_token(form.text), "contact_name": "Anne B.",
                            "email": "anne@example.org", "phone": "+49 30 1234567",
                            "language": "en", "letters_by_post": "yes"})

    session.rollback()
    session.expire_all()
    stored = session.get(InspectionRequest, req.id)
    assert (stored.contact_name, stored.email, stored.phone, stored.language,
            stored.letters_by_post, stored.status) == (
        "Anne B.", "anne@example.org", "+49301234567", "en", True, "received")
    assert stored.events[-1].reason == "contact details corrected"
    assert client.get(link).status_code == 410


@pytest.mark.parametrize("final", ["withdrawn", "closed", "declined"])
def test_a_final_request_offers_no_change_or_withdraw(app, session, register, final):
    req = _submitted(app.test_client(), session)
    client = _open_status(app, session, req)
    token = csrf_token(client.get("/status/aanvraag").text)
    stored = session.get(InspectionRequest, req.id)
    stored.status = final
    session.commit()

    page = client.get("/status/aanvraag?lang=en").text
    refused = [client.post(f"/status/link/{purpose}", data={"csrf_token": token})
               for purpose in ("withdraw", "correct")]

    for offer in ("Change or withdraw", "Correct my contact details", "Withdraw my request",
                  "/status/link/"):
        assert offer not in page
    assert [r.status_code for r in refused] == [303, 303]
    session.rollback()
    assert session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.contains("Your link"))).all() == []


def test_an_accepted_request_offers_to_correct_but_not_to_withdraw_after_inspection(
        app, session, register):
    req = _submitted(app.test_client(), session)
    client = _open_status(app, session, req)
    stored = session.get(InspectionRequest, req.id)
    stored.status = "inspected"
    session.commit()

    page = client.get("/status/aanvraag?lang=en").text

    assert "Correct my contact details" in page
    assert "Withdraw my request" not in page


def test_a_resident_without_email_is_sent_to_the_desk_instead_of_a_link(app, session, register):
    req = _submitted(app.test_client(), session)
    client = _open_status(app, session, req)
    stored = session.get(InspectionRequest, req.id)
    stored.email = None
    session.commit()

    page = client.get("/status/aanvraag?lang=en").text

    assert "You gave us no email address, so we cannot send you a link." in page
    assert app.config["DESK_PHONE"] in page
    assert "/status/link/" not in page
