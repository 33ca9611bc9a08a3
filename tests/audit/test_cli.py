"""`flask audit verify` and `flask audit tail`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete

from portal.audit import AuditEntry, purge_permit
from portal.audit.cli import audit_cli
from tests.audit.helpers import append_entries

# The audit trail's own transactions: verify reads in a REPEATABLE READ transaction of its
# own (PostgreSQL), and the tamper tests switch the append-only triggers off and on.
pytestmark = pytest.mark.committing


def test_verify_reports_an_intact_trail_and_exits_0(runner, session):
    append_entries(session, 3)

    result = runner.invoke(audit_cli, ["verify"])

    assert (result.exit_code, result.output) == (0, "Audit trail intact: 3 entries\n")


def test_verify_names_the_first_bad_entry_and_exits_1(runner, session):
    append_entries(session, 3)
    with purge_permit(session):
        session.execute(delete(AuditEntry).where(AuditEntry.id == 3))
    session.commit()

    result = runner.invoke(audit_cli, ["verify"])

    assert result.exit_code == 1
    assert result.stderr == (
        "Audit trail broken at entry 3: the head names entry 3 but the trail ends at entry 2"
        " (newest entries removed) (2 entries intact before)\n"
    )


def test_tail_prints_the_newest_entries_as_json_lines_without_details(runner, session):
    append_entries(session, 3)

    result = runner.invoke(audit_cli, ["tail", "--limit", "2"])
    lines = [json.loads(line) for line in result.output.splitlines()]

    assert result.exit_code == 0
    assert [(line["id"], line["subject_id"]) for line in lines] == [(2, "101"), (3, "102")]
    assert all("details" not in line and "client" not in line for line in lines)
