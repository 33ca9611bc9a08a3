"""Recovery codes: ten, readable, stored hashed, each accepted once."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from portal.accounts import recovery
from portal.accounts.models import RecoveryCode, StaffUser
from tests.accounts.conftest import make_user

NOW = datetime(2026, 3, 2, 12, 0)


def _user(app, session) -> StaffUser:
    return session.get(StaffUser, make_user(app, "officer").id)


def test_ten_different_codes_in_a_readable_format(app, session):
    codes = recovery.replace_codes(session, _user(app, session), now=NOW)

    assert len(set(codes)) == 10
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", c)
               for c in codes)


def test_only_argon2id_hashes_are_stored(app, session):
    codes = recovery.replace_codes(session, _user(app, session), now=NOW)

    stored = session.scalars(select(RecoveryCode.code_hash)).all()

    assert len(stored) == 10
    assert all(h.startswith("$argon2id$") for h in stored)
    assert not {recovery.normalise(c) for c in codes} & {h for h in stored}


def test_a_code_works_once(app, session):
    user = _user(app, session)
    codes = recovery.replace_codes(session, user, now=NOW)

    first = recovery.use_code(session, user, codes[3], now=NOW)
    second = recovery.use_code(session, user, codes[3], now=NOW)

    assert (first, second) == (True, False)
    assert recovery.unused_count(session, user) == 9


def test_a_code_typed_in_lower_case_without_dashes_works(app, session):
    user = _user(app, session)
    codes = recovery.replace_codes(session, user, now=NOW)

    assert recovery.use_code(session, user, codes[0].replace("-", " ").lower(), now=NOW)


def test_a_wrong_code_and_another_users_code_are_refused(app, session):
    ids = [make_user(app, "officer").id, make_user(app, "officer").id]
    user, other = (session.get(StaffUser, i) for i in ids)
    recovery.replace_codes(session, user, now=NOW)
    others = recovery.replace_codes(session, other, now=NOW)

    assert not recovery.use_code(session, user, "2345-6789-AB", now=NOW)
    assert not recovery.use_code(session, user, others[0], now=NOW)


def test_new_codes_replace_the_old_ones(app, session):
    user = _user(app, session)
    old = recovery.replace_codes(session, user, now=NOW)
    recovery.replace_codes(session, user, now=NOW)

    assert not recovery.use_code(session, user, old[0], now=NOW)
    assert recovery.unused_count(session, user) == 10
