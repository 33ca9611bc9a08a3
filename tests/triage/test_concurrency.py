"""Use cases that two people start at the same moment: real connections, one per thread,
released together by a barrier, each committing for real (the tables are emptied after).

On PostgreSQL the row lock (decisions) and the per-address advisory lock (submissions)
decide; on SQLite every writer takes the database's write lock at BEGIN, so the same
tests check that the loser is refused with a clear code rather than a crash.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import RESIDENT, Actor
from portal.intake.submit import Answers, submit_request
from portal.requests.models import InspectionRequest
from portal.triage.decisions import DecisionRefused, decide
from portal.triage.models import Decision
from tests.concurrency import at_once
from tests.factories import address_id
from tests.triage.conftest import NEVER_INSPECTED, file_request

pytestmark = [pytest.mark.concurrent, pytest.mark.committing]

OFFICERS = [Actor.staff(3, "T. Officer"), Actor.staff(4, "A. Collega")]


def _at_once(app, jobs: list[Callable[[Session], str]]) -> list[str]:
    """Run each job at the same moment; a refused decision is named by its code."""
    return at_once(app, jobs, refusal=lambda error: error.code
                   if isinstance(error, DecisionRefused) else None)


def test_two_officers_deciding_one_request_at_once_get_one_decision_and_one_refusal(
        app, app_context, session, triage_register):
    req = file_request(session, NEVER_INSPECTED)
    seen = req.status  # what both officers have on their screen

    def officer(actor: Actor, decision: str):
        def job(s: Session) -> str:
            mine = s.get(InspectionRequest, req.id)
            decide(s, mine, decision, actor=actor, reason_code="other",
                   reason_text=f"{actor.label} besluit", seen_status=seen)
            return "decided"
        return job

    outcomes = _at_once(app, [officer(OFFICERS[0], "accept_inspection"),
                              officer(OFFICERS[1], "decline")])

    assert sorted(outcomes) == ["decided", "decision.taken_by_someone_else"]
    session.expire_all()
    decisions = session.scalars(select(Decision).where(Decision.request_id == req.id)).all()
    assert len(decisions) == 1
    winner = decisions[0]
    assert session.get(InspectionRequest, req.id).status == (
        "accepted_inspection" if winner.decision == "accept_inspection" else "declined")


def test_the_refusal_has_a_message_for_the_officer(app, app_context, session, triage_register):
    req = file_request(session, NEVER_INSPECTED)
    decide(session, req, "decline", actor=OFFICERS[0], reason_code="other", reason_text="Dubbel")
    session.commit()

    with pytest.raises(DecisionRefused) as refused:
        decide(session, req, "accept_inspection", actor=OFFICERS[1], reason_code="other",
               reason_text="Toch", seen_status="received")

    assert refused.value.code == "decision.taken_by_someone_else"
    with force_locale("en"):
        assert refused.value.message == ("Someone else decided this request just now. Look at "
                                         "its new status before you decide.")
    with force_locale("nl"):
        assert refused.value.message.startswith("Iemand anders heeft net over deze aanvraag")


def _answers(number: int, *, in_register: bool = True) -> Answers:
    return Answers(postcode="9937AB", huisnummer=number, straat="Hoofdstraat",
                   woonplaats="Meedhuizen",
                   nummeraanduiding_id=address_id(number) if in_register else None,
                   building_kind="home", relation="owner_occupier", contact_name="R. Bewoner",
                   language="nl", email="r@example.nl", explanation="Scheuren")


# Several sizes: each is a fresh race (the tables are emptied between tests).
@pytest.mark.parametrize("residents", [2, 2, 3, 5, 8])
def test_residents_filing_for_one_home_at_once_give_one_open_request_and_the_rest_linked(
        app, app_context, session, triage_register, residents):
    def resident(index: int):
        def job(s: Session) -> str:
            submit_request(s, _answers(NEVER_INSPECTED), actor=RESIDENT,
                           submission_key=f"same-home-{index}")
            return "submitted"
        return job

    outcomes = _at_once(app, [resident(i) for i in range(residents)])

    assert outcomes == ["submitted"] * residents
    first, *rest = session.scalars(select(InspectionRequest).where(
        InspectionRequest.nummeraanduiding_id == address_id(NEVER_INSPECTED))
        .order_by(InspectionRequest.id)).all()
    assert (first.status, len(rest)) == ("received", residents - 1)
    assert [(r.status, r.linked_to_id) for r in rest] == [("linked", first.id)] * len(rest)
