"""Demo accounts: one per role with documented credentials, never usable in production."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts import auth, totp
from portal.accounts.demo import DEMO_ACCOUNTS, DEMO_TOTP_SECRET, create_demo_accounts
from portal.accounts.models import StaffUser
from portal.accounts.users import AccountRefused, create_user
from portal.actors import SYSTEM
from portal.clock import utcnow
from tests.accounts.conftest import CODE_URL, HOME_URL, now_of, password_step, submit


def test_demo_accounts_are_created_once(app, session):
    first = create_demo_accounts(session)
    session.commit()
    second = create_demo_accounts(session)
    session.commit()

    roles = session.scalars(select(StaffUser.role).order_by(StaffUser.id)).all()

    assert first == [email for _role, email, _name, _pw in DEMO_ACCOUNTS]
    assert second == []
    assert roles == ["agent", "officer", "coordinator"]


def test_a_demo_user_logs_in_with_the_documented_password_and_secret(app, client, session):
    create_demo_accounts(session)
    session.commit()
    _role, email, _name, password = DEMO_ACCOUNTS[2]

    first = password_step(client, email, password)
    second = submit(client, CODE_URL, {"code": totp.code_at(DEMO_TOTP_SECRET, now_of(app))})

    assert first.location == CODE_URL
    assert second.location == HOME_URL


def test_a_demo_account_cannot_log_in_in_production(app, session):
    create_demo_accounts(session)
    session.commit()
    _role, email, _name, password = DEMO_ACCOUNTS[0]

    result = auth.check_password(session, email, password, client="192.0.2.1",
                                 now=utcnow(), production=True)

    assert result.passed is False


def test_no_demo_account_can_be_created_in_production(app, session):
    with pytest.raises(AccountRefused, match="never exist in production"):
        create_user(session, email="agent@demo.opnameloket.nl", display_name="Demo",
                    role="agent", password="Balie-demo-wachtwoord-1", actor=SYSTEM,
                    now=utcnow(), production=True)
