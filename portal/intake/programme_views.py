"""Planning homes from the reassessment waiting list: the programme's way in, for coordinators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.accounts.access import roles_required, staff_actor
from portal.accounts.roles import COORDINATOR
from portal.extensions import db
from portal.intake import programme
from portal.web.forms import PlanForm

bp = Blueprint("programme", __name__)


@bp.post("/medewerkers/prognose/herbeoordelingen/plannen")
@roles_required(COORDINATOR)
def plan_selected():
    """Accept the selected homes for reassessment and plan them into assessment capacity."""
    form = PlanForm()
    ids = [i for i in request.form.getlist("address") if i.isdigit() and len(i) <= 16]
    back = url_for("forecast.reassessments_page", gemeente=request.form.get("gemeente") or None,
                   pagina=request.form.get("pagina") or None)
    if not form.validate_on_submit() or not ids:
        flash(_("Select the homes to plan."), "error")
        return redirect(back, code=303)
    planned = programme.plan_reassessments(db.session, ids, actor=staff_actor())
    db.session.commit()
    if planned == len(ids):
        flash(ngettext("%(num)d home planned into assessment capacity.",
                       "%(num)d homes planned into assessment capacity.", planned), "success")
    else:
        flash(ngettext("%(planned)d of %(num)d selected home planned into assessment capacity. "
                       "The other was accepted and waits for free capacity, or no longer "
                       "waited.",
                       "%(planned)d of %(num)d selected homes planned into assessment capacity. "
                       "The others were accepted and wait for free capacity, or no longer "
                       "waited.", len(ids), planned=planned), "warning")
    return redirect(back, code=303)
