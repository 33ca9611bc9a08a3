"""record() appends one hashed, chained entry; verify() finds every kind of tampering."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select, update

from portal.audit import (
    GENESIS_HASH,
    AuditEntry,
    VerifyResult,
    client_hash,
    purge_permit,
    record,
    verify,
)
from portal.audit.models import AuditHead
from portal.audit.trail import entry_hash
from tests.audit.helpers import OFFICER, append_entries, lift_update_guard

# The audit trail's own transactions: verify reads in a REPEATABLE READ transaction of its
# own (PostgreSQL), and the tamper tests switch the append-only triggers off and on.
pytestmark = pytest.mark.committing

entries_table = AuditEntry.__table__


def test_a_chain_of_entries_verifies(session):
    entries = append_entries(session, 5)

    result = verify(session, batch_size=2)

    assert result == VerifyResult(ok=True, checked=5, last_hash=entries[-1].hash)


def test_an_empty_trail_verifies(session):
    assert verify(session) == VerifyResult(ok=True, checked=0, last_hash=GENESIS_HASH)


def test_each_entry_links_to_the_one_before_from_genesis(session):
    entries = append_entries(session, 3)

    links = [(e.id, e.prev_hash) for e in entries]

    assert links == [(1, GENESIS_HASH), (2, entries[0].hash), (3, entries[1].hash)]


def test_record_leaves_the_commit_to_the_caller(session):
    append_entries(session, 2)
    record(session, actor=OFFICER, action="request.viewed", subject_type="request", subject_id=1)
    session.rollback()

    head = session.execute(select(AuditHead.last_id)).scalar_one()

    assert (head, verify(session).checked) == (2, 2)


def test_the_client_address_is_stored_only_as_a_keyed_hash(session, app_context):
    entry = record(session, actor=OFFICER, action="auth.login", client="203.0.113.9")
    session.commit()

    row = session.execute(select(entries_table)).one()

    assert entry.client != client_hash("203.0.113.9")  # keyed with the app's secret
    assert len(entry.client) == 64
    assert "203.0.113.9" not in json.dumps([str(value) for value in row])


def test_details_are_canonical_json_with_look_alike_personal_data_masked(session):
    entry = record(
        session, actor=OFFICER, action="request.contact_corrected", subject_type="request",
        subject_id=12, details={"fields": ["email"], "note": "was jan@example.nl"},
    )

    assert entry.details == '{"fields":["email"],"note":"was [email]"}'
    assert entry.subject_id == "12"


TAMPERED_VALUES = {
    "at": None,  # filled in from the entry: one second later
    "actor_kind": "auditor",
    "actor_id": "99",
    "actor_label": "Someone Else",
    "action": "request.created",
    "subject_type": "staff_user",
    "subject_id": "999",
    "details": '{"n":2}',
    "client": "f" * 64,
    "prev_hash": "a" * 64,
    "hash": "b" * 64,
}


@pytest.mark.parametrize("field", sorted(TAMPERED_VALUES))
def test_altering_any_field_of_a_middle_entry_is_detected_at_that_entry(session, field):
    entries = append_entries(session, 5)
    value = TAMPERED_VALUES[field] or entries[2].at + timedelta(seconds=1)
    lift_update_guard(session)
    session.execute(update(entries_table).where(entries_table.c.id == 3).values({field: value}))

    result = verify(session)
    session.rollback()

    assert (result.ok, result.checked, result.bad_entry_id) == (False, 2, 3)


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(session):
    append_entries(session, 5)
    row = session.execute(select(entries_table).where(entries_table.c.id == 3)).one()
    forged = {**row._mapping, "actor_label": "Someone Else"}
    lift_update_guard(session)
    session.execute(
        update(entries_table).where(entries_table.c.id == 3)
        .values(actor_label="Someone Else", hash=entry_hash(forged))
    )

    result = verify(session)
    session.rollback()

    assert (result.ok, result.bad_entry_id) == (False, 4)
    assert result.reason == "its prev_hash does not match entry 3"


def test_a_removed_middle_entry_is_detected(session):
    append_entries(session, 5)
    with purge_permit(session):
        session.execute(delete(entries_table).where(entries_table.c.id == 3))

    result = verify(session)
    session.rollback()

    assert result == VerifyResult(
        ok=False, checked=2, bad_entry_id=4, reason="entry 3 is missing before it"
    )


def test_a_removed_middle_entry_is_detected_even_when_the_rest_is_rechained(session):
    append_entries(session, 5)
    with purge_permit(session):
        session.execute(delete(entries_table).where(entries_table.c.id == 3))
    lift_update_guard(session)
    previous = session.execute(select(entries_table.c.hash).where(entries_table.c.id == 2))
    prev_hash = previous.scalar_one()
    for entry_id in (4, 5):
        row = session.execute(select(entries_table).where(entries_table.c.id == entry_id)).one()
        fields = {**row._mapping, "prev_hash": prev_hash}
        prev_hash = entry_hash(fields)
        session.execute(
            update(entries_table).where(entries_table.c.id == entry_id)
            .values(prev_hash=fields["prev_hash"], hash=prev_hash)
        )
    session.execute(update(AuditHead).values(last_hash=prev_hash))

    result = verify(session)
    session.rollback()

    assert (result.ok, result.bad_entry_id, result.reason) == (
        False, 4, "entry 3 is missing before it"
    )


def test_removing_the_newest_entries_is_detected_by_the_head(session):
    append_entries(session, 5)
    with purge_permit(session):
        session.execute(delete(entries_table).where(entries_table.c.id >= 4))

    result = verify(session)
    session.rollback()

    assert result == VerifyResult(
        ok=False, checked=3, bad_entry_id=4,
        reason="the head names entry 5 but the trail ends at entry 3 (newest entries removed)",
    )


def test_an_entry_added_outside_record_is_detected(session):
    entries = append_entries(session, 2)
    fields = {
        "id": 3, "at": entries[-1].at, "actor_kind": "staff", "actor_id": "1",
        "actor_label": "Intruder", "action": "request.viewed", "subject_type": None,
        "subject_id": None, "details": None, "client": None, "prev_hash": entries[-1].hash,
    }
    session.execute(insert(entries_table).values(**fields, hash=entry_hash(fields)))

    result = verify(session)
    session.rollback()

    assert (result.ok, result.checked, result.bad_entry_id) == (False, 3, 3)
