"""Two officers take the last free place at the same moment: exactly one gets it.

Real concurrent connections, one per thread, released together by a barrier. On
PostgreSQL the row lock (SELECT … FOR UPDATE) decides; on SQLite the writers queue on
the database's write lock. Either way the loser sees the row full and gets NoFreeCapacity.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from portal.capacity import planning
from portal.capacity.models import Booking, CapacityWeek
from portal.requests.models import InspectionRequest
from tests.capacity.conftest import (
    COORDINATOR,
    EEMSDELTA,
    TODAY,
    accept,
    assert_ledger_consistent,
    week_row,
)
from tests.concurrency import at_once


def _at_once(app, jobs) -> list[str]:
    """Run each booking job at the same moment; name what came of each."""
    return at_once(app, [_booked(job) for job in jobs], refusal=_refusal)


def _booked(job):
    def run(session):
        job(session)
        return "booked"
    return run


def _refusal(error: Exception) -> str | None:
    if isinstance(error, planning.NoFreeCapacity):
        return "no free capacity"
    if isinstance(error, planning.NotPlannable):  # the other side planned it already
        return "already planned"
    return None


def _booker(request_id: int):
    def job(session):
        req = session.get(InspectionRequest, request_id)
        planning.book(session, req, actor=COORDINATOR, today=TODAY)
    return job


@pytest.mark.committing
def test_two_officers_booking_the_last_place_exactly_one_succeeds(app, app_context, session,
                                                                  capacity_register):
    row = week_row(session, EEMSDELTA, 0, capacity=3, reserved=2)
    first, second = accept(session, EEMSDELTA, 1), accept(session, EEMSDELTA, 2)

    outcomes = _at_once(app, [_booker(first.id), _booker(second.id)])

    assert sorted(outcomes) == ["booked", "no free capacity"]
    session.expire_all()
    assert (session.get(CapacityWeek, row.id).booked,
            len(session.scalars(select(Booking)).all())) == (1, 1)
    statuses = sorted(session.get(InspectionRequest, r.id).status for r in (first, second))
    assert statuses == ["accepted_inspection", "scheduled"]
    assert_ledger_consistent(session)


@pytest.mark.committing
def test_a_planning_pass_and_a_hand_booking_never_overbook(app, app_context, session,
                                                           capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=1)
    by_hand = accept(session, EEMSDELTA, 1)
    accept(session, EEMSDELTA, 2)

    def plan(s):
        planning.plan_accepted(s, actor=COORDINATOR, now=TODAY)

    outcomes = _at_once(app, [_booker(by_hand.id), plan])

    assert [o for o in outcomes if o.startswith("error")] == []
    session.expire_all()
    assert len(session.scalars(select(Booking)).all()) == 1
    assert_ledger_consistent(session)


def test_the_database_refuses_an_overbooked_row(session, capacity_register):
    row = week_row(session, EEMSDELTA, 0, capacity=3, reserved=2)

    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE capacity_weeks SET booked = 2 WHERE id = :id"),
                        {"id": row.id})
    session.rollback()
