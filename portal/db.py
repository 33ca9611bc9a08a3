"""The declarative base with a constraint naming convention, and common column types."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import CheckConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

# Named constraints let Alembic drop and alter them the same way on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model in the portal."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_check(column: str, values: type[StrEnum] | Iterable[str]) -> CheckConstraint:
    """A CHECK that column holds one of values (an enum's values, in their order), or NULL.

    Named after the column, so the convention makes it ck_<table>_<column>.
    """
    listed = [str(value) for value in values]
    if any("'" in value for value in listed):
        raise ValueError(f"A quote in a value of {column}: {listed}")
    return CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in listed)})", name=column)


def begin_write(session: Session) -> None:
    """Start the session's transaction as one that will write.

    On SQLite this takes the write lock at once (BEGIN IMMEDIATE), so two writers queue
    instead of one failing; on PostgreSQL row locks do that work and this changes nothing.
    """
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_immediate": True})

