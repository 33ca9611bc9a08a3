"""Applying staged rows to the register with set-based queries, and recording what changed."""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from portal.register.areas import effect_area_municipalities
from portal.register.models import (
    Address,
    Building,
    Municipality,
    ProgrammeStatus,
    RegisterChange,
    StagedAddress,
    StagedProgrammeRow,
)
from portal.register.report import FileReport

ADDRESSES = Address.__table__
PROGRAMME = ProgrammeStatus.__table__
STAGED_ADDRESSES = StagedAddress.__table__
STAGED_PROGRAMME = StagedProgrammeRow.__table__
CHANGES = RegisterChange.__table__

ADDRESS_FIELDS = (
    "verblijfsobject_id", "pand_id", "postcode", "huisnummer", "huisletter",
    "huisnummertoevoeging", "straat", "woonplaats", "gemeentecode", "bouwjaar",
    "gebruiksdoel", "lat", "lon",
)
PROGRAMME_FIELDS = ("risk_profile", "batch", "inspected_on", "advice", "typology")


def _record(session: Session, import_id: int, kind: str, ids_query) -> None:
    """Write one register_changes row per id the query selects."""
    session.execute(
        insert(CHANGES).from_select(
            ["import_id", "nummeraanduiding_id", "kind"],
            select(literal(import_id), ids_query.c.nummeraanduiding_id, literal(kind)),
        )
    )


def _merge(session: Session, *, import_id: int, target, staged, fields: tuple[str, ...],
           kind: str, report: FileReport, before_insert=None) -> None:
    """Make target hold exactly the valid staged rows: remove, change, then add.

    Ids that appear in the file only on refused lines (with --skip-invalid) are
    neither removed nor changed: a bad line must not wipe out what was known.
    """
    key = target.c.nummeraanduiding_id
    staged_key = staged.c.nummeraanduiding_id
    valid = staged.c.valid.is_(True)

    removed = select(key.label("nummeraanduiding_id")).where(
        ~exists().where(staged_key == key)
    ).subquery()
    _record(session, import_id, f"{kind}_removed", removed)
    if kind == "address":
        session.execute(delete(PROGRAMME).where(
            PROGRAMME.c.nummeraanduiding_id.in_(select(removed.c.nummeraanduiding_id))))
    report.removed = session.execute(
        delete(target).where(~exists().where(staged_key == key))
    ).rowcount

    if before_insert is not None:
        before_insert()

    differs = or_(*(target.c[f].is_distinct_from(staged.c[f]) for f in fields))
    changed = select(key.label("nummeraanduiding_id")).where(
        and_(staged_key == key, valid, differs)
    ).subquery()
    _record(session, import_id, f"{kind}_changed", changed)
    report.changed = session.execute(
        update(target)
        .where(and_(staged_key == key, valid, differs))
        .values({f: staged.c[f] for f in fields})
    ).rowcount

    new_rows = select(staged_key, *(staged.c[f] for f in fields)).where(
        valid, ~exists().where(key == staged_key)
    )
    _record(session, import_id, f"{kind}_added", new_rows.subquery())
    report.added = session.execute(
        insert(target).from_select(["nummeraanduiding_id", *fields], new_rows)
        # Without this option SQLAlchemy reports -1 for INSERT … SELECT on psycopg.
        .execution_options(preserve_rowcount=True)
    ).rowcount
    valid_rows = session.scalar(select(func.count()).select_from(staged).where(valid))
    report.unchanged = valid_rows - report.changed - report.added


def merge_addresses(session: Session, import_id: int, report: FileReport) -> None:
    """Make the address register equal to the valid staged addresses."""

    def ensure_parents() -> None:
        _upsert_municipalities(session)
        session.execute(
            insert(Building.__table__).from_select(
                ["pand_id"],
                select(STAGED_ADDRESSES.c.pand_id).distinct().where(
                    STAGED_ADDRESSES.c.valid.is_(True),
                    ~exists().where(Building.__table__.c.pand_id == STAGED_ADDRESSES.c.pand_id),
                ),
            )
        )

    _merge(session, import_id=import_id, target=ADDRESSES, staged=STAGED_ADDRESSES,
           fields=ADDRESS_FIELDS, kind="address", report=report, before_insert=ensure_parents)
    # Buildings whose last address went away are no longer in the register.
    session.execute(delete(Building.__table__).where(
        ~exists().where(ADDRESSES.c.pand_id == Building.__table__.c.pand_id)))


def merge_programme(session: Session, import_id: int, report: FileReport) -> None:
    """Make the programme status equal to the valid staged programme rows."""
    _merge(session, import_id=import_id, target=PROGRAMME, staged=STAGED_PROGRAMME,
           fields=PROGRAMME_FIELDS, kind="programme", report=report)


def _upsert_municipalities(session: Session) -> None:
    """Add or rename the municipalities named in the staged addresses."""
    in_area = effect_area_municipalities()
    staged = session.execute(
        select(STAGED_ADDRESSES.c.gemeentecode, func.max(STAGED_ADDRESSES.c.gemeentenaam))
        .where(STAGED_ADDRESSES.c.valid.is_(True))
        .group_by(STAGED_ADDRESSES.c.gemeentecode)
    ).all()
    known = {m.code: m for m in session.scalars(select(Municipality))}
    for code, name in staged:
        municipality = known.get(code)
        if municipality is None:
            session.add(Municipality(code=code, name=name, in_effect_area=code in in_area))
        else:
            municipality.name = name
            municipality.in_effect_area = code in in_area
    session.flush()
