"""The public figures: /cijfers, /cijfers.json and a page per place. No login, no cookie."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, jsonify, render_template
from flask_babel import format_date, format_decimal

from portal.extensions import db
from portal.figures.publication import (
    Publication,
    as_json,
    dutch_today,
    months_ahead,
    publication_for,
)
from portal.figures.suppression import ROUND_TO, THRESHOLD
from portal.figures.words import CELL_WORDS, ROUTE_WORDS, STATUS_WORDS
from portal.register.verdict import served_by
from portal.web.context import service_facts

bp = Blueprint("figures", __name__)
# Published once a day: a day's figures may be cached for an hour by anyone.
CACHE = "public, max-age=3600"


def _today_publication() -> Publication:
    return publication_for(db.session, dutch_today(service_facts().clock()), served_by(db.session))


@bp.app_context_processor
def figure_words() -> dict:
    """The words for route and status groups and hidden cells, in every template."""
    return {"route_words": ROUTE_WORDS, "status_words": STATUS_WORDS,
            "cell_words": CELL_WORDS, "figures_threshold": THRESHOLD,
            "figures_rounded_to": ROUND_TO}


@bp.get("/cijfers")
def overview():
    """Figures on pace for the province, each municipality and the coming months."""
    response = render_template("figures/overview.html", figures=_today_publication())
    return response, 200, {"Cache-Control": CACHE}


@bp.get("/cijfers.json")
def overview_json():
    """The same figures as JSON, for the region's own dashboards (keys in the README)."""
    response = jsonify(as_json(_today_publication()))
    response.headers["Cache-Control"] = CACHE
    return response


@bp.get("/cijfers/<slug>")
def place(slug: str):
    """One place: why homes there go in a different order, and its figures."""
    figures = _today_publication()
    found = figures.place(slug[:200])
    if found is None:
        abort(404)
    municipality, area = found
    months = months_ahead(db.session, dutch_today(service_facts().clock()), {municipality.code})
    response = render_template("figures/place.html", figures=figures,
                               municipality=municipality, place=area, months=months)
    return response, 200, {"Cache-Control": CACHE}


@bp.app_template_filter("format_count")
def format_count(value: int) -> str:
    """A count with the locale's thousands separator."""
    return format_decimal(value)


@bp.app_template_filter("format_month")
def format_month(value: str) -> str:
    """A month as YYYY-MM, written out in the locale ("december 2026")."""
    year, month = value.split("-")
    return format_date(date(int(year), int(month), 1), "LLLL yyyy")
