"""`flask register …`: look up, count and generate the address register.

`flask register import` lives with triage (`portal/triage/cli.py`), because an import and
the re-triage it causes are one use case; create_app adds it to this group.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.register import lookups
from portal.register.generate import write_register


@click.group("register")
def register_cli() -> None:
    """Import, look up, count and generate the address register."""


@register_cli.command("lookup")
@click.argument("postcode")
@click.argument("huisnummer")
@click.option("--letter", default="", help="House letter (huisletter).")
@click.option("--addition", default="", help="House number addition (huisnummertoevoeging).")
@with_appcontext
def lookup_command(postcode: str, huisnummer: str, letter: str, addition: str) -> None:
    """Print, as JSON, what the register knows of one address."""
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
    summary = write_register(out_dir, addresses=count, seed=seed)
    click.echo(json.dumps(summary, indent=2))
