"""`/medewerkers/prognose`: when the queue clears, with a what-if; the waiting reassessments."""

from __future__ import annotations

import math
from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField
from wtforms.validators import NumberRange, Optional

from portal.accounts.access import current_staff, roles_required
from portal.accounts.roles import COORDINATOR, OFFICER, may
from portal.capacity import charts, reassessments
from portal.capacity.forecast import (
    AVERAGE_OVER,
    HORIZON_YEARS,
    Projection,
    forecast,
    monday_of,
)
from portal.extensions import db
from portal.web.forms import PlanForm

bp = Blueprint("forecast", __name__, url_prefix="/medewerkers/prognose")
PAGE_SIZE = 50
KIND_LABELS = {"inspection": _l("Inspections"), "assessment": _l("Reassessments")}
ADVICE_LABELS = {"versterken": _l("Reinforce"), "geen_versterking": _l("No reinforcement")}


class ForecastForm(FlaskForm):
    """Which work to forecast, and a what-if: another weekly capacity for one municipality."""

    kind = RadioField(_l("Kind of work"), choices=list(KIND_LABELS.items()),
                      default="inspection")
    gemeentecode = SelectField(_l("Municipality"), choices=[], validators=[Optional()])
    weekly_capacity = IntegerField(_l("Weekly capacity (what-if)"),
                                   validators=[Optional(), NumberRange(min=0, max=10_000)])

    class Meta:
        csrf = False  # the what-if travels in the URL and changes nothing


def _day(value: date) -> str:
    return format_date(value, "medium")


def _cleared_text(projection: Projection) -> str:
    if projection.waiting == 0:
        return _("Nothing waiting")
    if projection.cleared_by is None:
        return _("Not within %(years)d years", years=HORIZON_YEARS)
    return _("Week of %(date)s", date=_day(projection.cleared_by))


def _chart(current: Projection, what_if: Projection | None, start: date) -> dict:
    """The chart of one municipality's queue, its description and its table rows."""
    projections = [current] + ([what_if] if what_if else [])
    labels = [_("At current capacity")] + (
        [_("With a capacity of %(capacity)d a week", capacity=what_if.weekly_capacity)]
        if what_if else [])
    chart = charts.queue_chart(projections, labels, start)
    sentences = [_("Requests still waiting in %(municipality)s at the start of each week, "
                   "from %(start)s.", municipality=current.name, start=_day(start))]
    for label, projection in zip(labels, projections, strict=True):
        sentences.append(_("%(series)s: %(waiting)d waiting; cleared: %(cleared)s.",
                           series=label, waiting=projection.waiting,
                           cleared=_cleared_text(projection)))
    svg = charts.render_svg(
        chart, title=_("Remaining queue in %(municipality)s", municipality=current.name),
        description=" ".join(sentences), x_label=_("Week starting"),
        y_label=_("Requests waiting"), format_date=_day)
    return {"svg": svg, "rows": chart.rows(), "labels": labels,
            "municipality": current.name}


@bp.get("/")
@roles_required(OFFICER)
def forecast_page():
    """When each municipality's queue clears at today's capacity, with a what-if and chart."""
    form = ForecastForm(request.args)
    kind = form.kind.data if form.kind.data in KIND_LABELS else "inspection"
    today = date.today()
    start = monday_of(today)
    current = forecast(db.session, kind=kind, today=today)
    form.gemeentecode.choices = [("", _("Choose a municipality"))] + [
        (p.gemeentecode, f"{p.name} ({p.gemeentecode})") for p in current]
    valid = form.validate() if request.args else True
    code = form.gemeentecode.data if valid else None
    chosen = next((p for p in current if p.gemeentecode == code), None)
    what_if = None
    if chosen is not None and valid and form.weekly_capacity.data is not None:
        what_if = forecast(db.session, kind=kind, today=today, gemeentecode=chosen.gemeentecode,
                           weekly_capacity={chosen.gemeentecode: form.weekly_capacity.data})[0]
    # Without a choice, the chart shows the longest queue: the one people ask about.
    charted = chosen or max(current, key=lambda p: (p.waiting, p.name), default=None)
    chart = _chart(charted, what_if, start) if charted is not None and charted.waiting else None
    return render_template(
        "capacity/forecast.html", form=form, projections=current, what_if=what_if,
        chosen=chosen, chart=chart, kind=kind, kind_label=KIND_LABELS[kind], start=start,
        cleared_text=_cleared_text, day=_day, horizon_years=HORIZON_YEARS,
        average_over=AVERAGE_OVER,
    ), 200 if valid else 422


def _page_number() -> int:
    raw = request.args.get("pagina", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


@bp.get("/herbeoordelingen")
@roles_required(OFFICER)
def reassessments_page():
    """Homes inspected before and waiting for reassessment, oldest inspection first."""
    municipalities = reassessments.waiting_municipalities(db.session)
    code = request.args.get("gemeente") or None
    if code not in {c for c, _name, _count in municipalities}:
        code = None
    total = reassessments.count_waiting_reassessments(db.session, gemeentecode=code)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(_page_number(), pages)
    homes = reassessments.waiting_reassessments(db.session, gemeentecode=code,
                                                limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template(
        "capacity/reassessments.html", homes=homes, total=total, page=page, pages=pages,
        gemeente=code, municipalities=municipalities, form=PlanForm(), day=_day,
        advice_labels=ADVICE_LABELS, may_plan=may(current_staff().role, {COORDINATOR}),
    )
