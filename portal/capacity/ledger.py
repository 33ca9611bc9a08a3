"""The capacity ledger: per ISO week × municipality × kind, capacity, reserved and booked.

Free = capacity − reserved − booked, never below zero. `reserved` is what the P50, P90
and batch work needs; on-request work only gets what is free (domain rule 1), and the
database refuses any row where booked + reserved would exceed capacity.

Every change goes through `planning.apply_changes`, which first moves the bookings that
no longer fit and then writes each row once with its final values. Three ways to fill
the ledger besides typing numbers:

- `import_capacity_csv`: a file `week_start;gemeentecode;kind;capacity;reserved`;
- `derive_reserved`: reservations from the register's risk work not yet done;
- `spread_pool`: a fixed yearly number of on-request places (e.g. 500 inspections a
  year, as in 2020), spread evenly over the weeks as capacity on top of reserved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.capacity.allocation import week_start_of, week_starts
from portal.capacity.models import (
    KINDS,
    Booking,
    CapacityWeek,
    MunicipalityShare,
    free_places,
)
from portal.capacity.planning import LedgerChange, PlanReport, apply_changes, today_of
from portal.refusals import Refused
from portal.register import csvfiles
from portal.register.models import Address, Municipality, ProgrammeStatus
from portal.register.report import Refusal
from portal.register.verdict import in_programme_sql

CSV_COLUMNS = ("week_start", "gemeentecode", "kind", "capacity", "reserved")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class LedgerRow:
    """One week of the ledger as a page or the CLI shows it; a missing row shows zeros."""

    week_start: date
    capacity: int
    reserved: int
    booked: int

    @property
    def free(self) -> int:
        """Places on-request work may still take; never below zero."""
        return free_places(self.capacity, self.reserved, self.booked)


def ledger_table(session: Session, gemeentecode: str, kind: str, first_week: date,
                 weeks: int) -> list[LedgerRow]:
    """The ledger of one municipality and kind for weeks weeks from first_week."""
    mondays = week_starts(first_week, weeks)
    rows = {row.week_start: row for row in session.scalars(select(CapacityWeek).where(
        CapacityWeek.gemeentecode == gemeentecode, CapacityWeek.kind == kind,
        CapacityWeek.week_start.between(mondays[0], mondays[-1])))} if mondays else {}
    return [LedgerRow(m, rows[m].capacity, rows[m].reserved, rows[m].booked) if m in rows
            else LedgerRow(m, 0, 0, 0) for m in mondays]


def municipalities(session: Session) -> list[Municipality]:
    """The municipalities a coordinator plans for: the effect area, and any in the ledger."""
    in_ledger = select(CapacityWeek.gemeentecode).distinct()
    return list(session.scalars(select(Municipality).where(
        Municipality.in_effect_area | Municipality.code.in_(in_ledger))
        .order_by(Municipality.name)))


def set_capacity(session: Session, week: CapacityWeek, capacity: int, *, actor: Actor,
                 today: date | None = None) -> PlanReport:
    """Set one row's capacity; bookings that no longer fit move later (caller commits)."""
    return apply_changes(session, [LedgerChange(week.week_start, week.gemeentecode, week.kind,
                                                capacity=capacity)], actor=actor, today=today)


def set_reserved(session: Session, week: CapacityWeek, reserved: int, *, actor: Actor,
                 today: date | None = None) -> PlanReport:
    """Set one row's reservation; when it grows, the newest bookings that no longer fit
    move to later weeks first, and their residents are told (caller commits)."""
    return apply_changes(session, [LedgerChange(week.week_start, week.gemeentecode, week.kind,
                                                reserved=reserved)], actor=actor, today=today)


def set_weeks(session: Session, gemeentecode: str, kind: str, first_week: date, count: int,
              *, actor: Actor, capacity: int | None = None, reserved: int | None = None,
              today: date | None = None) -> PlanReport:
    """Set capacity and/or reserved for count weeks from first_week (caller commits)."""
    return apply_changes(session, [
        LedgerChange(monday, gemeentecode, kind, capacity=capacity, reserved=reserved)
        for monday in week_starts(first_week, count)], actor=actor, today=today)


@dataclass
class CapacityImport:
    """The outcome of a capacity file: refused as a whole, or applied with its plan report."""

    path: str
    rows: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    plan: PlanReport | None = None

    @property
    def applied(self) -> bool:
        """True when the file's rows are in the ledger (the caller still commits)."""
        return self.plan is not None

    def render(self) -> str:
        """The outcome as the terminal shows it: counts, or every refused line."""
        if not self.applied:
            return "\n".join([f"Refused: nothing was imported from {self.path}.",
                              *(r.render() for r in self.refusals)])
        plan = self.plan
        return (f"Imported {self.rows} weeks from {self.path}; bookings moved later: "
                f"{plan.moved_later}, taken back to accepted: {plan.unplanned}.")


def import_capacity_csv(session: Session, path: Path | str, actor: Actor, *,
                        today: date | None = None) -> CapacityImport:
    """Read a capacity file and apply it all, or refuse it all naming every bad line.

    Columns (header required, comma or semicolon): week_start (YYYY-MM-DD, a Monday, not
    in the past), gemeentecode (a known municipality; leading zeros may be missing),
    kind (inspection or assessment), capacity and reserved (whole numbers, reserved at
    most capacity). A row may appear once. The caller commits.
    """
    path = Path(path)
    report = CapacityImport(path=str(path))
    current = week_start_of(today_of(today))
    try:
        _shape, rows = csvfiles.read_rows(path, CSV_COLUMNS, CSV_COLUMNS)
    except csvfiles.MissingColumns as error:
        report.refusals = [Refusal(path.name, None, c, _l("required column is missing"))
                           for c in error.missing]
        return report
    known = set(session.scalars(select(Municipality.code)))
    changes: dict[tuple, int] = {}
    parsed = []
    for line, row in rows:
        report.rows += 1
        change, problems = _parse_line(row, known, current)
        report.refusals += [Refusal(path.name, line, column, reason)
                            for column, reason in problems]
        if change is not None:
            if change.key in changes:
                report.refusals.append(Refusal(path.name, line, "week_start",
                                               _l("same week, municipality and kind as "
                                                  "line %(line)d", line=changes[change.key])))
            changes.setdefault(change.key, line)
            parsed.append(change)
    if report.rows == 0:
        report.refusals.append(Refusal(path.name, None, None, _l("the file has no rows")))
    if report.refusals:
        return report
    report.plan = apply_changes(session, parsed, actor=actor, today=today,
                                action="capacity.imported")
    return report


def _parse_line(row: dict[str, str], known: set[str],
                current: date) -> tuple[LedgerChange | None, list[tuple[str, object]]]:
    """One line of a capacity file as a change, or the (column, reason) of each problem."""
    problems = []
    week = None
    text = row["week_start"]
    if not _ISO_DATE.match(text):
        problems.append(("week_start", _l("not a date as YYYY-MM-DD")))
    else:
        try:
            week = date.fromisoformat(text)
        except ValueError:
            problems.append(("week_start", _l("no such date")))
    if week is not None and week.weekday() != 0:
        problems.append(("week_start", _l("not a Monday")))
    elif week is not None and week < current:
        problems.append(("week_start", _l("the week has passed")))
    code = row["gemeentecode"].upper().removeprefix("GM")
    if not code.isdigit() or len(code) > 4:
        problems.append(("gemeentecode", _l("not a municipality code of four digits")))
    elif code.zfill(4) not in known:
        problems.append(("gemeentecode", _l("unknown municipality")))
    kind = row["kind"].lower()
    if kind not in KINDS:
        problems.append(("kind", _l("must be one of %(kinds)s", kinds=", ".join(KINDS))))
    numbers = {}
    for column in ("capacity", "reserved"):
        if not row[column].isdigit():
            problems.append((column, _l("not a whole number of zero or more")))
        else:
            numbers[column] = int(row[column])
    if len(numbers) == 2 and numbers["reserved"] > numbers["capacity"]:
        problems.append(("reserved", _l("more than the capacity")))
    if problems:
        return None, problems
    return LedgerChange(week, code.zfill(4), kind, capacity=numbers["capacity"],
                        reserved=numbers["reserved"]), []


@dataclass
class DerivedReservation:
    """What derive_reserved found and set: the work, the reservation per week, the gap."""

    addresses: int
    weeks: list[tuple[date, int]]
    shortfall: int
    plan: PlanReport


def risk_work(session: Session, gemeentecode: str, kind: str) -> int:
    """Addresses of P50, P90 or a batch in the municipality whose step of kind is not done.

    Inspection: never inspected. Assessment: inspected, but without an advice yet.
    """
    in_programme = in_programme_sql()
    todo = ProgrammeStatus.inspected_on.is_(None) if kind == "inspection" else (
        ProgrammeStatus.inspected_on.is_not(None) & ProgrammeStatus.advice.is_(None))
    return session.scalar(
        select(func.count()).select_from(ProgrammeStatus)
        .join(Address, Address.nummeraanduiding_id == ProgrammeStatus.nummeraanduiding_id)
        .where(Address.gemeentecode == gemeentecode, in_programme, todo)) or 0


def derive_reserved(session: Session, gemeentecode: str, kind: str, *, weeks: int,
                    actor: Actor, per_week: int | None = None, first_week: date | None = None,
                    today: date | None = None) -> DerivedReservation:
    """Reserve the register's unfinished risk work of a municipality over the coming weeks.

    The rule: N = `risk_work` (P50, P90 and batch addresses whose inspection, or
    assessment, is not done). Without per_week, N is spread evenly over `weeks` weeks
    from first_week (default: the current week), the first N mod weeks weeks one more,
    so the risk work is front-loaded. With per_week, each week reserves per_week until N
    is covered, within the same horizon. A week never reserves more than its capacity:
    what does not fit is reported as shortfall (free is then zero there, so rule 1
    holds). Bookings that no longer fit move later. The caller commits.
    """
    need = risk_work(session, gemeentecode, kind)
    mondays = week_starts(first_week or today_of(today), weeks)
    if per_week is None:
        base, extra = divmod(need, max(1, len(mondays)))
        wanted = [base + (1 if i < extra else 0) for i in range(len(mondays))]
    else:
        wanted, left = [], need
        for _ in mondays:
            wanted.append(min(per_week, left))
            left -= wanted[-1]
    capacity = {r.week_start: r.capacity for r in ledger_table(
        session, gemeentecode, kind, mondays[0], len(mondays))} if mondays else {}
    setting = [(m, min(w, capacity[m])) for m, w in zip(mondays, wanted, strict=True)]
    plan = apply_changes(session, [LedgerChange(m, gemeentecode, kind, reserved=r)
                                   for m, r in setting], actor=actor, today=today,
                         action="capacity.reserved_derived")
    return DerivedReservation(need, setting, need - sum(r for _, r in setting), plan)


def spread_pool(session: Session, gemeentecode: str, kind: str, year: int, total: int, *,
                actor: Actor, today: date | None = None) -> PlanReport:
    """Make a fixed yearly pool of on-request places: capacity = reserved + an even share.

    The pool is `total` places in the ISO year `year`. What on-request work already
    booked in the year's past weeks counts against it; the rest is spread evenly over
    the year's remaining weeks (the first ones one more), as capacity on top of each
    week's reservation, so the pool never eats into risk work. Run it again after the
    reservations change, or the pool shrinks by what risk work took. Caller commits.
    """
    current = week_start_of(today_of(today))
    mondays = week_starts(date.fromisocalendar(year, 1, 1), date(year, 12, 28).isocalendar()[1])
    used = session.scalar(
        select(func.count()).select_from(Booking)
        .join(CapacityWeek, CapacityWeek.id == Booking.capacity_week_id)
        .where(CapacityWeek.gemeentecode == gemeentecode, CapacityWeek.kind == kind,
               CapacityWeek.week_start >= mondays[0], CapacityWeek.week_start < current)) or 0
    remaining = [m for m in mondays if m >= current]
    if not remaining:
        return PlanReport()
    base, extra = divmod(max(0, total - used), len(remaining))
    reserved = {r.week_start: r.reserved for r in ledger_table(
        session, gemeentecode, kind, remaining[0], len(remaining))}
    return apply_changes(session, [
        LedgerChange(m, gemeentecode, kind,
                     capacity=reserved[m] + base + (1 if i < extra else 0))
        for i, m in enumerate(remaining)], actor=actor, today=today,
        action="capacity.pool_spread")


def shares(session: Session) -> dict[str, MunicipalityShare]:
    """The coordinator's order per municipality code."""
    return {s.gemeentecode: s for s in session.scalars(select(MunicipalityShare))}


class SharesRefused(Refused):
    """The shares break a rule: each in 0–100, together at most 100, ranks from 0
    (code `shares.*`)."""


def set_shares(session: Session, values: dict[str, tuple[int, int]], *,
               actor: Actor) -> None:
    """Replace the coordinator's order: code → (share in percent, rank). Caller commits.

    A municipality left out loses its row and competes after all others (see allocation).
    """
    if any(not 0 <= share <= 100 or rank < 0 for share, rank in values.values()):
        raise SharesRefused("shares.out_of_range", _l(
            "A share lies between 0 and 100 and a rank is 0 or more."))
    if sum(share for share, _ in values.values()) > 100:
        raise SharesRefused("shares.above_100", _l(
            "The shares together may be at most 100 percent."))
    existing = shares(session)
    for code, row in existing.items():
        if code not in values:
            session.delete(row)
    for code, (share, rank) in values.items():
        row = existing.get(code) or MunicipalityShare(gemeentecode=code)
        row.share, row.rank = share, rank
        session.add(row)
    session.flush()
    record(session, actor=actor, action="capacity.shares_changed", subject_type="capacity",
           details={code: list(v) for code, v in sorted(values.items())})
