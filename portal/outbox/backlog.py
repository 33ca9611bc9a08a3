"""How far the outbox is behind: the messages not yet sent and the age of the oldest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.outbox.models import OutboxMessage

# Queued and not yet delivered: waiting for (another) attempt, or being sent right now.
UNSENT = ("pending", "sending")


def backlog(session: Session, now: datetime) -> tuple[int, int]:
    """The number of unsent messages and the age in whole seconds of the oldest (0: none)."""
    count, oldest = session.execute(
        select(func.count(), func.min(OutboxMessage.created_at))
        .where(OutboxMessage.status.in_(UNSENT))
    ).one()
    age = 0 if oldest is None else max(0, int((now - oldest).total_seconds()))
    return count, age
