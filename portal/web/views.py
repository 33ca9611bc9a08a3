"""Public pages everyone shares: start page, accessibility and privacy statements."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("web", __name__)


@bp.get("/")
def start():
    """The start page: what the service is for, who may use it, and the acute-danger notice."""
    return render_template("web/start.html")
