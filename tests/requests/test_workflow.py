"""The state table and the one function that changes a status: every edge, allowed or not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.actors import SYSTEM, Actor
from portal.intake.submit import Answers, submit_request
from portal.outbox.models import OutboxMessage
from portal.requests import workflow
from portal.requests.models import RequestEvent
from portal.requests.states import EXPLANATIONS, LABELS, TRANSITIONS, Status

EDGES = [(a, b) for a in Status for b in Status]
OFFICER = Actor.staff(7, "Officer Jansen")


def _request_in(session, status: Status):
    submission = submit_request(session, Answers(
        postcode="9937AB", huisnummer=10, straat="Hoofdstraat", woonplaats="Meedhuizen",
        building_kind="home", relation="tenant", contact_name="E", language="nl",
        email="e@example.nl"), actor=SYSTEM, submission_key=f"walk-{status}")
    req = submission.request
    # Arrange the starting state directly: the edge under test is the one we walk.
    req.status = status.value
    session.flush()
    return req


def test_every_status_has_a_label_an_explanation_and_a_row_in_the_table():
    assert set(LABELS) == set(EXPLANATIONS) == set(TRANSITIONS) == set(Status)


@pytest.mark.parametrize(("source", "target"), EDGES, ids=[f"{a}->{b}" for a, b in EDGES])
def test_transition_follows_the_table(app_context, session, source, target):
    req = _request_in(session, source)

    if target in TRANSITIONS[source]:
        event = workflow.transition(session, req, target, actor=OFFICER, reason="because")
        assert (req.status, event.from_status, event.to_status, event.actor_label,
                event.reason) == (target.value, source.value, target.value, "Officer Jansen",
                                  "because")
    else:
        with pytest.raises(workflow.TransitionRefused) as refused:
            workflow.transition(session, req, target, actor=OFFICER, reason="because")
        assert refused.value.code == "transition.not_allowed"
        assert req.status == source.value
    session.rollback()


def test_transition_queues_the_notification_in_the_same_transaction(app_context, session):
    req = _request_in(session, Status.RECEIVED)
    session.commit()

    workflow.transition(session, req, Status.ACCEPTED_INSPECTION, actor=OFFICER, reason="ok")
    session.rollback()

    subjects = [m.subject for m in session.scalars(select(OutboxMessage))]
    assert len(subjects) == 1  # only the confirmation of the submission itself
    events = session.scalars(select(RequestEvent).where(RequestEvent.kind == "status"))
    assert [e.to_status for e in events] == ["received"]


def _requests_in(session, statuses: list[Status]):
    """One request per status, committed (arranged directly, like _request_in)."""
    made = []
    for i, status in enumerate(statuses):
        req = submit_request(session, Answers(
            postcode="9937AB", huisnummer=10, straat="Hoofdstraat", woonplaats="Meedhuizen",
            building_kind="home", relation="tenant", contact_name="E", language="en",
            email=f"e{i}@example.nl"), actor=SYSTEM, submission_key=f"many-{i}").request
        req.status = status.value
        made.append(req)
    session.commit()
    return made


def test_transition_many_moves_all_with_history_and_notifications(app_context, session):
    reqs = _requests_in(session, [Status.ACCEPTED_INSPECTION, Status.ACCEPTED_REASSESSMENT])
    before = len(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all())

    moved = workflow.transition_many(session, [reqs[0], reqs[1].id], Status.SCHEDULED,
                                     actor=OFFICER, reason={reqs[0].id: "week 50",
                                                            reqs[1].id: "week 51"})
    session.commit()

    assert (moved, [r.status for r in reqs]) == (2, ["scheduled", "scheduled"])
    events = [(e.request_id, e.from_status, e.to_status, e.actor_label, e.reason)
              for e in session.scalars(select(RequestEvent).where(
                  RequestEvent.to_status == "scheduled").order_by(RequestEvent.request_id))]
    assert events == [
        (reqs[0].id, "accepted_inspection", "scheduled", "Officer Jansen", "week 50"),
        (reqs[1].id, "accepted_reassessment", "scheduled", "Officer Jansen", "week 51")]
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
    assert sorted(m.to_address for m in messages) == ["e0@example.nl", "e1@example.nl"]
    assert {m.subject.endswith(": Planned") for m in messages} == {True}  # in English


def test_transition_many_refuses_all_when_one_edge_is_not_in_the_table(app_context, session):
    reqs = _requests_in(session, [Status.ACCEPTED_INSPECTION, Status.RECEIVED])

    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition_many(session, reqs, Status.SCHEDULED, actor=OFFICER, reason="x")
    assert (refused.value.code, refused.value.params["ids"]) == (
        "transition.not_allowed_many", [reqs[1].id])
    session.rollback()

    session.expire_all()
    assert [r.status for r in reqs] == ["accepted_inspection", "received"]
    assert session.scalars(select(RequestEvent).where(
        RequestEvent.to_status == "scheduled")).all() == []


def test_transition_many_without_notify_queues_nothing(app_context, session):
    reqs = _requests_in(session, [Status.ACCEPTED_INSPECTION])
    before = len(session.scalars(select(OutboxMessage)).all())

    workflow.transition_many(session, reqs, Status.SCHEDULED, actor=OFFICER, reason="x",
                             notify=False)

    assert (len(session.scalars(select(OutboxMessage)).all()), workflow.transition_many(
        session, [], Status.SCHEDULED, actor=OFFICER, reason="x")) == (before, 0)
