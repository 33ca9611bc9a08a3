"""Two officers take the last free place at the same moment: exactly one gets it.

Real concurrent connections, one per thread, released together by a barrier. On
PostgreSQL the row lock (SELECT … FOR UPDATE) decides; on SQLite the writers queue on
the database's write lock. Either way the loser sees the row full and gets NoFreeCapacity.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from portal.capacity import planning
from portal.capacity.models import Booking, CapacityWeek
from portal.db import begin_write
from portal.extensions import db
from portal.requests.models import InspectionRequest
from tests.capacity.conftest import (
    COORDINATOR,
    EEMSDELTA,
    TODAY,
    accept,
    assert_ledger_consistent,
    week_row,
)


def _at_once(app, jobs) -> list[str]:
    """Run each job(session) in its own thread and connection, started together."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def worker(index, job):
        with app.app_context():
            session = db.new_session()
            try:
                barrier.wait(timeout=10)
                # As a POST to a staff page does: the transaction starts as a writer.
                begin_write(session)
                job(session)
                session.commit()
                outcomes[index] = "booked"
            except planning.NoFreeCapacity:
                session.rollback()
                outcomes[index] = "no free capacity"
            except planning.NotPlannable:  # the other side planned this request already
                session.rollback()
                outcomes[index] = "already planned"
            except Exception as error:  # noqa: BLE001 - the test reports any other outcome
                session.rollback()
                outcomes[index] = f"error: {error!r}"
            finally:
                session.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


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
