"""`flask audit …`: check the trail's chain, and show its newest entries."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.audit.trail import verify
from portal.extensions import db

# Details are left out of tail: it is for a quick look over a shoulder, not for reading
# context that belongs in an investigation.
TAIL_FIELDS = (
    "id", "at", "actor_kind", "actor_id", "actor_label", "action", "subject_type", "subject_id",
)


@click.group("audit")
def audit_cli() -> None:
    """Check and inspect the audit trail."""


@audit_cli.command("verify")
@with_appcontext
def verify_command() -> None:
    """Recompute the hash chain; exit 1 and name the first bad entry if it is broken."""
    session = db.new_session()
    try:
        result = verify(session)
    finally:
        session.close()
    if result.ok:
        click.echo(f"Audit trail intact: {result.checked} entries")
        return
    where = "" if result.bad_entry_id is None else f" at entry {result.bad_entry_id}"
    click.echo(
        f"Audit trail broken{where}: {result.reason} ({result.checked} entries intact before)",
        err=True,
    )
    raise SystemExit(1)


@audit_cli.command("tail")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1),
              help="How many of the newest entries to show.")
@with_appcontext
def tail_command(limit: int) -> None:
    """Print the newest entries, oldest first, as JSON lines without their details."""
    columns = [AuditEntry.__table__.c[name] for name in TAIL_FIELDS]
    session = db.new_session()
    try:
        rows = session.execute(
            select(*columns).order_by(AuditEntry.id.desc()).limit(limit)
        ).all()
    finally:
        session.close()
    for row in reversed(rows):
        entry = dict(row._mapping)
        entry["at"] = entry["at"].isoformat(timespec="seconds")
        click.echo(json.dumps(entry, ensure_ascii=False))
