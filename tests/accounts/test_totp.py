"""TOTP codes are accepted once, within one step of the clock; the QR code is inline SVG."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp

from portal.accounts import totp
from portal.accounts.auth import accept_totp
from portal.accounts.models import StaffUser
from tests.accounts.conftest import make_user

NOON = datetime(2026, 3, 2, 12, 0, 10)


def test_the_code_of_now_is_accepted_and_its_step_returned():
    secret = totp.new_secret()

    step = totp.matching_step(secret, totp.code_at(secret, NOON), now=NOON, last_step=None)

    assert step == totp.time_step(NOON)


def test_codes_agree_with_a_standard_authenticator():
    secret = totp.new_secret()
    moment = datetime(2026, 3, 2, 12, 0, 10)
    unix = int((moment - datetime(1970, 1, 1)).total_seconds())

    assert totp.code_at(secret, moment) == pyotp.TOTP(secret).at(unix)


def test_a_code_one_step_old_is_still_accepted_but_two_steps_is_not():
    secret = totp.new_secret()
    one_step_ago = totp.code_at(secret, NOON - timedelta(seconds=30))
    two_steps_ago = totp.code_at(secret, NOON - timedelta(seconds=60))

    assert totp.matching_step(secret, one_step_ago, now=NOON, last_step=None) is not None
    assert totp.matching_step(secret, two_steps_ago, now=NOON, last_step=None) is None


def test_a_code_of_a_step_already_used_is_refused():
    secret = totp.new_secret()
    code = totp.code_at(secret, NOON)

    assert totp.matching_step(secret, code, now=NOON, last_step=totp.time_step(NOON)) is None


def test_spaces_in_a_typed_code_are_ignored():
    secret = totp.new_secret()
    code = totp.code_at(secret, NOON)

    assert totp.matching_step(secret, f" {code[:3]} {code[3:]} ", now=NOON,
                              last_step=None) is not None


def test_the_same_code_is_accepted_once(app, session):
    user = session.get(StaffUser, make_user(app, "agent").id)
    code = totp.code_at(user.totp_secret, NOON)

    first = accept_totp(session, user, code, now=NOON)
    second = accept_totp(session, user, code, now=NOON + timedelta(seconds=5))

    assert (first, second) == (True, False)


def test_a_wrong_code_is_refused(app, session):
    user = session.get(StaffUser, make_user(app, "agent").id)
    right = totp.code_at(user.totp_secret, NOON)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    assert accept_totp(session, user, wrong, now=NOON) is False
    assert accept_totp(session, user, "abcdef", now=NOON) is False


def test_a_later_code_is_accepted_after_an_earlier_one(app, session):
    user = session.get(StaffUser, make_user(app, "agent").id)
    later = NOON + timedelta(seconds=30)

    first = accept_totp(session, user, totp.code_at(user.totp_secret, NOON), now=NOON)
    second = accept_totp(session, user, totp.code_at(user.totp_secret, later), now=later)

    assert (first, second) == (True, True)


def test_the_qr_code_is_inline_svg_without_style_or_script():
    uri = totp.provisioning_uri(totp.new_secret(), "agent@example.nl")

    svg = totp.qr_svg(uri, title="QR")

    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "style" not in svg and "script" not in svg and "http" not in svg


def test_the_provisioning_uri_names_the_issuer_and_account():
    secret = totp.new_secret()

    uri = totp.provisioning_uri(secret, "agent@example.nl")

    assert uri == (f"otpauth://totp/Opnameloket:agent%40example.nl?secret={secret}"
                   "&issuer=Opnameloket")


def test_the_secret_is_160_bits_of_base32_and_shown_in_groups_of_four():
    secret = totp.new_secret()

    assert len(secret) == 32 and set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert totp.grouped(secret).split(" ") == [secret[i:i + 4] for i in range(0, 32, 4)]
