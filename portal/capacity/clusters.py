"""Clusters ("treintjes"): the booked homes of one place, in trains of at most N homes.

A cluster holds the booked requests of one place (gemeentecode + woonplaats) and one kind
of work, plus the P50/P90 addresses a local steering group added to it. Its size counts
homes, not requests: several requests for one address are one home. A cluster never
holds more homes than the limit, never mixes places or kinds, and keeps the addresses of
one building together where it can (domain rule 5).

A cluster is open while it has room and none of its homes has been reported inspected:
once results come back the train has left, and new homes wait for the next one.

Adding the steering group's P50/P90 addresses to a cluster is in cluster_additions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.capacity.models import Booking, CapacityWeek, Cluster, ClusterAddress
from portal.clock import utcnow
from portal.db import begin_write
from portal.register import lookups
from portal.register.models import Address, ProgrammeStatus
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.states import Status

DEFAULT_MAX_HOMES = 150
# A booking counts in its cluster while its request is planned or done; a request that
# was withdrawn or taken out of the plan leaves its place free.
IN_CLUSTER = (Status.SCHEDULED, Status.INSPECTED, Status.ASSESSED, Status.CLOSED)
DEPARTED = (Status.INSPECTED, Status.ASSESSED, Status.CLOSED)


@dataclass
class Home:
    """One address in a cluster: its requests (if any), their weeks, and its risk profile."""

    key: str
    nummeraanduiding_id: str | None
    pand_id: str | None
    straat: str
    huisnummer: int
    huisletter: str
    huisnummertoevoeging: str
    postcode: str
    woonplaats: str
    requests: list[InspectionRequest] = field(default_factory=list)
    weeks: list[date] = field(default_factory=list)
    risk_profile: str | None = None
    added: ClusterAddress | None = None

    @classmethod
    def of(cls, source: InspectionRequest | Address) -> Home:
        """The home of a request or a register address (both carry the BAG fields)."""
        return cls(home_key(source), *(getattr(source, name) for name in _ADDRESS_FIELDS))

    @property
    def street_address(self) -> str:
        """Street and house number as people write them: `Hoofdstraat 20A-2`."""
        return f"{self.straat} {lookups.house_number_label(self)}"

    @property
    def week(self) -> date | None:
        """The first booked week of the home; None for an address the steering group added."""
        return min(self.weeks) if self.weeks else None

    def sort_key(self) -> tuple:
        """Street order, so a cluster reads like a walk through the village."""
        return _street_order(self)


_ADDRESS_FIELDS = ("nummeraanduiding_id", "pand_id", "straat", "huisnummer", "huisletter",
                   "huisnummertoevoeging", "postcode", "woonplaats")


def _street_order(address) -> tuple:
    return (address.straat, address.huisnummer, address.huisletter,
            address.huisnummertoevoeging, address.postcode, home_key(address))


@dataclass
class ClusterSummary:
    """A cluster with its number of homes, for lists."""

    cluster: Cluster
    homes: int
    departed: bool


@dataclass
class _Contents:
    keys: set[str] = field(default_factory=set)
    pands: set[str] = field(default_factory=set)
    departed: bool = False


def home_key(address: InspectionRequest | Address) -> str:
    """What makes an address one home: its register id, or the address when it has none."""
    if address.nummeraanduiding_id:
        return address.nummeraanduiding_id
    return (f"{address.postcode} {address.huisnummer}{address.huisletter}"
            f"-{address.huisnummertoevoeging}")


def _place(woonplaats: str) -> str:
    # A typed place ("meedhuizen ") is the same place as the register's "Meedhuizen".
    return " ".join(woonplaats.split()).casefold()


def _limit(max_size: int | None) -> int:
    limit = DEFAULT_MAX_HOMES if max_size is None else int(max_size)
    if limit < 1:
        raise ValueError(f"a cluster holds at least one home, not {limit}")
    return limit


def _contents(session: Session, cluster_ids: list[int] | None = None) -> dict[int, _Contents]:
    """Per cluster: its home keys, its buildings, and whether any home was inspected."""
    found: dict[int, _Contents] = defaultdict(_Contents)
    r = InspectionRequest
    # Columns, not entities: the list of every cluster reads thousands of these.
    booked = (
        select(Booking.cluster_id, r.nummeraanduiding_id, r.postcode, r.huisnummer,
               r.huisletter, r.huisnummertoevoeging, r.pand_id, r.status)
        .join(InspectionRequest, InspectionRequest.id == Booking.request_id)
        .where(Booking.cluster_id.is_not(None),
               InspectionRequest.status.in_([s.value for s in IN_CLUSTER]))
    )
    added = select(ClusterAddress.cluster_id, ClusterAddress.nummeraanduiding_id,
                   Address.pand_id).join(
        Address, Address.nummeraanduiding_id == ClusterAddress.nummeraanduiding_id)
    if cluster_ids is not None:
        booked = booked.where(Booking.cluster_id.in_(cluster_ids))
        added = added.where(ClusterAddress.cluster_id.in_(cluster_ids))
    for req in session.execute(booked):
        contents = found[req.cluster_id]
        contents.keys.add(home_key(req))
        if req.pand_id:
            contents.pands.add(req.pand_id)
        if req.status in DEPARTED:
            contents.departed = True
    for cluster_id, address_id, pand_id in session.execute(added):
        found[cluster_id].keys.add(address_id)
        if pand_id:
            found[cluster_id].pands.add(pand_id)
    return found


def cluster_size(session: Session, cluster: Cluster) -> int:
    """How many homes the cluster holds."""
    return len(_contents(session, [cluster.id]).get(cluster.id, _Contents()).keys)


def cluster_summaries(session: Session) -> list[ClusterSummary]:
    """Every cluster with its size, by place, kind and age."""
    clusters = session.scalars(select(Cluster).order_by(
        Cluster.gemeentecode, Cluster.woonplaats, Cluster.kind, Cluster.id)).all()
    contents = _contents(session)
    return [ClusterSummary(c, len(contents[c.id].keys), contents[c.id].departed)
            for c in clusters]


def waiting_for_cluster(session: Session) -> list[tuple[str, str, str, int]]:
    """(gemeentecode, woonplaats, kind, homes) of booked homes not yet in a cluster."""
    homes: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    names: dict[tuple[str, str, str], str] = {}
    for booking, req, week in _unclustered(session, lock=False):
        place = (req.gemeentecode or week.gemeentecode, _place(req.woonplaats), booking.kind)
        names.setdefault(place, req.woonplaats.strip())
        homes[place].add(home_key(req))
    return [(code, names[(code, fold, kind)], kind, len(keys))
            for (code, fold, kind), keys in sorted(homes.items())]


def cluster_homes(session: Session, cluster: Cluster) -> list[Home]:
    """The homes of a cluster in street order, each with its requests or risk profile."""
    homes: dict[str, Home] = {}
    booked = session.execute(
        select(InspectionRequest, CapacityWeek.week_start)
        .join(Booking, Booking.request_id == InspectionRequest.id)
        .join(CapacityWeek, CapacityWeek.id == Booking.capacity_week_id)
        .where(Booking.cluster_id == cluster.id,
               InspectionRequest.status.in_([s.value for s in IN_CLUSTER]))
        .order_by(InspectionRequest.id)
    ).all()
    for req, week_start in booked:
        home = homes.setdefault(home_key(req), Home.of(req))
        home.requests.append(req)
        home.weeks.append(week_start)
    added = session.execute(
        select(ClusterAddress, Address, ProgrammeStatus.risk_profile)
        .join(Address, Address.nummeraanduiding_id == ClusterAddress.nummeraanduiding_id)
        .outerjoin(ProgrammeStatus,
                   ProgrammeStatus.nummeraanduiding_id == Address.nummeraanduiding_id)
        .where(ClusterAddress.cluster_id == cluster.id)
        .order_by(ClusterAddress.id)
    ).all()
    for link, address, profile in added:
        home = homes.setdefault(home_key(address), Home.of(address))
        home.risk_profile, home.added = profile, link
    return sorted(homes.values(), key=Home.sort_key)


def _unclustered(session: Session, *, lock: bool = True):
    """Bookings of planned requests that are in no cluster yet, with request and week."""
    query = (
        select(Booking, InspectionRequest, CapacityWeek)
        .join(InspectionRequest, InspectionRequest.id == Booking.request_id)
        .join(CapacityWeek, CapacityWeek.id == Booking.capacity_week_id)
        .where(Booking.cluster_id.is_(None),
               InspectionRequest.status == Status.SCHEDULED.value)
        .order_by(Booking.id)
    )
    if lock:
        # Two coordinators forming clusters at once: the second waits, then sees the
        # bookings the first placed as clustered and leaves them be.
        query = query.with_for_update(of=Booking)
    return session.execute(query).all()


def _place_clusters(session: Session, gemeentecode: str, place: str, kind: str):
    """The clusters of one place and kind, oldest first, locked against a parallel filler."""
    found = session.scalars(
        select(Cluster).where(Cluster.gemeentecode == gemeentecode, Cluster.kind == kind)
        .order_by(Cluster.id).with_for_update()
    ).all()
    return [c for c in found if _place(c.woonplaats) == place]


@dataclass
class _Unit:
    """Homes that should travel together: one building, or one part of a large building."""

    homes: list[tuple[str, list[Booking]]]
    pand_id: str | None
    first: tuple


def _units(pending: dict[str, tuple[InspectionRequest, list[Booking]]],
           limit: int) -> list[_Unit]:
    """Group pending homes by building, in street order; split buildings above the limit."""
    by_building: dict[str, list[tuple[tuple, str]]] = defaultdict(list)
    for key, (req, _bookings) in pending.items():
        by_building[req.pand_id or f"home:{key}"].append((_street_order(req), key))
    units = []
    for building, members in by_building.items():
        members.sort()
        pand_id = None if building.startswith("home:") else building
        for start in range(0, len(members), limit):
            part = members[start:start + limit]
            units.append(_Unit([(key, pending[key][1]) for _order, key in part], pand_id,
                               part[0][0]))
    return sorted(units, key=lambda unit: unit.first)


def _form_place(session: Session, gemeentecode: str, place: str, kind: str, items: list,
                limit: int, actor: Actor) -> dict[int, tuple[Cluster, int, bool]]:
    """Place one place's unclustered bookings; return {cluster id: (cluster, added, new)}."""
    clusters = _place_clusters(session, gemeentecode, place, kind)
    contents = _contents(session, [c.id for c in clusters])
    touched: dict[int, tuple[Cluster, int, bool]] = {}

    def place_in(cluster: Cluster, bookings: list[Booking], new_home: bool) -> None:
        """Put bookings in cluster and count the home for the audit trail."""
        for booking in bookings:
            booking.cluster_id = cluster.id
        _, added, is_new = touched.get(cluster.id, (cluster, 0, False))
        touched[cluster.id] = (cluster, added + int(new_home), is_new)

    pending: dict[str, tuple[InspectionRequest, list[Booking]]] = {}
    for booking, req, _week in items:
        key = home_key(req)
        home = next((c for c in clusters if key in contents[c.id].keys), None)
        if home is not None:
            # The address is already in a train: another request for it adds no home.
            place_in(home, [booking], new_home=False)
            continue
        pending.setdefault(key, (req, []))[1].append(booking)

    for unit in _units(pending, limit):
        open_clusters = [c for c in clusters if not contents[c.id].departed
                         and len(contents[c.id].keys) + len(unit.homes) <= limit]
        # The building's other addresses first, then the oldest open train, then a new one.
        target = next((c for c in open_clusters if unit.pand_id
                       and unit.pand_id in contents[c.id].pands), None)
        target = target or next(iter(open_clusters), None)
        if target is None:
            first_req = pending[unit.homes[0][0]][0]
            target = Cluster(gemeentecode=gemeentecode, woonplaats=first_req.woonplaats.strip(),
                             kind=kind, created_at=utcnow(), created_by=actor.label,
                             note="")
            session.add(target)
            session.flush()
            clusters.append(target)
            touched[target.id] = (target, 0, True)
        for key, bookings in unit.homes:
            place_in(target, bookings, new_home=True)
            contents[target.id].keys.add(key)
        if unit.pand_id:
            contents[target.id].pands.add(unit.pand_id)
    return touched


def form_clusters(session: Session, *, actor: Actor, max_size: int | None = None
                  ) -> list[Cluster]:
    """Put every booked request that is in no cluster yet into a cluster of its place.

    Groups by place (gemeentecode + woonplaats) and kind; fills the open clusters of the
    place first, oldest first, then makes new ones; never above max_size homes. Records
    each cluster formed or filled in the audit trail and notes it on each request.
    Returns the clusters formed or filled; the caller commits.
    """
    limit = _limit(max_size)
    begin_write(session)
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for booking, req, week in _unclustered(session):
        code = req.gemeentecode or week.gemeentecode
        groups[(code, _place(req.woonplaats), booking.kind)].append((booking, req, week))
    touched: dict[int, tuple[Cluster, int, bool]] = {}
    for (code, place, kind), items in sorted(groups.items()):
        touched.update(_form_place(session, code, place, kind, items, limit, actor))
        for booking, req, _week in items:
            # Officers answering a caller see in the request's history which train it is on.
            workflow.note(session, req, actor=actor, reason=f"in cluster {booking.cluster_id}")
    session.flush()
    sizes = _contents(session, list(touched))
    for cluster_id, (cluster, added, new) in sorted(touched.items()):
        record(session, actor=actor, action="cluster.formed" if new else "cluster.filled",
               subject_type="cluster", subject_id=cluster_id,
               details={"gemeentecode": cluster.gemeentecode, "woonplaats": cluster.woonplaats,
                        "kind": cluster.kind, "homes_added": added,
                        "homes": len(sizes[cluster_id].keys), "limit": limit})
    return [cluster for _id, (cluster, _a, _n) in sorted(touched.items())]
