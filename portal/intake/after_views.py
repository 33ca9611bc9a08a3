"""Pages after the form: the call-back page for acute danger, and the receipt PDF."""

from __future__ import annotations

from flask import Response, redirect, render_template, session, url_for
from flask_babel import get_locale

from portal.actors import RESIDENT
from portal.db import begin_write
from portal.extensions import db
from portal.intake import drafts, forms, wizard
from portal.intake.forms import house_number_from
from portal.intake.receipt import receipt_pdf
from portal.intake.submit import submit_request
from portal.intake.views import SUBMITTED_KEY, _remember_submitted, bp, submitted_request
from portal.register import lookups
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.web.context import service_facts


@bp.route("/gevaar/terugbellen", methods=["GET", "POST"])
def urgent():
    """Show the emergency number at once, and take name and phone for a call back."""
    answers = drafts.load_answers(db.session, session.get("draft"))
    if not answers.get("acute_danger"):
        return redirect(url_for("intake.danger"))
    known = bool(answers.get("straat"))
    form = forms.UrgentContactForm(data={k: v for k, v in answers.items()
                                         if k in ("contact_name", "phone")})
    if form.validate_on_submit():
        answers.update(contact_name=form.contact_name.data.strip(), phone=form.phone.data,
                       language=str(get_locale()))
        if not known and form.postcode.data:
            _take_address(answers, form.postcode.data, house_number_from(form.huisnummer.data))
        key = session["draft"]
        submission = submit_request(
            db.session, wizard.to_urgent_answers(answers, str(get_locale())), actor=RESIDENT,
            submission_key=key)
        drafts.discard(db.session, key)
        db.session.commit()
        # The reference lets the resident follow the call back and read its letter on /status.
        _remember_submitted(submission.request)
        session.pop("draft", None)
        return redirect(url_for("intake.urgent_received"))
    return render_template("intake/urgent.html", form=form, address_known=known)


def _take_address(answers: dict, postcode: str, number: int) -> None:
    """Keep what the register knows of the postcode and number a resident in danger gave."""
    answers.update(postcode=postcode, huisnummer=number)
    options = lookups.addresses_at(db.session, postcode, number)
    if options:
        answers.update(straat=options[0].straat, woonplaats=options[0].woonplaats)
    if len(options) == 1:
        answers.update(nummeraanduiding_id=options[0].nummeraanduiding_id,
                       huisletter=options[0].huisletter,
                       huisnummertoevoeging=options[0].huisnummertoevoeging)


@bp.get("/gevaar/ontvangen")
def urgent_received():
    """Confirm the call back, repeat the emergency number, and give the reference."""
    ids = session.get(SUBMITTED_KEY) or []
    req = db.session.get(InspectionRequest, ids[-1]) if ids else None
    if req is not None and not req.acute_danger:
        req = None  # the last request this browser sent was an ordinary one
    return render_template("intake/urgent_received.html", req=req)


@bp.get("/ontvangstbewijs.pdf")
def receipt():
    """The receipt of the request this browser just submitted, as a PDF."""
    # The first download stores the rendered receipt: a GET that writes takes SQLite's
    # write lock before it reads, or a writer in between makes it fail as "locked".
    begin_write(db.session)
    req = submitted_request()
    pdf = receipt_pdf(db.session, req, service_facts())
    db.session.commit()
    name = f"ontvangstbewijs-{format_reference(req.reference)}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    })
