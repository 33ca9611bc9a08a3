"""Queueing: in the caller's transaction, with a fixed Message-ID, de-duplicated by key."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.queue import queue_email

MESSAGE_ID = re.compile(r"^<[0-9a-f]{32}@[a-z0-9.-]+>$")


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxMessage))


def test_queue_email_flushes_but_leaves_the_commit_to_the_caller(session):
    message = queue_email(session, to="bewoner@example.org", subject="Aanvraag", body="Tekst")

    assert message.id is not None
    assert (message.status, message.attempts, message.channel, message.language) == (
        "pending", 0, "email", "nl")
    assert MESSAGE_ID.match(message.message_id)
    assert session.in_transaction()
    session.rollback()
    assert _count(session) == 0


def test_every_message_gets_its_own_message_id(session):
    messages = [queue_email(session, to="b@example.org", subject="S", body="B")
                for _ in range(50)]

    assert len({message.message_id for message in messages}) == 50


def test_same_dedupe_key_returns_the_existing_message(session):
    first = queue_email(session, to="b@example.org", subject="Ontvangen", body="B",
                        dedupe_key="received:1")
    session.commit()

    again = queue_email(session, to="b@example.org", subject="Ontvangen", body="B",
                        dedupe_key="received:1")
    other = queue_email(session, to="b@example.org", subject="Ontvangen", body="B",
                        dedupe_key="received:2")
    session.commit()

    assert again.id == first.id
    assert other.id != first.id
    assert _count(session) == 2


def test_same_dedupe_key_within_one_transaction_gives_one_message(session):
    first = queue_email(session, to="b@example.org", subject="S", body="B", dedupe_key="k")
    second = queue_email(session, to="b@example.org", subject="S", body="B", dedupe_key="k")
    session.commit()

    assert second is first
    assert _count(session) == 1


def test_messages_without_dedupe_key_are_all_kept(session):
    for _ in range(3):
        queue_email(session, to="b@example.org", subject="S", body="B")
    session.commit()

    assert _count(session) == 3


@pytest.mark.parametrize(("to", "subject"), [
    ("", "Aanvraag"), ("geen-adres", "Aanvraag"), ("a@b.nl\r\nBcc: x@y.nl", "Aanvraag"),
    ("twee adressen@example.org", "Aanvraag"), ("b@example.org", "Regel\nBcc: x@y.nl"),
    ("b@example.org", "  "),
])
def test_unusable_address_or_subject_is_refused_at_queue_time(session, to, subject):
    with pytest.raises(ValueError):
        queue_email(session, to=to, subject=subject, body="B")


@pytest.mark.committing
def test_racing_transactions_with_one_dedupe_key_give_one_message(app, session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    first = queue_email(session, to="b@example.org", subject="S", body="B", dedupe_key="race")
    result = {}

    def second_transaction():
        with app.app_context():
            other = db.new_session()
            try:
                message = queue_email(other, to="b@example.org", subject="S", body="B",
                                      dedupe_key="race")
                other.commit()
                result["id"] = message.id
            finally:
                other.close()

    thread = threading.Thread(target=second_transaction)
    thread.start()
    # The second insert must be waiting on the first's uncommitted key before we commit.
    waiting = threading.Event()
    for _ in range(400):
        blocked = session.execute(text(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"
        )).scalar()
        if blocked:
            break
        waiting.wait(0.025)
    session.commit()
    thread.join(timeout=30)

    assert blocked == 1
    assert result == {"id": first.id}
    assert _count(session) == 1


def test_lazy_translated_subject_and_body_are_stored_as_text(session):
    from flask_babel import lazy_gettext

    message = queue_email(session, to="b@example.org", subject=lazy_gettext("Aanvraag"),
                          body=lazy_gettext("Tekst"))
    session.commit()

    assert (message.subject, message.body_text) == ("Aanvraag", "Tekst")
