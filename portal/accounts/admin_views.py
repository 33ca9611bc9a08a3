"""`/medewerkers/gebruikers`: coordinators list, create and deactivate staff accounts."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.accounts import recovery, sessions, users
from portal.accounts.access import current_staff, roles_required, staff_actor
from portal.accounts.forms import PASSWORD_HINT, ConfirmForm, CreateUserForm
from portal.accounts.models import StaffUser
from portal.accounts.passwords import PasswordRefused
from portal.accounts.roles import COORDINATOR
from portal.accounts.views import bp
from portal.extensions import db


def _client() -> str:
    return request.remote_addr or "unknown"


def _user_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/gebruikers")
@roles_required(COORDINATOR)
def users_list():
    """Every staff account, with its role and whether it is active."""
    return render_template("accounts/users.html", users=users.list_users(db.session))


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@roles_required(COORDINATOR)
def create_user():
    """Create an account with a first password; the user sets up two-step login at first login."""
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                db.session, email=form.email.data, display_name=form.display_name.data,
                role=form.role.data, password=form.password.data, actor=staff_actor(),
                now=sessions.clock(), client=_client(),
                production=current_app.config.get("PORTAL_ENV") == "production")
        except (users.AccountRefused, PasswordRefused) as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Account created for %(name)s. Give them the first password in "
                    "person or by phone, never by email.", name=user.display_name), "success")
            return redirect(url_for("accounts.user_detail", user_id=user.id), code=303)
    return render_template("accounts/user_new.html", form=form, password_hint=PASSWORD_HINT)


@bp.get("/gebruikers/<int:user_id>")
@roles_required(COORDINATOR)
def user_detail(user_id: int):
    """One account: its state, and the buttons to end its sessions or deactivate it."""
    user = _user_or_404(user_id)
    return render_template("accounts/user.html", user=user, form=ConfirmForm(),
                           own=user.id == current_staff().id,
                           recovery_left=recovery.unused_count(db.session, user))


@bp.post("/gebruikers/<int:user_id>/sessies-beeindigen")
@roles_required(COORDINATOR)
def end_sessions(user_id: int):
    """Log the user out everywhere, for example after a lost laptop."""
    user = _user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        users.end_sessions(db.session, user, actor=staff_actor(), client=_client())
        db.session.commit()
        flash(_("All sessions of %(name)s have been ended.", name=user.display_name),
              "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id), code=303)


@bp.post("/gebruikers/<int:user_id>/deactiveren")
@roles_required(COORDINATOR)
def deactivate(user_id: int):
    """Deactivate an account: it can no longer log in, and its sessions end now."""
    user = _user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            users.deactivate_user(db.session, user, actor=staff_actor(),
                                  now=sessions.clock(), client=_client())
        except users.AccountRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(_("The account of %(name)s has been deactivated.", name=user.display_name),
                  "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id), code=303)
