"""Importing the address register and the programme list: all or nothing by default.

Rows are checked one by one as the file streams past and written to staging tables;
checks that need the whole file (duplicates, unknown addresses) and the merge itself
are set-based queries. Memory therefore stays flat however large the file is, and the
whole import is one transaction.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import and_, delete, exists, insert, select, text, update
from sqlalchemy.orm import Session, aliased

from portal.db import begin_write
from portal.register import csvfiles, merge
from portal.register.models import Address, RegisterImport, StagedAddress, StagedProgrammeRow
from portal.register.report import FileReport, ImportReport
from portal.register.rows import (
    ADDRESS_COLUMNS,
    ADDRESS_REQUIRED,
    PROGRAMME_COLUMNS,
    PROGRAMME_REQUIRED,
    parse_address_row,
    parse_programme_row,
)

ADDRESSES_FILE = "adressen.csv"
PROGRAMME_FILE = "programma.csv"
_BATCH = 5000


def import_register(
    session: Session,
    *,
    addresses: Path | None = None,
    programme: Path | None = None,
    skip_invalid: bool = False,
    commit: bool = True,
) -> ImportReport:
    """Import adressen.csv and/or programma.csv into the register, and commit.

    By default one bad row refuses the whole import and the report lists every bad
    row; with skip_invalid the good rows are imported and the rest reported. The
    same files imported twice change nothing. With commit=False the import is only
    flushed: the caller does more in the same transaction (re-triage) and commits once.
    """
    report = ImportReport(skip_invalid=skip_invalid)
    begin_write(session)
    _clear_staging(session)
    if addresses is not None:
        _stage(session, report, "addresses", Path(addresses), ADDRESS_REQUIRED, ADDRESS_COLUMNS,
               parse_address_row, StagedAddress, ADDRESSES_FILE)
    if programme is not None:
        _stage(session, report, "programme", Path(programme), PROGRAMME_REQUIRED,
               PROGRAMME_COLUMNS, parse_programme_row, StagedProgrammeRow, PROGRAMME_FILE)
    if any(r.line is None for r in report.refusals):
        session.rollback()
        return report
    if addresses is not None:
        _refuse_duplicate_addresses(session, report)
    if programme is not None:
        _refuse_duplicate_programme_rows(session, report)
        _refuse_unknown_addresses(session, report, addresses_given=addresses is not None)
    _count_refused_rows(session, report)
    if (report.refusals and not skip_invalid) or _nothing_valid(report):
        session.rollback()
        return report

    register_import = RegisterImport(
        started_at=datetime.now(UTC).replace(tzinfo=None),
        addresses_file=str(addresses) if addresses else None,
        programme_file=str(programme) if programme else None,
    )
    session.add(register_import)
    session.flush()
    if addresses is not None:
        merge.merge_addresses(session, register_import.id, report.files["addresses"])
    if programme is not None:
        merge.merge_programme(session, register_import.id, report.files["programme"])
    register_import.summary = json.dumps(report.counts)
    _clear_staging(session)
    if commit:
        session.commit()
    else:
        session.flush()
    report.applied = True
    report.import_id = register_import.id
    return report


def _clear_staging(session: Session) -> None:
    session.execute(delete(StagedAddress))
    session.execute(delete(StagedProgrammeRow))


def _stage(session, report, kind, path, required, known, parse, model, file_name) -> None:
    """Check each row of one file and write it to its staging table in batches."""
    file_report = report.files[kind] = FileReport(kind=kind, path=str(path))
    try:
        shape, rows = csvfiles.read_rows(path, required, known)
    except csvfiles.MissingColumns as error:
        for column in error.missing:
            report.refuse(file_name, None, column, "required column is missing")
        return
    file_report.encoding, file_report.delimiter = shape.encoding, shape.delimiter
    table = model.__table__
    with _staging_writer(session, table) as write:
        for line, row in rows:
            parsed = parse(row)
            file_report.rows += 1
            file_report.padded_ids += parsed.padded_ids
            for column, reason in parsed.errors:
                report.refuse(file_name, line, column, reason)
            write({**parsed.values, "line": line, "valid": not parsed.errors})
    if session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, or the planner may take the just-emptied staging table for
        # empty and choose nested loops over hundreds of thousands of rows.
        session.execute(text(f"ANALYZE {table.name}"))


@contextmanager
def _staging_writer(session: Session, table):
    """Yield a function that writes one staged row; COPY on PostgreSQL, batches elsewhere."""
    columns = [c.name for c in table.columns]
    if session.get_bind().dialect.name == "postgresql":
        driver = session.connection().connection.driver_connection
        names = ", ".join(columns)
        with driver.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({names}) FROM STDIN") as copy:
            yield lambda row: copy.write_row([row.get(c) for c in columns])
        return
    batch: list[dict] = []

    def write(row: dict) -> None:
        batch.append(row)
        if len(batch) >= _BATCH:
            session.execute(insert(table), batch)
            batch.clear()

    yield write
    if batch:
        session.execute(insert(table), batch)


def _refuse_later_duplicates(session, report, table, columns, file_name, column, reason):
    """Refuse every valid row that repeats an earlier valid row on the given columns."""
    other = aliased(table)
    same = and_(*(other.c[c] == table.c[c] for c in columns))
    duplicates = select(table.c.line, *(table.c[c] for c in columns)).where(
        table.c.valid.is_(True),
        exists().where(same, other.c.valid.is_(True), other.c.line < table.c.line),
    ).order_by(table.c.line)
    lines = []
    for row in session.execute(duplicates):
        lines.append(row.line)
        report.refuse(file_name, row.line, column, reason(row))
    for start in range(0, len(lines), _BATCH):
        session.execute(update(table).where(table.c.line.in_(lines[start:start + _BATCH]))
                        .values(valid=False))


def _refuse_duplicate_addresses(session: Session, report: ImportReport) -> None:
    table = StagedAddress.__table__
    _refuse_later_duplicates(
        session, report, table, ("nummeraanduiding_id",), ADDRESSES_FILE,
        "nummeraanduiding_id", lambda r: f"id {r.nummeraanduiding_id} appears on an earlier line",
    )
    _refuse_later_duplicates(
        session, report, table,
        ("postcode", "huisnummer", "huisletter", "huisnummertoevoeging"), ADDRESSES_FILE,
        "postcode",
        lambda r: (f"address {r.postcode} {r.huisnummer}{r.huisletter}"
                   f"{'-' + r.huisnummertoevoeging if r.huisnummertoevoeging else ''} "
                   "appears on an earlier line"),
    )


def _refuse_duplicate_programme_rows(session: Session, report: ImportReport) -> None:
    _refuse_later_duplicates(
        session, report, StagedProgrammeRow.__table__, ("nummeraanduiding_id",),
        PROGRAMME_FILE, "nummeraanduiding_id",
        lambda r: f"id {r.nummeraanduiding_id} appears on an earlier line",
    )


def _refuse_unknown_addresses(session: Session, report: ImportReport, addresses_given: bool):
    """Refuse programme rows for addresses that the register (as it will be) lacks."""
    programme = StagedProgrammeRow.__table__
    staged = StagedAddress.__table__
    stored = Address.__table__
    key = programme.c.nummeraanduiding_id
    in_store = exists().where(stored.c.nummeraanduiding_id == key)
    if addresses_given:
        known = exists().where(staged.c.nummeraanduiding_id == key, staged.c.valid.is_(True))
        # A stored address that is kept because its new line was refused still counts.
        kept = and_(in_store, exists().where(staged.c.nummeraanduiding_id == key))
        condition = ~(known | kept)
    else:
        condition = ~in_store
    unknown = session.execute(
        select(programme.c.line, key).where(programme.c.valid.is_(True), condition)
        .order_by(programme.c.line)
    ).all()
    for line, address_id in unknown:
        report.refuse(PROGRAMME_FILE, line, "nummeraanduiding_id",
                      f"address {address_id} is not in the register")
    lines = [line for line, _ in unknown]
    for start in range(0, len(lines), _BATCH):
        session.execute(update(programme).where(programme.c.line.in_(lines[start:start + _BATCH]))
                        .values(valid=False))


def _count_refused_rows(session: Session, report: ImportReport) -> None:
    by_file = {ADDRESSES_FILE: "addresses", PROGRAMME_FILE: "programme"}
    lines: dict[str, set[int]] = {}
    for refusal in report.refusals:
        lines.setdefault(by_file[refusal.file], set()).add(refusal.line)
    for kind, refused in lines.items():
        report.files[kind].refused_rows = len(refused)


def _nothing_valid(report: ImportReport) -> bool:
    """A file of only bad rows would empty the register: never apply that."""
    for kind, file_report in report.files.items():
        if file_report.rows and file_report.refused_rows == file_report.rows:
            file_name = ADDRESSES_FILE if kind == "addresses" else PROGRAMME_FILE
            report.refuse(file_name, None, None, "no row of this file is valid")
            return True
    return False
