"""The urgent track: the call back decides what happens to a request with acute danger."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.actors import Actor
from portal.clock import utcnow
from portal.letters.models import Letter, PrintJob
from portal.outbox.models import OutboxMessage
from portal.requests.models import InspectionRequest
from portal.triage import callback
from portal.triage.decisions import DecisionRefused, decide
from portal.triage.models import Decision
from portal.triage.queue import QueueFilter, count_overdue, queue_page
from tests.triage.conftest import IN_P50, INSPECTED_BEFORE, NEVER_INSPECTED, file_request

OFFICER = Actor.staff(3, "T. Officer")


def _letter_text(session, letter_id: int) -> str:
    reader = PdfReader(io.BytesIO(session.get(Letter, letter_id).pdf))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _decision(session, req) -> Decision:
    return session.scalars(select(Decision).where(Decision.request_id == req.id)).one()


def test_reached_in_danger_refers_and_closes_with_a_truthful_letter(app_context, session,
                                                                    triage_register):
    req = file_request(session, NEVER_INSPECTED, acute=True, email=None,
                       language="en")

    callback.reached_in_danger(session, req, actor=OFFICER, note="Wall is bulging")
    session.commit()

    decision = _decision(session, req)
    assert (req.status, decision.decision, decision.decided_by_label) == (
        "closed", "referred_to_emergency", "T. Officer")
    kinds = [(e.kind, e.actor_label) for e in req.events[-2:]]
    assert kinds == [("callback", "T. Officer"), ("status", "T. Officer")]
    assert "Wall is bulging" in req.events[-2].reason
    text = _letter_text(session, decision.letter_id)
    assert "passed on to the procedure for acute danger" in text
    assert "already in the reinforcement programme" not in text
    assert "object" not in text.lower().replace("objection", "")  # no bezwaar paragraph
    # No email: the letter goes by post.
    assert session.scalars(select(PrintJob)).one().letter_id == decision.letter_id


def test_reached_without_danger_is_triaged_again_as_an_ordinary_request(
        app_context, session, triage_register):
    req = file_request(session, INSPECTED_BEFORE, acute=True)
    assert (req.status, req.priority) == ("urgent", 0)

    outcome = callback.reached_no_danger(session, req, actor=OFFICER, note="Old cracks")
    session.commit()

    assert outcome.route == "reassessment"
    assert (req.status, req.acute_danger, req.suggested_route, req.priority) == (
        "received", False, "reassessment", 1)
    assert session.scalars(select(Decision)).all() == []
    # Now an ordinary decision can be taken.
    decide(session, req, "accept_reassessment", actor=OFFICER, reason_code="rules_apply")
    assert req.status == "accepted_reassessment"


def test_reached_without_danger_for_a_home_in_the_programme_says_so(app_context, session,
                                                                    triage_register):
    req = file_request(session, IN_P50, acute=True)

    callback.reached_no_danger(session, req, actor=OFFICER)
    session.commit()

    assert (req.status, req.suggested_route) == ("in_programme", "in_programme")


def test_three_unanswered_call_backs_close_with_a_letter_by_post(app_context, session,
                                                                 triage_register):
    req = file_request(session, NEVER_INSPECTED, acute=True, email="r@x.nl", language="en")

    assert callback.not_reached(session, req, actor=OFFICER, note="voicemail") == 1
    assert callback.not_reached(session, req, actor=Actor.staff(4, "B. Officer")) == 2
    session.commit()
    assert req.status == "urgent"
    assert session.scalars(select(PrintJob)).all() == []

    assert callback.not_reached(session, req, actor=OFFICER) == 3
    session.commit()

    attempts = [(e.actor_label, e.reason) for e in req.events if e.kind == "no_answer"]
    assert attempts == [
        ("T. Officer", "called back: not reached (attempt 1 of 3) – voicemail"),
        ("B. Officer", "called back: not reached (attempt 2 of 3)"),
        ("T. Officer", "called back: not reached (attempt 3 of 3)"),
    ]
    assert all(e.at is not None for e in req.events)
    decision = _decision(session, req)
    assert (req.status, decision.decision) == ("closed", "not_reached")
    # By post even though the resident has an email address.
    job = session.scalars(select(PrintJob)).one()
    assert job.letter_id == decision.letter_id
    text = _letter_text(session, decision.letter_id)
    assert "We could not reach you by phone" in text
    assert "112" in text
    assert "Call the desk on" in text


def test_the_call_back_is_refused_for_a_request_that_is_not_urgent(app_context, session,
                                                                    triage_register):
    req = file_request(session, NEVER_INSPECTED)

    for record in (callback.reached_in_danger, callback.reached_no_danger,
                   callback.not_reached):
        with pytest.raises(callback.CallBackRefused):
            record(session, req, actor=OFFICER)


@pytest.mark.parametrize("decision", ["inform", "accept_inspection", "decline"])
def test_no_decision_closes_an_urgent_request(app_context, session, triage_register, decision):
    req = file_request(session, IN_P50, acute=True)

    with pytest.raises(DecisionRefused):
        decide(session, req, decision, actor=OFFICER, reason_code="rules_apply",
               reason_text="try")
    assert req.status == "urgent"


def test_overdue_call_backs_stand_first_and_are_counted(app_context, session, triage_register):
    fresh = file_request(session, NEVER_INSPECTED, acute=True, key="fresh")
    ordinary = file_request(session, INSPECTED_BEFORE, key="ordinary")
    old = file_request(session, IN_P50, acute=True, key="old")
    for req, hours in ((ordinary, 60), (old, 30), (fresh, 1)):
        session.get(InspectionRequest, req.id).created_at = utcnow() - timedelta(hours=hours)
    session.commit()

    page = queue_page(session, QueueFilter())

    assert [r.id for r in page.requests] == [old.id, fresh.id, ordinary.id]
    assert count_overdue(session) == 1
    callback.reached_in_danger(session, old, actor=OFFICER)
    session.commit()
    assert count_overdue(session) == 0


def test_the_decision_email_says_the_letter_goes_by_post_only_when_it_does(app_context, session,
                                                                          triage_register):
    posted = file_request(session, NEVER_INSPECTED, key="posted", acute=True, email="p@x.nl",
                          language="en")
    for _attempt in range(3):
        callback.not_reached(session, posted, actor=OFFICER)
    mailed = file_request(session, INSPECTED_BEFORE, key="mailed", email="m@x.nl",
                          language="en")
    decide(session, mailed, "accept_reassessment", actor=OFFICER, reason_code="rules_apply")
    session.commit()

    bodies = {m.to_address: m.body_text for m in session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.like("decision:%")))}

    by_post = "We also send you the letter by post."
    assert (by_post in bodies["p@x.nl"], by_post in bodies["m@x.nl"]) == (True, False)
