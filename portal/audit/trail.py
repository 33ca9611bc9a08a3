"""Appending to the audit trail and checking it: one writer at a time, every entry hashed.

Each entry's hash covers all its fields and the hash of the entry before it, so an
altered entry no longer matches its hash, a removed entry breaks the link of the next,
and removing the newest entries leaves the head row pointing past the end.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit.models import GENESIS_HASH, AuditEntry, AuditHead, AuditPurgePermit
from portal.audit.redact import redact_value
from portal.clock import utcnow
from portal.db import begin_write

HEAD_ID = 1
PURGE_SETTING = "opnameloket.allow_audit_purge"

# The fields an entry's hash covers, in no particular order: the JSON has sorted keys.
HASHED_FIELDS = (
    "id", "at", "actor_kind", "actor_id", "actor_label", "action",
    "subject_type", "subject_id", "details", "client", "prev_hash",
)

# In a session without the app's key (a script, a plain session) a client address is still
# hashed, with a fixed salt; such hashes do not match the keyed ones the app writes.
_CLIENT_SALT = b"opnameloket.audit.client.v1"


class AuditTrailError(RuntimeError):
    """The trail cannot be appended to, e.g. because its head row is missing."""


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of verify(): intact or not, entries checked, and the first break found."""

    ok: bool
    checked: int
    bad_entry_id: int | None = None
    reason: str | None = None
    last_hash: str = GENESIS_HASH



def entry_hash(fields: Mapping[str, object]) -> str:
    """Return the hex sha256 of an entry's fields and prev_hash, as canonical JSON."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["at"] = payload["at"].isoformat(timespec="microseconds")
    data = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def client_hash(address: str, key: bytes | None = None) -> str:
    """Return a keyed hash of a client address: one client's entries link, its address stays out."""
    return hmac.new(key or _CLIENT_SALT, address.encode("utf-8"), hashlib.sha256).hexdigest()


# The key under which an app's sessions carry the key for client hashes (see client_key).
CLIENT_KEY_INFO = "portal.audit_client_key"


def client_key(secret: str | bytes) -> bytes:
    """Derive the key for client hashes from the app's SECRET_KEY (done once, in create_app).

    A derived key, so the audit trail never holds anything computed with the signing key
    itself.
    """
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    return hmac.new(secret, b"opnameloket.audit.client", hashlib.sha256).digest()


def _canonical_details(details: dict | None) -> str | None:
    """Return details as canonical JSON, with look-alike personal data masked."""
    if details is None:
        return None
    masked = redact_value(details)
    return json.dumps(masked, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    subject_type: str | None = None,
    subject_id: str | int | None = None,
    details: dict | None = None,
    client: str | None = None,
) -> AuditEntry:
    """Append an entry to the audit trail in the caller's transaction (flushed, not committed).

    Locks the head row (FOR UPDATE on PostgreSQL; SQLite's write lock) so that concurrent
    appends form one chain; the lock is held until the caller commits or rolls back, so
    record late in a transaction and commit soon. If the caller rolls back, the entry goes
    too — the trail records what happened, and a rolled-back action did not.

    ``client`` is the raw client address; only its keyed hash is stored. ``details`` must
    hold no personal data (see portal.audit.models). On SQLite, a transaction that has
    already read must have begun as a writer (``begin_write``) or the append may fail
    with "database is locked" when another writer got in between.
    """
    if not action:
        raise ValueError("an audit entry needs an action")
    begin_write(session)
    head = session.execute(
        select(AuditHead.last_id, AuditHead.last_hash)
        .where(AuditHead.id == HEAD_ID)
        .with_for_update()
    ).one_or_none()
    if head is None:
        raise AuditTrailError("the audit trail's head row is missing; run the migrations")
    fields = {
        "id": head.last_id + 1,
        # Taken under the lock, so time order follows id order.
        "at": utcnow(),
        "actor_kind": actor.kind,
        "actor_id": actor.id,
        "actor_label": actor.label,
        "action": action,
        "subject_type": subject_type,
        "subject_id": None if subject_id is None else str(subject_id),
        "details": _canonical_details(details),
        "client": None if client is None
        else client_hash(client, session.info.get(CLIENT_KEY_INFO)),
        "prev_hash": head.last_hash,
    }
    entry = AuditEntry(**fields, hash=entry_hash(fields))
    session.add(entry)
    session.flush()
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .values(last_id=entry.id, last_hash=entry.hash)
        .execution_options(synchronize_session=False)
    )
    return entry


def _snapshot(session: Session) -> None:
    """Make the session's next transaction read one snapshot, so entries and head agree."""
    if session.in_transaction():
        return
    if session.get_bind().dialect.name == "postgresql":
        # READ COMMITTED would let appends that commit mid-walk make the head look ahead.
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    # SQLite in WAL mode already reads one snapshot per transaction.


def _broken(checked: int, entry_id: int | None, reason: str) -> VerifyResult:
    """Return the result for a trail that is broken at entry_id."""
    return VerifyResult(ok=False, checked=checked, bad_entry_id=entry_id, reason=reason)


def verify(session: Session, *, batch_size: int = 1000) -> VerifyResult:
    """Walk the trail in id order, recompute every hash and link, and check the head row.

    Streams the entries in batches, so a trail of millions does not sit in memory. Stops at
    the first break: an id gap (removed entry), a prev_hash that does not match the entry
    before, a hash that does not match the entry's fields (altered), or a head row that
    does not name the last entry (newest entries removed, or entries added outside record).
    """
    _snapshot(session)
    columns = [AuditEntry.__table__.c[name] for name in (*HASHED_FIELDS, "hash")]
    rows = session.execute(
        select(*columns).order_by(AuditEntry.id).execution_options(yield_per=batch_size)
    )
    checked = 0
    last_id = 0
    last_hash = GENESIS_HASH
    try:
        for row in rows:
            fields = row._mapping
            entry_id = fields["id"]
            if entry_id != last_id + 1:
                missing = (
                    f"entry {last_id + 1} is" if entry_id == last_id + 2
                    else f"entries {last_id + 1}–{entry_id - 1} are"
                )
                return _broken(checked, entry_id, f"{missing} missing before it")
            if fields["prev_hash"] != last_hash:
                return _broken(
                    checked, entry_id, f"its prev_hash does not match entry {last_id}"
                )
            if entry_hash(fields) != fields["hash"]:
                return _broken(checked, entry_id, "its fields do not match its hash (altered)")
            checked += 1
            last_id = entry_id
            last_hash = fields["hash"]
    finally:
        rows.close()
    head = session.execute(
        select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == HEAD_ID)
    ).one_or_none()
    if head is None:
        return _broken(checked, None, "the head row is missing")
    if head.last_id > last_id:
        return _broken(
            checked, last_id + 1,
            f"the head names entry {head.last_id} but the trail ends at entry {last_id}"
            " (newest entries removed)",
        )
    if head.last_id < last_id:
        return _broken(
            checked, head.last_id + 1,
            f"entries after {head.last_id} are not covered by the head (added outside record)",
        )
    if head.last_hash != last_hash:
        return _broken(checked, last_id, "the head's hash does not match the last entry")
    return VerifyResult(ok=True, checked=checked, last_hash=last_hash)


def _dialect_name(executor: Session | Connection) -> str:
    """Return the database dialect's name of a session or connection."""
    if isinstance(executor, Session):
        return executor.get_bind().dialect.name
    return executor.dialect.name


@contextmanager
def purge_permit(executor: Session | Connection) -> Iterator[None]:
    """Allow entries to be deleted in the current transaction, for the with block only.

    The database triggers refuse UPDATE always, and DELETE (and TRUNCATE) without this
    permit. PostgreSQL: a transaction-local setting the trigger reads, gone at commit or
    rollback. SQLite: a row in audit_purge_permit, removed again before the block ends.
    """
    if _dialect_name(executor) == "postgresql":
        setting = text("SELECT set_config(:name, :value, true)")
        executor.execute(setting, {"name": PURGE_SETTING, "value": "on"})
        yield
        # Not in a finally: after an error PostgreSQL refuses statements until rollback,
        # and the rollback ends the setting anyway.
        executor.execute(setting, {"name": PURGE_SETTING, "value": "off"})
        return
    executor.execute(insert(AuditPurgePermit).values(id=1))
    try:
        yield
    finally:
        # SQLite keeps the transaction usable after an error; a caller that commits anyway
        # must not leave the permit behind.
        executor.execute(delete(AuditPurgePermit))


def empty_trail(executor: Session | Connection) -> None:
    """Remove every entry and reset the head: for tests and empty databases, never live data."""
    with purge_permit(executor):
        executor.execute(delete(AuditEntry))
    reset = executor.execute(
        update(AuditHead).where(AuditHead.id == HEAD_ID)
        .values(last_id=0, last_hash=GENESIS_HASH)
    )
    if reset.rowcount == 0:
        executor.execute(insert(AuditHead).values(id=HEAD_ID, last_id=0, last_hash=GENESIS_HASH))
