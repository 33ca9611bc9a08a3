"""Intake's own records: the answers of a form in progress, and one-time links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class RequestDraft(Base):
    """The answers of a form in progress, kept on the server so nothing is lost.

    The browser holds only the draft's random key; answers (free text up to 2,000
    characters) would not fit in a cookie and do not belong in one.
    """

    __tablename__ = "request_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class RequestToken(Base):
    """A one-time link sent to the email on file, to withdraw or correct a request."""

    __tablename__ = "request_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inspection_requests.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    # Only a hash is stored: a copy of the database does not hand out working links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
