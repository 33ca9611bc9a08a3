"""The state machine publishes; what follows subscribes. A plain session has no side effects."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from portal.actors import SYSTEM, Actor
from portal.capacity.events import PlanChanged
from portal.events import INFO_KEY, Subscribers, publish
from portal.extensions import db as database
from portal.intake.submit import Answers, submit_request
from portal.outbox.models import OutboxMessage
from portal.requests import workflow
from portal.requests.events import RequestReceived, StatusChanged, StatusesChanged
from portal.requests.models import RequestEvent
from portal.requests.reference import format_reference
from portal.requests.states import Status
from portal.triage.events import DecisionTaken

OFFICER = Actor.staff(7, "Officer Jansen")


def _answers(**overrides) -> Answers:
    values = dict(postcode="9937AB", huisnummer=10, straat="Hoofdstraat", woonplaats="Meedhuizen",
                  building_kind="home", relation="tenant", contact_name="E", language="nl",
                  email="e@example.nl")
    values.update(overrides)
    return Answers(**values)


def test_the_state_machine_runs_in_a_plain_session_without_an_app_context(app, database_url):
    engine = create_engine(database_url)
    try:
        with Session(bind=engine) as plain:
            submission = submit_request(plain, _answers(), actor=SYSTEM, submission_key="plain")
            req = submission.request
            workflow.transition(plain, req, Status.DECLINED, actor=OFFICER, reason="test")
            plain.flush()

            statuses = plain.scalars(select(RequestEvent.to_status).where(
                RequestEvent.request_id == req.id).order_by(RequestEvent.id)).all()
            mails = plain.scalar(select(func.count()).select_from(OutboxMessage))
            assert (req.status, statuses[-1], mails) == ("declined", "declined", 0)
            plain.rollback()
    finally:
        engine.dispose()


def test_the_same_change_in_an_app_session_tells_the_resident(app_context, session):
    req = submit_request(session, _answers(), actor=SYSTEM, submission_key="app").request

    workflow.transition(session, req, Status.DECLINED, actor=OFFICER, reason="test")

    subjects = session.scalars(select(OutboxMessage.subject).order_by(OutboxMessage.id)).all()
    reference = format_reference(req.reference)
    assert subjects == [f"We hebben uw aanvraag {reference} ontvangen",
                        f"Uw aanvraag {reference}: Niet goedgekeurd"]


def test_publish_hands_each_event_to_its_subscribers_in_order(session):
    seen = []
    subscribers = Subscribers()
    subscribers.subscribe(str, lambda s, e: seen.append(("first", e)))
    subscribers.subscribe(str, lambda s, e: seen.append(("second", e)))
    subscribers.subscribe(int, lambda s, e: seen.append(("int", e)))
    plain = Session(info={INFO_KEY: subscribers})

    publish(plain, "changed")
    publish(Session(), "nobody listens")

    assert seen == [("first", "changed"), ("second", "changed")]


def test_create_app_wires_every_consumer(app):
    subscribers = app.extensions[database.SESSION_INFO][INFO_KEY]

    wired = {event: len(subscribers.handlers(event)) for event in (
        RequestReceived, StatusChanged, StatusesChanged, DecisionTaken, PlanChanged)}

    # Status changes: bookings given back, followers freed, the resident and the followers
    # told; a decision: its letter and the email that says what was decided; an arrival:
    # the /metrics counter and the confirmation; the rest: one consumer.
    assert wired == {RequestReceived: 2, StatusChanged: 4, StatusesChanged: 2,
                     DecisionTaken: 2, PlanChanged: 1}
