"""The demo accounts of `flask demo setup`: one per role, for development only.

Their credentials are documented in the README, so they must never exist in production:
users.create_user refuses the demo domain there, and a demo account cannot log in there
(auth.check_password) even if one was copied in with a database.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.accounts import users
from portal.accounts.models import DEMO_DOMAIN
from portal.accounts.roles import AGENT, COORDINATOR, OFFICER
from portal.actors import Actor
from portal.clock import utcnow

# One secret for all three, already confirmed: add it to an authenticator app once.
DEMO_TOTP_SECRET = "OPNAMELOKETDEMOSTAFFTOTPSECRET23"
DEMO_ACCOUNTS = (
    (AGENT, f"agent@{DEMO_DOMAIN}", "Demo Agent", "Balie-demo-wachtwoord-1"),
    (OFFICER, f"officer@{DEMO_DOMAIN}", "Demo Officer", "Triage-demo-wachtwoord-2"),
    (COORDINATOR, f"coordinator@{DEMO_DOMAIN}", "Demo Coordinator",
     "Coordinatie-demo-wachtwoord-3"),
)
DEMO_SETUP = Actor("system", None, "demo setup")


def create_demo_accounts(session: Session) -> list[str]:
    """Create the demo accounts that do not exist yet; return their addresses.

    The caller commits, and refuses to run in production (as `flask demo setup` does).
    """
    created = []
    for role, email, name, password in DEMO_ACCOUNTS:
        if users.find_by_email(session, email) is not None:
            continue
        users.create_user(session, email=email, display_name=name, role=role,
                          password=password, actor=DEMO_SETUP, now=utcnow(), production=False,
                          totp_secret=DEMO_TOTP_SECRET, totp_confirmed=True)
        created.append(email)
    return created
