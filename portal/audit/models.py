"""The audit trail's tables: entries chained by hashes, the chain's head, and the purge permit.

An entry records who (actor), did what (action), when (at, UTC), to what (subject), from
where (client, as a keyed hash, never the address itself). Actions are short dotted codes;
free strings are allowed, but these are the ones the portal uses:

- ``auth.login``: a staff member signed in
- ``auth.login_failed``: a sign-in was refused (unknown user or wrong password)
- ``auth.totp_failed``: a second-factor code was refused
- ``auth.logout``: a staff member signed out
- ``auth.sessions_ended``: all sessions of an account were ended
- ``request.viewed``: someone saw a request's personal data
- ``request.letter_viewed``: staff opened a letter of a request (its name and address)
- ``request.answer_file_viewed``: staff opened a file the resident sent with an answer
- ``letters.batch_downloaded``: staff downloaded the letters waiting for post as one PDF
- ``request.created``: a request was entered (web form or phone)
- ``request.note_added``: a note was added to a request
- ``request.contact_corrected``: the contact details of a request were corrected
- ``request.withdrawn``: a request was withdrawn
- ``request.answered``: the resident answered an officer's question on /status
- ``letters.printed``: queued letters were marked as printed and posted
- ``user.created``: a staff account was created
- ``user.deactivated``: a staff account was deactivated

``subject_type`` names what was acted on (``request``, ``staff_user``) and ``subject_id``
its id, as a string. ``details`` is canonical JSON for context such as the names of the
fields that changed or a reason code. **Callers must not put personal data in details** —
no names, addresses, email addresses or phone numbers, neither old nor new values: the
trail is kept longer than the data it refers to. ``record`` masks what looks like an email
address, phone number or postcode as a last defence, but that is no licence to pass them.

The tables refuse UPDATE and DELETE in the database itself (triggers, see migration
0006_audit); only a transaction holding the purge permit may remove entries.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base

# The prev_hash of the first entry: there is nothing before it.
GENESIS_HASH = "0" * 64

# Emptied only through portal.audit.empty_trail, never by a plain DELETE or TRUNCATE.
AUDIT_TABLES = frozenset({"audit_entries", "audit_head", "audit_purge_permit"})


class AuditEntry(Base):
    """One thing someone did, chained to the entry before it by prev_hash."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_subject", "subject_type", "subject_id"),
        Index("ix_audit_entries_at", "at"),
    )

    # Numbered by record() from the head row, under its lock, not by a database sequence:
    # a sequence leaves gaps on rollback, and a gap must mean a removed entry.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str | None] = mapped_column(String(30))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str | None] = mapped_column(Text)
    client: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        # Ids and codes only: reprs end up in logs and tracebacks.
        return f"<AuditEntry {self.id} {self.action} {self.subject_type}:{self.subject_id}>"


class AuditHead(Base):
    """The single row that names the newest entry; writers lock it to append one at a time.

    Because it is updated in the same transaction as each append, it also lets verify()
    notice when the newest entries have been removed: the chain alone cannot show that.
    """

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditPurgePermit(Base):
    """A row here lets SQLite's triggers allow removal of entries, within one transaction.

    SQLite triggers cannot read a session setting, so the permit is a row that the purging
    transaction inserts first and deletes before it commits. PostgreSQL uses a
    transaction-local setting instead and leaves this table empty.
    """

    __tablename__ = "audit_purge_permit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
