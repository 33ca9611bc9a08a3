"""The print queue: letters that go by post, until someone prints and posts them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.letters.models import Letter, PrintJob


def queue_for_print(session: Session, letter: Letter, *, queued_by: str) -> PrintJob:
    """Put an issued letter in the print queue (caller commits)."""
    job = PrintJob(letter_id=letter.id, queued_by=queued_by,
                   queued_at=datetime.now(UTC).replace(tzinfo=None))
    session.add(job)
    session.flush()
    return job


def waiting(session: Session) -> list[tuple[PrintJob, Letter]]:
    """Letters not yet printed, oldest first."""
    return list(session.execute(
        select(PrintJob, Letter).join(Letter, Letter.id == PrintJob.letter_id)
        .where(PrintJob.printed_at.is_(None)).order_by(PrintJob.queued_at, PrintJob.id)
    ).tuples())


def mark_printed(session: Session, job: PrintJob) -> None:
    """Record that a queued letter was printed and posted (caller commits)."""
    job.printed_at = datetime.now(UTC).replace(tzinfo=None)
