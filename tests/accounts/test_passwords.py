"""The password policy: 12 to 128 characters, not common, not the email address; argon2id."""

from __future__ import annotations

import pytest

from portal.accounts import passwords
from portal.accounts.passwords import (
    PasswordRefused,
    check_policy,
    hash_password,
    password_problem,
    verify_password,
)


def _first_common_password() -> str:
    with passwords.COMMON_PASSWORDS.open(encoding="utf-8") as lines:
        return lines.readline().strip()


@pytest.mark.parametrize("length", [12, 64, 128])
def test_lengths_from_12_to_128_are_accepted(length):
    assert password_problem(("Grondwerk-" * 13)[:length]) is None


@pytest.mark.parametrize("length", [0, 1, 11])
def test_shorter_than_12_is_refused(length):
    assert str(password_problem("k" * length)) == "Use at least 12 characters"


def test_longer_than_128_is_refused():
    assert str(password_problem("x7" * 64 + "y")) == "Use at most 128 characters"


def test_any_characters_are_allowed():
    assert password_problem("  spaties, é, ß, 😀 en 'quotes' \"ok\" <tag>  ") is None


def test_a_common_password_is_refused_in_any_case():
    common = _first_common_password()

    assert len(common) >= 12
    assert str(password_problem(common.upper())) == (
        "This password is too common: choose another one")


def test_the_shipped_list_holds_many_passwords_of_at_least_12_characters():
    long_ones = [word for word in passwords.common_passwords() if len(word) >= 12]

    assert len(long_ones) > 40_000


def test_a_password_with_the_email_local_part_is_refused():
    problem = password_problem("mijn-J.deVries-wachtwoord", email="j.devries@ncg.nl")

    assert str(problem) == "Do not use your email address in your password"


def test_the_name_of_the_service_is_refused():
    problem = password_problem("Mijn-Opnameloket-2024")

    assert str(problem) == "Do not use the name of this service in your password"


def test_check_policy_raises_with_the_reason():
    with pytest.raises(PasswordRefused) as refused:
        check_policy("kort")
    assert refused.value.code == "password.policy"
    assert "at least 12" in refused.value.message


def test_hashes_are_argon2id_with_a_salt_of_their_own():
    first = hash_password("Grondig-onderzoek-in-Loppersum")
    second = hash_password("Grondig-onderzoek-in-Loppersum")

    assert first.startswith("$argon2id$")
    assert first != second
    assert verify_password(first, "Grondig-onderzoek-in-Loppersum")
    assert not verify_password(first, "grondig-onderzoek-in-loppersum")


def test_a_broken_hash_does_not_verify():
    assert not verify_password("not a hash", "Grondig-onderzoek-in-Loppersum")


def test_the_same_password_typed_in_another_unicode_form_matches():
    composed = "Café-aan-het-Damsterdiep"
    decomposed = "Cafe\u0301-aan-het-Damsterdiep"

    assert verify_password(hash_password(composed), decomposed)
