"""The database itself refuses to change or remove audit entries without the purge permit."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from portal.audit import AuditEntry, empty_trail, purge_permit, verify
from portal.audit.models import AuditHead, AuditPurgePermit
from tests.audit.helpers import append_entries

# The audit trail's own transactions: verify reads in a REPEATABLE READ transaction of its
# own (PostgreSQL), and the tamper tests switch the append-only triggers off and on.
pytestmark = pytest.mark.committing

entries_table = AuditEntry.__table__


def _refused(session, statement) -> str:
    """Run statement, expect the database to refuse it, and return its message."""
    with pytest.raises(DBAPIError) as refused:
        session.execute(statement)
    session.rollback()
    return str(refused.value.orig)


def test_an_update_of_an_entry_is_refused(session):
    append_entries(session, 2)

    message = _refused(session, update(entries_table).values(actor_label="Someone Else"))

    assert "append-only" in message


def test_an_update_is_refused_even_with_the_purge_permit(session):
    append_entries(session, 2)
    with pytest.raises(DBAPIError), purge_permit(session):
        session.execute(update(entries_table).values(action="request.created"))
    session.rollback()

    assert verify(session).ok


def test_a_delete_of_an_entry_is_refused(session):
    append_entries(session, 2)

    message = _refused(session, delete(entries_table).where(entries_table.c.id == 1))

    assert "append-only" in message


def test_a_delete_of_the_head_row_is_refused(session):
    message = _refused(session, delete(AuditHead))

    assert "append-only" in message


def test_a_truncate_is_refused_on_postgresql(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")

    message = _refused(session, text("TRUNCATE audit_entries"))

    assert "append-only" in message


def test_the_purge_permit_allows_deletes_only_inside_its_block(session):
    append_entries(session, 3)
    with purge_permit(session):
        session.execute(delete(entries_table).where(entries_table.c.id == 3))

    message = _refused(session, delete(entries_table).where(entries_table.c.id == 2))

    assert "append-only" in message


def test_the_purge_permit_leaves_nothing_behind(session):
    with purge_permit(session):
        pass
    session.commit()

    permits = session.execute(select(func.count()).select_from(AuditPurgePermit)).scalar_one()

    assert permits == 0


def test_empty_trail_removes_every_entry_and_resets_the_head(session):
    append_entries(session, 3)
    empty_trail(session)
    session.commit()

    head = session.execute(select(AuditHead.last_id, AuditHead.last_hash)).one()

    assert (tuple(head), verify(session).checked) == ((0, "0" * 64), 0)
