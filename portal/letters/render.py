"""Render a letter template to tagged PDF (PDF/UA-1) with WeasyPrint, offline.

The only module in the portal that imports WeasyPrint. A letter is rendered through the
letters' own Jinja environment in the resident's language, laid out for A4 and a Dutch window
envelope by templates/letters/letter.css, and turned into PDF with a URL fetcher that
hands out files from portal/static/ and templates/letters/ and refuses everything else:
a letter never touches the network, and text a resident typed can never make the server
fetch anything.
"""

from __future__ import annotations

import logging
import mimetypes
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

from flask_babel import force_locale, format_date, format_datetime, gettext, ngettext
from jinja2 import Environment, FileSystemLoader
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.letters import LANGUAGES
from portal.paths import STATIC_FILES, TEMPLATES

LETTER_TEMPLATES = TEMPLATES / "letters"
ALLOWED_FOLDERS = (LETTER_TEMPLATES, STATIC_FILES)
# Relative links in a letter (href="letter.css") resolve inside the letters' own folder.
BASE_URL = LETTER_TEMPLATES.as_uri() + "/"
PDF_VARIANT = "pdf/ua-1"
# The portal stores moments in UTC; the resident lives in Groningen and reads Dutch time.
LETTER_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# A fixed pattern rather than Babel's "long" format: "27 november 2026, 14:05" in Dutch,
# "27 November 2026, 14:05" in English, without the seconds and time zone that "long" adds.
DATETIME_PATTERN = "d MMMM y, HH:mm"
DATE_PATTERN = "d MMMM y"

log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    """A letter asked for a resource that is not a file in a folder letters may use."""


class LetterURLFetcher(URLFetcher):
    """Hands WeasyPrint files under portal/static/ and templates/letters/, and nothing else.

    Every refused URL is kept in `refused`, so the renderer can log it and a test can see
    it. WeasyPrint treats a refusal like a missing file: the letter renders without it.
    """

    def __init__(self, allowed_folders: tuple[Path, ...] = ALLOWED_FOLDERS) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.allowed_folders = tuple(Path(folder).resolve() for folder in allowed_folders)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Return the file url names when it lies in an allowed folder; raise RefusedURL if not."""
        try:
            path = self.allowed_path(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        mime_type, _encoding = mimetypes.guess_type(path.name)
        content_type = mime_type or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )

    def allowed_path(self, url: str) -> Path:
        """Return the local file url names, or raise RefusedURL when letters may not use it."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Letters fetch nothing but their own files, not {url!r}.")
        # resolve() follows "..", and symbolic links, before the folder check.
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed_folders):
            raise RefusedURL(f"{path} is outside the folders letters may use.")
        if not path.is_file():
            raise RefusedURL(f"{path} does not exist.")
        return path


def letter_time(moment: datetime) -> datetime:
    """Return moment in Dutch time; a naive moment is UTC, as the portal stores it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LETTER_TIMEZONE)


def format_letter_datetime(moment: datetime) -> str:
    """Format a moment for a letter in the current language: '27 november 2026, 14:05'."""
    # rebase=False: the moment is already in Dutch time, whatever the app's time zone.
    return format_datetime(letter_time(moment), DATETIME_PATTERN, rebase=False)


def format_letter_date(day: date | datetime) -> str:
    """Format a day for a letter in the current language: '27 november 2026'."""
    if isinstance(day, datetime):
        day = letter_time(day).date()
    return format_date(day, DATE_PATTERN, rebase=False)


def _letter_environment() -> Environment:
    """The letters' own Jinja environment: templates/, autoescaped, with Babel's gettext.

    Not the web app's environment: a letter must not pick up anything of the web request
    that happens to be running, such as the language of the page the officer looks at.
    """
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                              extensions=["jinja2.ext.i18n"])
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    return environment


_ENVIRONMENT = _letter_environment()


def render_html(template_name: str, context: dict, *, language: str) -> str:
    """Render a letter template to HTML in language."""
    if not template_name.startswith("letters/"):
        raise ValueError(f"Letter templates live in templates/letters/, not {template_name!r}.")
    if language not in LANGUAGES:
        raise ValueError(f"Letters are written in {', '.join(LANGUAGES)}, not {language!r}.")
    helpers = {
        "language": language,
        "format_letter_datetime": format_letter_datetime,
        "format_letter_date": format_letter_date,
    }
    with force_locale(language):
        template = _ENVIRONMENT.get_template(template_name)
        # A preview without letter_date is dated today; issue_letter dates it itself.
        return template.render({"letter_date": datetime.now(UTC), **context, **helpers})


def html_to_pdf(html: str, *, fetcher: LetterURLFetcher | None = None) -> bytes:
    """Turn a letter's HTML into tagged PDF (PDF/UA-1), fetching only the letters' own files."""
    fetcher = fetcher or LetterURLFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    if fetcher.refused:
        log.warning("A letter asked for resources it may not use: %s", ", ".join(fetcher.refused))
    return pdf


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    """Render a letter template from templates/letters/ to PDF in the resident's language."""
    return html_to_pdf(render_html(template_name, context, language=language))
