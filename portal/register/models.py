"""Register tables: what is known of each address in the area and its place in the operation.

Column names of the address follow the national address register (BAG), as the
import files do, because those Dutch words are the precise ones.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base

RISK_PROFILES = ("P50", "P90")
ADVICES = ("versterken", "geen_versterking")


class Municipality(Base):
    """A municipality as it is now; whether it lies in the area served by the portal."""

    __tablename__ = "municipalities"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    in_effect_area: Mapped[bool] = mapped_column(Boolean, default=False)


class Building(Base):
    """A building (BAG pand); a block of flats is one building with many addresses."""

    __tablename__ = "buildings"

    pand_id: Mapped[str] = mapped_column(String(16), primary_key=True)


class Address(Base):
    """An address (BAG nummeraanduiding) and the unit and building it belongs to."""

    __tablename__ = "addresses"
    __table_args__ = (
        UniqueConstraint("postcode", "huisnummer", "huisletter", "huisnummertoevoeging"),
        Index("ix_addresses_pand_id", "pand_id"),
        Index("ix_addresses_street", "woonplaats", "straat"),
        Index("ix_addresses_gemeentecode", "gemeentecode"),
    )

    nummeraanduiding_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    verblijfsobject_id: Mapped[str | None] = mapped_column(String(16))
    pand_id: Mapped[str] = mapped_column(ForeignKey("buildings.pand_id"))
    postcode: Mapped[str] = mapped_column(String(6))
    huisnummer: Mapped[int] = mapped_column(Integer)
    # Empty string, not NULL, for "no letter" and "no addition": the unique constraint
    # above must see two rows without a letter as the same address.
    huisletter: Mapped[str] = mapped_column(String(1), default="")
    huisnummertoevoeging: Mapped[str] = mapped_column(String(4), default="")
    straat: Mapped[str] = mapped_column(String(200))
    woonplaats: Mapped[str] = mapped_column(String(100))
    gemeentecode: Mapped[str] = mapped_column(ForeignKey("municipalities.code"))
    bouwjaar: Mapped[int | None] = mapped_column(Integer)
    gebruiksdoel: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    municipality: Mapped[Municipality] = relationship(lazy="joined")
    programme: Mapped[ProgrammeStatus | None] = relationship(lazy="joined", uselist=False)


class ProgrammeStatus(Base):
    """Where an address stands in the reinforcement operation; absent means not in it."""

    __tablename__ = "programme_status"
    __table_args__ = (Index("ix_programme_status_typology", "typology"),)

    nummeraanduiding_id: Mapped[str] = mapped_column(
        ForeignKey("addresses.nummeraanduiding_id", ondelete="CASCADE"), primary_key=True
    )
    risk_profile: Mapped[str | None] = mapped_column(String(3))
    batch: Mapped[str | None] = mapped_column(String(10))
    inspected_on: Mapped[date | None] = mapped_column(Date)
    advice: Mapped[str | None] = mapped_column(String(20))
    typology: Mapped[str | None] = mapped_column(String(60))


class RegisterImport(Base):
    """One run of the register import: its files and what it changed."""

    __tablename__ = "register_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    addresses_file: Mapped[str | None] = mapped_column(String(300))
    programme_file: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")


class RegisterChange(Base):
    """An address whose register entry an import added, changed or removed.

    Later steps (re-triage of open requests) read these instead of diffing the register.
    """

    __tablename__ = "register_changes"
    __table_args__ = (
        Index("ix_register_changes_import", "import_id", "nummeraanduiding_id"),
        # Re-triage asks, per address, whether anything changed since a given import.
        Index("ix_register_changes_address", "nummeraanduiding_id", "import_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("register_imports.id", ondelete="CASCADE"))
    nummeraanduiding_id: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20))


class StagedAddress(Base):
    """A row of an addresses file being imported; emptied before and after every import.

    Staging in the database keeps memory flat however large the file is, and lets
    duplicates and differences be found with indexed queries.
    """

    __tablename__ = "register_staged_addresses"
    __table_args__ = (
        Index("ix_register_staged_addresses_id", "nummeraanduiding_id", "line"),
        Index(
            "ix_register_staged_addresses_key",
            "postcode", "huisnummer", "huisletter", "huisnummertoevoeging", "line",
        ),
    )

    line: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    valid: Mapped[bool] = mapped_column(Boolean)
    nummeraanduiding_id: Mapped[str | None] = mapped_column(String(16))
    verblijfsobject_id: Mapped[str | None] = mapped_column(String(16))
    pand_id: Mapped[str | None] = mapped_column(String(16))
    postcode: Mapped[str | None] = mapped_column(String(6))
    huisnummer: Mapped[int | None] = mapped_column(Integer)
    huisletter: Mapped[str | None] = mapped_column(String(1))
    huisnummertoevoeging: Mapped[str | None] = mapped_column(String(4))
    straat: Mapped[str | None] = mapped_column(String(200))
    woonplaats: Mapped[str | None] = mapped_column(String(100))
    gemeentecode: Mapped[str | None] = mapped_column(String(4))
    gemeentenaam: Mapped[str | None] = mapped_column(String(100))
    bouwjaar: Mapped[int | None] = mapped_column(Integer)
    gebruiksdoel: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class StagedProgrammeRow(Base):
    """A row of a programme file being imported; emptied before and after every import."""

    __tablename__ = "register_staged_programme"
    __table_args__ = (Index("ix_register_staged_programme_id", "nummeraanduiding_id", "line"),)

    line: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    valid: Mapped[bool] = mapped_column(Boolean)
    nummeraanduiding_id: Mapped[str | None] = mapped_column(String(16))
    risk_profile: Mapped[str | None] = mapped_column(String(3))
    batch: Mapped[str | None] = mapped_column(String(10))
    inspected_on: Mapped[date | None] = mapped_column(Date)
    advice: Mapped[str | None] = mapped_column(String(20))
    typology: Mapped[str | None] = mapped_column(String(60))
