"""Throttling instead of lockout: per account and per client address, until the window passes."""

from __future__ import annotations

from portal.accounts.auth import ACCOUNT_LIMIT, CLIENT_LIMIT, CODE_LIMIT
from tests.accounts.conftest import (
    CODE_URL,
    PASSWORD,
    code_for,
    make_user,
    password_step,
    submit,
)

THROTTLED = "or there were too many attempts: wait 15 minutes"


def test_after_five_failures_the_account_refuses_even_the_right_password(app, client, clock):
    user = make_user(app, "agent")
    for attempt in range(ACCOUNT_LIMIT):
        password_step(client, user.email, f"Verkeerd-wachtwoord-{attempt}")

    refused = password_step(client, user.email, PASSWORD)
    clock.advance(minutes=15)
    accepted = password_step(client, user.email, PASSWORD)

    assert refused.status_code == 200
    assert THROTTLED in refused.text
    assert accepted.status_code == 303


def test_the_account_is_throttled_from_every_client_address(app, clock):
    user = make_user(app, "agent")
    for attempt in range(ACCOUNT_LIMIT):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"198.51.100.{attempt}"
        password_step(attacker, user.email, f"Verkeerd-wachtwoord-{attempt}")
    owner = app.test_client()
    owner.set_cookie("taal", "en")
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.7"

    refused = password_step(owner, user.email, PASSWORD)

    assert THROTTLED in refused.text


def test_a_client_guessing_many_accounts_is_throttled(app, client, clock):
    user = make_user(app, "officer")
    for attempt in range(CLIENT_LIMIT):
        password_step(client, f"iemand{attempt}@example.nl", "Verkeerd-wachtwoord-000")

    refused = password_step(client, user.email, PASSWORD)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    from_elsewhere = password_step(elsewhere, user.email, PASSWORD)
    clock.advance(minutes=15)
    later = password_step(client, user.email, PASSWORD)

    assert THROTTLED in refused.text
    assert from_elsewhere.status_code == 303
    assert later.status_code == 303


def test_a_correct_login_does_not_count_as_a_failure(app, client, clock):
    user = make_user(app, "agent")
    answers = []
    for _attempt in range(ACCOUNT_LIMIT + 2):
        answers.append(password_step(client, user.email, PASSWORD).status_code)

    assert answers == [303] * (ACCOUNT_LIMIT + 2)


def test_after_five_wrong_codes_even_the_right_code_is_refused(app, client, clock):
    user = make_user(app, "agent")
    password_step(client, user.email)
    right = code_for(app, user)
    for attempt in range(CODE_LIMIT):
        submit(client, CODE_URL, {"code": f"{(int(right) + 1 + attempt) % 1_000_000:06d}"})

    refused = submit(client, CODE_URL, {"code": right})

    assert refused.status_code == 200
    assert "Too many wrong codes: wait 15 minutes" in refused.text
