"""Coordinators manage accounts: list, create with a policy-checked password, deactivate."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.audit import AuditEntry
from tests.accounts.conftest import login_as, make_user, submit

NEW = "/medewerkers/gebruikers/nieuw"


def _new_user(**changes) -> dict:
    return {"email": "Nieuwe.Collega@NCG.nl", "display_name": "Nieuwe Collega",
            "role": "agent", "password": "Een-lange-zin-als-wachtwoord", **changes}


def test_a_coordinator_creates_an_account(app, client, session):
    login_as(client, "coordinator")

    answer = submit(client, NEW, _new_user())
    user = session.scalar(select(StaffUser).where(StaffUser.email == "nieuwe.collega@ncg.nl"))
    created = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.created",
                                                      AuditEntry.subject_id == str(user.id)))

    assert answer.status_code == 303
    assert (user.role, user.display_name, user.totp_confirmed_at) == (
        "agent", "Nieuwe Collega", None)
    assert created.actor_kind == "staff"
    assert "nieuwe" not in (created.details or "")


def test_a_refused_password_says_why(app, client, session):
    login_as(client, "coordinator")

    answer = submit(client, NEW, _new_user(password="kort"))

    assert answer.status_code == 200
    assert "Use at least 12 characters" in answer.text
    assert session.scalar(select(StaffUser).where(StaffUser.role == "agent")) is None


def test_a_taken_email_address_is_refused(app, client):
    make_user(app, "agent", email="nieuwe.collega@ncg.nl")
    login_as(client, "coordinator")

    answer = submit(client, NEW, _new_user())

    assert "An account with this email address already exists" in answer.text


def test_the_list_shows_every_account(app, client):
    make_user(app, "agent", name="Anna Agent")
    login_as(client, "coordinator")

    answer = client.get("/medewerkers/gebruikers")

    assert "Anna Agent" in answer.text


def test_a_coordinator_cannot_deactivate_their_own_account(app, client, session):
    me = login_as(client, "coordinator")

    answer = submit(client, f"/medewerkers/gebruikers/{me.id}/deactiveren", {},
                    token_page=f"/medewerkers/gebruikers/{me.id}")

    assert answer.status_code == 303
    assert session.get(StaffUser, me.id).active is True
    assert "You cannot deactivate your own account" in client.get(answer.location).text


def test_deactivating_is_audited_with_the_sessions_ended(app, client, session):
    other = make_user(app, "officer")
    login_as(client, "coordinator")

    submit(client, f"/medewerkers/gebruikers/{other.id}/deactiveren", {},
           token_page=f"/medewerkers/gebruikers/{other.id}")
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject_id == str(other.id)).order_by(AuditEntry.id)).all()

    assert actions == ["user.created", "user.deactivated", "auth.sessions_ended"]


def test_the_home_page_links_only_to_pages_the_role_may_open(app, client, staff_client):
    agent = staff_client("agent")
    coordinator = staff_client("coordinator")

    assert "/medewerkers/gebruikers" not in agent.get("/medewerkers/").text
    assert "/medewerkers/gebruikers" in coordinator.get("/medewerkers/").text
