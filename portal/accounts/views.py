"""`/medewerkers`: the login steps, two-step enrolment, logout and the staff home page."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.accounts import auth, recovery, sessions, totp
from portal.accounts.access import (
    PUBLIC,
    current_staff,
    public,
    roles_required,
    rule_of,
    safe_next,
)
from portal.accounts.forms import CodeForm, ConfirmForm, LoginForm
from portal.accounts.roles import ROLE_LABELS, ROLES, may
from portal.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/medewerkers")

GENERIC_FAILURE = _l("Email address or password is not correct")
THROTTLED = _l("Email address or password is not correct, or there were too many attempts: "
               "wait 15 minutes and try again")
WRONG_CODE = _l("This code is not correct. Codes change every 30 seconds and can be used "
                "only once: wait for the next code and try again")
CODE_THROTTLED = _l("Too many wrong codes: wait 15 minutes and try again")

# The staff home links to these pages when they exist and the user's role may open them.
HOME_LINKS = (
    ("desk.index", _l("Call centre: find an address or a request")),
    ("triage.queue", _l("Triage: requests waiting for a decision")),
    ("post.queue", _l("Post: letters to print and send")),
    ("capacity.index", _l("Capacity: weeks, reservations and planning")),
    ("clusters.index", _l("Clusters: booked homes per place, work orders and results")),
    ("forecast.forecast_page", _l("Forecast and the waiting reassessments")),
    ("staff_figures.dashboard", _l("Figures on pace: requests, waits and capacity")),
    ("accounts.users_list", _l("Staff accounts")),
)


def _client() -> str:
    return request.remote_addr or "unknown"


def _production() -> bool:
    return current_app.config.get("PORTAL_ENV") == "production"


@bp.app_context_processor
def _staff_context() -> dict:
    """Templates may show who is logged in (and a logout button) on every staff page."""
    return {"staff_user": current_staff(), "role_labels": ROLE_LABELS}


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():
    """First step: email address and password, one answer for every kind of failure."""
    if current_staff() is not None:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = auth.check_password(
            db.session, form.email.data, form.password.data, client=_client(),
            now=sessions.clock(), production=_production())
        db.session.commit()
        if result.passed:
            user = result.user
            stage = "code" if user.totp_confirmed_at else "enrol"
            sessions.begin_pending(user, stage, next_url=safe_next(request.args.get("next")),
                                   now=sessions.clock())
            endpoint = "accounts.code" if stage == "code" else "accounts.enrol"
            return redirect(url_for(endpoint), code=303)
        form.form_errors.append(THROTTLED if result.throttled else GENERIC_FAILURE)
    return render_template("accounts/login.html", form=form)


def _start_again():
    flash(_("Your login took too long or was interrupted. Log in again."), "warning")
    return redirect(url_for("accounts.login"), code=303)


@bp.route("/code", methods=["GET", "POST"])
@public
def code():
    """Second step: the code from the authenticator app, or a recovery code."""
    now = sessions.clock()
    user = sessions.pending_user("code", now=now)
    if user is None:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        result = auth.check_second_factor(db.session, user, form.code.data,
                                          client=_client(), now=now)
        if result.passed:
            auth.complete_login(db.session, user, method=result.method, client=_client(),
                                now=now)
            left = recovery.unused_count(db.session, user)
            db.session.commit()
            next_url = sessions.start_session(user, now=now)
            if result.method == "recovery_code":
                flash(_("You used a recovery code. You have %(count)s left.", count=left),
                      "warning")
            return redirect(next_url or url_for("accounts.home"), code=303)
        db.session.commit()
        form.code.errors = [CODE_THROTTLED if result.throttled else WRONG_CODE]
    return render_template("accounts/code.html", form=form)


@bp.route("/tweestaps", methods=["GET", "POST"])
@public
def enrol():
    """First login: add the account to an authenticator app, confirm a code, get recovery codes."""
    now = sessions.clock()
    user = sessions.pending_user("enrol", now=now)
    # Set up in another tab meanwhile: the secret is never shown again after that.
    if user is None or user.totp_confirmed_at is not None:
        return _start_again()
    form = CodeForm()
    if form.validate_on_submit():
        result, codes = auth.confirm_enrolment(db.session, user, form.code.data,
                                               client=_client(), now=now)
        if result.passed:
            auth.complete_login(db.session, user, method=result.method, client=_client(),
                                now=now)
            db.session.commit()
            next_url = sessions.start_session(user, now=now)
            # Shown in this response only: the codes are nowhere else in readable form.
            return render_template("accounts/recovery_codes.html", codes=codes,
                                   next_url=next_url or url_for("accounts.home"))
        db.session.commit()
        form.code.errors = [CODE_THROTTLED if result.throttled else WRONG_CODE]
    uri = totp.provisioning_uri(user.totp_secret, user.email)
    # segno writes the markup itself from the URI: nothing typed by a user goes into it.
    qr = Markup(totp.qr_svg(uri, title=_("QR code to add Opnameloket to your app")))
    return render_template("accounts/enrol.html", form=form, qr=qr,
                           secret=totp.grouped(user.totp_secret), email=user.email)


@bp.post("/uitloggen")
@roles_required(*ROLES)
def logout():
    """Log out: this session, and any copy of it, ends now."""
    form = ConfirmForm()
    if form.validate_on_submit():
        auth.logout(db.session, current_staff(), client=_client())
        db.session.commit()
        sessions.end_session()
        flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"), code=303)


@bp.get("/")
@roles_required(*ROLES)
def home():
    """The staff start page: links to the pages this user's role may open."""
    user = current_staff()
    links = []
    for endpoint, label in HOME_LINKS:
        rule = rule_of(current_app.view_functions.get(endpoint))
        if rule is not None and (rule == PUBLIC or may(user.role, rule)):
            links.append((url_for(endpoint), label))
    return render_template("accounts/home.html", links=links, logout_form=ConfirmForm())
