"""The rules a change of the ledger must keep, checked before anything is written.

A week starts on a Monday and has not passed; the kind of work is known; the municipality
is in the register; capacity and reservation are not negative, and the reservation for
risk work fits in the capacity (domain rule 1). Every broken rule is named, in the
reader's language, in one refusal.
"""

from __future__ import annotations

from datetime import date

from flask_babel import LazyString, format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.capacity.allocation import Slot
from portal.capacity.models import KINDS
from portal.capacity.plan_base import KIND_WORDS, LedgerChange, LedgerRefused
from portal.register.models import Municipality


def refuse_bad_changes(session: Session, wanted: dict[tuple, LedgerChange],
                       by_key: dict[tuple, Slot], current: date) -> None:
    """Raise LedgerRefused naming every change that breaks a rule; nothing is written yet."""
    problems = []
    known = set(session.scalars(select(Municipality.code).where(
        Municipality.code.in_({k[1] for k in wanted})))) if wanted else set()
    for (week, code, kind), change in sorted(wanted.items()):
        where = _l("week of %(week)s, municipality %(code)s, %(kind)s",
                   week=LazyString(format_date, week, "long"), code=code,
                   kind=KIND_WORDS.get(kind, kind))
        slot = by_key.get((week, code, kind))
        capacity = change.capacity if change.capacity is not None else (
            slot.capacity if slot else 0)
        reserved = change.reserved if change.reserved is not None else (
            slot.reserved if slot else 0)
        if week.weekday() != 0:
            problems.append(_l("%(where)s: a week starts on a Monday", where=where))
        elif week < current:
            problems.append(_l("%(where)s: the week has passed", where=where))
        if kind not in KINDS:
            problems.append(_l("%(where)s: kind must be one of %(kinds)s", where=where,
                               kinds=", ".join(KINDS)))
        if code not in known:
            problems.append(_l("%(where)s: unknown municipality", where=where))
        if capacity < 0 or reserved < 0:
            problems.append(_l("%(where)s: capacity and reserved cannot be below zero",
                               where=where))
        elif reserved > capacity:
            problems.append(_l("%(where)s: reserved (%(reserved)d) exceeds capacity "
                               "(%(capacity)d)", where=where, reserved=reserved,
                               capacity=capacity))
    if problems:
        raise LedgerRefused(problems)
