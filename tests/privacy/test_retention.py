"""Retention with a frozen clock: what is removed, when, and what stays for the figures."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from portal.actors import RESIDENT
from portal.outbox.models import OutboxMessage
from portal.outbox.queue import queue_email
from portal.privacy.erasure import anonymise, may_erase
from portal.privacy.retention import RetentionPeriods, run_retention
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status
from portal.requests.workflow import transition
from tests.factories import address_row, file_request, import_rows

NOW = datetime(2029, 1, 10, 12)
PERIODS = RetentionPeriods()


@pytest.fixture
def requests(app, session, tmp_path):
    """Three requests: withdrawn 25 months ago, withdrawn 23 months ago, still open."""
    with app.app_context():
        import_rows(session, tmp_path, [address_row(n) for n in range(1, 4)])
        old, recent, open_one = (file_request(session, n) for n in range(1, 4))
        for req in (old, recent):
            transition(session, req, Status.WITHDRAWN, actor=RESIDENT, reason="withdrawn")
        session.commit()
    session.execute(update(InspectionRequest).where(InspectionRequest.id == old.id)
                    .values(status_changed_at=NOW - timedelta(days=25 * 31)))
    session.execute(update(InspectionRequest).where(InspectionRequest.id == recent.id)
                    .values(status_changed_at=NOW - timedelta(days=23 * 30)))
    session.commit()
    return old, recent, open_one


def test_a_request_that_ended_longer_ago_than_the_period_is_anonymised(app, session, requests):
    old, recent, open_one = requests
    with app.app_context():
        report = run_retention(session, NOW, PERIODS)
        session.commit()

    assert report.requests_anonymised == 1
    session.refresh(old)
    assert old.anonymised_at is not None
    assert (old.contact_name, old.email, old.phone, old.explanation) == ("", None, None, "")
    assert old.huisnummer == 0 and old.postcode == "9937" and old.nummeraanduiding_id is None
    # What the figures count stays.
    assert (old.status, old.woonplaats, old.gemeentecode) == ("withdrawn", "Meedhuizen", "1979")
    for kept in (recent, open_one):
        session.refresh(kept)
        assert kept.anonymised_at is None and kept.contact_name == "R. Bewoner"


def test_anonymising_records_who_and_why_and_runs_once(app, session, requests):
    old, *_ = requests
    with app.app_context():
        run_retention(session, NOW, PERIODS)
        run_retention(session, NOW, PERIODS)
        session.commit()
    erased = session.scalars(select(RequestEvent).where(RequestEvent.request_id == old.id,
                                                        RequestEvent.kind == "erased")).all()
    assert len(erased) == 1 and erased[0].actor_label == "retention"


def test_sent_mail_loses_address_and_text_after_the_mail_period(app, session):
    with app.app_context():
        for days_ago in (91, 89):
            queue_email(session, to="r@x.nl", subject=f"Mail {days_ago}", body="Beste R.",
                        language="nl")
        session.flush()
    mails = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    for mail, days_ago in zip(mails[-2:], (91, 89), strict=True):
        mail.status = "sent"
        mail.sent_at = NOW - timedelta(days=days_ago)
    session.commit()

    with app.app_context():
        report = run_retention(session, NOW, PERIODS)
    assert report.mails_cleared == 1
    old, recent = mails[-2:]
    session.refresh(old)
    session.refresh(recent)
    assert (old.to_address, old.body_text) == ("", "")
    assert recent.body_text == "Beste R."


def test_a_withdrawn_request_may_be_erased_at_once_an_open_one_not(app, session, requests):
    old, recent, open_one = requests
    assert may_erase(recent) and not may_erase(open_one)
    with app.app_context():
        anonymise(session, recent, actor=RESIDENT, reason="erased at the resident's request")
        session.commit()
    assert not may_erase(recent)
