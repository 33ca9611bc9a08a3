"""Staff accounts: roles, argon2id passwords, TOTP two-step login, sessions, access rules.

Wire it into the app with `accounts.install.init_app(app)`; see access.py for how a view
declares who may open it.
"""
