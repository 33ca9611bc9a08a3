"""Public pages everyone shares: start page, accessibility and privacy statements, error pages."""

from __future__ import annotations

import re

from flask import Blueprint, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

bp = Blueprint("web", __name__)


# Error pages the portal shows in its own layout. Other codes (redirects, 401 with its
# own challenge) keep Werkzeug's handling.
ERROR_PAGES = (400, 403, 404, 405, 413, 500)


@bp.app_template_filter("tel_href")
def tel_href(number: str) -> str:
    """Turn a phone number as people write it ("0800 - 123 45 67") into a tel: link."""
    return "tel:" + re.sub(r"[^\d+]", "", str(number))


@bp.get("/")
def start():
    """The start page: what the service is for, who may use it, and the acute-danger notice."""
    return render_template("web/start.html")


@bp.get("/toegankelijkheid")
def accessibility():
    """The accessibility statement: the standard we aim for, known gaps, how to report one."""
    return render_template("web/accessibility.html")


@bp.get("/privacy")
def privacy():
    """The privacy statement: what we collect, why, how long, who sees it, your rights."""
    return render_template("web/privacy.html")


def _error_text(code: int) -> tuple[str, str]:
    """Return the title and the explanation shown for an HTTP error code."""
    texts = {
        400: (
            _("Something went wrong with your request"),
            _(
                "The page could not handle what your browser sent. This can happen when a "
                "form was open for a long time. Go back, reload the page and try again."
            ),
        ),
        403: (
            _("You do not have access to this page"),
            _("This page is only for staff who have been given access to it."),
        ),
        405: (
            _("This page cannot be used like this"),
            _("Go back to the previous page and try again."),
        ),
        413: (
            _("What you sent is too large"),
            _("A file may be at most 10 MB. Go back, choose a smaller file or a photo, and "
              "try again. Nothing was stored."),
        ),
    }
    return texts.get(
        code, (_("Something went wrong"), _("Go back to the previous page and try again."))
    )


def _render_error(error: HTTPException):
    """Render an HTTP error in the portal's layout, with the right status code."""
    code = error.code or 500
    if code == 404:
        return render_template("errors/404.html"), 404
    if code == 500:
        return render_template("errors/500.html"), 500
    title, text = _error_text(code)
    return render_template("errors/error.html", title=title, text=text, code=code), code


for _code in ERROR_PAGES:
    bp.app_errorhandler(_code)(_render_error)
