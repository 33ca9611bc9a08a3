"""Free capacity has one definition, and the database and Python read it alike."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.capacity.allocation import Slot
from portal.capacity.ledger import LedgerRow
from portal.capacity.models import CapacityWeek, free_places
from portal.register.models import Municipality

CASES = [(10, 0, 0), (10, 4, 3), (10, 10, 0), (10, 3, 7), (0, 0, 0), (5, 2, 1)]


def test_sql_and_python_read_the_same_free_places(session):
    session.add(Municipality(code="1979", name="Eemsdelta", in_effect_area=True))
    session.flush()
    monday = date(2026, 11, 30)
    for offset, (capacity, reserved, booked) in enumerate(CASES):
        session.add(CapacityWeek(week_start=monday + timedelta(weeks=offset), gemeentecode="1979",
                                 kind="inspection", capacity=capacity, reserved=reserved,
                                 booked=booked))
    session.flush()

    by_sql = session.execute(select(CapacityWeek.week_start, CapacityWeek.free)
                             .order_by(CapacityWeek.week_start)).all()
    by_python = [(w.week_start, w.free) for w in session.scalars(
        select(CapacityWeek).order_by(CapacityWeek.week_start))]

    assert by_sql == by_python == [(monday + timedelta(weeks=i), free_places(*case))
                                   for i, case in enumerate(CASES)]


def test_ledger_rows_and_planner_slots_use_the_same_definition():
    for capacity, reserved, booked in [*CASES, (3, 2, 5)]:
        row = LedgerRow(date(2026, 11, 30), capacity, reserved, booked)
        slot = Slot(1, date(2026, 11, 30), "1979", "inspection", capacity, reserved, booked)
        assert row.free == slot.free == max(0, capacity - reserved - booked)
