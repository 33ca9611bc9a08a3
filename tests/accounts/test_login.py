"""Logging in: password, then code (or enrolment), one answer for every failure, audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.accounts import totp
from portal.accounts.models import StaffUser
from portal.audit import AuditEntry
from tests.accounts.conftest import (
    CODE_URL,
    ENROL_URL,
    HOME_URL,
    LOGIN_URL,
    PASSWORD,
    code_for,
    login_as,
    login_user_with_client,
    make_user,
    password_step,
    submit,
)
from tests.intake.conftest import csrf_token

GENERIC = "Email address or password is not correct"


def _without_token(html: str) -> str:
    return re.sub(r'name="csrf_token"( type="hidden")? value="[^"]+"', "", html)


def _actions(session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_password_then_code_reaches_the_staff_home(app, client, session):
    user = make_user(app, "officer")

    first = password_step(client, user.email)
    second = submit(client, CODE_URL, {"code": code_for(app, user)})
    home = client.get(HOME_URL)

    assert (first.status_code, first.location) == (303, CODE_URL)
    assert (second.status_code, second.location) == (303, HOME_URL)
    assert home.status_code == 200
    assert user.display_name in home.text
    assert session.get(StaffUser, user.id).last_login_at is not None
    assert _actions(session) == ["user.created", "auth.login"]


def test_the_email_address_may_be_typed_in_any_case_with_spaces(app, client):
    user = make_user(app, "agent")

    answer = password_step(client, f"  {user.email.upper()} ")

    assert answer.location == CODE_URL


def test_after_the_password_alone_no_staff_page_opens(app, client):
    user = make_user(app, "coordinator")
    password_step(client, user.email)

    answer = client.get(HOME_URL)

    assert answer.status_code == 302
    assert answer.location.startswith(LOGIN_URL)


def test_unknown_user_and_wrong_password_get_the_same_page(app, client):
    email = "pietje@example.nl"
    unknown = password_step(client, email, "Wat-zou-het-wachtwoord-zijn")
    make_user(app, "agent", email=email)
    wrong = password_step(client, email, "Wat-zou-het-wachtwoord-zijn")

    assert unknown.status_code == wrong.status_code == 200
    assert GENERIC in unknown.text
    assert _without_token(unknown.text) == _without_token(wrong.text)


def test_failures_are_audited_without_the_password(app, client, session):
    user = make_user(app, "agent")
    password_step(client, user.email, "Fout-wachtwoord-nummer-1")
    password_step(client, "niemand@example.nl", "Fout-wachtwoord-nummer-2")

    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()

    assert [(e.action, e.subject_id, e.details) for e in entries] == [
        ("user.created", str(user.id), '{"role":"agent"}'),
        ("auth.login_failed", str(user.id), '{"reason":"wrong_password"}'),
        ("auth.login_failed", None, '{"reason":"unknown_account"}'),
    ]


def test_a_wrong_code_is_refused_and_audited(app, client, session):
    user = make_user(app, "agent")
    password_step(client, user.email)
    right = code_for(app, user)
    wrong = f"{(int(right) + 500) % 1_000_000:06d}"

    answer = submit(client, CODE_URL, {"code": wrong})

    assert answer.status_code == 200
    assert "This code is not correct" in answer.text
    assert client.get(HOME_URL).status_code == 302
    assert _actions(session)[-1] == "auth.totp_failed"


def test_a_code_used_once_does_not_log_in_a_second_time(app, clock):
    user = make_user(app, "agent")
    first, second = app.test_client(), app.test_client()
    second.set_cookie("taal", "en")
    code = code_for(app, user)
    password_step(first, user.email)
    password_step(second, user.email)

    accepted = submit(first, CODE_URL, {"code": code})
    replayed = submit(second, CODE_URL, {"code": code})

    assert accepted.status_code == 303
    assert replayed.status_code == 200
    assert second.get(HOME_URL).status_code == 302


def test_a_recovery_code_logs_in_once(app, client, clock):
    user = make_user(app, "officer", confirmed=False)
    password_step(client, user.email)
    page = submit(client, ENROL_URL, {"code": code_for(app, user)})
    codes = re.findall(r'<code class="utrecht-code">([^<]+)</code>', page.text)
    client.post("/medewerkers/uitloggen", data={"csrf_token": _token(client)})
    clock.advance(seconds=30)

    password_step(client, user.email)
    used = submit(client, CODE_URL, {"code": codes[0]})
    client.post("/medewerkers/uitloggen", data={"csrf_token": _token(client)})
    password_step(client, user.email)
    again = submit(client, CODE_URL, {"code": codes[0]})

    assert len(codes) == 10
    assert used.status_code == 303
    assert again.status_code == 200


def _token(client) -> str:
    return csrf_token(client.get(HOME_URL).text)


def test_first_login_enrols_the_authenticator_with_an_inline_svg_qr_code(app, client, session):
    user = make_user(app, "agent", confirmed=False)

    first = password_step(client, user.email)
    page = client.get(ENROL_URL)
    done = submit(client, ENROL_URL, {"code": code_for(app, user)})

    assert first.location == ENROL_URL
    assert '<svg width="' in page.text and "<img" not in page.text
    assert totp.grouped(user.totp_secret) in page.text
    assert done.status_code == 200
    assert len(re.findall(r'<code class="utrecht-code">[2-9A-Z-]{12}</code>', done.text)) == 10
    assert client.get(HOME_URL).status_code == 200
    assert session.get(StaffUser, user.id).totp_confirmed_at is not None


def test_an_enrolled_user_is_never_shown_the_secret_again(app, client):
    user = make_user(app, "agent")
    password_step(client, user.email)

    answer = client.get(ENROL_URL)

    assert answer.status_code == 303
    assert answer.location == LOGIN_URL


def test_the_session_is_new_after_the_password_and_again_after_the_code(app, client):
    user = make_user(app, "agent")
    client.get(LOGIN_URL)
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
        token_before = before["csrf_token"]

    password_step(client, user.email)
    with client.session_transaction() as halfway:
        halfway_keys = set(halfway)
        halfway["planted"] = "again"
    submit(client, CODE_URL, {"code": code_for(app, user)})
    with client.session_transaction() as after:
        after_keys = set(after)
        token_after = after.get("csrf_token")

    assert "planted" not in halfway_keys and "_user_id" not in halfway_keys
    assert "planted" not in after_keys and "_user_id" in after_keys
    assert token_after != token_before


def test_a_deactivated_user_gets_the_same_answer_as_a_wrong_password(app, client, session):
    user = make_user(app, "agent")
    session.get(StaffUser, user.id).active = False
    session.commit()

    answer = password_step(client, user.email)

    assert answer.status_code == 200
    assert GENERIC in answer.text


def test_logging_out_ends_the_session_and_every_copy_of_it(app, client):
    login_as(client, "agent")
    copy = client.get_cookie("session").value

    answer = client.post("/medewerkers/uitloggen", data={"csrf_token": _token(client)})
    thief = app.test_client()
    thief.set_cookie("session", copy)

    assert answer.status_code == 303 and answer.location == LOGIN_URL
    assert client.get(HOME_URL).status_code == 302
    assert thief.get(HOME_URL).status_code == 302


def test_logging_out_needs_a_post_with_a_csrf_token(app, client):
    login_as(client, "agent")

    assert client.get("/medewerkers/uitloggen").status_code == 405
    assert client.post("/medewerkers/uitloggen").status_code == 400
    assert client.get(HOME_URL).status_code == 200


def test_after_login_the_page_asked_for_opens(app, client, clock):
    user = make_user(app, "coordinator")

    refused = client.get("/medewerkers/gebruikers")
    submit(client, refused.location, {"email": user.email, "password": PASSWORD},
           token_page=refused.location)
    done = submit(client, CODE_URL, {"code": code_for(app, user)})

    assert refused.location == f"{LOGIN_URL}?next=/medewerkers/gebruikers"
    assert done.location == "/medewerkers/gebruikers"


def test_a_next_address_outside_the_staff_pages_is_ignored(app, client):
    user = make_user(app, "agent")
    url = f"{LOGIN_URL}?next=//evil.example/medewerkers/"

    submit(client, url, {"email": user.email, "password": PASSWORD})
    done = submit(client, CODE_URL, {"code": code_for(app, user)})

    assert done.location == HOME_URL


def test_staff_pages_are_not_cached(app, client):
    login_user_with_client(client, make_user(app, "agent"))

    assert client.get(HOME_URL).headers["Cache-Control"] == "no-store"
