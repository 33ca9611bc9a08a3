"""Staff accounts for tests: make a user, log a test client in as a role, move the clock.

Other modules' tests reuse these:

    from tests.accounts.conftest import login_as
    user = login_as(client, "officer")      # both factors passed; returns the StaffUser

or the `staff_client` fixture: `client = staff_client("agent")`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from portal.accounts import totp, users
from portal.accounts.models import StaffUser
from portal.actors import SYSTEM
from portal.clock import utcnow
from portal.extensions import db as database
from tests.intake.conftest import csrf_token

PASSWORD = "Grondig-onderzoek-in-Loppersum"
LOGIN_URL = "/medewerkers/inloggen"
CODE_URL = "/medewerkers/code"
ENROL_URL = "/medewerkers/tweestaps"
HOME_URL = "/medewerkers/"
_numbers = itertools.count(1)


@pytest.fixture
def client(app):
    """A test client that reads the pages in English, the language of the msgids."""
    english = app.test_client()
    english.set_cookie("taal", "en")
    return english


@dataclass
class Clock:
    """A clock the test moves by hand; the portal reads it through ACCOUNTS_CLOCK."""

    now: datetime = field(default_factory=utcnow)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        """Move the clock forward, e.g. advance(minutes=15)."""
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app, monkeypatch) -> Clock:
    """Freeze the portal's clock for this test, at the current time."""
    moving = Clock()
    monkeypatch.setitem(app.config, "ACCOUNTS_CLOCK", moving)
    return moving


def now_of(app) -> datetime:
    """The time the portal sees: the test's clock when set, else the real one."""
    return app.config.get("ACCOUNTS_CLOCK", utcnow)()


def make_user(app, role: str, *, email: str | None = None, password: str = PASSWORD,
              confirmed: bool = True, name: str | None = None) -> StaffUser:
    """Create and commit a staff user; with confirmed, its TOTP is already set up."""
    number = next(_numbers)
    email = email or f"{role}{number}@example.nl"
    with app.app_context():
        session = database.new_session()
        try:
            user = users.create_user(
                session, email=email, display_name=name or f"Test {role} {number}",
                role=role, password=password, actor=SYSTEM, now=now_of(app),
                production=False, totp_confirmed=confirmed)
            session.commit()
        finally:
            session.close()
    return user


def code_for(app, user: StaffUser) -> str:
    """The code the user's authenticator app shows now."""
    return totp.code_at(user.totp_secret, now_of(app))


def submit(client, url: str, data: dict, *, token_page: str | None = None):
    """POST data to url with the CSRF token of the page at token_page (default: url)."""
    page = client.get(token_page or url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def password_step(client, email: str, password: str = PASSWORD):
    """Submit the login form."""
    return submit(client, LOGIN_URL, {"email": email, "password": password})


def login_user_with_client(client, user: StaffUser, *, password: str = PASSWORD) -> None:
    """Log an existing user in through the pages: password, then the current TOTP code."""
    answer = password_step(client, user.email, password)
    assert answer.status_code == 303 and answer.location.endswith(CODE_URL), answer.text
    answer = submit(client, CODE_URL, {"code": code_for(client.application, user)})
    assert answer.status_code == 303, answer.text


def login_as(client, role: str) -> StaffUser:
    """Create a user with role and log client in as them (both factors); return the user."""
    user = make_user(client.application, role)
    login_user_with_client(client, user)
    return user


def client_as(app, role: str):
    """A new test client of app, in English, logged in as a new user with role."""
    client = app.test_client()
    client.set_cookie("taal", "en")
    login_as(client, role)
    return client


@pytest.fixture
def staff_client(app):
    """A factory: staff_client(role) returns a new test client logged in as a new user."""
    return lambda role: client_as(app, role)
