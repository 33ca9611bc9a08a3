"""Results from the inspection organisation: a CSV file that moves planned requests on.

The file and its rows are read and checked in results_rows; here each row is matched to
its requests and applied. By default one bad line imports nothing, and skip_invalid
imports the good rows. A result moves its requests scheduled → inspected (→ assessed)
through `workflow.transition`, which tells the resident. There is no results table: the
result is written, in one fixed form, into the transition's reason and the audit trail,
and a second import reads it back from the request's history, so the same file twice
changes nothing and a file that contradicts an earlier result is refused.

Rows marked `P50`/`P90` in `verzoek` are addresses a steering group added to a cluster:
they have no request here (their results reach the operation through the programme
list), so they are reported as left aside rather than refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.capacity.models import ClusterAddress
from portal.capacity.results_rows import Result, ResultRow, read_results
from portal.db import begin_write
from portal.register.report import Refusal
from portal.requests import workflow
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.reference import format_reference
from portal.requests.states import LABELS, Status

RESULT_PREFIX = "Result from the inspection organisation:"
ACTIVE = (Status.SCHEDULED, Status.INSPECTED)
DONE = (Status.ASSESSED, Status.CLOSED)


@dataclass
class ResultsReport:
    """The outcome of one results import: counts, refused lines, lines left aside."""

    file: str
    skip_invalid: bool
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    refused_rows: int = 0
    inspected: int = 0
    assessed: int = 0
    unchanged: int = 0
    refusals: list[Refusal] = field(default_factory=list)
    set_aside: list[Refusal] = field(default_factory=list)
    applied: bool = False

    @property
    def refused(self) -> bool:
        """True when nothing was imported."""
        return not self.applied

    def refuse(self, line: int | None, column: str | None, reason: object) -> None:
        """Record one refusal."""
        self.refusals.append(Refusal(self.file, line, column, reason))

    def sorted_refusals(self) -> list[Refusal]:
        """The refusals in the order of the file."""
        return sorted(self.refusals, key=lambda r: (r.line or 0, r.column or ""))


@dataclass
class _Plan:
    line: int
    request: InspectionRequest
    steps: list[Status]
    reasons: dict[Status, str]
    result: Result


def result_reason(status: Status, result: Result, inspected_on: str = "") -> str:
    """The fixed text a result is recorded in; a later import reads it back."""
    day = result.inspected_on.isoformat() if result.inspected_on else inspected_on
    if status is Status.INSPECTED:
        return f"{RESULT_PREFIX} opname_datum={day}"
    return (f"{RESULT_PREFIX} opname_datum={day}; beoordeling={result.outcome}; "
            f"advies={result.advice or ''}")


def _read_reason(reason: str) -> dict[str, str] | None:
    if not reason.startswith(RESULT_PREFIX):
        return None
    pairs = (part.strip().partition("=") for part in reason[len(RESULT_PREFIX):].split(";"))
    return {key: value for key, _eq, value in pairs if key}


def _history(session: Session, request_ids: list[int]):
    """Per request: the results recorded by earlier imports, and whether it was inspected."""
    recorded: dict[tuple[int, Status], dict[str, str]] = {}
    inspected: set[int] = set()
    events = session.execute(
        select(RequestEvent.request_id, RequestEvent.to_status, RequestEvent.reason)
        .where(RequestEvent.request_id.in_(request_ids), RequestEvent.kind == "status",
               RequestEvent.to_status.in_([Status.INSPECTED.value, Status.ASSESSED.value]))
        .order_by(RequestEvent.id))
    for request_id, to_status, reason in events:
        if to_status == Status.INSPECTED.value:
            inspected.add(request_id)
        found = _read_reason(reason or "")
        if found is not None:
            recorded[(request_id, Status(to_status))] = found
    return recorded, inspected


@dataclass(frozen=True)
class _Problem:
    column: str | None
    reason: object


def _plan_for(req: InspectionRequest, row: ResultRow, recorded: dict) -> _Plan | _Problem:
    """What a result does to one request, or the problem that stops it."""
    result = row.result
    status = Status(req.status)
    reference = format_reference(req.reference)
    seen_day = recorded.get((req.id, Status.INSPECTED), {}).get("opname_datum", "")
    if status is Status.SCHEDULED:
        if result.inspected_on is None:
            return _Problem("opname_datum", _l(
                "request %(reference)s was not reported inspected yet, so opname_datum is "
                "needed", reference=reference))
        if result.inspected_on < req.created_at.date():
            return _Problem("opname_datum", _l("lies before the request was made (%(day)s)",
                                               day=req.created_at.date().isoformat()))
        steps = [Status.INSPECTED] + ([Status.ASSESSED] if result.outcome else [])
    elif seen_day and result.inspected_on and seen_day != result.inspected_on.isoformat():
        return _Problem("opname_datum", _l(
            "request %(reference)s was reported inspected on %(day)s", reference=reference,
            day=seen_day))
    elif status is Status.INSPECTED:
        steps = [Status.ASSESSED] if result.outcome else []
    else:
        seen = recorded.get((req.id, Status.ASSESSED))
        if result.outcome and (seen is None or (seen.get("beoordeling"), seen.get("advies"))
                               != (result.outcome, result.advice or "")):
            was = f"{seen.get('beoordeling')}/{seen.get('advies') or '-'}" if seen else "?"
            return _Problem("beoordeling", _l(
                "request %(reference)s was already assessed (%(was)s)", reference=reference,
                was=was))
        steps = []
    reasons = {step: result_reason(step, result, seen_day) for step in steps}
    return _Plan(row.line, req, steps, reasons, result)


def _targets(session: Session, row: ResultRow):
    """The planned requests a row speaks of (locked) and their recorded results, or a problem.

    A request counts when it is planned or inspected, or when it was assessed or closed
    after an inspection, so that a file imported again finds the requests it moved.
    """
    query = select(InspectionRequest).with_for_update().order_by(InspectionRequest.id)
    if row.references:
        candidates = session.scalars(
            query.where(InspectionRequest.reference.in_(row.references))).all()
        known = {r.reference for r in candidates}
        for symbols in row.references:
            if symbols not in known:
                return _Problem("verzoek", _l("no request with reference %(reference)s",
                                              reference=format_reference(symbols)))
        for req in candidates:
            if row.address_id and req.nummeraanduiding_id != row.address_id:
                return _Problem("verzoek", _l("request %(reference)s is for another address",
                                              reference=format_reference(req.reference)))
    else:
        candidates = session.scalars(
            query.where(InspectionRequest.nummeraanduiding_id == row.address_id)).all()
    recorded, inspected = _history(session, [r.id for r in candidates])
    active = [r for r in candidates if r.status in ACTIVE]
    done = [r for r in candidates if r.status in DONE and r.id in inspected]
    if row.references:
        for req in candidates:
            if req not in active and req not in done:
                return _Problem("verzoek", _l("request %(reference)s is not planned (%(status)s)",
                                              reference=format_reference(req.reference),
                                              status=LABELS[Status(req.status)]))
    if active or done:
        return active or done, recorded
    if candidates:
        return _Problem("nummeraanduiding_id", _l(
            "no planned request for this address (its request is: %(status)s)",
            status=LABELS[Status(candidates[-1].status)]))
    return _Problem("nummeraanduiding_id", _l("no request for this address"))


def _check(session: Session, report: ResultsReport, rows: list[ResultRow]) -> list[_Plan]:
    """Match every row to its requests and plan its steps; refuse what does not fit."""
    plans: list[_Plan] = []
    first_line: dict[object, int] = {}
    for row in rows:
        for column, reason in row.errors:
            report.refuse(row.line, column, reason)
        if row.errors:
            continue
        if row.risk_profile:
            _set_aside(session, report, row, first_line)
            continue
        found = _targets(session, row)
        if isinstance(found, _Problem):
            report.refuse(row.line, found.column, found.reason)
            continue
        targets, recorded = found
        earlier = next((first_line[r.id] for r in targets if r.id in first_line), None)
        if earlier is not None:
            report.refuse(row.line, "nummeraanduiding_id",
                          _l("this home is on line %(line)d already", line=earlier))
            continue
        row_plans = [_plan_for(req, row, recorded) for req in targets]
        problems = [p for p in row_plans if isinstance(p, _Problem)]
        for problem in dict.fromkeys(problems):
            report.refuse(row.line, problem.column, problem.reason)
        if problems:
            continue
        for req in targets:
            first_line[req.id] = row.line
        plans.extend(row_plans)
        if not any(plan.steps for plan in row_plans):
            report.unchanged += 1
    report.refused_rows = len({r.line for r in report.refusals if r.line is not None})
    return plans


def _set_aside(session: Session, report: ResultsReport, row: ResultRow, first_line: dict) -> None:
    """A P50/P90 line: fine when the address was added to a cluster, refused otherwise."""
    added = session.scalar(select(ClusterAddress.id).where(
        ClusterAddress.nummeraanduiding_id == row.address_id).limit(1))
    if added is None:
        report.refuse(row.line, "verzoek", _l(
            "address %(id)s was not added to a cluster as a %(profile)s address",
            id=row.address_id, profile=row.risk_profile))
    elif ("risk", row.address_id) in first_line:
        report.refuse(row.line, "nummeraanduiding_id", _l(
            "this home is on line %(line)d already", line=first_line[("risk", row.address_id)]))
    else:
        first_line[("risk", row.address_id)] = row.line
        report.set_aside.append(Refusal(report.file, row.line, "verzoek", _l(
            "a %(profile)s address added by the steering group: its result reaches the "
            "operation through the programme list", profile=row.risk_profile)))


def import_results(session: Session, path: Path, *, actor: Actor, skip_invalid: bool = False,
                   file_name: str | None = None) -> ResultsReport:
    """Import a results file: move each home's planned requests to inspected or assessed.

    All or nothing by default; with skip_invalid the good rows are imported and the rest
    reported. On a refusal the session is rolled back; on success the caller commits.
    Notifications to residents are queued by the transitions, in the same transaction.
    """
    report = ResultsReport(file=file_name or Path(path).name, skip_invalid=skip_invalid)
    begin_write(session)
    read = read_results(path)
    report.encoding, report.delimiter = read.encoding, read.delimiter
    for column, reason in read.missing:
        report.refuse(None, column, reason)
    if report.refusals:
        session.rollback()
        return report
    rows = read.rows
    report.rows = len(rows)
    plans = _check(session, report, rows)
    if not rows:
        report.refuse(None, None, _l("the file holds no rows"))
    elif report.refused_rows == report.rows and skip_invalid:
        report.refuse(None, None, _l("no row of this file is valid"))
    if (report.refusals and not skip_invalid) or report.refused_rows == report.rows:
        session.rollback()
        return report
    _apply(session, report, plans, actor)
    report.applied = True
    return report


def _apply(session: Session, report: ResultsReport, plans: list[_Plan], actor: Actor) -> None:
    """Move the requests; the resident hears once, of where the request now stands."""
    moved = []
    for plan in plans:
        if not plan.steps:
            continue
        for step in plan.steps:
            workflow.transition(session, plan.request, step, actor=actor,
                                reason=plan.reasons[step], notify=step is plan.steps[-1])
        final = plan.steps[-1]
        if final is Status.ASSESSED:
            report.assessed += 1
        else:
            report.inspected += 1
        moved.append(plan.request.id)
        result = plan.result
        record(session, actor=actor, action="request.result_recorded",
               subject_type="request", subject_id=plan.request.id,
               details={"status": final.value, "line": plan.line,
                        "opname_datum": result.inspected_on.isoformat()
                        if result.inspected_on else None,
                        "beoordeling": result.outcome, "advies": result.advice})
    record(session, actor=actor, action="results.imported", subject_type="results_file",
           details={"file": report.file, "rows": report.rows, "inspected": report.inspected,
                    "assessed": report.assessed, "unchanged": report.unchanged,
                    "set_aside": len(report.set_aside), "refused_rows": report.refused_rows,
                    "requests": moved})
