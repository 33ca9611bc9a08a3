"""Staff accounts: roles, argon2id passwords, TOTP two-step login, sessions, access rules.

Wire it into the app with `accounts.init_app(app)`; see access.py for how a view declares
who may open it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the login, the access rules on every request, the staff pages and `flask users`."""
    from portal.accounts import access, passwords, sessions, views
    from portal.accounts import admin_views as _admin_views  # noqa: F401  (routes on views.bp)
    from portal.accounts.cli import users_cli

    if app.config.get("PORTAL_ENV") == "test":
        passwords.set_parameters(passwords.TEST_PARAMETERS)
    sessions.init_app(app)
    access.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(users_cli)
