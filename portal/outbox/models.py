"""The outbox: messages to residents, written in the business transaction and sent later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base

CHANNELS = ("email",)  # "post" follows when letters are sent through the outbox
STATUSES = ("pending", "sending", "sent", "failed")


def _in(column: str, values: tuple[str, ...]) -> str:
    """Return the SQL of a check that column holds one of values."""
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class OutboxMessage(Base):
    """One message to one recipient; kept after sending (or failing), never deleted.

    ``message_id`` is fixed at queue time, so a resend after a crash carries the same
    Message-ID and the receiving side can recognise the duplicate. While a worker sends,
    the status is ``sending`` and ``next_attempt_at`` is the end of its lease: a worker
    that dies mid-send leaves a row that another worker takes up after the lease.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(5), default="nl")

    def __repr__(self) -> str:
        # No address or body here: reprs end up in logs and tracebacks.
        return f"<OutboxMessage {self.id} {self.status} attempts={self.attempts}>"
