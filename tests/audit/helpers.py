"""Shared arrangements for the audit trail's tests: a short trail, and an intruder's tools."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from portal.actors import RESIDENT, SYSTEM, Actor
from portal.audit import AuditEntry, record

OFFICER = Actor.staff(7, "Officer Seven")


def append_entries(session: Session, count: int = 5) -> list[AuditEntry]:
    """Record count entries with every field filled in turn, and commit them."""
    actors = (OFFICER, RESIDENT, SYSTEM)
    entries = [
        record(
            session,
            actor=actors[n % len(actors)],
            action="request.viewed" if n % 2 else "request.note_added",
            subject_type="request",
            subject_id=100 + n,
            details={"fields": ["status"], "n": n},
            client=f"192.0.2.{n}",
        )
        for n in range(count)
    ]
    session.commit()
    return entries


def lift_update_guard(session: Session) -> None:
    """Switch off the UPDATE guard inside the session's transaction, as an intruder could.

    The change is part of the transaction: rolling it back puts the guard back.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))
    else:
        session.execute(text("DROP TRIGGER audit_entries_no_update"))
