"""`flask register import`: the register import and the re-triage it causes, in one go.

Added to the `flask register` group in create_app; the group's other commands live in
`portal/register/cli.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.requests.reference import format_reference
from portal.triage.apply import import_and_retriage


@click.command("import")
@click.option("--addresses", "addresses_file", type=click.Path(dir_okay=False, path_type=Path),
              help="adressen.csv: one row per address (BAG).")
@click.option("--programme", "programme_file", type=click.Path(dir_okay=False, path_type=Path),
              help="programma.csv: one row per address known to the operation.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the good rows and report the rest (default: all or nothing).")
@with_appcontext
def import_command(addresses_file: Path | None, programme_file: Path | None,
                   skip_invalid: bool) -> None:
    """Import the address register and/or the programme list, and re-triage on it."""
    if addresses_file is None and programme_file is None:
        raise click.UsageError("Give --addresses FILE, --programme FILE, or both.")
    for option, path in (("--addresses", addresses_file), ("--programme", programme_file)):
        if path is not None and not path.is_file():
            raise click.UsageError(f"{option}: file {path} does not exist.")
    session = db.new_session()
    try:
        report, moved = import_and_retriage(
            session, addresses=addresses_file, programme=programme_file,
            skip_invalid=skip_invalid)
    finally:
        session.close()
    click.echo(report.render())
    if moved:
        click.echo(f"Open requests re-triaged ({len(moved)}):")
        for item in moved:
            click.echo(f"  {format_reference(item.reference)}: {item.previous_route} → "
                       f"{item.route}")
    sys.exit(1 if report.refused else 0)
