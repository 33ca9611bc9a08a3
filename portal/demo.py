"""`flask demo setup`: the demo register and demo staff accounts, for development only."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal.accounts.demo import create_demo_accounts
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
    """Create the demo accounts and load the sample register when empty (never in production)."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    session = db.new_session()
    try:
        created = create_demo_accounts(session)
        session.commit()
        if created:
            click.echo(f"Demo accounts created: {', '.join(created)}.")
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
