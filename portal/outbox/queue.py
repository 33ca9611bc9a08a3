"""Queue a message in the caller's transaction, so it is committed with the business change."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.clock import utcnow
from portal.outbox.models import OutboxMessage

# The right-hand side of every Message-ID. It is fixed here rather than taken from
# MAIL_FROM, because the id is made at queue time and must not change between attempts.
MESSAGE_ID_DOMAIN = "opnameloket.example"



def new_message_id() -> str:
    """Return a new globally unique RFC 5322 Message-ID, angle brackets included."""
    return f"<{uuid.uuid4().hex}@{MESSAGE_ID_DOMAIN}>"


def _check_header(name: str, value: str) -> str:
    """Refuse a header value that would break the message, at queue time rather than later."""
    value = value.strip()
    if not value or "\r" in value or "\n" in value:
        raise ValueError(f"{name} must be a single non-empty line")
    return value


def queue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    language: str = "nl",
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Add an email to the outbox and flush; the caller's commit makes it final.

    Never commits: the message must be committed together with the business change that
    caused it, or rolled back with it. With a ``dedupe_key`` that was queued before, the
    existing message is returned and nothing new is added, even when another transaction
    queues the same key at the same moment.
    """
    # str(): lazy translations must not reach the database driver.
    to = _check_header("to", str(to))
    if "@" not in to or any(char.isspace() for char in to):
        raise ValueError("to must be one email address")
    subject = _check_header("subject", str(subject))
    body = str(body)
    if dedupe_key is not None:
        existing = _by_dedupe_key(session, dedupe_key)
        if existing is not None:
            return existing
    now = utcnow()
    message = OutboxMessage(
        created_at=now,
        channel="email",
        to_address=to,
        subject=subject,
        body_text=body,
        message_id=new_message_id(),
        dedupe_key=dedupe_key,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        language=language,
    )
    if dedupe_key is None:
        session.add(message)
        session.flush()
        return message
    # A savepoint, so that losing a race on the key leaves the caller's transaction usable.
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        existing = _by_dedupe_key(session, dedupe_key)
        if existing is None:
            raise
        return existing
    return message


def _by_dedupe_key(session: Session, dedupe_key: str) -> OutboxMessage | None:
    """Return the message queued under dedupe_key, if any."""
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).one_or_none()
