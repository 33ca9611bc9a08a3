"""The outbox worker: claims due messages, sends them, and retries with backoff."""

from __future__ import annotations

import logging
import random
import re
import smtplib
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal.clock import utcnow
from portal.extensions import db
from portal.outbox import transport_for
from portal.outbox.models import OutboxMessage
from portal.outbox.transports import Transport

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# How long a claimed message belongs to one worker. Far longer than one SMTP exchange
# may take; after it, the worker is presumed dead and another may send the message.
LEASE = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """Return the wait after the given number of failed attempts: doubling, capped, jittered."""
    # The exponent is bounded so that the product cannot overflow timedelta.
    base = min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_RETRY)
    # Jitter spreads the retries of a surge so they do not all hit the server at once.
    return base * random.uniform(0.9, 1.1)


def describe_error(exc: BaseException, message: OutboxMessage) -> str:
    """Return a short reason for a failed attempt, without the recipient's address."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _reply in exc.recipients.values()})
        text = f"SMTPRecipientsRefused: recipient refused ({', '.join(map(str, codes))})"
    elif isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        if isinstance(reply, bytes):
            reply = reply.decode("utf-8", "replace")
        text = f"{type(exc).__name__}: {exc.smtp_code} {reply}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    # Servers quote the address in their replies; the outbox row already knows it.
    text = re.sub(re.escape(message.to_address), "<recipient>", text, flags=re.IGNORECASE)
    return " ".join(text.split())[:300]


def _naive_utc(moment: datetime | None) -> datetime:
    """Return moment (default now) as naive UTC, the way the outbox stores times."""
    if moment is None:
        return utcnow()
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _claim_one(session: Session, now: datetime) -> OutboxMessage | None:
    """Take one due message for this worker, count the attempt, commit; None when none is due.

    One UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING statement: on PostgreSQL the
    subquery skips rows another worker has locked, so workers never wait on or share a
    message; on SQLite the statement takes the write lock first, so it is atomic too.
    Counting the attempt at claim time bounds a message that kills its worker every time.
    The message comes back as a copy outside the session, so no transaction stays open
    while it is sent.
    """
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.channel == "email",
            or_(OutboxMessage.status == "pending", OutboxMessage.status == "sending"),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    row = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == due.scalar_subquery())
        .values(
            status="sending",
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + LEASE,
        )
        .returning(*OutboxMessage.__table__.columns)
        .execution_options(synchronize_session=False)
    ).mappings().one_or_none()
    session.commit()
    return None if row is None else OutboxMessage(**row)


def _record_outcome(session: Session, message: OutboxMessage, **values) -> None:
    """Write the outcome of this worker's attempt and commit.

    Only while the claim is still this worker's: if the lease ran out and another worker
    took the message (attempts went up), this late outcome is dropped, not written over.
    """
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == "sending",
            OutboxMessage.attempts == message.attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _fail_abandoned(session: Session, now: datetime) -> int:
    """Mark failed the messages whose last allowed attempt died with its worker."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "sending",
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts >= MAX_ATTEMPTS,
        )
        .values(status="failed", last_error="worker stopped during the last attempt")
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if result.rowcount:
        logger.error("outbox: %d message(s) failed: worker stopped during the last attempt",
                     result.rowcount)
    return result.rowcount


def deliver_due(
    session: Session, transport: Transport, *, now: datetime | None = None, batch: int = 50
) -> dict[str, int]:
    """Send up to batch due messages; return how many were sent, retried and failed.

    Commits after each claim and after each outcome, so a crash loses nothing (a message
    claimed by a dead worker is sent again after its lease, with the same Message-ID) and
    one message that cannot be sent does not hold up the others. Expires the session's
    objects at the end, so the caller reads the new states.
    """
    now = _naive_utc(now)
    counts = {"sent": 0, "retried": 0, "failed": _fail_abandoned(session, now)}
    for _ in range(batch):
        message = _claim_one(session, now)
        if message is None:
            break
        try:
            transport.send(message)
        except Exception as exc:  # any failure of one message is retried, never fatal
            error = describe_error(exc, message)
            if message.attempts >= MAX_ATTEMPTS:
                _record_outcome(session, message, status="failed", last_error=error)
                counts["failed"] += 1
                logger.error("outbox: message %s failed after %d attempts: %s",
                             message.id, message.attempts, error)
            else:
                retry_at = now + retry_delay(message.attempts)
                _record_outcome(session, message, status="pending", next_attempt_at=retry_at,
                                last_error=error)
                counts["retried"] += 1
                logger.warning("outbox: message %s attempt %d failed, retry at %s: %s",
                               message.id, message.attempts, retry_at, error)
        else:
            _record_outcome(session, message, status="sent", sent_at=utcnow(), last_error=None)
            counts["sent"] += 1
    session.expire_all()
    return counts


def run_worker(
    app,
    *,
    once: bool = False,
    poll_seconds: float = 5.0,
    stop_event: threading.Event | None = None,
    batch: int = 50,
) -> dict[str, int]:
    """Deliver due messages until stop_event is set (or, with once, until none is due).

    Waits on the event between rounds, so setting it stops the worker at once instead of
    after a sleep. A database error in one round is logged and the next round tries again
    (with once, it is raised). Returns the totals of sent, retried and failed.
    """
    stop = stop_event or threading.Event()
    totals = {"sent": 0, "retried": 0, "failed": 0}
    transport = transport_for(app)
    with app.app_context():
        while not stop.is_set():
            session = db.new_session()
            try:
                counts = deliver_due(session, transport, batch=batch)
            except Exception:
                if once:
                    raise
                logger.exception("outbox: delivery round failed; trying again")
                counts = {}
            finally:
                session.close()
            for key, value in counts.items():
                totals[key] += value
            # A full batch suggests more are due: go on without waiting.
            if sum(counts.values()) >= batch:
                continue
            if once:
                break
            stop.wait(poll_seconds)
    return totals
