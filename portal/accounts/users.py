"""Managing staff accounts: create, deactivate, end sessions. Every change is audited."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import passwords, totp
from portal.accounts.models import DEMO_DOMAIN, StaffUser
from portal.accounts.roles import ROLES
from portal.actors import Actor
from portal.audit import record
from portal.db import begin_write
from portal.refusals import Refused

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
SUBJECT = "staff_user"


class AccountRefused(Refused):
    """An account cannot be created or changed like this; `code` says why (`account.*`),
    str() in words."""


def normalise_email(email: str) -> str:
    """An email address as stored and compared: without surrounding space, lower case."""
    return (email or "").strip().lower()


def find_by_email(session: Session, email: str) -> StaffUser | None:
    """The account with this email address (in any case), or None."""
    return session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def list_users(session: Session) -> list[StaffUser]:
    """Every account, active ones first, then by email address."""
    return list(session.scalars(
        select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.email)))


def create_user(session: Session, *, email: str, display_name: str, role: str,
                password: str, actor: Actor, now: datetime, production: bool,
                client: str | None = None, totp_secret: str | None = None,
                totp_confirmed: bool = False) -> StaffUser:
    """Create a staff account with a password that meets the policy, and audit it.

    The account gets a new TOTP secret (or totp_secret, for the demo accounts) that is
    not confirmed unless totp_confirmed: at first login the user enrols it. Raises
    AccountRefused for a bad address, role or name, a taken address, or a demo address
    in production; PasswordRefused when the policy refuses the password.
    """
    email = normalise_email(email)
    display_name = (display_name or "").strip() or email.partition("@")[0]
    if not _EMAIL.match(email) or len(email) > 254:
        raise AccountRefused("account.bad_email", _l("Enter an email address like name@example.nl"))
    if role not in ROLES:
        raise AccountRefused("account.unknown_role", _l("The role must be one of %(roles)s",
                                                          roles=", ".join(ROLES)))
    if len(display_name) > 200:
        raise AccountRefused("account.name_too_long", _l("The name is longer than 200 characters"))
    if production and email.endswith("@" + DEMO_DOMAIN):
        raise AccountRefused("account.demo_in_production", _l(
            "Demo accounts never exist in production"))
    passwords.check_policy(password, email=email)
    begin_write(session)
    if find_by_email(session, email) is not None:
        raise AccountRefused("account.email_taken", _l(
            "An account with this email address already exists"))
    user = StaffUser(
        email=email, display_name=display_name, role=role,
        password_hash=passwords.hash_password(password),
        totp_secret=totp_secret or totp.new_secret(),
        totp_confirmed_at=now if totp_confirmed else None,
        active=True, session_version=1, created_at=now,
    )
    session.add(user)
    session.flush()
    record(session, actor=actor, action="user.created", subject_type=SUBJECT,
           subject_id=user.id, details={"role": role}, client=client)
    return user


def end_sessions(session: Session, user: StaffUser, *, actor: Actor,
                 client: str | None = None, reason: str = "ended") -> None:
    """End every login session of user, on every device, at their next request.

    Sessions live in signed cookies the server cannot delete; the session version in
    them stops matching, and the user loader turns them away.
    """
    begin_write(session)
    user.session_version = (user.session_version or 0) + 1
    session.flush()
    record(session, actor=actor, action="auth.sessions_ended", subject_type=SUBJECT,
           subject_id=user.id, details={"reason": reason}, client=client)


def deactivate_user(session: Session, user: StaffUser, *, actor: Actor, now: datetime,
                    client: str | None = None) -> None:
    """Deactivate an account and end its sessions; a coordinator cannot deactivate themself.

    Refusing the own account keeps the last coordinator from locking everyone out by a
    slip; another coordinator (or `flask users deactivate`) can do it.
    """
    if actor.kind == "staff" and actor.id == str(user.id):
        raise AccountRefused("account.own_account", _l("You cannot deactivate your own account"))
    if not user.active:
        return
    begin_write(session)
    user.active = False
    user.deactivated_at = now
    session.flush()
    record(session, actor=actor, action="user.deactivated", subject_type=SUBJECT,
           subject_id=user.id, client=client)
    end_sessions(session, user, actor=actor, client=client, reason="deactivated")
