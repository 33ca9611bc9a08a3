"""Counting attempts per client in fixed windows, in the database so every process agrees."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base

_EPOCH = datetime(1970, 1, 1)


class RateLimitCounter(Base):
    """How often one client did one thing within one window."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def client_key(action: str, client: str) -> str:
    """A key for action by client; the client address is hashed, never stored as such."""
    return f"{action}:{hashlib.sha256(client.encode()).hexdigest()[:40]}"


def _window_start(window: timedelta, now: datetime) -> datetime:
    seconds = int(window.total_seconds())
    elapsed = int((now - _EPOCH).total_seconds())
    return _EPOCH + timedelta(seconds=elapsed // seconds * seconds)


def allow(session: Session, key: str, *, limit: int, window: timedelta, now: datetime) -> bool:
    """Count one attempt for key and say whether it is within limit for this window.

    Runs in its own savepoint and the caller commits; an attempt over the limit is still
    counted, so hammering does not reopen the window.
    """
    start = _window_start(window, now)
    table = RateLimitCounter.__table__
    match = (table.c.key == key) & (table.c.window_start == start)
    for _attempt in range(2):
        bumped = session.execute(update(table).where(match).values(count=table.c.count + 1))
        if bumped.rowcount:
            break
        try:
            with session.begin_nested():
                session.execute(table.insert().values(key=key, window_start=start, count=1))
            break
        except IntegrityError:
            continue  # another process created the row between our update and insert
    count = session.scalar(select(table.c.count).where(match))
    session.execute(delete(table).where(table.c.window_start < start - window))
    return count <= limit


def give_back(session: Session, key: str, *, window: timedelta, now: datetime) -> None:
    """Take back one attempt that `allow` counted with the same now: it went well.

    For limits on failures only: count every attempt before trying (so parallel attempts
    cannot slip past the limit), and give back the ones that succeed. The caller commits.
    """
    table = RateLimitCounter.__table__
    session.execute(update(table).where(
        (table.c.key == key) & (table.c.window_start == _window_start(window, now))
        & (table.c.count > 0)
    ).values(count=table.c.count - 1))
