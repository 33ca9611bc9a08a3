"""One-time recovery codes: ten per user, shown once, stored as argon2id hashes."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.accounts.models import RecoveryCode, StaffUser
from portal.accounts.passwords import hasher

COUNT = 10
# No 0/O, 1/I/L: a code read from paper must be typed back without guessing. 31 symbols
# and 10 places give about 50 bits, so the codes are stored as salted argon2id hashes
# (ASVS 2.6.2) rather than a plain digest that a stolen table would give away.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code() -> str:
    """A random code, formatted XXXX-XXXX-XX for reading aloud and writing down."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise(typed: str) -> str:
    """A typed code in the form it was hashed: upper case, without dashes or spaces."""
    return re.sub(r"[^0-9A-Z]", "", (typed or "").upper())


def replace_codes(session: Session, user: StaffUser, *, now: datetime) -> list[str]:
    """Give user ten new codes, removing the old ones; return them for showing once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [new_code() for _ in range(COUNT)]
    session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hasher().hash(normalise(code)), created_at=now)
        for code in codes
    )
    session.flush()
    return codes


def use_code(session: Session, user: StaffUser, typed: str, *, now: datetime) -> bool:
    """Accept an unused code of user once and mark it used; False for anything else."""
    code = normalise(typed)
    if len(code) != LENGTH:
        return False
    unused = session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                   RecoveryCode.used_at.is_(None))).all()
    for candidate in unused:
        if _matches(candidate.code_hash, code):
            # The condition on used_at makes the update the arbiter: of two requests
            # with the same code, only one changes the row.
            marked = session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == candidate.id, RecoveryCode.used_at.is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False))
            return marked.rowcount == 1
    return False


def unused_count(session: Session, user: StaffUser) -> int:
    """How many of user's recovery codes are still unused."""
    return len(session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                      RecoveryCode.used_at.is_(None))).all())


def _matches(code_hash: str, code: str) -> bool:
    try:
        return hasher().verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False
