"""`flask users …`: create, deactivate and list staff accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from portal.accounts import totp, users
from portal.accounts.passwords import PasswordRefused
from portal.accounts.roles import ROLES
from portal.actors import Actor
from portal.clock import utcnow
from portal.extensions import db

COMMAND_LINE = Actor("system", None, "command line")


@click.group("users")
def users_cli() -> None:
    """Create, deactivate and list staff accounts."""


def _read_password() -> str:
    """The new password: asked twice without echo on a terminal, else the first line of stdin."""
    stdin = sys.stdin
    if stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Only the line end is removed: spaces are part of a password.
    return stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The account's role.")
@click.option("--name", "display_name", default="", help="Display name (default: from EMAIL).")
@with_appcontext
def create_command(email: str, role: str, display_name: str) -> None:
    """Create an account; the password comes from standard input. Prints the TOTP secret."""
    password = _read_password()
    session = db.new_session()
    try:
        user = users.create_user(
            session, email=email, display_name=display_name, role=role, password=password,
            actor=COMMAND_LINE, now=utcnow(),
            production=current_app.config.get("PORTAL_ENV") == "production")
        session.commit()
    except (users.AccountRefused, PasswordRefused) as refused:
        session.rollback()
        # The command line speaks English throughout, like the other commands.
        with force_locale("en"):
            reason = str(refused)
        raise click.ClickException(f"Account not created: {reason}.") from None
    finally:
        session.close()
    click.echo(f"Created {user.role} account {user.email}.")
    click.echo(f"TOTP secret (base32): {user.totp_secret}")
    click.echo(f"Provisioning URI: {totp.provisioning_uri(user.totp_secret, user.email)}")
    click.echo("At first login the user confirms a code from the app and gets recovery codes.")


@users_cli.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_command(email: str) -> None:
    """Deactivate an account and end its sessions."""
    session = db.new_session()
    try:
        user = users.find_by_email(session, email)
        if user is None:
            raise click.ClickException(f"No account with email address {email}.")
        try:
            users.deactivate_user(session, user, actor=COMMAND_LINE, now=utcnow())
        except users.AccountRefused as refused:
            with force_locale("en"):
                raise click.ClickException(str(refused)) from None
        session.commit()
    finally:
        session.close()
    click.echo(f"Deactivated {user.email}; its sessions have ended.")


@users_cli.command("list")
@with_appcontext
def list_command() -> None:
    """List every account: email address, role, active or not."""
    session = db.new_session()
    try:
        accounts = users.list_users(session)
    finally:
        session.close()
    if not accounts:
        click.echo("No staff accounts.")
        return
    width = max(len(user.email) for user in accounts)
    for user in accounts:
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email:<{width}}  {user.role:<11}  {state}")
