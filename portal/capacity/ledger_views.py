"""`/medewerkers/capaciteit`: the ledger per municipality and kind, changing it, planning.

Coordinators only. Each view parses its form, calls one domain function of `ledger` or
`planning`, commits, and redirects or renders.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.accounts.access import roles_required, staff_actor
from portal.accounts.roles import COORDINATOR
from portal.capacity import ledger, planning
from portal.capacity.allocation import week_start_of
from portal.capacity.ledger_forms import (
    KIND_LABELS,
    CapacityUploadForm,
    LedgerFilterForm,
    PlanForm,
    WeekRangeForm,
    shares_form,
)
from portal.extensions import db

bp = Blueprint("capacity", __name__, url_prefix="/medewerkers/capaciteit")
# The range form shares field names with the filter above it; a prefix keeps ids unique.
RANGE = "range"


def _choices() -> list[tuple[str, str]]:
    return [(m.code, f"{m.name} ({m.code})") for m in ledger.municipalities(db.session)]


def _page(*, range_form: WeekRangeForm | None = None,
          upload_form: CapacityUploadForm | None = None, refusals=(), status: int = 200):
    """The ledger page for the municipality, kind and weeks in the URL."""
    choices = _choices()
    shown = LedgerFilterForm(request.args)
    shown.gemeentecode.choices = choices
    valid = shown.validate()
    codes = [code for code, _label in choices]
    code = shown.gemeentecode.data if valid and shown.gemeentecode.data in codes else (
        codes[0] if codes else None)
    kind = shown.kind.data if valid and shown.kind.data in KIND_LABELS else "inspection"
    weeks = shown.weeks.data if valid and shown.weeks.data else 26
    first = week_start_of(date.today())
    rows = ledger.ledger_table(db.session, code, kind, first, weeks) if code else []
    if range_form is None:
        range_form = WeekRangeForm(formdata=None, prefix=RANGE, data={
            "gemeentecode": code, "kind": kind, "first_week": first, "count": 1})
    range_form.gemeentecode.choices = choices
    return render_template(
        "capacity/ledger.html", shown=shown, code=code, kind=kind, rows=rows,
        kind_label=KIND_LABELS[kind], range_form=range_form,
        upload_form=upload_form or CapacityUploadForm(formdata=None),
        refusals=refusals, municipality=dict(choices).get(code, "")), status


def _back(code: str | None = None, kind: str | None = None):
    args = {k: v for k, v in (("gemeentecode", code), ("kind", kind)) if v}
    return redirect(url_for("capacity.index", **args), code=303)


def _flash_moves(report: planning.PlanReport) -> None:
    if report.moved_later or report.unplanned:
        flash(_("%(moved)d bookings moved to a later week and %(back)d taken back to "
                "accepted; the residents are told.", moved=report.moved_later,
                back=report.unplanned), "warning")


@bp.get("/")
@roles_required(COORDINATOR)
def index():
    """The ledger of one municipality and kind: capacity, reserved, booked and free."""
    return _page()


@bp.post("/weken")
@roles_required(COORDINATOR)
def set_weeks():
    """Set capacity and/or reserved for a range of weeks; bookings that no longer fit move."""
    form = WeekRangeForm(prefix=RANGE)
    form.gemeentecode.choices = _choices()
    if not form.validate_on_submit():
        return _page(range_form=form, status=422)
    try:
        report = ledger.set_weeks(
            db.session, form.gemeentecode.data, form.kind.data, form.first_week.data,
            form.count.data, capacity=form.capacity.data, reserved=form.reserved.data,
            actor=staff_actor())
    except planning.LedgerRefused as refused:
        db.session.rollback()
        form.count.errors = [*form.count.errors, *refused.problems]
        return _page(range_form=form, status=422)
    db.session.commit()
    flash(_("The ledger is saved for %(count)d weeks.", count=form.count.data), "success")
    _flash_moves(report)
    return _back(form.gemeentecode.data, form.kind.data)


@bp.post("/importeren")
@roles_required(COORDINATOR)
def upload():
    """Import a capacity file: all lines or none, every bad line named."""
    form = CapacityUploadForm()
    if not form.validate_on_submit():
        return _page(upload_form=form, status=422)
    with tempfile.TemporaryDirectory(prefix="capacity-") as directory:
        path = Path(directory) / "capaciteit.csv"
        form.file.data.save(path)
        outcome = ledger.import_capacity_csv(db.session, path, staff_actor())
    if not outcome.applied:
        db.session.rollback()
        return _page(upload_form=form, refusals=outcome.refusals, status=422)
    db.session.commit()
    flash(_("%(count)d weeks imported.", count=outcome.rows), "success")
    _flash_moves(outcome.plan)
    return _back()


@bp.post("/plannen")
@roles_required(COORDINATOR)
def plan():
    """Plan every accepted request into free capacity, oldest acceptance first."""
    return _run_plan(planning.plan_accepted, _("Accepted requests planned"))


@bp.post("/herplannen")
@roles_required(COORDINATOR)
def replan():
    """Re-plan everything after reservations changed."""
    return _run_plan(planning.replan, _("Everything re-planned"))


def _run_plan(step, title: str):
    if not PlanForm().validate_on_submit():
        flash(_("The form expired. Try again."), "error")
        return _back()
    report = step(db.session, actor=staff_actor())
    db.session.commit()
    names = dict(_choices())
    return render_template("capacity/ledger_plan.html", report=report, title=title,
                           names=names)


@bp.route("/verdeling", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def shares():
    """The coordinator's order when municipalities compete for unused capacity."""
    municipalities = ledger.municipalities(db.session)
    form = shares_form(municipalities, ledger.shares(db.session),
                       request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            values = {}
            for m in municipalities:
                share = form[f"share_{m.code}"].data
                rank = form[f"rank_{m.code}"].data
                if share is not None or rank is not None:
                    values[m.code] = (share or 0, rank or 0)
            try:
                ledger.set_shares(db.session, values, actor=staff_actor())
            except ledger.SharesRefused as refused:
                db.session.rollback()
                form.form_errors.append(refused.message)
            else:
                db.session.commit()
                flash(_("The order is saved."), "success")
                return redirect(url_for("capacity.shares"), code=303)
        status = 422
    return render_template("capacity/ledger_shares.html", form=form,
                           municipalities=municipalities), status
