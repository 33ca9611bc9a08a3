"""`/status`: a resident checks a request, reads its letters and answers our questions.

Withdrawing and correcting go through a one-time link sent by email. Everything after
the lookup (overview, letters, answer) is allowed by the same grant in the session: the
request found by reference, postcode and house number, for 30 minutes.
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.actors import RESIDENT
from portal.capacity.expected import expected_period
from portal.clock import utcnow
from portal.extensions import db
from portal.intake import forms, status
from portal.intake.explain import explain, lead_of
from portal.outbox.queue import queue_email
from portal.requests import answers
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.web.context import service_facts
from portal.web.ratelimit import allow, client_key, give_back

bp = Blueprint("status", __name__, url_prefix="/status")

LOOKUP_LIMIT = 10
LOOKUP_WINDOW = timedelta(minutes=15)
GRANT_KEY = "status_request"
# What a resident typed in a failed lookup, kept for the fields of the next page.
TYPED_KEY = "status_typed"
TYPED_FIELDS = ("reference", "postcode", "huisnummer")
TYPED_MAX = 40
GRANT_LIFETIME = timedelta(minutes=30)
# Room for the text and the form around a file of the largest size taken.
ANSWER_BODY_LIMIT = answers.MAX_FILE_BYTES + 64 * 1024

ANSWER_REFUSALS = {
    "empty": ("text", _l("Write your answer")),
    "too_long": ("text", _l("Use at most %(max)d characters", max=answers.MAX_TEXT)),
    "file_type": ("upload", _l("Choose a photo (JPEG or PNG) or a PDF file")),
    "file_size": ("upload", _l("Choose a file of at most 10 MB")),
}


@bp.after_request
def _no_store(response):
    """A request's status, letters and question are personal: no browser or proxy keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("", methods=["GET", "POST"])
def lookup():
    """Ask reference, postcode and house number; every failed lookup gets the same answer.

    Only failed lookups count toward the limit: a resident may check as often as they like.
    What was typed travels to the next page in the signed session cookie, not in the
    redirect, so the fields keep it and the redirect stays the same for every failure.
    """
    form = forms.StatusLookupForm()
    if request.method == "POST":
        if form.validate_on_submit():
            key = client_key("status", request.remote_addr or "?")
            now = utcnow()
            allowed = allow(db.session, key, limit=LOOKUP_LIMIT, window=LOOKUP_WINDOW, now=now)
            found = None
            if allowed:
                found = status.find_for_status(db.session, form.reference.data,
                                               form.postcode.data, form.huisnummer.data)
            if found is not None:
                give_back(db.session, key, window=LOOKUP_WINDOW, now=now)
            db.session.commit()
            if found is None:
                # One answer for a wrong reference, postcode or number: nothing to learn.
                session[TYPED_KEY] = {name: (getattr(form, name).data or "")[:TYPED_MAX]
                                      for name in TYPED_FIELDS}
                notice = "niet-gevonden" if allowed else "te-vaak"
                return redirect(url_for("status.lookup", melding=notice), code=303)
            session[GRANT_KEY] = {"id": found.id, "until": (utcnow() + GRANT_LIFETIME)
                                  .isoformat()}
            return redirect(url_for("status.overview"), code=303)
    else:
        typed = session.pop(TYPED_KEY, None)
        if typed:
            form = forms.StatusLookupForm(data=typed)
    notice = request.args.get("melding")
    return render_template("status/lookup.html", form=form, notice=notice)


def _granted() -> InspectionRequest:
    grant = session.get(GRANT_KEY)
    if not grant or grant["until"] < utcnow().isoformat():
        abort(redirect(url_for("status.lookup")))
    found = db.session.get(InspectionRequest, grant["id"])
    if found is None:
        abort(404)
    return found


@bp.get("/aanvraag")
def overview():
    """Status, what it means, the timeline, the expected period, letters and our question."""
    return _overview(_granted(), forms.AnswerForm())


def _overview(req: InspectionRequest, answer_form: forms.AnswerForm, status_code: int = 200):
    # A request added to an earlier one follows it: its period is the lead's.
    lead = lead_of(req)
    return render_template("status/overview.html", req=req, timeline=status.timeline(req),
                           explanation=explain(db.session, req, service_facts()),
                           expected=status.expected_decision(req),
                           period=expected_period(db.session, lead or req),
                           can_withdraw=status.can_withdraw(req),
                           can_correct=status.can_correct(req),
                           letters=status.letters_of(db.session, req),
                           question=status.open_question(db.session, req),
                           answer_form=answer_form,
                           answered=request.args.get("melding") == "beantwoord"), status_code


@bp.get("/brief/<int:letter_id>.pdf")
def letter(letter_id: int):
    """A letter of the granted request, as the PDF that was stored when it was issued."""
    req = _granted()
    found = status.letter_of(db.session, req, letter_id)
    if found is None:
        abort(404)
    name = f"brief-{format_reference(req.reference)}-{found.id}.pdf"
    return Response(found.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
    })


@bp.post("/antwoord")
def answer():
    """The resident answers our question: text and one file; the request waits for us again."""
    req = _granted()
    question = status.open_question(db.session, req)
    if question is None:
        return redirect(url_for("status.overview"), code=303)
    form = forms.AnswerForm()
    if (request.content_length or 0) > ANSWER_BODY_LIMIT:
        form.validate_on_submit()
        form.upload.errors = [str(ANSWER_REFUSALS["file_size"][1])]
        return _overview(req, form, 413)
    if not form.validate_on_submit():
        return _overview(req, form, 422)
    upload = None
    storage = form.upload.data
    if storage and getattr(storage, "filename", ""):
        upload = answers.Upload(storage.filename, storage.read(answers.MAX_FILE_BYTES + 1))
    try:
        answers.answer_question(db.session, req, text=form.text.data, upload=upload,
                                actor=RESIDENT, decision_id=question.decision_id)
    except answers.AnswerRefused as refused:
        db.session.rollback()
        field, message = ANSWER_REFUSALS.get(refused.reason, ("text", None))
        if message is None:
            return redirect(url_for("status.overview"), code=303)
        getattr(form, field).errors = [*getattr(form, field).errors, str(message)]
        return _overview(_granted(), form, 422)
    db.session.commit()
    return redirect(url_for("status.overview", melding="beantwoord"), code=303)


@bp.post("/link/<purpose>")
def send_link(purpose: str):
    """Email a one-time link to withdraw or correct, to the email address on file."""
    if purpose not in status.PURPOSES:
        abort(404)
    req = _granted()
    form = forms.ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    if not status.may(req, purpose):
        return redirect(url_for("status.overview"), code=303)
    if req.email:
        token = status.issue_token(db.session, req, purpose)
        with force_locale(req.language):
            path = url_for("status.use_link", purpose=purpose, token=token)
            link = service_facts().public_url(path)
            subject = _("Your link for request %(reference)s",
                        reference=format_reference(req.reference))
            body = "\n\n".join([
                _("Dear %(name)s,", name=req.contact_name),
                _("Use this link to withdraw your request:") if purpose == "withdraw"
                else _("Use this link to correct your contact details:"),
                link,
                _("The link works once and for 24 hours. Did you not ask for it? Then you "
                  "can ignore this email."),
            ])
        queue_email(db.session, to=req.email, subject=subject, body=body,
                    language=req.language)
        db.session.commit()
    return render_template("status/link_sent.html", req=req, has_email=bool(req.email))


@bp.route("/link/<purpose>/<token>", methods=["GET", "POST"])
def use_link(purpose: str, token: str):
    """Withdraw or correct through a one-time link; the link works once."""
    if purpose not in status.PURPOSES:
        abort(404)
    req = status.redeem_token(db.session, token, purpose, consume=False)
    if req is None:
        return render_template("status/link_invalid.html"), 410
    if purpose == "withdraw":
        return _withdraw(req, token)
    return _correct(req, token)


def _withdraw(req: InspectionRequest, token: str):
    form = forms.ContinueForm()
    if not status.can_withdraw(req):
        return render_template("status/withdraw_done.html", req=req, already=True)
    if form.validate_on_submit():
        status.redeem_token(db.session, token, "withdraw", consume=True)
        status.withdraw(db.session, req, actor=RESIDENT, reason="withdrawn via email link")
        db.session.commit()
        return render_template("status/withdraw_done.html", req=req, already=False)
    return render_template("status/withdraw.html", req=req, form=form)


def _correct(req: InspectionRequest, token: str):
    if not status.can_correct(req):
        return render_template("status/link_invalid.html"), 410
    data = {"contact_name": req.contact_name, "email": req.email, "phone": req.phone,
            "language": req.language, "letters_by_post": "yes" if req.letters_by_post else "no"}
    form = forms.ContactForm(data=data)
    if form.validate_on_submit():
        status.redeem_token(db.session, token, "correct", consume=True)
        status.correct_contact(
            db.session, req, actor=RESIDENT, contact_name=form.contact_name.data.strip(),
            email=form.email.data, phone=form.phone.data, language=form.language.data,
            letters_by_post=form.letters_by_post.data == "yes")
        db.session.commit()
        return render_template("status/correct_done.html", req=req)
    return render_template("status/correct.html", req=req, form=form)
