"""The print queue: letters that go by post, until someone prints and posts them."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.letters.issue import LetterDamaged
from portal.letters.models import Letter, PrintJob


def queue_for_print(session: Session, letter: Letter, *, queued_by: str) -> PrintJob:
    """Put an issued letter in the print queue (caller commits)."""
    job = PrintJob(letter_id=letter.id, queued_by=queued_by,
                   queued_at=datetime.now(UTC).replace(tzinfo=None))
    session.add(job)
    session.flush()
    return job


def waiting(session: Session, job_ids: list[int] | None = None) -> list[tuple[PrintJob, Letter]]:
    """Letters not yet printed, oldest first; only those of job_ids when given."""
    query = (select(PrintJob, Letter).join(Letter, Letter.id == PrintJob.letter_id)
             .where(PrintJob.printed_at.is_(None)).order_by(PrintJob.queued_at, PrintJob.id))
    if job_ids is not None:
        query = query.where(PrintJob.id.in_(job_ids))
    return [(job, letter) for job, letter in session.execute(query)]


def printed_recently(session: Session, limit: int = 20) -> list[tuple[PrintJob, Letter]]:
    """The letters printed last, newest first, with who printed them."""
    query = (select(PrintJob, Letter).join(Letter, Letter.id == PrintJob.letter_id)
             .where(PrintJob.printed_at.is_not(None))
             .order_by(PrintJob.printed_at.desc(), PrintJob.id.desc()).limit(limit))
    return [(job, letter) for job, letter in session.execute(query)]


def combined_pdf(batch: list[tuple[PrintJob, Letter]]) -> bytes:
    """One PDF of the stored letters of a batch, in order, for the printer.

    Each letter starts on a new sheet when printed on both sides: a letter with an odd
    number of pages is followed by a blank page. The letters themselves are never
    rendered again. Raises LetterDamaged for a letter whose bytes fail their checksum,
    and ValueError for an empty batch.
    """
    if not batch:
        raise ValueError("There is no letter to print.")
    writer = PdfWriter()
    for _job, letter in batch:
        if hashlib.sha256(letter.pdf).hexdigest() != letter.sha256:
            raise LetterDamaged(f"Letter {letter.id} fails its checksum.")
        reader = PdfReader(io.BytesIO(letter.pdf))
        for page in reader.pages:
            writer.add_page(page)
        if len(reader.pages) % 2:
            last = reader.pages[-1]
            writer.add_blank_page(width=last.mediabox.width, height=last.mediabox.height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def mark_printed(session: Session, job_ids: list[int], *, actor: Actor) -> int:
    """Record that these queued letters were printed and posted, by whom; return how many.

    Jobs printed before are left as they were (caller commits).
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    jobs = [job for job, _letter in waiting(session, job_ids)]
    for job in jobs:
        job.printed_at = now
        job.printed_by = actor.label
    if jobs:
        session.flush()
        record(session, actor=actor, action="letters.printed", subject_type="print_job",
               details={"jobs": [job.id for job in jobs]})
    return len(jobs)
