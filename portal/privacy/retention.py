"""Retention: personal data is kept only as long as the configured periods say.

`run_retention` is one periodic task (the maintenance run calls it; so does the outbox
worker, once a day): requests closed, declined or withdrawn longer ago than the request
period are anonymised; sent mail loses its address and text after the mail period; stored
letters are deleted after the letter period, once their request is anonymised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.letters.models import Letter, PrintJob
from portal.outbox.models import OutboxMessage
from portal.privacy.erasure import anonymise
from portal.requests.models import InspectionRequest
from portal.requests.states import Status

ENDED = (Status.CLOSED.value, Status.DECLINED.value, Status.WITHDRAWN.value)
RETENTION_ACTOR = Actor("system", None, "retention")
BATCH = 500


@dataclass(frozen=True)
class RetentionPeriods:
    """How long each kind of personal data is kept (configuration, see the README)."""

    request_months: int = 24  # after the request ended
    mail_days: int = 90  # after an email was sent
    letter_months: int = 84  # after a letter was issued (7 years)
    draft_days: int = 2  # an unsent form
    link_hours: int = 24  # an emailed link

    def request_cutoff(self, now: datetime) -> datetime:
        """Requests that ended before this moment are anonymised."""
        return now - timedelta(days=round(self.request_months * 30.44))

    def letter_cutoff(self, now: datetime) -> datetime:
        """Letters issued before this moment are deleted (their request anonymised)."""
        return now - timedelta(days=round(self.letter_months * 30.44))


@dataclass(frozen=True)
class RetentionReport:
    """What one run removed."""

    requests_anonymised: int
    mails_cleared: int
    letters_deleted: int


def run_retention(session: Session, now: datetime, periods: RetentionPeriods) -> RetentionReport:
    """Apply every retention period once; the caller commits."""
    return RetentionReport(
        requests_anonymised=anonymise_ended(session, now, periods),
        mails_cleared=clear_sent_mail(session, now, periods),
        letters_deleted=delete_old_letters(session, now, periods),
    )


def anonymise_ended(session: Session, now: datetime, periods: RetentionPeriods) -> int:
    """Anonymise requests that ended longer ago than the request period."""
    cutoff = periods.request_cutoff(now)
    count = 0
    while True:
        batch = session.scalars(
            select(InspectionRequest)
            .where(InspectionRequest.status.in_(ENDED),
                   InspectionRequest.status_changed_at < cutoff,
                   InspectionRequest.anonymised_at.is_(None))
            .order_by(InspectionRequest.id).limit(BATCH)
        ).all()
        for req in batch:
            anonymise(session, req, actor=RETENTION_ACTOR,
                      reason=f"retention: ended more than {periods.request_months} months ago")
        count += len(batch)
        if len(batch) < BATCH:
            return count


def clear_sent_mail(session: Session, now: datetime, periods: RetentionPeriods) -> int:
    """Clear the address and text of emails sent longer ago than the mail period."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sent",
               OutboxMessage.sent_at < now - timedelta(days=periods.mail_days),
               OutboxMessage.body_text != "")
        .values(to_address="", body_text="")
    )
    return result.rowcount or 0


def delete_old_letters(session: Session, now: datetime, periods: RetentionPeriods) -> int:
    """Empty letters older than the letter period whose request has been anonymised."""
    anonymised = select(InspectionRequest.reference).where(
        InspectionRequest.anonymised_at.is_not(None))
    old = select(Letter.id).where(Letter.created_at < periods.letter_cutoff(now),
                                  Letter.subject_reference.in_(anonymised),
                                  Letter.size > 0)
    ids = list(session.scalars(old))
    if not ids:
        return 0
    printed = select(PrintJob.letter_id).where(PrintJob.printed_at.is_(None))
    waiting = set(session.scalars(printed.where(PrintJob.letter_id.in_(ids))))
    ids = [i for i in ids if i not in waiting]
    if ids:
        # A bulk UPDATE on purpose: an issued letter never changes (LetterIsFinal guards
        # the ORM), but at the end of its period it is emptied, not altered.
        session.execute(update(Letter).where(Letter.id.in_(ids))
                        .values(pdf=b"", size=0, sha256=""))
    return len(ids)
