"""Language choice: Dutch by default, English on request, remembered in a cookie."""

from __future__ import annotations

from flask import Flask, current_app, request

from portal.extensions import babel

LANGUAGE_COOKIE = "taal"


def select_locale() -> str:
    """Pick the language: ?lang= first, then the cookie, then Dutch."""
    supported = current_app.config["SUPPORTED_LOCALES"]
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in supported else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Attach Babel with the portal's locale selector."""
    babel.init_app(app, locale_selector=select_locale)
