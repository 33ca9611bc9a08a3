"""Officers see a request's letters and answers; the post page and `flask letters print-queue`."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.actors import RESIDENT, Actor
from portal.letters.models import Letter, PrintJob
from portal.requests.answers import Upload, answer_question
from portal.requests.reference import format_reference
from portal.triage.decisions import decide
from tests.accounts.conftest import login_as
from tests.intake.conftest import csrf_token
from tests.triage.conftest import IN_P50, INSPECTED_BEFORE, NEVER_INSPECTED, file_request

pytestmark = pytest.mark.usefixtures("triage_register")

OFFICER = Actor.staff(3, "T. Officer")
TRIAGE = "/medewerkers/triage"
POST = "/medewerkers/post"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 40


def _by_post(app, session, number, decision, **options):
    """A request decided on, with its letter in the print queue (no email address)."""
    with app.app_context():
        req = file_request(session, number, key=f"p{number}", email=None, **options)
        decide(session, req, decision, actor=OFFICER, reason_code="rules_apply")
        session.commit()
    return req


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _fresh(session):
    session.rollback()
    session.expire_all()


# The request page


def test_request_page_lists_its_letters_and_opens_each_pdf(app, client, session):
    req = _by_post(app, session, NEVER_INSPECTED, "accept_inspection")
    other = _by_post(app, session, INSPECTED_BEFORE, "accept_reassessment")
    login_as(client, "officer")
    letter = session.scalars(select(Letter).where(
        Letter.subject_reference == format_reference(req.reference))).one()
    theirs = session.scalars(select(Letter).where(
        Letter.subject_reference == format_reference(other.reference))).one()

    page = client.get(f"{TRIAGE}/aanvraag/{req.id}").text
    response = client.get(f"{TRIAGE}/aanvraag/{req.id}/brief/{letter.id}.pdf")

    assert "Decision letter" in page
    assert f"/aanvraag/{req.id}/brief/{letter.id}.pdf" in page
    assert (response.status_code, response.mimetype) == (200, "application/pdf")
    assert response.data == letter.pdf
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(f"{TRIAGE}/aanvraag/{req.id}/brief/{theirs.id}.pdf").status_code == 404


def test_an_agent_may_not_open_a_letter(app, session):
    req = _by_post(app, session, NEVER_INSPECTED, "accept_inspection")
    letter = session.scalars(select(Letter)).one()
    agent = app.test_client()
    login_as(agent, "agent")

    assert agent.get(f"{TRIAGE}/aanvraag/{req.id}/brief/{letter.id}.pdf").status_code == 403


def test_request_page_shows_the_residents_answer_and_its_file(app, client, session):
    with app.app_context():
        req = file_request(session, NEVER_INSPECTED)
        decide(session, req, "ask_information", actor=OFFICER,
               reason_code="information_missing", reason_text="Stuur een foto van de scheur")
        answer = answer_question(session, req, text="Hierbij de foto", actor=RESIDENT,
                                 upload=Upload("scheur.png", PNG))
        session.commit()
    login_as(client, "officer")

    page = client.get(f"{TRIAGE}/aanvraag/{req.id}").text
    file = client.get(f"{TRIAGE}/aanvraag/{req.id}/antwoord/{answer.id}")

    assert "Answers from the resident" in page and "Hierbij de foto" in page
    assert "scheur.png" in page
    assert (file.status_code, file.mimetype, file.data) == (200, "image/png", PNG)
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"{TRIAGE}/aanvraag/{req.id + 1}/antwoord/{answer.id}").status_code == 404


def test_asking_for_information_needs_the_question(app, client, session):
    with app.app_context():
        req = file_request(session, NEVER_INSPECTED)
    login_as(client, "officer")
    detail = f"{TRIAGE}/aanvraag/{req.id}"
    token = csrf_token(client.get(detail).text)

    response = client.post(f"{detail}/besluit", data={
        "csrf_token": token, "decision": "ask_information",
        "reason_code": "information_missing", "reason_text": ""})

    assert response.status_code == 422
    assert "Write the question the resident must answer" in response.text


# The post page


def test_post_page_lists_waiting_letters_gives_one_pdf_and_marks_them_printed(
        app, client, session):
    first = _by_post(app, session, NEVER_INSPECTED, "accept_inspection", language="en")
    second = _by_post(app, session, IN_P50, "inform")
    user = login_as(client, "officer")

    page = client.get(f"{POST}/").text
    jobs = session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
    ids = ",".join(str(job.id) for job in jobs)
    pdf = client.get(f"{POST}/stapel.pdf?opdrachten={ids}")
    marked = client.post(f"{POST}/geprint", data={"csrf_token": csrf_token(page),
                                                    "jobs": ids})
    after = client.get(marked.location).text

    assert "2 letters are waiting to be printed." in page
    assert format_reference(first.reference) in page and format_reference(second.reference) \
        in page
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    texts = _pages(pdf.data)
    assert format_reference(first.reference) in texts[0]
    assert any(format_reference(second.reference) in text for text in texts[1:])
    assert marked.status_code == 303
    assert "2 letters marked as printed and posted." in after
    assert "There is no letter waiting to be printed." in after
    _fresh(session)
    assert {(job.printed_by, job.printed_at is not None)
            for job in session.scalars(select(PrintJob))} == {(user.display_name, True)}


def test_a_letter_queued_after_the_page_was_shown_is_not_marked(app, client, session):
    _by_post(app, session, NEVER_INSPECTED, "accept_inspection")
    login_as(client, "officer")
    page = client.get(f"{POST}/").text
    [shown] = session.scalars(select(PrintJob)).all()
    _by_post(app, session, IN_P50, "inform")

    client.post(f"{POST}/geprint", data={"csrf_token": csrf_token(page), "jobs": str(shown.id)})

    _fresh(session)
    assert [job.printed_at is None for job in
            session.scalars(select(PrintJob).order_by(PrintJob.id))] == [False, True]


def test_an_empty_batch_gives_no_pdf(client, session):
    login_as(client, "coordinator")

    response = client.get(f"{POST}/stapel.pdf?opdrachten=")

    assert response.status_code == 303


def test_agents_do_not_reach_the_post_page(app):
    agent = app.test_client()
    login_as(agent, "agent")

    assert agent.get(f"{POST}/").status_code == 403


# The command


def test_print_queue_command_lists_writes_and_marks(app, runner, session, tmp_path):
    req = _by_post(app, session, NEVER_INSPECTED, "accept_inspection")
    target = tmp_path / "post.pdf"

    listed = runner.invoke(args=["letters", "print-queue"])
    written = runner.invoke(args=["letters", "print-queue", "--pdf", str(target),
                                  "--mark-printed", "--by", "P. Postkamer"])
    again = runner.invoke(args=["letters", "print-queue"])

    assert listed.exit_code == 0, listed.output
    assert "1 letter(s) waiting to be printed:" in listed.output
    assert format_reference(req.reference) in listed.output
    assert written.exit_code == 0, written.output
    assert "Marked 1 letter(s) as printed." in written.output
    assert format_reference(req.reference) in _pages(target.read_bytes())[0]
    assert "No letters waiting to be printed." in again.output
    _fresh(session)
    assert session.scalars(select(PrintJob.printed_by)).all() == ["P. Postkamer"]


def test_a_letter_of_odd_length_is_followed_by_a_blank_page(app, session):
    from portal.letters.printing import combined_pdf, waiting

    _by_post(app, session, NEVER_INSPECTED, "accept_inspection")
    _by_post(app, session, IN_P50, "inform")
    batch = waiting(session)
    sizes = [len(PdfReader(io.BytesIO(letter.pdf)).pages) for _job, letter in batch]

    merged = PdfReader(io.BytesIO(combined_pdf(batch)))

    assert len(merged.pages) == sum(size + size % 2 for size in sizes)
