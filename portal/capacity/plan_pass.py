"""One set-based planning pass: lock the ledger, allocate in memory, write in bulk.

`planning` (book, plan, re-plan, ledger changes) runs every pass through `run`. Locks
are taken ledger rows first (ordered by municipality, kind, week), request rows second,
as `planning.book` does, so the two never wait for each other in a circle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.capacity import notify
from portal.capacity.allocation import (
    Held,
    Share,
    Slot,
    Waiting,
    allocate,
    pull_forward,
    week_start_of,
)
from portal.capacity.events import PlanChanged
from portal.capacity.ledger_rules import refuse_bad_changes
from portal.capacity.models import KINDS, Booking, CapacityWeek, MunicipalityShare
from portal.capacity.plan_base import (
    ACCEPTED_OF_KIND,
    CHUNK,
    HOLDS_PLACE,
    KIND_OF_STATUS,
    LedgerChange,
    PlanReport,
    acceptance_times,
    merge_changes,
    slot_of,
    today_of,
    waiting_of,
)
from portal.clock import utcnow
from portal.db import begin_write
from portal.events import publish
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.states import Status


@dataclass
class _Booked:
    """A booking as the pass sees it."""

    booking_id: int
    request_id: int
    kind: str
    slot: Slot


@dataclass
class _Outcome:
    """What the pass decided, before it is written."""

    stale: list[int] = field(default_factory=list)
    planned: list[tuple[Waiting, Slot]] = field(default_factory=list)
    moved: list[tuple[_Booked, Waiting, Slot]] = field(default_factory=list)
    unplanned: list[tuple[_Booked, Waiting]] = field(default_factory=list)


def run(session: Session, *, actor: Actor, action: str, today: date | None = None,
        changes: Iterable[LedgerChange] = (), plan_waiting: bool = False,
        pull: bool = False) -> PlanReport:
    """Apply ledger changes, move what no longer fits, optionally pull bookings forward
    and plan the waiting requests; write it all in bulk. The caller commits."""
    begin_write(session)
    current = week_start_of(today_of(today))
    wanted = merge_changes(changes)
    kinds = sorted(KINDS) if plan_waiting or pull else sorted({k[2] for k in wanted})
    report = PlanReport()
    if not kinds:
        return report
    slots = _lock_slots(session, kinds, current)
    refuse_bad_changes(session, wanted, _by_key(slots), current)
    stored = {s.id: (s.capacity, s.reserved, s.booked) for s in slots.values()}
    existing = _by_key(slots)
    for slot in _ensure_rows(session, [k for k in wanted if k not in existing]):
        slots[slot.id] = slot
        stored[slot.id] = (0, 0, 0)
    by_key = _by_key(slots)
    for key, change in wanted.items():
        slot = by_key[key]
        slot.capacity = slot.capacity if change.capacity is None else change.capacity
        slot.reserved = slot.reserved if change.reserved is None else change.reserved
    outcome = _Outcome()
    live = _load_bookings(session, slots, kinds, current, outcome)
    report.released = _release_past(session, current)
    displaced = _fit(slots.values(), live)
    line = _place_in_line(session, displaced, plan_waiting, report)
    if pull:
        _pull(session, slots, live, displaced, current, outcome)
    placed = allocate(slots.values(), line.values(), _shares(session))
    _decide(displaced, line, placed, outcome, report)
    _write(session, slots, stored, outcome, actor, report)
    record(session, actor=actor, action=action, subject_type="capacity",
           details=report.totals())
    # The writes were plain UPDATEs and INSERTs: copies the session holds are stale now.
    for held in list(session.identity_map.values()):
        if isinstance(held, (CapacityWeek, Booking)):
            session.expire(held)
    return report


def _by_key(slots: dict[int, Slot]) -> dict[tuple, Slot]:
    return {(s.week_start, s.gemeentecode, s.kind): s for s in slots.values()}


def _lock_slots(session: Session, kinds: list[str], current: date) -> dict[int, Slot]:
    """Lock and load every ledger row of these kinds from the current week on."""
    t = CapacityWeek.__table__
    rows = session.execute(
        select(t.c.id, t.c.week_start, t.c.gemeentecode, t.c.kind, t.c.capacity,
               t.c.reserved, t.c.booked)
        .where(t.c.kind.in_(kinds), t.c.week_start >= current)
        .order_by(t.c.gemeentecode, t.c.kind, t.c.week_start).with_for_update())
    return {row.id: slot_of(row) for row in rows}


def _ensure_rows(session: Session, keys: list[tuple]) -> list[Slot]:
    """Create the missing ledger rows (empty), even when another writer races us; lock them."""
    if not keys:
        return []
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    t = CapacityWeek.__table__
    session.execute(make(t).on_conflict_do_nothing(), [
        {"week_start": w, "gemeentecode": g, "kind": k, "capacity": 0, "reserved": 0,
         "booked": 0} for w, g, k in keys])
    made = []
    for week, code, kind in keys:
        row = session.execute(select(t).where(
            t.c.week_start == week, t.c.gemeentecode == code, t.c.kind == kind)
            .with_for_update()).one()
        made.append(slot_of(row))
    return made


def _load_bookings(session: Session, slots: dict[int, Slot], kinds: list[str], current: date,
                   outcome: _Outcome) -> dict[int, list[_Booked]]:
    """The bookings in the locked rows, per row; stale ones go to outcome.stale."""
    b, w, r = Booking.__table__, CapacityWeek.__table__, InspectionRequest.__table__
    rows = session.execute(
        select(b.c.id, b.c.request_id, b.c.kind, b.c.capacity_week_id, r.c.status)
        .join(w, w.c.id == b.c.capacity_week_id).join(r, r.c.id == b.c.request_id)
        .where(w.c.kind.in_(kinds), w.c.week_start >= current))
    live: dict[int, list[_Booked]] = defaultdict(list)
    for booking_id, request_id, kind, week_id, status in rows:
        if status in HOLDS_PLACE:
            live[week_id].append(_Booked(booking_id, request_id, kind, slots[week_id]))
        else:
            outcome.stale.append(booking_id)
    return live


def _release_past(session: Session, current: date) -> int:
    """Release bookings in past weeks of requests that are back to accepted.

    They would stop the request being booked again (one booking per request and kind).
    Lowering a row's booked can never break its CHECK, so no row lock is needed first.
    """
    b, w, r = Booking.__table__, CapacityWeek.__table__, InspectionRequest.__table__
    rows = session.execute(
        select(b.c.id, b.c.capacity_week_id).join(w, w.c.id == b.c.capacity_week_id)
        .join(r, r.c.id == b.c.request_id)
        .where(w.c.week_start < current, r.c.status.in_(list(KIND_OF_STATUS)))).all()
    if not rows:
        return 0
    per_week: dict[int, int] = defaultdict(int)
    for _id, week_id in rows:
        per_week[week_id] += 1
    session.execute(delete(b).where(b.c.id.in_([row[0] for row in rows])))
    session.execute(update(w).where(w.c.id == bindparam("week_id"))
                    .values(booked=w.c.booked - bindparam("n")),
                    [{"week_id": k, "n": n} for k, n in per_week.items()])
    return len(rows)


def _fit(slots: Iterable[Slot], live: dict[int, list[_Booked]]) -> list[_Booked]:
    """Keep each row's oldest bookings that fit; return the newest ones that do not."""
    displaced = []
    for slot in slots:
        bookings = sorted(live.get(slot.id, []), key=lambda x: x.booking_id)
        room = max(0, slot.capacity - slot.reserved)
        slot.booked = min(len(bookings), room)
        displaced += bookings[room:]
    return displaced


def _place_in_line(session: Session, displaced: list[_Booked], plan_waiting: bool,
                   report: PlanReport) -> dict[int, Waiting]:
    """request id → place in line, for the displaced bookings and (optionally) the waiting.

    Their rows are locked and re-read first: a request withdrawn meanwhile drops out.
    """
    kinds = {b.request_id: b.kind for b in displaced}
    rows = acceptance_times(session, ids=list(kinds))
    if plan_waiting:
        rows += acceptance_times(session, statuses=list(KIND_OF_STATUS))
    statuses = _lock_requests(session, [row[0] for row in rows])
    line = {}
    for row in rows:
        request_id, code, status = row[0], row[1], statuses.get(row[0])
        kind = kinds.get(request_id) or KIND_OF_STATUS.get(status or "")
        if request_id in kinds and status != Status.SCHEDULED.value:
            continue
        if kind is None:
            continue
        if code is None:
            report.without_municipality += 1
            continue
        line[request_id] = waiting_of(row, kind)
    return line


def _lock_requests(session: Session, ids: list[int]) -> dict[int, str]:
    """Lock request rows in id order and return their statuses as they are now."""
    t = InspectionRequest.__table__
    ids = sorted(set(ids))
    statuses: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        statuses.update(session.execute(
            select(t.c.id, t.c.status).where(t.c.id.in_(chunk)).order_by(t.c.id)
            .with_for_update()).all())
    return statuses


def _pull(session: Session, slots: dict[int, Slot], live: dict[int, list[_Booked]],
          displaced: list[_Booked], current: date, outcome: _Outcome) -> None:
    """Move kept bookings after the current week to an earlier free week, oldest first.

    The current week's bookings stay: appointments for them are being made.
    """
    gone = {b.booking_id for b in displaced}
    movable = [b for items in live.values() for b in items
               if b.booking_id not in gone and b.slot.week_start > current]
    accepted = {row[0]: row for row in acceptance_times(
        session, statuses=[Status.SCHEDULED.value]) if row[1] is not None}
    by_waiting = {}
    for booked in movable:
        if booked.request_id in accepted:
            by_waiting[waiting_of(accepted[booked.request_id], booked.kind)] = booked
    held = [Held(waiting, booked.slot) for waiting, booked in by_waiting.items()]
    for waiting, target in pull_forward(slots.values(), held).items():
        outcome.moved.append((by_waiting[waiting], waiting, target))


def _shares(session: Session) -> dict[str, Share]:
    return {s.gemeentecode: Share(s.share, s.rank)
            for s in session.scalars(select(MunicipalityShare))}


def _decide(displaced: list[_Booked], line: dict[int, Waiting], placed: dict[Waiting, Slot],
            outcome: _Outcome, report: PlanReport) -> None:
    """Sort the allocation's result into planned, moved, unplanned and still waiting."""
    by_request = {b.request_id: b for b in displaced}
    for request_id, waiting in line.items():
        slot = placed.get(waiting)
        booked = by_request.get(request_id)
        if booked is not None:
            if slot is None:
                outcome.unplanned.append((booked, waiting))
            else:
                outcome.moved.append((booked, waiting, slot))
        elif slot is not None:
            outcome.planned.append((waiting, slot))
        else:
            report.waiting += 1
            report.count(waiting.gemeentecode, "waiting")
    for booked in displaced:
        if booked.request_id not in line:
            outcome.stale.append(booked.booking_id)  # no longer scheduled: just release



def _write(session: Session, slots: dict[int, Slot], stored: dict[int, tuple],
           outcome: _Outcome, actor: Actor, report: PlanReport) -> None:
    """Write the outcome: bookings, then each changed ledger row once with its final
    values (so every row satisfies its CHECK after every statement), then statuses,
    history and the residents' emails."""
    b, w = Booking.__table__, CapacityWeek.__table__
    release = outcome.stale + [booked.booking_id for booked, _ in outcome.unplanned]
    report.released += len(outcome.stale)
    for start in range(0, len(release), CHUNK):
        session.execute(delete(b).where(b.c.id.in_(release[start:start + CHUNK])))
    if outcome.moved:
        session.execute(update(b).where(b.c.id == bindparam("booking_id"))
                        .values(capacity_week_id=bindparam("new_week_id")),
                        [{"booking_id": booked.booking_id, "new_week_id": slot.id}
                         for booked, _, slot in outcome.moved])
    now = utcnow()
    if outcome.planned:
        session.execute(insert(b), [
            {"request_id": waiting.request_id, "capacity_week_id": slot.id,
             "kind": waiting.kind, "booked_at": now, "booked_by": actor.label,
             "cluster_id": None} for waiting, slot in outcome.planned])
    changed = [s for s in slots.values() if (s.capacity, s.reserved, s.booked) != stored[s.id]]
    if changed:
        session.execute(update(w).where(w.c.id == bindparam("week_id")).values(
            capacity=bindparam("new_capacity"), reserved=bindparam("new_reserved"),
            booked=bindparam("new_booked")), [
            {"week_id": s.id, "new_capacity": s.capacity, "new_reserved": s.reserved,
             "new_booked": s.booked} for s in changed])
    _record_history(session, outcome, actor, report)
    change = PlanChanged(
        planned=tuple((waiting.request_id, waiting.kind, slot.week_start)
                      for waiting, slot in outcome.planned),
        moved=tuple((waiting.request_id, waiting.kind, booked.slot.week_start, slot.week_start)
                    for booked, waiting, slot in outcome.moved),
        unplanned=tuple((waiting.request_id, waiting.kind, booked.slot.week_start)
                        for booked, waiting in outcome.unplanned))
    publish(session, change)
    report.notified = notify.reachable(session, change.request_ids())


def _week_words(slot: Slot, waiting: Waiting) -> str:
    lent = "" if slot.gemeentecode == waiting.gemeentecode \
        else f" (capacity of municipality {slot.gemeentecode})"
    return f"the week of {slot.week_start.isoformat()}{lent}"


def _record_history(session: Session, outcome: _Outcome, actor: Actor,
                    report: PlanReport) -> None:
    """Statuses and history rows of every request the pass changed, and the counts."""
    reasons = {}
    for waiting, slot in outcome.planned:
        reasons[waiting.request_id] = f"planned in {_week_words(slot, waiting)}"
        report.planned += 1
        report.count(waiting.gemeentecode, "planned")
        if slot.gemeentecode != waiting.gemeentecode:
            report.borrowed += 1
            report.count(waiting.gemeentecode, "borrowed")
    workflow.transition_many(session, list(reasons), Status.SCHEDULED, actor=actor,
                             reason=reasons, notify=False)
    for kind in KINDS:
        gone = [(booked, waiting) for booked, waiting in outcome.unplanned
                if booked.kind == kind]
        workflow.transition_many(
            session, [waiting.request_id for _, waiting in gone], ACCEPTED_OF_KIND[kind],
            actor=actor, notify=False, reason={
                waiting.request_id: f"no free week left: the week of "
                f"{booked.slot.week_start.isoformat()} is needed for risk work"
                for booked, waiting in gone})
        for _, waiting in gone:
            report.unplanned += 1
            report.count(waiting.gemeentecode, "unplanned")
    notes = {}
    for booked, waiting, slot in outcome.moved:
        later = slot.week_start > booked.slot.week_start
        report.moved_later += later
        report.moved_earlier += not later
        report.count(waiting.gemeentecode, "moved")
        notes[waiting.request_id] = (
            f"planned week moved from {booked.slot.week_start.isoformat()} to "
            f"{_week_words(slot, waiting)}"
            + (": the earlier week is needed for risk work" if later
               else ": a place came free earlier"))
    workflow.note_many(session, notes, actor=actor, kind="plan")
