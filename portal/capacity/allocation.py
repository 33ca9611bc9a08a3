"""The planning rule as plain functions over data in memory: who goes into which week.

The database code (`planning`) loads ledger rows and waiting requests, hands them to
`allocate` or `pull_forward`, and writes the outcome back in bulk. Keeping the rule here,
without a session, makes it cheap to run for 50,000 requests and easy to test on its own.

The rule, per kind of work (inspection, assessment), week by week from the current week:

1. **Own capacity first.** Each municipality's waiting requests take the free places of
   its own ledger row for that week, oldest acceptance first.
2. **Unused capacity flows on.** Places still free after step 1 belong to municipalities
   whose own queue is empty (otherwise step 1 would have used them). They form the week's
   pool, which the municipalities that still have waiting requests share in the
   coordinator's order (`MunicipalityShare`):
   a. each takes up to its *share* (percent of the pool, rounded down), in rank order;
   b. what is left goes to them in rank order, without a cap, so that no place stays
      unused while a request waits. A municipality without a share row comes after
      those with one (by code), with a share of zero.
   Borrowed places are booked on the lending municipality's row, so every row keeps
   `booked + reserved <= capacity`.

Free is always capacity − reserved − booked, never below zero: places reserved for the
P50, P90 and batch work are never handed out (domain rule 1).
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.capacity.models import free_places

# A municipality without a share row competes after every one that has one.
NO_RANK = 1 << 30


def week_start_of(day: date) -> date:
    """The Monday of the ISO week that day falls in."""
    return day - timedelta(days=day.weekday())


def week_starts(first: date, count: int) -> list[date]:
    """count consecutive Mondays, starting with the week of first."""
    monday = week_start_of(first)
    return [monday + timedelta(weeks=i) for i in range(count)]


@dataclass
class Slot:
    """One ledger row in memory; `booked` counts the bookings it holds during planning."""

    id: int
    week_start: date
    gemeentecode: str
    kind: str
    capacity: int
    reserved: int
    booked: int

    @property
    def free(self) -> int:
        """Places on-request work may still take; never below zero."""
        return free_places(self.capacity, self.reserved, self.booked)


@dataclass(frozen=True)
class Share:
    """The coordinator's order for one municipality: percent of a week's pool, and rank."""

    share: int
    rank: int


@dataclass(frozen=True, order=True)
class Waiting:
    """A request that needs a week; ordered by acceptance (time, then request id)."""

    accepted_at: object  # a datetime; object so that order=True compares it first
    request_id: int
    gemeentecode: str
    kind: str


def line_key(item: Waiting) -> tuple:
    """The sort key of the line: acceptance time, then request id (faster than __lt__)."""
    return (item.accepted_at, item.request_id)


def allocate(slots: Iterable[Slot], waiting: Iterable[Waiting],
             shares: dict[str, Share] | None = None) -> dict[Waiting, Slot]:
    """Give waiting requests the earliest week the rule allows; return waiting → slot.

    Mutates `booked` of the slots it fills. Requests that find no place are absent from
    the result.
    """
    shares = shares or {}
    by_kind: dict[str, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_kind[slot.kind].append(slot)
    queues: dict[str, dict[str, deque[Waiting]]] = defaultdict(lambda: defaultdict(deque))
    for item in sorted(waiting, key=line_key):
        queues[item.kind][item.gemeentecode].append(item)
    result: dict[Waiting, Slot] = {}
    for kind, kind_queues in queues.items():
        _allocate_kind(by_kind.get(kind, []), kind_queues, shares, result)
    return result


def _allocate_kind(slots: list[Slot], queues: dict[str, deque[Waiting]],
                   shares: dict[str, Share], result: dict[Waiting, Slot]) -> None:
    """Run the rule for one kind of work, week by week."""
    weeks: dict[date, dict[str, Slot]] = defaultdict(dict)
    for slot in slots:
        weeks[slot.week_start][slot.gemeentecode] = slot
    active = {code for code, queue in queues.items() if queue}
    for week in sorted(weeks):
        if not active:
            return
        row = weeks[week]
        for code in sorted(active):
            slot = row.get(code)
            if slot is not None:
                _take(queues[code], [slot], slot.free, result)
        active = {code for code in active if queues[code]}
        donors = [row[code] for code in sorted(row) if row[code].free > 0]
        if active and donors:
            _share_pool(donors, queues, active, shares, result)
            active = {code for code in active if queues[code]}


def _share_pool(donors: list[Slot], queues: dict[str, deque[Waiting]], active: set[str],
                shares: dict[str, Share], result: dict[Waiting, Slot]) -> None:
    """Hand a week's unused places to the municipalities still waiting, in the coordinator's
    order: first up to each one's share, then the rest by rank."""
    pool = sum(slot.free for slot in donors)

    def order(code: str) -> tuple[int, str]:
        share = shares.get(code)
        return (share.rank if share else NO_RANK, code)

    competitors = sorted(active, key=order)
    for code in competitors:
        share = shares.get(code)
        quota = pool * share.share // 100 if share else 0
        if quota:
            _take(queues[code], donors, quota, result)
    for code in competitors:
        _take(queues[code], donors, len(queues[code]), result)


def _take(queue: deque[Waiting], donors: list[Slot], limit: int,
          result: dict[Waiting, Slot]) -> None:
    """Move up to limit requests from the front of queue into the donors' free places."""
    for slot in donors:
        while limit > 0 and queue and slot.free > 0:
            item = queue.popleft()
            slot.booked += 1
            result[item] = slot
            limit -= 1
        if limit <= 0 or not queue:
            return


@dataclass(frozen=True)
class Held:
    """A booking that may move to an earlier week: its request, order and current slot."""

    waiting: Waiting
    slot: Slot


def pull_forward(slots: Iterable[Slot], held: Iterable[Held]) -> dict[Waiting, Slot]:
    """Move bookings to an earlier free week of the request's own municipality, oldest
    acceptance first.

    Never moves a booking later. A place left behind may serve a younger request in the
    same pass. Returns waiting → new slot for the bookings that moved; mutates `booked`.
    """
    heaps: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    by_id: dict[int, Slot] = {}
    for slot in slots:
        by_id[slot.id] = slot
        if slot.free > 0:
            heaps[(slot.kind, slot.gemeentecode)].append((slot.week_start, slot.id))
    for heap in heaps.values():
        heapq.heapify(heap)
    moved: dict[Waiting, Slot] = {}
    for item in sorted(held, key=lambda h: line_key(h.waiting)):
        # Only the request's own municipality: another's free places are its own
        # waiting requests' first (see the rule above).
        heap = heaps[(item.slot.kind, item.waiting.gemeentecode)]
        # Entries stay in the heap after their slot fills up; skip those lazily.
        while heap and by_id[heap[0][1]].free <= 0:
            heapq.heappop(heap)
        if not heap or heap[0][0] >= item.slot.week_start:
            continue
        target = by_id[heap[0][1]]
        target.booked += 1
        item.slot.booked -= 1
        moved[item.waiting] = target
        heapq.heappush(heaps[(item.slot.kind, item.slot.gemeentecode)],
                       (item.slot.week_start, item.slot.id))
    return moved
