"""An officer's decision on a request: what, why, and whether it deviates from the suggestion."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base


class Decision(Base):
    """One decision; a deviation from the suggested route always carries a written reason."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_request", "request_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inspection_requests.id"))
    decision: Mapped[str] = mapped_column(String(30))
    reason_code: Mapped[str] = mapped_column(String(40))
    reason_text: Mapped[str] = mapped_column(Text, default="")
    suggested_route: Mapped[str | None] = mapped_column(String(20))
    deviates: Mapped[bool] = mapped_column(Boolean)
    decided_by_id: Mapped[str | None] = mapped_column(String(64))
    decided_by_label: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
