"""Wiring staff accounts into the app: login, access rules, staff pages, `flask users`."""

from __future__ import annotations

from flask import Flask

from portal.accounts import access, passwords, sessions, views
from portal.accounts import admin_views as _admin_views  # noqa: F401  (routes on views.bp)
from portal.accounts.cli import users_cli


def init_app(app: Flask) -> None:
    """Add the login, the access rules on every request, the staff pages and `flask users`."""
    if app.config.get("PORTAL_ENV") == "test":
        passwords.set_parameters(passwords.TEST_PARAMETERS)
    sessions.init_app(app)
    access.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(users_cli)
