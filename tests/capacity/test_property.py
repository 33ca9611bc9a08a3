"""For every sequence of ledger changes, bookings, cancellations and planning passes, every
ledger row keeps booked ≤ capacity − reserved and booked = its number of bookings.

Runs on the real database of the test run (SQLite, or PostgreSQL with TEST_DATABASE_URL);
each example starts from an empty ledger and the same accepted requests.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from portal.capacity import ledger, planning
from portal.capacity.models import Booking, CapacityWeek
from portal.intake.status import withdraw
from portal.requests.models import InspectionRequest
from portal.requests.states import Status
from tests.capacity.conftest import (
    COORDINATOR,
    EEMSDELTA,
    GRONINGEN,
    TODAY,
    accept,
    assert_ledger_consistent,
    week,
)

CODES = (EEMSDELTA, GRONINGEN)
REQUESTS = 5
WEEKS = 3

numbers = st.integers(min_value=0, max_value=4)
steps = st.one_of(
    st.tuples(st.just("capacity"), st.sampled_from(CODES), st.integers(0, WEEKS - 1), numbers),
    st.tuples(st.just("reserved"), st.sampled_from(CODES), st.integers(0, WEEKS - 1), numbers),
    st.tuples(st.just("book"), st.integers(0, REQUESTS - 1)),
    st.tuples(st.just("cancel"), st.integers(0, REQUESTS - 1)),
    st.tuples(st.just("withdraw"), st.integers(0, REQUESTS - 1)),
    st.tuples(st.sampled_from(["plan", "replan"])),
)


def _reset(session, ids: list[int]) -> None:
    """Empty the ledger and put every request back to accepted (arranging, not acting)."""
    session.rollback()
    session.execute(delete(Booking))
    session.execute(delete(CapacityWeek))
    session.execute(update(InspectionRequest).where(InspectionRequest.id.in_(ids))
                    .values(status=Status.ACCEPTED_INSPECTION.value))
    session.commit()
    session.expire_all()


def _step(session, step, ids: list[int]) -> None:
    """Do one step as a user would; a refusal the rules allow is rolled back."""
    what = step[0]
    try:
        if what in ("capacity", "reserved"):
            _, code, n, value = step
            ledger.set_weeks(session, code, "inspection", week(n), 1, actor=COORDINATOR,
                             today=TODAY, **{what: value})
        elif what in ("book", "cancel", "withdraw"):
            req = session.get(InspectionRequest, ids[step[1]])
            session.refresh(req)
            if what == "book" and req.status == Status.ACCEPTED_INSPECTION:
                planning.book(session, req, actor=COORDINATOR, today=TODAY)
            elif what == "cancel" and req.status == Status.SCHEDULED:
                planning.cancel_booking(session, req, actor=COORDINATOR, reason="test")
            elif what == "withdraw" and req.status in (Status.SCHEDULED,
                                                       Status.ACCEPTED_INSPECTION):
                withdraw(session, req, actor=COORDINATOR, reason="test")
        elif what == "plan":
            planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
        else:
            planning.replan(session, actor=COORDINATOR, now=TODAY)
        session.commit()
    except (planning.NoFreeCapacity, planning.LedgerRefused):
        session.rollback()


def _assert_bookings_match_statuses(session, ids: list[int]) -> None:
    """A scheduled request has exactly one booking, in its municipality's or a lender's row."""
    booked = [r for (r,) in session.execute(select(Booking.request_id))]
    scheduled = set(session.scalars(select(InspectionRequest.id).where(
        InspectionRequest.id.in_(ids), InspectionRequest.status == Status.SCHEDULED)))
    assert len(booked) == len(set(booked))
    assert scheduled <= set(booked)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=st.lists(steps, min_size=1, max_size=12))
def test_no_sequence_of_actions_overbooks_a_week(app_context, session, capacity_register,
                                                 sequence):
    ids = _requests(session)
    _reset(session, ids)

    for step in sequence:
        _step(session, step, ids)
        assert_ledger_consistent(session)
        _assert_bookings_match_statuses(session, ids)


def _requests(session) -> list[int]:
    """The test's accepted requests, made once per test and reused by every example."""
    found = list(session.scalars(select(InspectionRequest.id).order_by(InspectionRequest.id)))
    if len(found) == REQUESTS:
        return found
    homes = [(EEMSDELTA, 1), (EEMSDELTA, 2), (EEMSDELTA, 3), (GRONINGEN, 1), (GRONINGEN, 2)]
    return [accept(session, code, home).id for code, home in homes]
