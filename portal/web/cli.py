"""`flask db …`: apply, undo and inspect schema migrations."""

from __future__ import annotations

import click
from alembic import command
from flask import current_app
from flask.cli import with_appcontext

from portal import migrate


@click.group("db")
def db_cli() -> None:
    """Apply, undo and inspect schema migrations."""


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: heads)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
@with_appcontext
def downgrade_command(revision: str) -> None:
    """Undo migrations down to REVISION (default: one step; 'base' for everything)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database downgraded to {revision}.")


@db_cli.command("current")
@with_appcontext
def current_command() -> None:
    """Show the revision the database is at."""
    command.current(migrate.alembic_config(current_app.config["DATABASE_URL"]), verbose=False)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does.")
@click.option("--autogenerate", is_flag=True, help="Draft it from the difference with the models.")
@with_appcontext
def revision_command(message: str, autogenerate: bool) -> None:
    """Draft a new migration, to be reviewed before it is committed."""
    command.revision(
        migrate.alembic_config(current_app.config["DATABASE_URL"]),
        message=message,
        autogenerate=autogenerate,
    )
