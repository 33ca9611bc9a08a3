"""`flask demo setup`: the demo register (and later demo accounts) for development only."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal.extensions import db
from portal.register.areas import DATA
from portal.register.importer import import_register
from portal.register.models import Address

SAMPLE = DATA / "sample"


@click.group("demo")
def demo_cli() -> None:
    """Demo data for trying the portal on your own machine."""


@demo_cli.command("setup")
@with_appcontext
def setup_command() -> None:
    """Load the sample register when the register is empty (development only)."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    session = db.new_session()
    try:
        if session.scalar(select(func.count()).select_from(Address)):
            click.echo("The register already has addresses; demo register not loaded again.")
            return
        report = import_register(session, addresses=SAMPLE / "adressen.csv",
                                 programme=SAMPLE / "programma.csv")
    finally:
        session.close()
    if report.refused:
        raise click.ClickException("The sample register was refused:\n" + report.render())
    click.echo(f"Demo register loaded: {report.counts['addresses']['added']} addresses.")
