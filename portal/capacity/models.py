"""The capacity ledger, bookings, municipality shares, and clusters ("treintjes").

Domain rule 1 is held by the database itself: a ledger row can never have more booked
on-request work than its capacity minus what is reserved for P50, P90 and batch work.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base

KINDS = ("inspection", "assessment")


def free_places(capacity: int, reserved: int, booked: int) -> int:
    """Places on-request work may still take: capacity less risk work and bookings (rule 1).

    The one definition of free capacity: CapacityWeek.free (in Python and as SQL), the
    ledger's rows and the planner's slots all read it.
    """
    return max(0, capacity - reserved - booked)


class CapacityWeek(Base):
    """One week of one kind of work in one municipality: capacity, reserved, booked."""

    __tablename__ = "capacity_weeks"
    __table_args__ = (
        UniqueConstraint("week_start", "gemeentecode", "kind"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("booked >= 0", name="booked_not_negative"),
        # Rule 1: on-request work only uses what risk work leaves free.
        CheckConstraint("booked + reserved <= capacity", name="risk_work_first"),
        CheckConstraint("kind IN ('inspection', 'assessment')", name="kind"),
        Index("ix_capacity_weeks_plan", "gemeentecode", "kind", "week_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week_start: Mapped[date] = mapped_column(Date)  # always a Monday
    gemeentecode: Mapped[str] = mapped_column(ForeignKey("municipalities.code"))
    kind: Mapped[str] = mapped_column(String(12))
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    # Kept equal to the number of bookings on this row, under the row's lock.
    booked: Mapped[int] = mapped_column(Integer, default=0)

    @hybrid_property
    def free(self) -> int:
        """What on-request work may still use; never below zero."""
        return free_places(self.capacity, self.reserved, self.booked)

    @free.inplace.expression
    @classmethod
    def _free_expression(cls) -> ColumnElement[int]:
        # The CHECK risk_work_first keeps this at zero or more in the database.
        return cls.capacity - cls.reserved - cls.booked


class Booking(Base):
    """An accepted request planned into one week's free capacity."""

    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("request_id", "kind"),
        Index("ix_bookings_week", "capacity_week_id"),
        Index("ix_bookings_cluster", "cluster_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inspection_requests.id"))
    capacity_week_id: Mapped[int] = mapped_column(ForeignKey("capacity_weeks.id"))
    kind: Mapped[str] = mapped_column(String(12))
    booked_at: Mapped[datetime] = mapped_column(DateTime)
    booked_by: Mapped[str] = mapped_column(String(200))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"))


class MunicipalityShare(Base):
    """The coordinator's order when municipalities compete: a share and a rank."""

    __tablename__ = "municipality_shares"

    gemeentecode: Mapped[str] = mapped_column(ForeignKey("municipalities.code"),
                                              primary_key=True)
    share: Mapped[int] = mapped_column(Integer, default=0)  # percent of a week's free places
    rank: Mapped[int] = mapped_column(Integer, default=0)


class Cluster(Base):
    """A "treintje": at most N homes of one place that run the whole chain together."""

    __tablename__ = "clusters"
    __table_args__ = (Index("ix_clusters_place", "gemeentecode", "woonplaats"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gemeentecode: Mapped[str] = mapped_column(String(4))
    woonplaats: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")


class ClusterAddress(Base):
    """A P50/P90 address a local steering group added to a cluster, with who and why."""

    __tablename__ = "cluster_addresses"
    __table_args__ = (UniqueConstraint("cluster_id", "nummeraanduiding_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"))
    nummeraanduiding_id: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
