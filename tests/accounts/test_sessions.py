"""Sessions end after 30 idle minutes, after 12 hours, and when a coordinator ends them."""

from __future__ import annotations

from portal.accounts.models import StaffUser
from portal.accounts.sessions import LOGIN_AT_KEY, SEEN_AT_KEY
from tests.accounts.conftest import HOME_URL, LOGIN_URL, login_as, make_user, password_step, submit


def _move_back(client, key: str, seconds: int) -> None:
    with client.session_transaction() as session:
        session[key] -= seconds


def test_thirty_idle_minutes_end_the_session(app, client):
    login_as(client, "agent")
    _move_back(client, SEEN_AT_KEY, 30 * 60 + 1)

    answer = client.get(HOME_URL)
    login_page = client.get(answer.location)

    assert answer.status_code == 302 and answer.location.startswith(LOGIN_URL)
    assert "after 30 minutes without activity" in login_page.text


def test_activity_keeps_the_session_alive(app, client):
    login_as(client, "agent")
    _move_back(client, SEEN_AT_KEY, 29 * 60)
    client.get(HOME_URL)
    _move_back(client, SEEN_AT_KEY, 29 * 60)

    assert client.get(HOME_URL).status_code == 200


def test_twelve_hours_after_login_the_session_ends_even_when_active(app, client):
    login_as(client, "agent")
    _move_back(client, LOGIN_AT_KEY, 12 * 3600 + 1)

    answer = client.get(HOME_URL)
    login_page = client.get(answer.location)

    assert answer.status_code == 302
    assert "because you logged in 12 hours ago" in login_page.text


def test_a_coordinator_ends_the_sessions_of_a_user(app, client, staff_client):
    user = login_as(client, "officer")
    coordinator = staff_client("coordinator")

    ended = submit(coordinator, f"/medewerkers/gebruikers/{user.id}/sessies-beeindigen", {},
                   token_page=f"/medewerkers/gebruikers/{user.id}")
    answer = client.get(HOME_URL)

    assert ended.status_code == 303
    assert answer.status_code == 302
    assert "Your session was ended" in client.get(answer.location).text


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(app, client, staff_client,
                                                          session):
    user = login_as(client, "agent")
    coordinator = staff_client("coordinator")

    submit(coordinator, f"/medewerkers/gebruikers/{user.id}/deactiveren", {},
           token_page=f"/medewerkers/gebruikers/{user.id}")
    answer = client.get(HOME_URL)
    again = password_step(client, user.email)

    assert answer.status_code == 302
    assert again.status_code == 200
    assert session.get(StaffUser, user.id).active is False


def test_a_user_deactivated_between_password_and_code_cannot_finish(app, client, session):
    user = make_user(app, "agent")
    password_step(client, user.email)
    session.get(StaffUser, user.id).active = False
    session.commit()

    answer = client.get("/medewerkers/code")

    assert answer.status_code == 303 and answer.location == LOGIN_URL


def test_the_code_step_expires_after_ten_minutes(app, client, clock):
    user = make_user(app, "agent")
    password_step(client, user.email)
    clock.advance(minutes=10, seconds=1)

    answer = client.get("/medewerkers/code")

    assert answer.status_code == 303 and answer.location == LOGIN_URL
