"""The staff login session: the pending step between factors, the login itself, timeouts.

A login takes two requests or more. Between the password and the code the session holds
only a pending marker (who, which step, until when); Flask-Login's user is set only when
both factors passed. The session is cleared at each of those two moments, so nothing set
before the login (a planted session, an old CSRF token) survives into it (ASVS 3.2.1).

Timeouts (ASVS 3.3.2): 30 minutes without a request, or 12 hours after login, whichever
comes first. The session carries its login and last-seen times; it is a signed cookie, so
they cannot be changed by the browser.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, session
from flask_login import LoginManager, current_user, login_user, logout_user

from portal.accounts.auth import usable
from portal.accounts.models import StaffUser
from portal.clock import utcnow
from portal.extensions import db

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# Long enough to open an authenticator app or find the recovery codes, short enough
# that a password step left on a shared screen expires.
PENDING_LIFETIME = timedelta(minutes=10)

PENDING_KEY = "staff_pending"
LOGIN_AT_KEY = "staff_login_at"
SEEN_AT_KEY = "staff_seen_at"
STAGES = ("code", "enrol")

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
# Flask-Login's own remember-me cookie would outlive both timeouts; the portal never
# sets it, and the protection below only concerns its session identifier.
login_manager.session_protection = "basic"


def init_app(app) -> None:
    """Bind Flask-Login to the app."""
    login_manager.init_app(app)


def clock() -> datetime:
    """The current time in UTC; tests set ACCOUNTS_CLOCK to a clock they can move."""
    return current_app.config.get("ACCOUNTS_CLOCK", utcnow)()


def _stamp(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """Flask-Login: the user of a session, if the account is active and the version matches."""
    id_text, _, version = user_id.partition(":")
    if not (id_text.isdigit() and version.isdigit()):
        return None
    user = db.session.get(StaffUser, int(id_text))
    return user if usable(user, int(version)) else None


def begin_pending(user: StaffUser, stage: str, *, next_url: str | None, now: datetime) -> None:
    """After the password: a fresh session that knows only who is halfway and until when."""
    if stage not in STAGES:
        raise ValueError(f"unknown login stage {stage!r}")
    session.clear()
    session[PENDING_KEY] = {
        "id": user.id, "version": user.session_version, "stage": stage,
        "until": _stamp(now + PENDING_LIFETIME), "next": next_url,
    }


def pending_user(stage: str, *, now: datetime) -> StaffUser | None:
    """The user halfway through login at this stage, or None when there is none or expired."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("stage") != stage:
        return None
    if pending.get("until", 0) < _stamp(now):
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(StaffUser, pending.get("id"))
    return user if usable(user, pending.get("version")) else None


def start_session(user: StaffUser, *, now: datetime) -> str | None:
    """Both factors passed: a fresh session with the user logged in; return where to go."""
    next_url = (session.get(PENDING_KEY) or {}).get("next")
    session.clear()
    login_user(user)
    session[LOGIN_AT_KEY] = session[SEEN_AT_KEY] = _stamp(now)
    return next_url


def end_session() -> None:
    """Log out in this browser and forget everything in its session."""
    logout_user()
    session.clear()


def expiry(now: datetime) -> str | None:
    """Why the current login session is over ("idle", "absolute", "ended"), or None.

    "ended" covers a session whose account was deactivated or whose sessions a
    coordinator ended: the user loader no longer accepts it. Only call when the session
    names a user (see has_login).
    """
    moment = _stamp(now)
    login_at = session.get(LOGIN_AT_KEY)
    seen_at = session.get(SEEN_AT_KEY)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return "ended"
    if moment - login_at > ABSOLUTE_TIMEOUT.total_seconds():
        return "absolute"
    if moment - seen_at > IDLE_TIMEOUT.total_seconds():
        return "idle"
    if not current_user.is_authenticated:
        return "ended"
    return None


def has_login() -> bool:
    """True when the session names a logged-in user (valid or not)."""
    return "_user_id" in session


def touch(now: datetime) -> None:
    """Note activity now, for the idle timeout."""
    session[SEEN_AT_KEY] = _stamp(now)
