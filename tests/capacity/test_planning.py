"""Booking one request, planning all accepted ones, competing municipalities, re-planning."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from portal.capacity import planning
from portal.capacity.allocation import Held, Slot, Waiting, allocate, pull_forward
from portal.capacity.ledger import set_reserved, set_shares
from portal.capacity.models import Booking, CapacityWeek
from portal.clock import utcnow
from portal.intake.status import withdraw
from portal.outbox.models import OutboxMessage
from portal.requests.models import RequestEvent
from tests.capacity.conftest import (
    COORDINATOR,
    EEMSDELTA,
    GRONINGEN,
    MIDDEN,
    TODAY,
    accept,
    assert_ledger_consistent,
    booked_weeks,
    week,
    week_row,
)


def _emails(session) -> list[tuple[str, str]]:
    return [(m.subject, m.body_text) for m in session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id))]


def _accept_at(session, req, days_ago: int) -> None:
    """Pretend the request was accepted days_ago days before TODAY (arranging, not acting)."""
    event = session.scalar(select(RequestEvent).where(
        RequestEvent.request_id == req.id, RequestEvent.to_status == req.status))
    event.at = utcnow() - timedelta(days=days_ago)
    session.commit()


def test_book_takes_the_earliest_week_with_a_free_place(app_context, session,
                                                        capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=3, reserved=3)
    week_row(session, EEMSDELTA, 1, capacity=3, reserved=1)
    req = accept(session, EEMSDELTA, 1, language="en")

    booking = planning.book(session, req, actor=COORDINATOR, today=TODAY)
    session.commit()

    assert (req.status, booked_weeks(session)) == ("scheduled", {req.id: week(1)})
    assert booking.booked_by == "Coördinator Bakker"
    subject, body = _emails(session)[-1]
    assert "is planned" in subject
    assert "The inspection of your home is planned in the week of 7 December 2026." in body
    assert req.events[-1].reason == "planned in the week of 2026-12-07"
    assert_ledger_consistent(session)


def test_book_refuses_when_risk_work_leaves_no_free_place(app_context, session,
                                                          capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=2, reserved=2)
    week_row(session, GRONINGEN, 0, capacity=5)
    req = accept(session, EEMSDELTA, 1)

    with pytest.raises(planning.NoFreeCapacity) as refused:
        planning.book(session, req, actor=COORDINATOR, today=TODAY)
    assert refused.value.code == "planning.no_free_capacity"
    session.rollback()

    assert (req.status, booked_weeks(session)) == ("accepted_inspection", {})


def test_book_refuses_a_request_that_is_not_accepted(app_context, session, capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=2)
    req = accept(session, EEMSDELTA, 1)
    planning.book(session, req, actor=COORDINATOR, today=TODAY)
    session.commit()

    with pytest.raises(planning.NotPlannable) as refused:
        planning.book(session, req, actor=COORDINATOR, today=TODAY)
    assert refused.value.code == "planning.not_accepted"


def test_book_into_a_chosen_week_and_never_into_a_past_one(app_context, session,
                                                           capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=2)
    week_row(session, EEMSDELTA, 3, capacity=2)
    req = accept(session, EEMSDELTA, 1)

    with pytest.raises(planning.NotPlannable) as refused:
        planning.book(session, req, actor=COORDINATOR, week=week(-1), today=TODAY)
    assert refused.value.code == "planning.week_passed"
    planning.book(session, req, actor=COORDINATOR, week=week(3), today=TODAY)
    session.commit()

    assert booked_weeks(session) == {req.id: week(3)}


def test_a_reassessment_is_booked_into_assessment_capacity(app_context, session,
                                                           capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=2)
    week_row(session, EEMSDELTA, 1, capacity=2, kind="assessment")
    req = accept(session, EEMSDELTA, 20)

    booking = planning.book(session, req, actor=COORDINATOR, today=TODAY)

    assert (req.status, booking.kind, booked_weeks(session)) == (
        "scheduled", "assessment", {req.id: week(1)})


def test_plan_accepted_books_the_oldest_acceptance_first(app_context, session,
                                                         capacity_register):
    for n in range(3):
        week_row(session, EEMSDELTA, n, capacity=1)
    first, second, third = (accept(session, EEMSDELTA, home) for home in (1, 2, 3))
    _accept_at(session, third, 3)
    _accept_at(session, first, 2)
    _accept_at(session, second, 1)

    report = planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    assert booked_weeks(session) == {third.id: week(0), first.id: week(1), second.id: week(2)}
    assert (report.planned, report.waiting, report.notified) == (3, 0, 3)
    assert {r.status for r in (first, second, third)} == {"scheduled"}
    assert_ledger_consistent(session)


def test_plan_accepted_leaves_what_does_not_fit_waiting(app_context, session,
                                                        capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=3, reserved=2)
    reqs = [accept(session, EEMSDELTA, home) for home in (1, 2)]

    report = planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    assert (report.planned, report.waiting, [r.status for r in reqs]) == (
        1, 1, ["scheduled", "accepted_inspection"])
    assert report.by_municipality[EEMSDELTA]["waiting"] == 1


def test_a_request_that_lost_its_week_keeps_its_place_in_line(app_context, session,
                                                              capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=1)
    week_row(session, EEMSDELTA, 1, capacity=1)
    older, younger = accept(session, EEMSDELTA, 1), accept(session, EEMSDELTA, 2)
    planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    planning.cancel_booking(session, older, actor=COORDINATOR, reason="resident on holiday")
    planning.cancel_booking(session, younger, actor=COORDINATOR, reason="resident ill")
    session.commit()

    planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    assert booked_weeks(session) == {older.id: week(0), younger.id: week(1)}
    assert_ledger_consistent(session)


def test_unused_capacity_flows_on_only_after_the_lenders_own_requests(app_context, session,
                                                                       capacity_register):
    week_row(session, GRONINGEN, 0, capacity=2)
    city = accept(session, GRONINGEN, 1)
    village = [accept(session, EEMSDELTA, home) for home in (1, 2)]

    report = planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    assert booked_weeks(session) == {city.id: week(0), village[0].id: week(0)}
    assert (report.planned, report.borrowed, report.waiting) == (2, 1, 1)
    assert village[0].events[-1].reason == \
        "planned in the week of 2026-11-30 (capacity of municipality 0014)"


def test_competing_municipalities_share_a_pool_in_the_coordinators_order(
        app_context, session, capacity_register):
    week_row(session, GRONINGEN, 0, capacity=4)  # Groningen has nobody waiting: 4 to share
    week_row(session, EEMSDELTA, 0, capacity=1)
    eemsdelta = [accept(session, EEMSDELTA, home) for home in range(1, 6)]
    midden = [accept(session, MIDDEN, home) for home in range(1, 6)]
    set_shares(session, {EEMSDELTA: (50, 2), MIDDEN: (25, 1)}, actor=COORDINATOR)
    session.commit()

    planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    weeks = booked_weeks(session)
    # Own place first (1), then shares: Midden 25% of 4 = 1, Eemsdelta 50% = 2; the one
    # place left goes by rank to Midden.
    assert [r.id in weeks for r in eemsdelta] == [True, True, True, False, False]
    assert [r.id in weeks for r in midden] == [True, True, False, False, False]
    assert_ledger_consistent(session)


def test_growing_reservation_moves_the_newest_bookings_later(app_context, session,
                                                             capacity_register):
    first_week = week_row(session, EEMSDELTA, 0, capacity=3)
    week_row(session, EEMSDELTA, 1, capacity=1)
    week_row(session, EEMSDELTA, 2, capacity=1)
    reqs = [accept(session, EEMSDELTA, home, language="en") for home in (1, 2, 3)]
    planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()
    sent = len(_emails(session))

    report = set_reserved(session, first_week, 2, actor=COORDINATOR, today=TODAY)
    session.commit()

    assert booked_weeks(session) == {reqs[0].id: week(0), reqs[1].id: week(1),
                                     reqs[2].id: week(2)}
    assert (report.moved_later, report.unplanned, [r.status for r in reqs]) == (
        2, 0, ["scheduled"] * 3)
    moved = _emails(session)[sent:]
    assert [subject.startswith("New week for your request") for subject, _ in moved] == \
        [True, True]
    assert "moves to the week of 7 December 2026" in moved[0][1] + moved[1][1]
    assert reqs[2].events[-1].kind == "plan"
    assert_ledger_consistent(session)


def test_growing_reservation_without_a_later_week_takes_the_booking_back(
        app_context, session, capacity_register):
    first_week = week_row(session, EEMSDELTA, 0, capacity=2)
    reqs = [accept(session, EEMSDELTA, home, language="en") for home in (1, 2)]
    planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    report = set_reserved(session, first_week, 1, actor=COORDINATOR, today=TODAY)
    session.commit()

    assert (report.unplanned, [r.status for r in reqs]) == (
        1, ["scheduled", "accepted_inspection"])
    assert booked_weeks(session) == {reqs[0].id: week(0)}
    subject, body = _emails(session)[-1]
    assert "a new week follows" in subject and "keeps its place in line" in body
    assert_ledger_consistent(session)


def test_withdrawal_frees_its_week_and_replan_moves_the_next_one_earlier(
        app_context, session, capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=1)
    week_row(session, EEMSDELTA, 2, capacity=2)
    gone, later = accept(session, EEMSDELTA, 1), accept(session, EEMSDELTA, 2)
    planning.plan_accepted(session, actor=COORDINATOR, now=TODAY)
    withdraw(session, gone, actor=COORDINATOR, reason="no longer needed")
    session.commit()

    report = planning.replan(session, actor=COORDINATOR, now=TODAY)
    session.commit()

    # The withdrawal released its booking at once, so re-planning only moves the other.
    assert booked_weeks(session) == {later.id: week(0)}
    assert (report.released, report.moved_earlier) == (0, 1)
    assert "Er is eerder een plek vrijgekomen" in _emails(session)[-1][1]  # resident's language
    assert_ledger_consistent(session)


def test_a_week_already_under_way_is_not_rearranged(app_context, session, capacity_register):
    week_row(session, EEMSDELTA, 0, capacity=1)
    week_row(session, EEMSDELTA, 1, capacity=1)
    req = accept(session, EEMSDELTA, 1)
    planning.book(session, req, actor=COORDINATOR, week=week(1), today=TODAY)
    session.commit()

    planning.replan(session, actor=COORDINATOR, now=TODAY + timedelta(weeks=1))
    session.commit()

    assert booked_weeks(session) == {req.id: week(1)}


def test_a_withdrawn_request_can_release_its_place_at_once(app_context, session,
                                                           capacity_register):
    row = week_row(session, EEMSDELTA, 0, capacity=1)
    req = accept(session, EEMSDELTA, 1)
    planning.book(session, req, actor=COORDINATOR, today=TODAY)

    assert planning.release_booking(session, req) is True
    withdraw(session, req, actor=COORDINATOR, reason="moved house")
    session.commit()

    assert (session.get(CapacityWeek, row.id).booked,
            session.scalars(select(Booking)).all()) == (0, [])


def _slot(id_, n, code, capacity, booked=0):
    return Slot(id_, week(n), code, "inspection", capacity, 0, booked)


def _waiting(request_id, code, minute):
    return Waiting(datetime(2026, 11, 1, 9, minute), request_id, code, "inspection")


def test_allocate_gives_each_request_the_earliest_week_oldest_first():
    slots = [_slot(1, 0, EEMSDELTA, 1), _slot(2, 1, EEMSDELTA, 2)]
    young, old, middle = (_waiting(1, EEMSDELTA, 30), _waiting(2, EEMSDELTA, 10),
                          _waiting(3, EEMSDELTA, 20))

    placed = allocate(slots, [young, old, middle])

    assert {w.request_id: s.week_start for w, s in placed.items()} == {
        2: week(0), 3: week(1), 1: week(1)}
    assert [s.booked for s in slots] == [1, 2]


def test_pull_forward_stays_in_the_requests_own_municipality_and_never_goes_later():
    own_free = _slot(1, 0, EEMSDELTA, 1)
    lender_free = _slot(2, 0, GRONINGEN, 5)
    borrowed = _slot(3, 2, GRONINGEN, 1, booked=1)
    own_later = _slot(4, 3, EEMSDELTA, 1, booked=1)
    first, second = _waiting(1, EEMSDELTA, 10), _waiting(2, EEMSDELTA, 20)

    moved = pull_forward([own_free, lender_free, borrowed, own_later],
                         [Held(second, own_later), Held(first, borrowed)])

    assert {w.request_id: s.id for w, s in moved.items()} == {1: own_free.id}
    assert [s.booked for s in (own_free, lender_free, borrowed, own_later)] == [1, 0, 0, 1]
