"""Language choice: Dutch by default, English on request, remembered in a cookie.

Also compiles the message catalogues at start: the .mo files are build output and not in
the repository, so a fresh clone (or a changed .po after a pull) works without a step.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale

from portal.extensions import babel

LANGUAGE_COOKIE = "taal"
LANGUAGE_PARAMETER = "lang"
# A resident who chose English once should not have to choose again next month.
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# Language names are always shown in their own language, so they are not translated.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
CATALOGUE_DOMAIN = "messages"

log = logging.getLogger(__name__)


def select_locale() -> str:
    """Pick the language: ?lang= first, then the cookie, then Dutch."""
    if not has_request_context():
        # CLI commands and workers choose a language with flask_babel.force_locale.
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    supported = current_app.config["SUPPORTED_LOCALES"]
    chosen = request.args.get(LANGUAGE_PARAMETER) or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in supported else current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """Return the language of the current request as a code such as 'nl'."""
    locale = get_locale()
    return str(locale) if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def language_switch_url(code: str) -> str:
    """Return the current page's URL in language `code`, keeping its other query arguments."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != LANGUAGE_PARAMETER]
    args.append((LANGUAGE_PARAMETER, code))
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def language_choices() -> list[dict]:
    """Describe each supported language for the switch in the page header."""
    active = current_locale()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "current": code == active,
            "url": language_switch_url(code),
        }
        for code in current_app.config["SUPPORTED_LOCALES"]
    ]


def _remember_language(response):
    """Store an explicit ?lang= choice in the cookie and tell caches the page depends on it."""
    chosen = request.args.get(LANGUAGE_PARAMETER)
    if chosen in current_app.config["SUPPORTED_LOCALES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=LANGUAGE_COOKIE_MAX_AGE,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
            httponly=True,
            samesite="Lax",
        )
    if response.mimetype == "text/html":
        response.vary.add("Cookie")
        response.headers.setdefault("Content-Language", current_locale())
    return response


def compile_catalogues(source_dir: Path, target_dir: Path | None = None) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/messages.po whose .mo is missing or older.

    Writes next to the .po unless target_dir is given (same layout below it). Each .mo
    is written to a temporary file and renamed, so that several worker processes that
    start at once never read half a file. Returns the .mo files that were written.
    """
    target_dir = target_dir or source_dir
    written = []
    for po_path in sorted(source_dir.glob(f"*/LC_MESSAGES/{CATALOGUE_DOMAIN}.po")):
        relative = po_path.relative_to(source_dir).with_suffix(".mo")
        mo_path = target_dir / relative
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=relative.parts[0], domain=CATALOGUE_DOMAIN)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as mo_file:
                write_mo(mo_file, catalog)
            # mkstemp makes the file private; the server may run as another user.
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, mo_path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        written.append(mo_path)
    return written


def _prepare_catalogues(app: Flask) -> None:
    """Make sure compiled catalogues exist; fall back to the instance folder when read-only."""
    source = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])
    try:
        compile_catalogues(source)
    except OSError as error:
        # A read-only code directory (a container image, a package) must not stop the
        # portal: compile into the instance folder and look for translations there.
        fallback = Path(app.instance_path) / "translations"
        log.warning("Cannot write catalogues to %s (%s); using %s", source, error, fallback)
        compile_catalogues(source, fallback)
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(fallback)


def init_app(app: Flask) -> None:
    """Compile the catalogues if needed, attach Babel, remember the language choice."""
    _prepare_catalogues(app)
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_language)

    @app.context_processor
    def _language_context():
        if not has_request_context():
            return {"current_locale": current_locale(), "language_choices": []}
        return {
            "current_locale": current_locale(),
            "language_choices": language_choices(),
        }
