"""`/medewerkers/balie`: the call-centre desk — an address at a glance, then the request."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.accounts.access import roles_required, staff_actor
from portal.accounts.roles import AGENT, OFFICER
from portal.extensions import db
from portal.intake import desk, desk_forms, status
from portal.intake.receipts_out import send_receipt
from portal.intake.submit import Answers, submit_request
from portal.requests import overview as glance
from portal.requests.models import InspectionRequest
from portal.web.context import service_facts

bp = Blueprint("desk", __name__, url_prefix="/medewerkers/balie")


def _request_or_404(request_id: int) -> InspectionRequest:
    found = db.session.get(InspectionRequest, request_id)
    if found is None:
        abort(404)
    return found


@bp.get("/")
@roles_required(AGENT, OFFICER)
def index():
    """Type postcode and number; or search for a request."""
    return render_template("desk/index.html", form=desk_forms.DeskAddressForm(request.args),
                           search=desk_forms.SearchForm())


@bp.get("/adres")
@roles_required(AGENT, OFFICER)
def address():
    """The address at a glance: register status, building, requests; then the new request."""
    form = desk_forms.DeskAddressForm(request.args)
    if not form.validate():
        return render_template("desk/index.html", form=form, search=desk_forms.SearchForm())
    number = int(form.huisnummer.data)
    overview = glance.address_overview(db.session, form.postcode.data, number,
                                     form.huisletter.data or "",
                                     form.huisnummertoevoeging.data or "")
    for req in overview.requests + overview.building_requests:
        glance.viewed(db.session, req, actor=staff_actor(), client=request.remote_addr)
    db.session.commit()
    # No answer to the danger question is chosen beforehand: the agent asks it first.
    entry = desk_forms.DeskRequestForm(data={"language": "nl", "letters_by_post": "no"})
    return render_template("desk/address.html", form=form, overview=overview, entry=entry,
                           submission_key=secrets.token_urlsafe(24))


@bp.post("/aanvraag")
@roles_required(AGENT, OFFICER)
def create():
    """Enter the caller's request through the same code path as the resident's form."""
    lookup = desk_forms.DeskAddressForm(request.form)
    entry = desk_forms.DeskRequestForm()
    if not lookup.validate():
        abort(400)
    number = int(lookup.huisnummer.data)
    overview = glance.address_overview(db.session, lookup.postcode.data, number,
                                     lookup.huisletter.data or "",
                                     lookup.huisnummertoevoeging.data or "")
    valid = entry.validate_on_submit()
    urgent = entry.acute_danger.data == "yes"
    if urgent:
        valid = desk_forms.only_what_a_call_back_needs(entry)
    typed_missing = not urgent and overview.address is None and not (
        (entry.straat.data or "").strip() and (entry.woonplaats.data or "").strip())
    if not valid or typed_missing:
        if typed_missing:
            entry.straat.errors = [*entry.straat.errors,
                                   _("Enter the street and place of an address not in the "
                                     "register")]
        return render_template("desk/address.html", form=lookup, overview=overview,
                               entry=entry, submission_key=request.form.get("submission_key",
                                                                            "")), 422
    source = overview.address
    answers = Answers(
        postcode=lookup.postcode.data, huisnummer=number,
        huisletter=source.huisletter if source else (lookup.huisletter.data or "").upper(),
        huisnummertoevoeging=source.huisnummertoevoeging if source
        else (lookup.huisnummertoevoeging.data or "").upper(),
        straat=source.straat if source else (entry.straat.data or "").strip(),
        woonplaats=source.woonplaats if source else (entry.woonplaats.data or "").strip(),
        nummeraanduiding_id=source.nummeraanduiding_id if source else None,
        building_kind=entry.building_kind.data or "", relation=entry.relation.data or "",
        signs=entry.signs.data or [], explanation=(entry.explanation.data or "").strip(),
        acute_danger=urgent,
        contact_name=entry.contact_name.data.strip(), email=entry.email.data or None,
        phone=entry.phone.data or None, language=entry.language.data or "nl",
        letters_by_post=entry.letters_by_post.data == "yes",
        identity_checked=bool(entry.identity_checked.data),
    )
    submission = submit_request(db.session, answers, actor=staff_actor(), channel="phone",
                                submission_key=request.form.get("submission_key")
                                or secrets.token_urlsafe(24))
    db.session.commit()
    return redirect(url_for("desk.entered", request_id=submission.request.id), code=303)


@bp.route("/aanvraag/<int:request_id>/ingevoerd", methods=["GET", "POST"])
@roles_required(AGENT, OFFICER)
def entered(request_id: int):
    """Read the reference back to the caller, and send the receipt by email or post."""
    req = _request_or_404(request_id)
    form = desk_forms.ReceiptForm()
    if form.validate_on_submit():
        if form.method.data == "email" and not req.email:
            form.method.errors = [_("There is no email address: send it by post")]
        else:
            send_receipt(db.session, req, method=form.method.data, actor=staff_actor(),
                         facts=service_facts())
            db.session.commit()
            flash(_("The receipt is on its way."), "success")
            return redirect(url_for("desk.detail", request_id=req.id), code=303)
    glance.viewed(db.session, req, actor=staff_actor(), client=request.remote_addr)
    db.session.commit()
    return render_template("desk/entered.html", req=req, form=form)


@bp.get("/zoeken")
@roles_required(AGENT, OFFICER)
def search():
    """Find requests by reference, phone number or postcode and number."""
    form = desk_forms.SearchForm(request.args)
    found = desk.find_requests(db.session, form.q.data) if form.validate() else []
    for req in found:
        glance.viewed(db.session, req, actor=staff_actor(), client=request.remote_addr)
    db.session.commit()
    return render_template("desk/search.html", search=form, found=found)


@bp.get("/aanvraag/<int:request_id>")
@roles_required(AGENT, OFFICER)
def detail(request_id: int):
    """A request with its history; note, correct and withdraw from here."""
    req = _request_or_404(request_id)
    glance.viewed(db.session, req, actor=staff_actor(), client=request.remote_addr)
    db.session.commit()
    contact = desk_forms.DeskContactForm(data={
        "contact_name": req.contact_name, "email": req.email, "phone": req.phone,
        "language": req.language, "letters_by_post": "yes" if req.letters_by_post else "no"})
    return render_template("desk/detail.html", req=req, note=desk_forms.NoteForm(),
                           withdraw=desk_forms.WithdrawForm(), contact=contact,
                           can_withdraw=status.can_withdraw(req))


@bp.post("/aanvraag/<int:request_id>/notitie")
@roles_required(AGENT, OFFICER)
def note(request_id: int):
    """Add a note to the request."""
    req = _request_or_404(request_id)
    form = desk_forms.NoteForm()
    if form.validate_on_submit():
        desk.add_note(db.session, req, actor=staff_actor(), text=form.text.data)
        db.session.commit()
        flash(_("Note saved."), "success")
    else:
        flash(_("Write the note"), "error")
    return redirect(url_for("desk.detail", request_id=req.id), code=303)


@bp.post("/aanvraag/<int:request_id>/intrekken")
@roles_required(AGENT, OFFICER)
def withdraw(request_id: int):
    """Withdraw at the caller's request, with who and why."""
    req = _request_or_404(request_id)
    form = desk_forms.WithdrawForm()
    if form.validate_on_submit() and status.can_withdraw(req):
        status.withdraw(db.session, req, actor=staff_actor(),
                        reason=f"withdrawn by phone: {form.reason.data.strip()}")
        db.session.commit()
        flash(_("The request is withdrawn."), "success")
    else:
        flash(_("Write why the caller withdraws"), "error")
    return redirect(url_for("desk.detail", request_id=req.id), code=303)


@bp.post("/aanvraag/<int:request_id>/contact")
@roles_required(AGENT, OFFICER)
def correct(request_id: int):
    """Correct the contact details, with who and why."""
    req = _request_or_404(request_id)
    form = desk_forms.DeskContactForm()
    if not form.validate_on_submit():
        return render_template("desk/detail.html", req=req, note=desk_forms.NoteForm(),
                               withdraw=desk_forms.WithdrawForm(), contact=form,
                               can_withdraw=status.can_withdraw(req)), 422
    status.correct_contact(
        db.session, req, actor=staff_actor(), contact_name=form.contact_name.data.strip(),
        email=form.email.data, phone=form.phone.data, language=form.language.data,
        letters_by_post=form.letters_by_post.data == "yes",
        reason=f"contact details corrected by phone: {form.reason.data.strip()}")
    db.session.commit()
    flash(_("Contact details saved."), "success")
    return redirect(url_for("desk.detail", request_id=req.id), code=303)
