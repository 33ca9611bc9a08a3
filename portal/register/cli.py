"""`flask register …`: import, look up, count and generate the address register."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.requests.reference import format_reference


@click.group("register")
def register_cli() -> None:
    """Import, look up, count and generate the address register."""


@register_cli.command("import")
@click.option("--addresses", "addresses_file", type=click.Path(dir_okay=False, path_type=Path),
              help="adressen.csv: one row per address (BAG).")
@click.option("--programme", "programme_file", type=click.Path(dir_okay=False, path_type=Path),
              help="programma.csv: one row per address known to the operation.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the good rows and report the rest (default: all or nothing).")
@with_appcontext
def import_command(addresses_file: Path | None, programme_file: Path | None,
                   skip_invalid: bool) -> None:
    """Import the address register and/or the programme list."""

    if addresses_file is None and programme_file is None:
        raise click.UsageError("Give --addresses FILE, --programme FILE, or both.")
    for option, path in (("--addresses", addresses_file), ("--programme", programme_file)):
        if path is not None and not path.is_file():
            raise click.UsageError(f"{option}: file {path} does not exist.")
    from portal.triage.apply import import_and_retriage

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


@register_cli.command("lookup")
@click.argument("postcode")
@click.argument("huisnummer")
@click.option("--letter", default="", help="House letter (huisletter).")
@click.option("--addition", default="", help="House number addition (huisnummertoevoeging).")
@with_appcontext
def lookup_command(postcode: str, huisnummer: str, letter: str, addition: str) -> None:
    """Print, as JSON, what the register knows of one address."""
    from portal.register import lookups

    session = db.new_session()
    try:
        result = lookups.lookup_address(session, postcode, huisnummer, letter, addition)
    finally:
        session.close()
    if isinstance(result, lookups.NotFound):
        click.echo(result.message, err=True)
        sys.exit(1)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@register_cli.command("stats")
@with_appcontext
def stats_command() -> None:
    """Print, as JSON, counts of addresses in the register and the programme."""
    from portal.register import lookups

    session = db.new_session()
    try:
        click.echo(json.dumps(lookups.register_stats(session), indent=2))
    finally:
        session.close()


@register_cli.command("generate")
@click.option("--addresses", "count", type=click.IntRange(min=1), required=True,
              help="How many addresses to write.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed: the same seed writes the same files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder to write adressen.csv and programma.csv into.")
def generate_command(count: int, seed: int, out_dir: Path) -> None:
    """Write a synthetic register (adressen.csv, programma.csv) of any size."""
    from portal.register.generate import write_register

    summary = write_register(out_dir, addresses=count, seed=seed)
    click.echo(json.dumps(summary, indent=2))
