"""Letters on /status, the decision email, and the resident's answer to our question."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.actors import RESIDENT, Actor
from portal.intake import status
from portal.intake.receipt import receipt_pdf
from portal.letters.models import Letter
from portal.outbox.models import OutboxMessage
from portal.requests.answers import MAX_FILE_BYTES, AnswerRefused, Upload, answer_question
from portal.requests.models import InspectionRequest, RequestAnswer
from portal.requests.reference import format_reference
from portal.triage.decisions import decide
from portal.web.context import service_facts
from tests.intake.conftest import csrf_token, post
from tests.triage.conftest import (  # noqa: F401  (fixture)
    INSPECTED_BEFORE,
    NEVER_INSPECTED,
    file_request,
    triage_register,
)

pytestmark = pytest.mark.usefixtures("triage_register")

OFFICER = Actor.staff(3, "T. Officer")
QUESTION = "Stuur een foto van de scheur in de voorgevel."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def _decided(app, session, number=NEVER_INSPECTED, decision="accept_inspection", **options):
    with app.app_context():
        req = file_request(session, number, key=f"k{number}", **options)
        receipt_pdf(session, req, service_facts())
        if number == INSPECTED_BEFORE and decision == "accept_inspection":
            decision = "accept_reassessment"
        text = QUESTION if decision == "ask_information" else ""
        decide(session, req, decision, actor=OFFICER,
               reason_code="information_missing" if text else "rules_apply",
               reason_text=text)
        session.commit()
    return req


def _open_status(app, req: InspectionRequest, number: int = NEVER_INSPECTED):
    client = app.test_client()
    response = post(client, "/status", {"reference": format_reference(req.reference),
                                        "postcode": "9937AB", "huisnummer": str(number)})
    assert response.location.endswith("/status/aanvraag")
    return client


def _fresh(session):
    session.rollback()
    session.expire_all()


# The domain: which letters, whose letters


def test_letters_of_a_request_are_its_receipt_and_decision(app, session):
    req = _decided(app, session)
    other = _decided(app, session, INSPECTED_BEFORE)

    with app.test_request_context("/?lang=en"):
        titles = [entry.title for entry in status.letters_of(session, req)]

    assert titles == ["Receipt of your request", "Decision: Your home will be inspected"]
    assert len(status.letters_of(session, other)) == 2


def test_a_letter_of_another_request_is_not_handed_out(app, session):
    req = _decided(app, session)
    other = _decided(app, session, INSPECTED_BEFORE)
    own = status.letters_of(session, req)[0]
    theirs = status.letters_of(session, other)[0]

    assert status.letter_of(session, req, own.id).id == own.id
    assert status.letter_of(session, req, theirs.id) is None
    assert status.letter_of(session, req, 999_999) is None


# /status: the list and the download


def test_status_lists_the_letters_and_serves_the_stored_pdf(app, session):
    req = _decided(app, session)
    client = _open_status(app, req)

    page = client.get("/status/aanvraag?lang=en").text
    stored = session.scalars(select(Letter).where(Letter.kind == "decision")).one()
    response = client.get(f"/status/brief/{stored.id}.pdf")

    assert client.get("/status/aanvraag").headers["Cache-Control"] == "no-store"
    assert "Your letters" in page and "Decision: Your home will be inspected" in page
    assert f"/status/brief/{stored.id}.pdf" in page
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data == stored.pdf
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert format_reference(req.reference) in text


def test_another_requests_letter_is_refused_and_no_grant_means_no_letter(app, session):
    req = _decided(app, session)
    other = _decided(app, session, INSPECTED_BEFORE)
    theirs = status.letters_of(session, other)[0]
    own = status.letters_of(session, req)[0]
    client = _open_status(app, req)

    assert client.get(f"/status/brief/{theirs.id}.pdf").status_code == 404
    anonymous = app.test_client().get(f"/status/brief/{own.id}.pdf")
    assert anonymous.status_code == 302 and anonymous.location.endswith("/status")


# The decision email


def test_decision_email_says_what_was_decided_and_links_to_status(app, session):
    req = _decided(app, session, language="en")

    message = session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("decision:%"))).one()

    assert message.subject == f"Decision on your request {format_reference(req.reference)}"
    assert "We have decided on your request for Hoofdstraat 10" in message.body_text
    assert ": Your home will be inspected." in message.body_text
    assert "http://localhost/status" in message.body_text or "/status" in message.body_text
    assert "by post" not in message.body_text


def test_question_is_in_the_email_and_on_status(app, session):
    req = _decided(app, session, decision="ask_information", language="en")
    message = session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("decision:%"))).one()
    client = _open_status(app, req)

    page = client.get("/status/aanvraag").text

    assert f"Our question: {QUESTION}" in message.body_text
    assert "/status" in message.body_text
    assert QUESTION in page and 'enctype="multipart/form-data"' in page


# Answering the question


def test_answering_puts_the_request_back_in_the_queue(app, session):
    req = _decided(app, session, decision="ask_information")
    question = status.open_question(session, req)

    with app.app_context():
        answer = answer_question(session, req, text="  Zie de foto. ", actor=RESIDENT,
                                 upload=Upload("C:\\foto's\\scheur.JPG", JPEG),
                                 decision_id=question.decision_id)
        session.commit()

    _fresh(session)
    assert session.get(InspectionRequest, req.id).status == "received"
    stored = session.get(RequestAnswer, answer.id)
    assert (stored.text, stored.content_type, stored.file_name, stored.file_size) == (
        "Zie de foto.", "image/jpeg", "scheur.jpg", len(JPEG))
    assert stored.file_data == JPEG
    assert status.open_question(session, session.get(InspectionRequest, req.id)) is None


@pytest.mark.parametrize(("text", "upload", "reason"), [
    ("", None, "empty"),
    ("x" * 2001, None, "too_long"),
    ("Zie bijlage", Upload("scheur.jpg", b"GIF89a" + b"\x00" * 32), "file_type"),
    ("Zie bijlage", Upload("scheur.pdf", b"<html>%PDF-"), "file_type"),
    ("Zie bijlage", Upload("scheur.png", PNG + b"\x00" * MAX_FILE_BYTES), "file_size"),
])
def test_answers_that_are_refused(app, session, text, upload, reason):
    req = _decided(app, session, decision="ask_information")

    with app.app_context(), pytest.raises(AnswerRefused) as refused:
        answer_question(session, req, text=text, upload=upload, actor=RESIDENT)

    assert refused.value.reason == reason
    session.rollback()
    assert session.scalars(select(RequestAnswer)).all() == []
    assert session.get(InspectionRequest, req.id).status == "awaiting_information"


def test_no_answer_when_no_question_is_open(app, session):
    req = _decided(app, session)

    with app.app_context(), pytest.raises(AnswerRefused, match="not waiting"):
        answer_question(session, req, text="Hallo", upload=None, actor=RESIDENT)


def test_answer_on_status_with_a_pdf(app, session):
    req = _decided(app, session, decision="ask_information")
    client = _open_status(app, req)
    page = client.get("/status/aanvraag").text

    response = client.post("/status/antwoord", data={
        "csrf_token": csrf_token(page), "text": "Hierbij het rapport.",
        "upload": (io.BytesIO(PDF), "rapport.pdf", "application/pdf")},
        content_type="multipart/form-data")
    thanks = client.get(response.location + "&lang=en").text

    assert response.status_code == 303
    assert "Thank you. We received your answer." in thanks
    _fresh(session)
    [answer] = session.scalars(select(RequestAnswer)).all()
    assert (answer.content_type, answer.file_name) == ("application/pdf", "rapport.pdf")
    assert session.get(InspectionRequest, req.id).status == "received"


def test_answer_with_a_file_that_is_no_photo_is_refused_with_a_message(app, session):
    req = _decided(app, session, decision="ask_information")
    client = _open_status(app, req)
    page = client.get("/status/aanvraag?lang=en").text

    response = client.post("/status/antwoord", data={
        "csrf_token": csrf_token(page), "text": "Zie bijlage",
        "upload": (io.BytesIO(b"MZ\x90\x00 not a photo"), "foto.jpg", "image/jpeg")},
        content_type="multipart/form-data")

    assert response.status_code == 422
    assert "Choose a photo (JPEG or PNG) or a PDF file" in response.text
    _fresh(session)
    assert session.get(InspectionRequest, req.id).status == "awaiting_information"
