"""Decisions with reasons, the deviation rule, letters in both languages, bulk inform."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.actors import Actor
from portal.letters.models import Letter, PrintJob
from portal.requests.reference import format_reference
from portal.triage.decisions import DecisionRefused, bulk_inform, decide
from tests.triage.conftest import IN_P50, IN_P90, INSPECTED_BEFORE, NEVER_INSPECTED, file_request

OFFICER = Actor.staff(3, "T. Officer")


def _letter_text(session, letter_id: int) -> tuple[str, str]:
    letter = session.get(Letter, letter_id)
    reader = PdfReader(io.BytesIO(letter.pdf))
    return "\n".join(p.extract_text() for p in reader.pages), reader.trailer["/Root"]["/Lang"]


def test_accepting_as_suggested_needs_no_written_reason(app_context, session, triage_register):
    req = file_request(session, NEVER_INSPECTED)

    decision = decide(session, req, "accept_inspection", actor=OFFICER, reason_code="rules_apply")
    session.commit()

    assert (req.status, decision.deviates, decision.decided_by_label) == (
        "accepted_inspection", False, "T. Officer")
    assert req.events[-1].reason == "accept_inspection: rules_apply"


def test_deviating_from_the_suggestion_needs_a_written_reason(app_context, session,
                                                               triage_register):
    req = file_request(session, INSPECTED_BEFORE)

    with pytest.raises(DecisionRefused) as refused:
        decide(session, req, "accept_inspection", actor=OFFICER, reason_code="feels_unsafe")
    assert refused.value.code == "decision.needs_reason"
    decision = decide(session, req, "accept_inspection", actor=OFFICER,
                      reason_code="feels_unsafe", reason_text="Nieuwe scheuren sinds 2019")

    assert (decision.deviates, decision.suggested_route, req.status) == (
        True, "reassessment", "accepted_inspection")


def test_a_decision_the_status_does_not_allow_is_refused(app_context, session, triage_register):
    req = file_request(session, NEVER_INSPECTED)
    decide(session, req, "decline", actor=OFFICER, reason_code="other", reason_text="Dubbel")

    with pytest.raises(DecisionRefused) as refused:
        decide(session, req, "accept_inspection", actor=OFFICER, reason_code="rules_apply")
    assert refused.value.code == "decision.not_in_this_status"


@pytest.mark.parametrize(("language", "words"), [
    ("nl", ["Besluit over uw aanvraag", "6 weken"]),
    ("en", ["Decision on your request", "Your home will be inspected", "6 weeks",
            "never inspected"]),
])
def test_decision_letter_in_the_residents_language(app_context, session, triage_register,
                                                   language, words):
    req = file_request(session, NEVER_INSPECTED, language=language)

    decision = decide(session, req, "accept_inspection", actor=OFFICER, reason_code="rules_apply")

    text, lang = _letter_text(session, decision.letter_id)
    assert lang == language
    assert format_reference(req.reference) in text
    assert "Hoofdstraat 10" in text
    for word in words:
        assert word.lower() in text.lower()


def test_letter_goes_to_the_print_queue_without_email_or_when_asked(app_context, session,
                                                                      triage_register):
    by_email = file_request(session, NEVER_INSPECTED, key="e")
    by_post = file_request(session, INSPECTED_BEFORE, key="p", email=None)

    decide(session, by_email, "accept_inspection", actor=OFFICER, reason_code="rules_apply")
    decision = decide(session, by_post, "accept_reassessment", actor=OFFICER,
                      reason_code="rules_apply")

    jobs = session.scalars(select(PrintJob)).all()
    assert [j.letter_id for j in jobs] == [decision.letter_id]
    text, _ = _letter_text(session, decision.letter_id)
    assert "9937 AB  MEEDHUIZEN" in text


def test_bulk_inform_closes_in_programme_requests_each_with_a_letter(app_context, session,
                                                                      triage_register):
    requests = [file_request(session, IN_P50), file_request(session, IN_P90),
                file_request(session, NEVER_INSPECTED)]

    decisions = bulk_inform(session, requests, actor=OFFICER)

    assert [r.status for r in requests] == ["closed", "closed", "received"]
    assert len({d.letter_id for d in decisions}) == 2
