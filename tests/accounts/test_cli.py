"""`flask users create | deactivate | list`, with the password on standard input."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.accounts.passwords import verify_password

PASSWORD = "Een-lange-zin-als-wachtwoord"


def test_create_reads_the_password_from_stdin_and_prints_the_totp_secret(runner, session):
    result = runner.invoke(args=["users", "create", "Triage@NCG.nl", "--role", "officer",
                                 "--name", "Tineke Triage"], input=PASSWORD + "\n")
    user = session.scalar(select(StaffUser))

    assert result.exit_code == 0, result.output
    secret = re.search(r"TOTP secret \(base32\): ([A-Z2-7]{32})\n", result.output).group(1)
    assert (user.email, user.role, user.display_name, user.totp_secret) == (
        "triage@ncg.nl", "officer", "Tineke Triage", secret)
    assert f"otpauth://totp/Opnameloket:triage%40ncg.nl?secret={secret}" in result.output
    assert verify_password(user.password_hash, PASSWORD)


def test_create_refuses_a_password_against_the_policy(runner, session):
    result = runner.invoke(args=["users", "create", "a@ncg.nl", "--role", "agent"],
                           input="te kort\n")

    assert result.exit_code == 1
    assert "Use at least 12 characters" in result.output
    assert session.scalar(select(StaffUser)) is None


def test_create_refuses_an_unknown_role_and_a_taken_address(runner):
    first = runner.invoke(args=["users", "create", "a@ncg.nl", "--role", "agent"],
                          input=PASSWORD + "\n")
    again = runner.invoke(args=["users", "create", "A@ncg.nl", "--role", "agent"],
                          input=PASSWORD + "\n")
    unknown = runner.invoke(args=["users", "create", "b@ncg.nl", "--role", "admin"],
                            input=PASSWORD + "\n")

    assert first.exit_code == 0
    assert again.exit_code == 1 and "already exists" in again.output
    assert unknown.exit_code == 2


def test_list_and_deactivate(runner):
    for email, role in (("z@ncg.nl", "agent"), ("c@ncg.nl", "coordinator")):
        runner.invoke(args=["users", "create", email, "--role", role], input=PASSWORD + "\n")

    deactivated = runner.invoke(args=["users", "deactivate", "Z@ncg.nl"])
    listed = runner.invoke(args=["users", "list"])
    missing = runner.invoke(args=["users", "deactivate", "nobody@ncg.nl"])

    assert deactivated.exit_code == 0, deactivated.output
    assert listed.output == ("c@ncg.nl  coordinator  active\n"
                             "z@ncg.nl  agent        deactivated\n")
    assert missing.exit_code == 1
