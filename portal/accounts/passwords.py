"""The staff password policy, and hashing with argon2id.

The policy follows NIST SP 800-63B and OWASP ASVS 2.1: length (12 to 128 characters) and
a list of common passwords, no composition rules, every character allowed, and paste
always allowed (password managers paste).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

from portal.refusals import Refused

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"
# Words that name this service: a password built on them is among the first an attacker
# who knows the target would try.
CONTEXT_WORDS = ("opnameloket",)
# A local part shorter than this ("jo@…") would refuse ordinary words that contain it.
MIN_LOCAL_PART = 3

# argon2id with the OWASP Password Storage Cheat Sheet's parameters (19 MiB, 2 passes, one
# lane): about 70 ms on a 2-core server. argon2-cffi's own default (64 MiB, 3 passes, 4
# lanes) took ten times as long there, which turns ten recovery-code checks or a burst of
# logins into a way to stall the service. needs_rehash raises old hashes when these change.
PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
# Tests log in hundreds of times; like Django's fast test hasher, they use cheap
# parameters (still argon2id), set by accounts.install.init_app when PORTAL_ENV is "test".
TEST_PARAMETERS = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}
_hasher = PasswordHasher(**PARAMETERS)


def hasher() -> PasswordHasher:
    """The argon2id hasher in use, for passwords and recovery codes alike."""
    return _hasher


def set_parameters(parameters: dict) -> None:
    """Use other argon2id parameters from now on (tests: TEST_PARAMETERS)."""
    global _hasher
    _hasher = PasswordHasher(**parameters)
    _dummy_hash.cache_clear()


class PasswordRefused(Refused):
    """A new password does not meet the policy (code `password.policy`); str() is the
    reason, for the person."""


def normalise(password: str) -> str:
    """The password as hashed: Unicode NFKC, so the same password typed elsewhere matches."""
    return unicodedata.normalize("NFKC", password)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, casefolded."""
    with COMMON_PASSWORDS.open(encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line.strip())


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Say why a new password is refused, or None when the policy accepts it."""
    password = normalise(password)
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(min)s characters", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(max)s characters", max=MAX_LENGTH)
    folded = password.casefold()
    if folded in common_passwords():
        return _l("This password is too common: choose another one")
    if any(word in folded for word in CONTEXT_WORDS):
        return _l("Do not use the name of this service in your password")
    local_part = (email or "").partition("@")[0].casefold()
    if len(local_part) >= MIN_LOCAL_PART and local_part in folded:
        return _l("Do not use your email address in your password")
    return None


def check_policy(password: str, *, email: str | None = None) -> None:
    """Raise PasswordRefused with the reason when the policy refuses a new password."""
    problem = password_problem(password, email=email)
    if problem is not None:
        raise PasswordRefused("password.policy", problem)


def hash_password(password: str) -> str:
    """An argon2id hash of the password, with its own random salt."""
    return _hasher.hash(normalise(password))


def verify_password(password_hash: str, password: str) -> bool:
    """True when password matches the hash; never raises for a wrong or broken hash."""
    try:
        return _hasher.verify(password_hash, normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password anyone has: only for equal timing")


def verify_nothing(password: str) -> bool:
    """Spend the time of one verification for an unknown account; always False.

    Without it an unknown email address would answer faster than a wrong password, and
    the timing would tell which addresses have an account.
    """
    verify_password(_dummy_hash(), password)
    return False
