"""The worker: a mail server that is down loses nothing, and every message arrives once."""

from __future__ import annotations

import smtplib
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.clock import utcnow
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.queue import queue_email
from portal.outbox.worker import (
    LEASE,
    MAX_ATTEMPTS,
    deliver_due,
    describe_error,
    retry_delay,
    run_worker,
)
from portal.register.models import Municipality

NOTHING = {"sent": 0, "retried": 0, "failed": 0}


def _queue(session, count: int, **overrides) -> list[OutboxMessage]:
    """Queue and commit count messages, as a confirmed request would."""
    messages = [
        queue_email(session, **{
            "to": f"bewoner{number}@example.org",
            "subject": f"Uw aanvraag OV-7K3Q-92XM-4HJA ({number})",
            "body": "Wij hebben uw aanvraag ontvangen. Één medewerker belt u binnenkort.",
            **overrides,
        })
        for number in range(count)
    ]
    session.commit()
    return messages


def _states(session) -> list[tuple[str, int]]:
    """(status, attempts) of every message, in queue order."""
    rows = session.execute(
        select(OutboxMessage.status, OutboxMessage.attempts).order_by(OutboxMessage.id)
    ).all()
    return [tuple(row) for row in rows]


class Crash(BaseException):
    """The worker process dying mid-send (not an ordinary, retryable error)."""


class CrashingTransport:
    """A transport during which the worker dies."""

    def send(self, message):
        raise Crash


def test_server_down_then_up_delivers_every_message_exactly_once(
        session, smtp_server, smtp_transport):
    messages = _queue(session, 5)
    start = utcnow()

    down = deliver_due(session, smtp_transport, now=start)

    assert down == {"sent": 0, "retried": 5, "failed": 0}
    assert _states(session) == [("pending", 1)] * 5
    for message in messages:
        session.refresh(message)
        assert start + timedelta(seconds=27) <= message.next_attempt_at
        assert message.next_attempt_at <= start + timedelta(seconds=33)
        assert message.last_error.startswith("ConnectionRefusedError")

    smtp_server.start()
    too_early = deliver_due(session, smtp_transport, now=start + timedelta(seconds=10))
    up = deliver_due(session, smtp_transport, now=start + timedelta(minutes=1))
    again = deliver_due(session, smtp_transport, now=start + timedelta(hours=2))

    assert too_early == NOTHING
    assert up == {"sent": 5, "retried": 0, "failed": 0}
    assert again == NOTHING
    assert smtp_server.handler.message_ids() == {message.message_id: 1 for message in messages}
    assert _states(session) == [("sent", 2)] * 5
    assert all(message.sent_at is not None and message.last_error is None
               for message in session.scalars(select(OutboxMessage)))


def test_sent_email_carries_headers_and_utf8_body(session, smtp_server, smtp_transport):
    (message,) = _queue(session, 1, language="en", subject="Request received — één")
    smtp_server.start()

    deliver_due(session, smtp_transport)

    (received,) = smtp_server.handler.received
    assert received["To"] == "bewoner0@example.org"
    assert received["From"] == "Opnameloket <noreply@opnameloket.example>"
    assert received["Subject"] == "Request received — één"
    assert received["Message-ID"] == message.message_id
    assert received["Content-Language"] == "en"
    assert received["Date"] is not None
    # On the wire lines end in CRLF.
    assert received.get_content().replace("\r\n", "\n").rstrip("\n") == message.body_text


def test_message_of_a_rolled_back_transaction_is_never_sent(
        session, smtp_server, smtp_transport):
    session.add(Municipality(code="9999", name="Testdorp", in_effect_area=True))
    queue_email(session, to="bewoner@example.org", subject="Aanvraag", body="Ontvangen.")
    session.rollback()
    smtp_server.start()

    counts = deliver_due(session, smtp_transport, now=utcnow() + timedelta(days=1))

    assert counts == NOTHING
    assert smtp_server.handler.received == []
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert session.get(Municipality, "9999") is None


def test_message_is_failed_after_ten_attempts_and_kept(session, smtp_transport, caplog):
    (message,) = _queue(session, 1)
    moment = utcnow()
    results = []

    for _ in range(MAX_ATTEMPTS):
        results.append(deliver_due(session, smtp_transport, now=moment))
        moment += timedelta(hours=2)

    assert results == [{"sent": 0, "retried": 1, "failed": 0}] * (MAX_ATTEMPTS - 1) + [
        {"sent": 0, "retried": 0, "failed": 1}]
    assert _states(session) == [("failed", MAX_ATTEMPTS)]
    assert deliver_due(session, smtp_transport, now=moment + timedelta(days=30)) == NOTHING
    assert f"message {message.id} failed after 10 attempts" in caplog.text


def test_refused_recipient_does_not_hold_up_the_others_and_error_names_no_address(
        session, smtp_server, smtp_transport):
    messages = _queue(session, 3)
    smtp_server.handler.refuse.add("bewoner1@example.org")
    smtp_server.start()

    counts = deliver_due(session, smtp_transport)

    assert counts == {"sent": 2, "retried": 1, "failed": 0}
    assert _states(session) == [("sent", 1), ("pending", 1), ("sent", 1)]
    session.refresh(messages[1])
    assert messages[1].last_error == "SMTPRecipientsRefused: recipient refused (550)"


def test_message_claimed_by_a_worker_that_died_is_sent_after_its_lease(
        session, smtp_server, smtp_transport):
    (message,) = _queue(session, 1)
    start = utcnow()

    with pytest.raises(Crash):
        deliver_due(session, CrashingTransport(), now=start)
    smtp_server.start()
    during_lease = deliver_due(session, smtp_transport, now=start + LEASE / 2)
    after_lease = deliver_due(session, smtp_transport, now=start + LEASE)

    assert during_lease == NOTHING
    assert after_lease == {"sent": 1, "retried": 0, "failed": 0}
    assert smtp_server.handler.message_ids() == {message.message_id: 1}
    assert _states(session) == [("sent", 2)]


def test_last_attempt_dying_with_its_worker_ends_failed(session, smtp_transport):
    _queue(session, 1)
    moment = utcnow()
    for _ in range(MAX_ATTEMPTS - 1):
        deliver_due(session, smtp_transport, now=moment)
        moment += timedelta(hours=2)

    with pytest.raises(Crash):
        deliver_due(session, CrashingTransport(), now=moment)
    counts = deliver_due(session, smtp_transport, now=moment + LEASE)

    assert counts == {"sent": 0, "retried": 0, "failed": 1}
    assert _states(session) == [("failed", MAX_ATTEMPTS)]


def test_batch_limits_one_round(session, smtp_server, smtp_transport):
    _queue(session, 5)
    smtp_server.start()

    first = deliver_due(session, smtp_transport, batch=3)
    second = deliver_due(session, smtp_transport, batch=3)

    assert (first["sent"], second["sent"]) == (3, 2)


@pytest.mark.committing
def test_concurrent_workers_send_each_message_exactly_once(
        app, session, smtp_server, smtp_transport):
    messages = _queue(session, 30)
    smtp_server.start()
    totals = []

    def worker():
        with app.app_context():
            own = db.new_session()
            try:
                totals.append(deliver_due(own, smtp_transport, batch=100))
            finally:
                own.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(total["sent"] for total in totals) == 30
    assert smtp_server.handler.message_ids() == {message.message_id: 1 for message in messages}


@pytest.mark.committing
def test_run_worker_delivers_and_stops_when_told(
        make_mail_app, session, smtp_server):
    mail_app = make_mail_app(MAIL_BACKEND="smtp", SMTP_PORT=str(smtp_server.port))
    (message,) = _queue(session, 1)
    smtp_server.start()
    stop = threading.Event()
    result = {}

    def work():
        result.update(run_worker(mail_app, poll_seconds=0.05, stop_event=stop))

    thread = threading.Thread(target=work)
    thread.start()
    try:
        assert smtp_server.handler.arrived.wait(timeout=30)
    finally:
        stop.set()
        thread.join(timeout=30)

    assert not thread.is_alive()
    assert result == {"sent": 1, "retried": 0, "failed": 0}
    assert smtp_server.handler.message_ids() == {message.message_id: 1}


def test_error_text_never_holds_the_recipient_address_in_any_case():
    message = OutboxMessage(to_address="Bewoner@Example.org")
    error = smtplib.SMTPDataError(554, b"Rejected for bewoner@example.org: policy")

    assert describe_error(error, message) == (
        "SMTPDataError: 554 Rejected for <recipient>: policy")


@pytest.mark.parametrize(("attempts", "low", "high"), [
    (1, 27, 33), (2, 54, 66), (3, 108, 132), (7, 1728, 2112), (8, 3240, 3960), (9, 3240, 3960),
    (1000, 3240, 3960),
])
def test_retry_delay_doubles_with_jitter_up_to_an_hour(attempts, low, high):
    delays = [retry_delay(attempts).total_seconds() for _ in range(200)]

    assert low <= min(delays)
    assert max(delays) <= high
    assert len(set(delays)) > 1
