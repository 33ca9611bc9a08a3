"""Who reacts to what: the one place where consumers subscribe to domain events.

Read this file to know everything that follows a change of a request. The publishers
(`requests.workflow`, `intake.submit`, `triage.decisions`, `capacity` planning) import
none of these consumers. Handlers that write texts in the resident's language run
inside an application context, so a worker or a script gets the same words as a page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Flask, has_app_context
from sqlalchemy.orm import Session

from portal import metrics
from portal.capacity import notify as plan_mail
from portal.capacity import planning
from portal.capacity.events import PlanChanged
from portal.events import Subscribers
from portal.intake import notify as request_mail
from portal.requests.events import RequestReceived, StatusChanged, StatusesChanged
from portal.service import ServiceFacts
from portal.triage import apply as triage_apply
from portal.triage import letters as decision_letters
from portal.triage.events import DecisionTaken


def subscribers(app: Flask, facts: ServiceFacts) -> Subscribers:
    """Build the app's subscribers: mail, letters and bookings that follow each change."""
    wired = Subscribers()
    # Bookings first: a withdrawn request frees its week before anyone is told anything.
    wired.subscribe(StatusChanged, planning.give_back_week)
    wired.subscribe(StatusesChanged, planning.give_back_weeks)
    # Requests that followed a withdrawn one are triaged again on their own.
    wired.subscribe(StatusChanged, triage_apply.free_followers)
    # Arrivals counted for /metrics, per channel.
    wired.subscribe(RequestReceived, metrics.of(app).count_submission)
    for event_type, handler in (
        (RequestReceived, request_mail.confirm_arrival),
        (StatusChanged, request_mail.tell_status),
        (StatusChanged, request_mail.tell_linked),
        (StatusesChanged, request_mail.tell_statuses),
        (DecisionTaken, decision_letters.send_decision_letter),
        (DecisionTaken, request_mail.tell_decision),
        (PlanChanged, plan_mail.tell_plan),
    ):
        wired.subscribe(event_type, _in_app(app, partial(handler, facts=facts)))
    return wired


def _in_app(app: Flask, handler: Callable[[Session, object], None]):
    """Run handler inside an application context (translations, dates) when none is active."""
    def run(session: Session, event: object) -> None:
        if has_app_context():
            handler(session, event)
            return
        with app.app_context():
            handler(session, event)
    return run
