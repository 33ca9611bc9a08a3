"""`flask capacity …`: import the capacity file, plan accepted requests, show a ledger."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.actors import Actor
from portal.capacity import planning
from portal.capacity.allocation import week_start_of
from portal.capacity.ledger import import_capacity_csv, ledger_table
from portal.capacity.models import KINDS
from portal.extensions import db

COMMAND_LINE = Actor("system", None, "command line")


@click.group("capacity")
def capacity_cli() -> None:
    """Import capacity, plan accepted requests, and show the ledger."""


@capacity_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(file: Path) -> None:
    """Import a capacity file (week_start;gemeentecode;kind;capacity;reserved): all or none."""
    session = db.new_session()
    try:
        outcome = import_capacity_csv(session, file, COMMAND_LINE)
        if outcome.applied:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()
    click.echo(outcome.render())
    sys.exit(0 if outcome.applied else 1)


@capacity_cli.command("plan")
@click.option("--replan", is_flag=True,
              help="Also move planned requests to earlier free weeks and release stale "
                   "bookings.")
@with_appcontext
def plan_command(replan: bool) -> None:
    """Plan every accepted request into free capacity, oldest acceptance first."""
    session = db.new_session()
    try:
        step = planning.replan if replan else planning.plan_accepted
        report = step(session, actor=COMMAND_LINE)
        session.commit()
    finally:
        session.close()
    for name, value in report.totals().items():
        click.echo(f"{name}: {value}")
    for code, counts in sorted(report.by_municipality.items()):
        click.echo(f"  {code}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@capacity_cli.command("show")
@click.argument("gemeentecode")
@click.option("--kind", type=click.Choice(KINDS), default="inspection", show_default=True)
@click.option("--weeks", type=click.IntRange(1, 156), default=12, show_default=True)
@with_appcontext
def show_command(gemeentecode: str, kind: str, weeks: int) -> None:
    """Print one municipality's ledger for the coming weeks."""
    session = db.new_session()
    try:
        rows = ledger_table(session, gemeentecode.zfill(4), kind,
                            week_start_of(date.today()), weeks)
    finally:
        session.close()
    click.echo(f"{'week':<10} {'capacity':>8} {'reserved':>8} {'booked':>8} {'free':>8}")
    for row in rows:
        click.echo(f"{row.week_start.isoformat():<10} {row.capacity:>8} {row.reserved:>8} "
                   f"{row.booked:>8} {row.free:>8}")
