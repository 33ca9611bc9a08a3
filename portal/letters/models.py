"""Issued letters, kept as the exact PDF bytes the resident received."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class LetterIsFinal(RuntimeError):
    """An issued letter was about to be changed; letters are kept exactly as sent."""


class Letter(Base):
    """A letter as issued: its PDF bytes, and the template version they were rendered with.

    A letter is never rendered again: a download serves `pdf`, so the resident, the
    desk and the archive all hold the same document. `sha256` lets anyone check that.
    """

    __tablename__ = "letters"
    __table_args__ = (
        # The languages of LANGUAGES; a new one needs a migration as well.
        CheckConstraint("language IN ('nl', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(5))
    template_version: Mapped[str] = mapped_column(String(30))
    # UTC without time zone, like every moment the portal stores.
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The reference of the request the letter is about; a letter may concern no request.
    subject_reference: Mapped[str | None] = mapped_column(String(40), index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)

    def __repr__(self) -> str:
        return (
            f"<Letter {self.id} {self.kind} {self.language} v{self.template_version} "
            f"{self.subject_reference}>"
        )


@event.listens_for(Letter, "before_update")
def _refuse_changes(_mapper, _connection, letter: Letter) -> None:
    """Refuse to write any change to a letter that was issued."""
    state = inspect(letter)
    changed = [attr.key for attr in state.attrs if attr.history.has_changes()]
    if changed:
        raise LetterIsFinal(f"Letter {letter.id} was issued and cannot change ({changed}).")


class PrintJob(Base):
    """A letter waiting to be printed and posted in a window envelope.

    Kept apart from Letter because an issued letter never changes; printing is
    something that happens to it later.
    """

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"), index=True)
    queued_at: Mapped[datetime] = mapped_column(DateTime)
    queued_by: Mapped[str] = mapped_column(String(200))
    printed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # Who printed and posted it (a staff member's name, or "command line").
    printed_by: Mapped[str | None] = mapped_column(String(200))
