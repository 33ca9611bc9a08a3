"""The login steps as plain functions: password, second factor, enrolment, logout.

Nothing here reads the request or the Flask session: the views pass the client address
and the time, and keep the session. Throttling instead of lockout (ASVS 2.2.1): failed
attempts are counted per account and per client address in fixed windows; past the limit
a login is refused without checking the password, until the window has passed. A lockout
would let anyone lock a colleague out by typing wrong passwords for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.accounts import passwords, recovery, totp
from portal.accounts.models import StaffUser
from portal.accounts.users import SUBJECT, find_by_email, normalise_email
from portal.actors import Actor
from portal.audit import record
from portal.db import begin_write
from portal.web.ratelimit import RateLimitCounter, allow, client_key

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
# An office shares one address: twenty wrong passwords from it in a window is still
# far from a guessing attack's pace, and far above a busy morning's typos.
CLIENT_LIMIT = 20
CODE_LIMIT = 5

# Who acts in a failed login: not the account holder, as far as anyone knows.
ANONYMOUS = Actor("anonymous", None, "anonymous")



def staff_actor_of(user: StaffUser) -> Actor:
    """The audit trail's actor for a staff user."""
    return Actor.staff(user.id, user.display_name)


@dataclass(frozen=True)
class StepResult:
    """The outcome of a login step: the user when it passed, and whether it was throttled."""

    user: StaffUser | None = None
    throttled: bool = False
    method: str | None = None

    @property
    def passed(self) -> bool:
        """True when the step accepted what was typed."""
        return self.user is not None


def _failures(session: Session, key: str, now: datetime) -> int:
    """Failures counted for key in the current window (without counting one more).

    ratelimit.allow aligns windows to fixed multiples of their length, so the only
    window that started within the last WINDOW is the current one.
    """
    table = RateLimitCounter.__table__
    count = session.scalar(select(table.c.count).where(
        table.c.key == key, table.c.window_start > now - WINDOW, table.c.window_start <= now))
    return count or 0


def _count_failure(session: Session, key: str, now: datetime) -> None:
    allow(session, key, limit=0, window=WINDOW, now=now)


def check_password(session: Session, email: str, password: str, *, client: str,
                   now: datetime, production: bool) -> StepResult:
    """The first step: check email and password, throttled per account and per client.

    Unknown address, wrong password, deactivated account (and a demo account in
    production) all fail alike, after the same argon2 work, so neither the answer nor
    its timing tells whether an account exists. Counts failures, audits them, and
    rehashes a correct password whose hash has old parameters. The caller commits.
    """
    begin_write(session)
    email = normalise_email(email)
    account_key = client_key("login-account", email)
    address_key = client_key("login-client", client)
    user = find_by_email(session, email)
    if (_failures(session, account_key, now) >= ACCOUNT_LIMIT
            or _failures(session, address_key, now) >= CLIENT_LIMIT):
        _login_failed(session, user, "throttled", client)
        return StepResult(throttled=True)
    if user is None:
        passwords.verify_nothing(password)
        reason = "unknown_account"
    elif not passwords.verify_password(user.password_hash, password):
        reason = "wrong_password"
    elif not user.active:
        reason = "inactive"
    elif production and user.is_demo:
        reason = "demo_account_in_production"
    else:
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        return StepResult(user=user, method="password")
    _count_failure(session, account_key, now)
    _count_failure(session, address_key, now)
    _login_failed(session, user, reason, client)
    return StepResult()


def _login_failed(session: Session, user: StaffUser | None, reason: str,
                  client: str) -> None:
    record(session, actor=ANONYMOUS, action="auth.login_failed",
           subject_type=SUBJECT if user else None, subject_id=user.id if user else None,
           details={"reason": reason}, client=client)


def usable(user: StaffUser | None, session_version: int) -> bool:
    """True when user may still finish or keep a login begun at session_version."""
    return user is not None and user.active and user.session_version == session_version


def accept_totp(session: Session, user: StaffUser, typed: str, *, now: datetime) -> bool:
    """Accept a TOTP code of user once: its time step must be later than the last one used.

    The conditional update is the arbiter: of two requests with the same code, only the
    first moves last_totp_step, so the second is refused even when they run at once.
    """
    step = totp.matching_step(user.totp_secret, typed, now=now, last_step=user.last_totp_step)
    if step is None:
        return False
    table = StaffUser.__table__
    moved = session.execute(
        update(table)
        .where(table.c.id == user.id)
        .where(table.c.last_totp_step.is_(None) | (table.c.last_totp_step < step))
        .values(last_totp_step=step))
    if moved.rowcount != 1:
        return False
    user.last_totp_step = step
    return True


def check_second_factor(session: Session, user: StaffUser, typed: str, *, client: str,
                        now: datetime) -> StepResult:
    """The second step: a TOTP code, or else one of the user's recovery codes.

    Throttled per account, so that guessing six digits takes longer than the codes live.
    Failures are counted and audited (the code itself never is). The caller commits.
    """
    begin_write(session)
    key = client_key("code-account", str(user.id))
    method = "totp" if totp.looks_like_totp(typed) else "recovery_code"
    if _failures(session, key, now) >= CODE_LIMIT:
        _code_failed(session, user, method, "throttled", client)
        return StepResult(throttled=True)
    if method == "totp":
        accepted = accept_totp(session, user, typed, now=now)
    else:
        accepted = recovery.use_code(session, user, typed, now=now)
    if accepted:
        return StepResult(user=user, method=method)
    _count_failure(session, key, now)
    _code_failed(session, user, method, "wrong_code", client)
    return StepResult()


def confirm_enrolment(session: Session, user: StaffUser, typed: str, *, client: str,
                      now: datetime) -> tuple[StepResult, list[str]]:
    """Confirm a new authenticator with its first code; return the new recovery codes.

    The codes are returned once, for showing once: only their hashes are stored.
    """
    begin_write(session)
    key = client_key("code-account", str(user.id))
    if _failures(session, key, now) >= CODE_LIMIT:
        _code_failed(session, user, "totp", "throttled", client)
        return StepResult(throttled=True), []
    if not accept_totp(session, user, typed, now=now):
        _count_failure(session, key, now)
        _code_failed(session, user, "totp", "wrong_code", client)
        return StepResult(), []
    user.totp_confirmed_at = now
    codes = recovery.replace_codes(session, user, now=now)
    return StepResult(user=user, method="totp_enrolment"), codes


def _code_failed(session: Session, user: StaffUser, method: str, reason: str,
                 client: str) -> None:
    record(session, actor=ANONYMOUS, action="auth.totp_failed", subject_type=SUBJECT,
           subject_id=user.id, details={"method": method, "reason": reason}, client=client)


def complete_login(session: Session, user: StaffUser, *, method: str, client: str,
                   now: datetime) -> None:
    """Record a login that passed both factors. The caller commits and starts the session."""
    begin_write(session)
    user.last_login_at = now
    record(session, actor=staff_actor_of(user), action="auth.login", subject_type=SUBJECT,
           subject_id=user.id, details={"second_factor": method}, client=client)


def logout(session: Session, user: StaffUser, *, client: str) -> None:
    """Log out: end this account's sessions everywhere, and audit it.

    The session is a signed cookie; clearing it in this browser would leave any copy of
    it valid until it times out. Moving the session version makes every copy worthless,
    at the price of also ending the user's sessions on other devices.
    """
    begin_write(session)
    user.session_version = (user.session_version or 0) + 1
    record(session, actor=staff_actor_of(user), action="auth.logout", subject_type=SUBJECT,
           subject_id=user.id, client=client)
