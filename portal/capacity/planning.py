"""Planning accepted requests into free capacity: book one, cancel one, plan all, re-plan.

Two ways in, one rule (see `allocation`):

- `book` places one request by hand, into its own municipality's earliest free week (or
  the week given), under the ledger row's lock;
- `plan_accepted`, `replan` and every change of capacity or reservation (`apply_changes`,
  used by `ledger`) run one set-based pass: lock the ledger rows of the current week and
  later, load them with the bookings and waiting requests, allocate in memory, and write
  bookings, ledger rows, status changes, history and notifications in bulk.

Locks are always taken ledger rows first (ordered by municipality, kind, week), request
rows second, so a hand booking and a planning run never wait for each other in a circle.
The database CHECK `booked + reserved <= capacity` stands behind all of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from portal.actors import Actor
from portal.capacity.allocation import week_start_of
from portal.capacity.events import PlanChanged
from portal.capacity.models import Booking, CapacityWeek
from portal.capacity.plan_base import (
    ACCEPTED_OF_KIND,
    KIND_OF_STATUS,
    KIND_WORDS,
    LedgerChange,
    LedgerRefused,
    NoFreeCapacity,
    NotPlannable,
    PlanReport,
    acceptance_times,
    today_of,
)
from portal.capacity.plan_pass import run
from portal.clock import utcnow
from portal.db import begin_write
from portal.events import publish
from portal.requests import workflow
from portal.requests.events import StatusChanged, StatusesChanged
from portal.requests.models import InspectionRequest
from portal.requests.states import LABELS, Status

__all__ = [
    "LedgerChange", "LedgerRefused", "NoFreeCapacity", "NotPlannable", "PlanReport",
    "acceptance_times", "apply_changes", "book", "cancel_booking", "plan_accepted",
    "release_booking", "replan",
]


def book(session: Session, req: InspectionRequest, *, actor: Actor, week: date | None = None,
         today: date | None = None) -> Booking:
    """Book one accepted request into its municipality's earliest free week, or into week.

    Locks the candidate ledger row (FOR UPDATE on PostgreSQL; SQLite's write lock through
    begin_write) and re-reads it, so two officers cannot both take the last place: the
    second finds the row full and tries the next week. Moves the request to scheduled
    and queues the resident's email with the week. Raises NoFreeCapacity when no week
    has room, NotPlannable when the request is not accepted or has no municipality.
    """
    begin_write(session)
    session.refresh(req)
    kind = KIND_OF_STATUS.get(req.status)
    if kind is None or req.gemeentecode is None:
        if req.gemeentecode is None:
            raise NotPlannable("planning.no_municipality", _l(
                "Request %(id)d has no municipality.", id=req.id), request_id=req.id)
        raise NotPlannable("planning.not_accepted", _l(
            "Request %(id)d is %(status)s, not accepted.", id=req.id,
            status=LABELS[Status(req.status)]),
            request_id=req.id, status=req.status)
    current = week_start_of(today_of(today))
    if week is not None and week_start_of(week) < current:
        raise NotPlannable("planning.week_passed", _l(
            "A request cannot be booked into a week that has passed."))
    slot = _lock_free_week(session, req.gemeentecode, kind, current,
                           week_start_of(week) if week else None)
    if slot is None:
        raise NoFreeCapacity("planning.no_free_capacity", _l(
            "No free %(kind)s capacity in municipality %(code)s.", kind=KIND_WORDS[kind],
            code=req.gemeentecode), kind=kind, gemeentecode=req.gemeentecode)
    # The request's own lock comes after the ledger row's, as in a planning pass.
    workflow.transition(session, req, Status.SCHEDULED, actor=actor, notify=False,
                        reason=f"planned in the week of {slot.week_start.isoformat()}")
    _release_stale_booking(session, req.id, kind)
    booking = Booking(request_id=req.id, capacity_week_id=slot.id, kind=kind,
                      booked_at=utcnow(), booked_by=actor.label)
    session.add(booking)
    session.execute(update(CapacityWeek).where(CapacityWeek.id == slot.id)
                    .values(booked=CapacityWeek.booked + 1)
                    .execution_options(synchronize_session=False))
    session.flush()
    _forget(session, slot.id)
    publish(session, PlanChanged(planned=((req.id, kind, slot.week_start),)))
    return booking


def _lock_free_week(session: Session, gemeentecode: str, kind: str, current: date,
                    week: date | None) -> CapacityWeek | None:
    """Lock and return the earliest row with a free place (only week, when given)."""
    after = None
    while True:
        query = select(CapacityWeek.id).where(
            CapacityWeek.gemeentecode == gemeentecode, CapacityWeek.kind == kind,
            CapacityWeek.free > 0)
        if week:
            query = query.where(CapacityWeek.week_start == week)
        elif after:
            query = query.where(CapacityWeek.week_start > after)
        else:
            query = query.where(CapacityWeek.week_start >= current)
        candidate = session.scalar(query.order_by(CapacityWeek.week_start).limit(1))
        if candidate is None:
            return None
        # Re-read under the lock: another officer may have taken the place meanwhile.
        row = session.scalar(select(CapacityWeek).where(CapacityWeek.id == candidate)
                             .with_for_update().execution_options(populate_existing=True))
        if row.free > 0:
            return row
        if week:
            return None
        after = row.week_start


def _release_stale_booking(session: Session, request_id: int, kind: str) -> None:
    """Remove a booking left behind by a request that lost its week without releasing it."""
    stale = session.scalar(select(Booking).where(Booking.request_id == request_id,
                                                 Booking.kind == kind))
    if stale is not None:
        _release(session, stale)


def _release(session: Session, booking: Booking) -> None:
    """Delete a booking and count it off its ledger row, under the row's lock."""
    session.execute(select(CapacityWeek.id).where(CapacityWeek.id == booking.capacity_week_id)
                    .with_for_update())
    session.execute(update(CapacityWeek).where(CapacityWeek.id == booking.capacity_week_id)
                    .values(booked=CapacityWeek.booked - 1)
                    .execution_options(synchronize_session=False))
    session.delete(booking)
    session.flush()
    _forget(session, booking.capacity_week_id)


def _forget(session: Session, week_id: int) -> None:
    """Expire the session's copy of a ledger row that was changed by a plain UPDATE."""
    held = session.identity_map.get(identity_key(CapacityWeek, week_id))
    if held is not None:
        session.expire(held)


def release_booking(session: Session, req: InspectionRequest) -> bool:
    """Give up req's bookings without touching its status, e.g. just before a withdrawal.

    Returns True when there was a booking to release.
    """
    begin_write(session)
    bookings = session.scalars(select(Booking).where(Booking.request_id == req.id)).all()
    for booking in bookings:
        _release(session, booking)
    return bool(bookings)


# A request that joined the programme or was withdrawn gives its planned week back to
# the next in line at once.
GIVES_BACK_ITS_WEEK = frozenset({Status.IN_PROGRAMME, Status.WITHDRAWN})


def give_back_week(session: Session, event: StatusChanged) -> None:
    """Subscriber: release the booking of a request that no longer needs its week."""
    if event.target in GIVES_BACK_ITS_WEEK:
        release_booking(session, event.request)


def give_back_weeks(session: Session, event: StatusesChanged) -> None:
    """Subscriber: as give_back_week, for a bulk change."""
    if event.target in GIVES_BACK_ITS_WEEK:
        for request_id in event.request_ids:
            release_booking(session, session.get(InspectionRequest, request_id))


def cancel_booking(session: Session, req: InspectionRequest, *, actor: Actor,
                   reason: str) -> None:
    """Take a scheduled request out of its week: release the place and move it back to
    accepted, where the next planning pass finds it again in its old place in line.

    The resident is not emailed: the caller knows why (often the resident asked), and
    the status page shows the request as accepted again.
    """
    begin_write(session)
    session.refresh(req)
    if req.status != Status.SCHEDULED:
        raise NotPlannable("planning.not_scheduled", _l(
            "Request %(id)d is %(status)s, not scheduled.", id=req.id,
            status=LABELS[Status(req.status)]),
            request_id=req.id, status=req.status)
    booking = session.scalar(select(Booking).where(Booking.request_id == req.id)
                             .order_by(Booking.id.desc()).limit(1))
    if booking is None:
        raise NotPlannable("planning.no_booking", _l(
            "Request %(id)d has no booking.", id=req.id), request_id=req.id)
    kind = booking.kind
    _release(session, booking)
    workflow.transition(session, req, ACCEPTED_OF_KIND[kind], actor=actor, reason=reason,
                        notify=False)


def plan_accepted(session: Session, *, actor: Actor, now: date | None = None) -> PlanReport:
    """Plan every accepted, unbooked request, oldest acceptance first (the caller commits).

    Bookings already made stay where they are; see `allocation` for how municipalities
    share unused capacity.
    """
    return run(session, actor=actor, today=now, plan_waiting=True, action="capacity.planned")


def replan(session: Session, *, actor: Actor, now: date | None = None) -> PlanReport:
    """Re-plan everything after reservations changed (the caller commits).

    Releases bookings of requests that no longer need them, moves bookings that no longer
    fit to later weeks, moves bookings after the current week to an earlier free week of
    their municipality (oldest acceptance first; never later), then plans the waiting
    requests. Every resident whose week changes is told.
    """
    return run(session, actor=actor, today=now, plan_waiting=True, pull=True,
               action="capacity.replanned")


def apply_changes(session: Session, changes: Iterable[LedgerChange], *, actor: Actor,
                  today: date | None = None, action: str = "capacity.changed") -> PlanReport:
    """Set capacity and reservations, moving the bookings that no longer fit (caller commits).

    The newest bookings of a row that no longer fits move to the earliest week the rule
    allows; those that find none go back to accepted. Their residents are told. Every
    row is written once, with its final values, so the CHECK holds at every statement.
    Raises LedgerRefused for a week before the current one, a value below zero, a
    reservation above capacity or an unknown municipality.
    """
    return run(session, actor=actor, today=today, changes=list(changes), action=action)
