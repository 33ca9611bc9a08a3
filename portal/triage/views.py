"""`/medewerkers/triage`: the queue, take next, a request with its building, and decisions."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.accounts.access import current_staff, roles_required, staff_actor
from portal.accounts.roles import OFFICER, may
from portal.audit import record
from portal.extensions import db
from portal.letters import LETTER_KINDS
from portal.letters.issue import letter_about, letters_about
from portal.register import lookups
from portal.requests import answers as resident_answers
from portal.requests import overview as glance
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.requests.routes import Route
from portal.requests.workflow import TransitionRefused
from portal.triage import callback, decisions, forms
from portal.triage.history_words import triage_reason_words
from portal.triage.queue import (
    QueueFilter,
    call_back_deadline,
    count_overdue,
    is_overdue,
    queue_counts,
    waiting_days,
)
from portal.triage.queue import queue_page as load_page
from portal.triage.queue import take_next as assign_next
from portal.triage.rules import ROUTE_LABELS

bp = Blueprint("triage", __name__, url_prefix="/medewerkers/triage")


def _filter_from(form: forms.QueueFilterForm) -> QueueFilter:
    urgent = {"yes": True, "no": False}.get(form.urgent.data or "")
    return QueueFilter(route=form.route.data or None, status=form.status.data or None,
                       gemeentecode=form.gemeentecode.data or None,
                       woonplaats=form.woonplaats.data or None, urgent=urgent,
                       older_than_days=form.older_than_days.data or None)


@bp.get("/")
@roles_required(OFFICER)
def queue():
    """The queue: urgent first, oldest first, with filters and counts."""
    form = forms.QueueFilterForm(request.args)
    queue_filter = _filter_from(form) if form.validate() else QueueFilter()
    page = load_page(db.session, queue_filter, cursor=request.args.get("na"))
    counts = queue_counts(db.session, queue_filter)
    args = {k: v for k, v in request.args.items() if k != "na" and v}
    return render_template("triage/queue.html", form=form, page=page, counts=counts,
                           route_labels=ROUTE_LABELS, is_overdue=is_overdue,
                           deadline=call_back_deadline, args=args,
                           waiting_days=waiting_days, reason_words=triage_reason_words,
                           bulk=forms.BulkInformForm())


@bp.post("/volgende")
@roles_required(OFFICER)
def take_next():
    """Take the next waiting request; two officers never get the same one."""
    form = forms.QueueFilterForm(request.form)
    queue_filter = _filter_from(form) if form.validate() else QueueFilter()
    req = assign_next(db.session, current_staff().id, queue_filter)
    db.session.commit()
    if req is None:
        flash(_("There is no waiting request left."), "info")
        return redirect(url_for("triage.queue"), code=303)
    return redirect(url_for("triage.detail", request_id=req.id), code=303)


def _request_or_404(request_id: int) -> InspectionRequest:
    found = db.session.get(InspectionRequest, request_id)
    if found is None:
        abort(404)
    return found


def _detail(req: InspectionRequest, form: forms.DecisionForm, status_code: int = 200,
            call_back: forms.CallBackForm | None = None):
    address = lookups.get_address(db.session, req.nummeraanduiding_id) \
        if req.nummeraanduiding_id else None
    overview = glance.address_overview(db.session, req.postcode, req.huisnummer, req.huisletter,
                                     req.huisnummertoevoeging) if address else None
    glance.viewed(db.session, req, actor=staff_actor(), client=request.remote_addr)
    db.session.commit()
    reason = triage_reason_words(req.triage_reason, req.triage_detail)
    return render_template("triage/detail.html", req=req, form=form, overview=overview,
                           route_labels=ROUTE_LABELS, triage_reason=reason,
                           overdue=is_overdue(req), deadline=call_back_deadline(req),
                           call_back=call_back or forms.CallBackForm(),
                           attempts=callback.failed_attempts(db.session, req),
                           max_attempts=callback.MAX_ATTEMPTS,
                           decidable=decisions.decidable(req),
                           letters=letters_about(db.session, format_reference(req.reference)),
                           answers=resident_answers.answers_of(db.session, req),
                           letter_kinds=LETTER_KINDS), status_code


@bp.get("/aanvraag/<int:request_id>")
@roles_required(OFFICER)
def detail(request_id: int):
    """A request with what the register says, its building and identical neighbours."""
    req = _request_or_404(request_id)
    suggested = {Route.INSPECTION: "accept_inspection", Route.REASSESSMENT: "accept_reassessment",
                 Route.IN_PROGRAMME: "inform"}.get(req.suggested_route)
    form = forms.DecisionForm(data={"decision": suggested, "reason_code": "rules_apply",
                                    "seen_status": req.status})
    return _detail(req, form)


@bp.post("/aanvraag/<int:request_id>/besluit")
@roles_required(OFFICER)
def decide(request_id: int):
    """Take a decision with a reason; the letter and the notification go out with it."""
    req = _request_or_404(request_id)
    form = forms.DecisionForm()
    if not form.validate_on_submit():
        return _detail(req, form, 422)
    try:
        decisions.decide(db.session, req, form.decision.data, actor=staff_actor(),
                         reason_code=form.reason_code.data, reason_text=form.reason_text.data,
                         seen_status=form.seen_status.data or None)
    except decisions.DecisionRefused as refused:
        db.session.rollback()
        if refused.code == "decision.taken_by_someone_else":
            # The officer decides again on what the request is now, not on what they saw.
            flash(refused.message, "error")
            return redirect(url_for("triage.detail", request_id=req.id), code=303)
        if not decisions.decidable(_request_or_404(request_id)):
            flash(refused.message, "error")  # the decision form is not shown
        form.reason_text.errors = [*form.reason_text.errors, refused.message]
        return _detail(_request_or_404(request_id), form, 422)
    db.session.commit()
    flash(_("Decision saved; the letter is on its way."), "success")
    return redirect(url_for("triage.detail", request_id=req.id), code=303)


@bp.post("/aanvraag/<int:request_id>/terugbellen")
@roles_required(OFFICER)
def call_back(request_id: int):
    """Record what came of calling back a resident who reported acute danger."""
    req = _request_or_404(request_id)
    form = forms.CallBackForm()
    if not form.validate_on_submit():
        return _detail(req, forms.DecisionForm(), 422, call_back=form)
    note = form.note.data or ""
    try:
        if form.outcome.data == "danger":
            callback.reached_in_danger(db.session, req, actor=staff_actor(), note=note)
            message = _("Referred to the emergency procedure; the letter is on its way.")
        elif form.outcome.data == "no_danger":
            callback.reached_no_danger(db.session, req, actor=staff_actor(), note=note)
            message = _("No acute danger: the request is now handled as an ordinary "
                        "request.")
        else:
            count = callback.not_reached(db.session, req, actor=staff_actor(), note=note)
            message = _("Not reached three times: the request is closed and a letter goes "
                        "by post.") if count >= callback.MAX_ATTEMPTS else ngettext(
                "Not reached: %(num)d attempt recorded.",
                "Not reached: %(num)d attempts recorded.", count)
    except (callback.CallBackRefused, TransitionRefused):
        # Someone else recorded this call back a moment earlier: nothing is recorded twice.
        db.session.rollback()
        flash(_("This request is no longer urgent: nothing was recorded."), "error")
        return redirect(url_for("triage.detail", request_id=request_id), code=303)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("triage.detail", request_id=req.id), code=303)


def overdue_call_backs() -> int:
    """How many urgent requests wait past their call-back deadline (for the staff home)."""
    return count_overdue(db.session)


@bp.app_context_processor
def _call_backs_context() -> dict:
    """Offer the staff home the count of overdue call backs, for officers only."""
    staff = current_staff()
    if staff is None or not may(staff.role, (OFFICER,)):
        return {}
    return {"overdue_call_backs": overdue_call_backs}


@bp.get("/aanvraag/<int:request_id>/brief/<int:letter_id>.pdf")
@roles_required(OFFICER)
def letter(request_id: int, letter_id: int):
    """A letter of this request, as the PDF that was stored when it was issued."""
    req = _request_or_404(request_id)
    found = letter_about(db.session, letter_id, format_reference(req.reference))
    if found is None:
        abort(404)
    record(db.session, actor=staff_actor(), action="request.letter_viewed",
           subject_type="request", subject_id=req.id, client=request.remote_addr,
           details={"letter_id": found.id})
    db.session.commit()
    return Response(found.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="brief-{found.id}.pdf"',
    })


@bp.get("/aanvraag/<int:request_id>/antwoord/<int:answer_id>")
@roles_required(OFFICER)
def answer_file(request_id: int, answer_id: int):
    """The file the resident sent with an answer, as the type its first bytes showed."""
    req = _request_or_404(request_id)
    found = resident_answers.answer_of(db.session, req, answer_id)
    if found is None or found.file_data is None:
        abort(404)
    record(db.session, actor=staff_actor(), action="request.answer_file_viewed",
           subject_type="request", subject_id=req.id, client=request.remote_addr,
           details={"answer_id": found.id})
    db.session.commit()
    return Response(found.file_data, mimetype=found.content_type, headers={
        "Content-Disposition": f'attachment; filename="{found.file_name}"',
        "X-Content-Type-Options": "nosniff",
    })


@bp.post("/informeren")
@roles_required(OFFICER)
def bulk_inform():
    """Inform all selected already-in-programme requests, each with its own letter."""
    form = forms.BulkInformForm()
    ids = [int(i) for i in request.form.getlist("request_id") if i.isdigit()]
    if not form.validate_on_submit() or not ids:
        flash(_("Select the requests to inform."), "error")
        return redirect(url_for("triage.queue", route=Route.IN_PROGRAMME), code=303)
    chosen = [db.session.get(InspectionRequest, i) for i in ids if i < 2**31]
    done = decisions.bulk_inform(db.session, [r for r in chosen if r is not None],
                                 actor=staff_actor(), reason_text=form.reason_text.data or "")
    db.session.commit()
    flash(ngettext("%(num)d request informed.", "%(num)d requests informed.", len(done)),
          "success")
    return redirect(url_for("triage.queue", route=Route.IN_PROGRAMME), code=303)
