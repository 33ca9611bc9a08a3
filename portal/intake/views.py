"""The resident's request form: one question per page, answers kept in a server-side draft."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from sqlalchemy import select

from portal.actors import RESIDENT
from portal.capacity.expected import expected_period
from portal.extensions import db
from portal.intake import drafts, forms, wizard
from portal.intake.submit import find_open_request, submit_request
from portal.register import lookups
from portal.register.verdict import served_by, verdict
from portal.register.words import home_standing
from portal.requests.models import InspectionRequest
from portal.web.context import service_facts

bp = Blueprint("intake", __name__, url_prefix="/aanvraag")

PAGE_ENDPOINTS = {
    "address": "intake.address", "register": "intake.register_says",
    "building": "intake.building", "relation": "intake.relation", "reasons": "intake.reasons",
    "danger": "intake.danger", "contact": "intake.contact", "check": "intake.check",
    "urgent": "intake.urgent",
}
SUBMITTED_KEY = "submitted_requests"


def _draft_key() -> str:
    if "draft" not in session:
        session["draft"] = drafts.new_draft_key()
    return session["draft"]


def _answers() -> dict:
    return drafts.load_answers(db.session, session.get("draft"))


def _save(answers: dict) -> None:
    drafts.save_answers(db.session, _draft_key(), answers)
    db.session.commit()


def _go(page: str, answers: dict):
    """Redirect to the next page, or back to the check page after a change."""
    back_to_check = page not in ("address", "register", "danger") or (
        page == "danger" and not answers.get("acute_danger"))
    if request.args.get("change") and back_to_check:
        return redirect(url_for("intake.check"))
    return redirect(url_for(PAGE_ENDPOINTS[wizard.next_page(page, answers)]))


def _guard(page: str, answers: dict):
    missing = wizard.first_missing_page(answers, page)
    return redirect(url_for(PAGE_ENDPOINTS[missing])) if missing else None


# Answers that outlive a change of address: the danger question comes before it.
KEPT_ACROSS_ADDRESSES = ("postcode", "huisnummer", "acute_danger")


def _kept(answers: dict) -> dict:
    return {k: answers[k] for k in ("acute_danger",) if k in answers}


@bp.get("")
def begin():
    """Start (or continue) a request: the first question is about acute danger."""
    return redirect(url_for("intake.danger"))


@bp.route("/adres", methods=["GET", "POST"])
def address():
    """Ask postcode and house number (after the danger question)."""
    answers = _answers()
    if redirect_to := _guard("address", answers):
        return redirect_to
    form = forms.AddressForm(data={"postcode": answers.get("postcode"),
                                   "huisnummer": answers.get("huisnummer")})
    if form.validate_on_submit():
        number = forms.house_number_from(form.huisnummer.data)
        answers = {**_kept(answers), "postcode": form.postcode.data, "huisnummer": number}
        _save(answers)
        if not lookups.served_address(db.session, form.postcode.data, number,
                                      served_by(db.session)):
            return redirect(url_for("intake.outside_area"))
        return redirect(url_for("intake.choose_address"))
    return render_template("intake/address.html", form=form)


@bp.get("/buiten-gebied")
def outside_area():
    """Say, before any other question, that the address lies outside the area served."""
    answers = _answers()
    if "postcode" not in answers:
        return redirect(url_for("intake.address"))
    return render_template("intake/outside_area.html", answers=answers,
                           places=lookups.served_municipality_names(
                               db.session, served_by(db.session)))


@bp.route("/adres-kiezen", methods=["GET", "POST"])
def choose_address():
    """Let the resident pick the exact address among the register's options."""
    answers = _answers()
    if "postcode" not in answers:
        return redirect(url_for("intake.address"))
    options = lookups.addresses_at(db.session, answers["postcode"], answers["huisnummer"])
    if not options:
        return redirect(url_for("intake.typed_address"))
    form = forms.ChooseAddressForm(data={"address": answers.get("nummeraanduiding_id")})
    form.address.choices = [(a.nummeraanduiding_id, lookups.address_label(a)) for a in options]
    if len(options) == 1 and request.method == "GET" and "nummeraanduiding_id" not in answers:
        form.address.data = options[0].nummeraanduiding_id
    if form.validate_on_submit():
        chosen = next(a for a in options if a.nummeraanduiding_id == form.address.data)
        _keep_address(answers, chosen)
        _save(answers)
        return redirect(url_for("intake.register_says"))
    return render_template("intake/choose_address.html", form=form, answers=answers)


def _keep_address(answers: dict, address) -> None:
    for key in list(answers):
        if key not in KEPT_ACROSS_ADDRESSES:
            answers.pop(key)
    answers.update(
        nummeraanduiding_id=address.nummeraanduiding_id, huisletter=address.huisletter,
        huisnummertoevoeging=address.huisnummertoevoeging, straat=address.straat,
        woonplaats=address.woonplaats)


@bp.route("/adres-invullen", methods=["GET", "POST"])
def typed_address():
    """An address not in the register: type it, and an officer checks it."""
    answers = _answers()
    if "postcode" not in answers:
        return redirect(url_for("intake.address"))
    form = forms.TypedAddressForm(data=answers if not answers.get("nummeraanduiding_id") else {})
    if form.validate_on_submit():
        kept = {**_kept(answers), "postcode": answers["postcode"],
                "huisnummer": answers["huisnummer"]}
        kept.update(straat=form.straat.data.strip(), woonplaats=form.woonplaats.data.strip(),
                    huisletter=(form.huisletter.data or "").strip().upper(),
                    huisnummertoevoeging=(form.huisnummertoevoeging.data or "").strip().upper())
        _save(kept)
        return redirect(url_for("intake.register_says"))
    return render_template("intake/typed_address.html", form=form, answers=answers)


@bp.route("/register", methods=["GET", "POST"])
def register_says():
    """Say what the register knows of the address before anything else is asked."""
    answers = _answers()
    if redirect_to := _guard("register", answers):
        return redirect_to
    address = lookups.get_address(db.session, answers.get("nummeraanduiding_id") or "")
    outcome = verdict(address, served_by(db.session))
    open_request = find_open_request(
        db.session, postcode=answers["postcode"], huisnummer=answers["huisnummer"],
        huisletter=answers.get("huisletter", ""),
        huisnummertoevoeging=answers.get("huisnummertoevoeging", ""),
        nummeraanduiding_id=answers.get("nummeraanduiding_id"))
    form = forms.ContinueForm()
    if form.validate_on_submit():
        answers["outcome"] = outcome.kind
        _save(answers)
        return redirect(url_for("intake.building"))
    facts = service_facts()
    standing = home_standing(outcome, desk_phone=facts.desk_phone,
                             emergency_number=facts.emergency_number)
    return render_template("intake/register.html", form=form, outcome=outcome, standing=standing,
                           answers=answers, open_request=open_request,
                           label=lookups.address_label(_AddressView(answers)))


class _AddressView:
    """The draft's address with the attribute names address_label expects."""

    def __init__(self, answers: dict) -> None:
        for key in ("postcode", "huisnummer", "straat", "woonplaats"):
            setattr(self, key, answers.get(key, ""))
        self.huisletter = answers.get("huisletter", "")
        self.huisnummertoevoeging = answers.get("huisnummertoevoeging", "")


def _single_question(page: str, form_class, template: str, store, shown=None):
    """Show one question; on a valid answer store it in the draft and move on."""
    answers = _answers()
    if redirect_to := _guard(page, answers):
        return redirect_to
    form = form_class(data={**answers, **(shown(answers) if shown else {})})
    if form.validate_on_submit():
        store(answers, form)
        _save(answers)
        return _go(page, answers)
    return render_template(template, form=form, answers=answers)


@bp.route("/gebouw", methods=["GET", "POST"])
def building():
    """Ask what kind of building it is."""
    return _single_question("building", forms.BuildingForm, "intake/building.html",
                            lambda a, f: a.update(building_kind=f.building_kind.data))


@bp.route("/relatie", methods=["GET", "POST"])
def relation():
    """Ask the resident's relation to the building."""
    return _single_question("relation", forms.RelationForm, "intake/relation.html",
                            lambda a, f: a.update(relation=f.relation.data))


@bp.route("/reden", methods=["GET", "POST"])
def reasons():
    """Ask why the resident feels unsafe."""
    return _single_question("reasons", forms.ReasonsForm, "intake/reasons.html",
                            lambda a, f: a.update(signs=f.signs.data or [],
                                                  explanation=(f.explanation.data or "").strip(),
                                                  reasons_done=True))


@bp.route("/gevaar", methods=["GET", "POST"])
def danger():
    """Ask the one question about acute danger: the first page, with no answer chosen."""
    def store(answers, form):
        answers["acute_danger"] = form.acute_danger.data == "yes"

    return _single_question("danger", forms.DangerForm, "intake/danger.html", store,
                            shown=lambda a: {"acute_danger": "yes" if a["acute_danger"] else "no"}
                            if "acute_danger" in a else {})


@bp.route("/contact", methods=["GET", "POST"])
def contact():
    """Ask how we can reach the resident."""
    def store(answers, form):
        answers.update(contact_name=form.contact_name.data.strip(), email=form.email.data or "",
                       phone=form.phone.data or "", language=form.language.data,
                       letters_by_post=form.letters_by_post.data == "yes")

    answers = _answers()
    if redirect_to := _guard("contact", answers):
        return redirect_to
    shown = {**answers, "language": answers.get("language") or str(get_locale())}
    if "letters_by_post" in answers:
        shown["letters_by_post"] = "yes" if answers["letters_by_post"] else "no"
    form = forms.ContactForm(data=shown)
    if form.validate_on_submit():
        store(answers, form)
        _save(answers)
        return redirect(url_for("intake.check"))
    return render_template("intake/contact.html", form=form, answers=answers)


@bp.route("/controleren", methods=["GET", "POST"])
def check():
    """Show every answer with a change link; consent and submit."""
    answers = _answers()
    form = forms.ConfirmForm()
    if request.method == "POST" and form.submission_key.data:
        existing = db.session.scalar(select(InspectionRequest).where(
            InspectionRequest.submission_key == form.submission_key.data))
        if existing is not None:  # a second click or a retried POST
            _remember_submitted(existing)
            return redirect(url_for("intake.confirmation"))
    if redirect_to := _guard("check", answers):
        return redirect_to
    if answers.get("acute_danger"):
        return redirect(url_for("intake.urgent"))
    if form.validate_on_submit() and form.submission_key.data == session.get("draft"):
        submission = submit_request(
            db.session, wizard.to_answers(answers, str(get_locale())), actor=RESIDENT,
            submission_key=form.submission_key.data)
        drafts.discard(db.session, form.submission_key.data)
        db.session.commit()
        _remember_submitted(submission.request)
        session.pop("draft", None)
        return redirect(url_for("intake.confirmation"))
    form.submission_key.data = _draft_key()
    return render_template("intake/check.html", form=form, answers=answers)


def _remember_submitted(req: InspectionRequest) -> None:
    """Let this browser see the confirmation and receipt of what it just submitted."""
    submitted = [i for i in session.get(SUBMITTED_KEY, []) if i != req.id][-4:]
    session[SUBMITTED_KEY] = [*submitted, req.id]


def submitted_request() -> InspectionRequest:
    """The request this browser submitted last, or 404."""
    ids = session.get(SUBMITTED_KEY) or []
    if not ids:
        abort(404)
    found = db.session.get(InspectionRequest, ids[-1])
    if found is None:
        abort(404)
    return found


@bp.get("/bevestiging")
def confirmation():
    """The reference, what happens next, and the receipt."""
    req = submitted_request()
    return render_template("intake/confirmation.html", req=req,
                           period=expected_period(db.session, req))
