"""The request aggregate: a request for an inspection or reassessment, and its history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, enum_check
from portal.requests.kinds import Channel, RequestType
from portal.requests.states import WAITING_SQL, Status

BUILDING_KINDS = ("home", "farm_home", "farm_building", "other")
RELATIONS = ("owner_occupier", "tenant", "landlord", "other")
SIGNS = ("new_cracks", "jamming", "recent_earthquake", "building_type", "other")
LANGUAGES = ("nl", "en")


class InspectionRequest(Base):
    """A request for an inspection or reassessment of one address."""

    __tablename__ = "inspection_requests"
    __table_args__ = (
        enum_check("status", Status),
        enum_check("channel", Channel),
        enum_check("request_type", RequestType),
        Index("ix_inspection_requests_address", "nummeraanduiding_id", "status"),
        Index("ix_inspection_requests_pand_id", "pand_id"),
        Index("ix_inspection_requests_queue", "status", "priority", "created_at", "id"),
        # The queue without a status filter reads this, in order, and stops after a page.
        Index("ix_inspection_requests_waiting", "priority", "created_at", "id",
              postgresql_where=text(WAITING_SQL), sqlite_where=text(WAITING_SQL)),
        Index("ix_inspection_requests_route", "suggested_route", "status"),
        Index("ix_inspection_requests_gemeente", "gemeentecode", "status"),
        Index("ix_inspection_requests_postcode", "postcode", "huisnummer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # The same submission (double click, refresh, retried POST) carries the same key,
    # and the unique constraint turns a second insert into a lookup of the first.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(30))
    status_changed_at: Mapped[datetime] = mapped_column(DateTime)
    request_type: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    # The address as the register knew it at intake, or as typed when it was not found.
    nummeraanduiding_id: Mapped[str | None] = mapped_column(String(16))
    pand_id: Mapped[str | None] = mapped_column(String(16))
    in_register: Mapped[bool] = mapped_column(Boolean)
    postcode: Mapped[str] = mapped_column(String(6))
    huisnummer: Mapped[int] = mapped_column(Integer)
    huisletter: Mapped[str] = mapped_column(String(1), default="")
    huisnummertoevoeging: Mapped[str] = mapped_column(String(4), default="")
    straat: Mapped[str] = mapped_column(String(200))
    woonplaats: Mapped[str] = mapped_column(String(100))

    building_kind: Mapped[str] = mapped_column(String(20))
    relation: Mapped[str] = mapped_column(String(20))
    signs: Mapped[str] = mapped_column(String(200), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    acute_danger: Mapped[bool] = mapped_column(Boolean, default=False)

    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    letters_by_post: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime] = mapped_column(DateTime)
    # A request taken by phone records the agent beside the caller, and that the agent
    # checked the caller's identity (name and address) before entering it.
    entered_by_id: Mapped[str | None] = mapped_column(String(64))
    entered_by_label: Mapped[str | None] = mapped_column(String(200))
    identity_checked: Mapped[bool] = mapped_column(Boolean, default=False)

    gemeentecode: Mapped[str | None] = mapped_column(String(4))

    # Set by triage (portal/triage/rules.py): the suggested route, why, and on what basis.
    suggested_route: Mapped[str | None] = mapped_column(String(20))
    triage_reason: Mapped[str | None] = mapped_column(String(40))
    triage_detail: Mapped[str | None] = mapped_column(String(100))
    ruleset_version: Mapped[str | None] = mapped_column(String(20))
    register_import_id: Mapped[int | None] = mapped_column(Integer)
    triaged_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Urgent requests stand first; within a priority the oldest goes first.
    priority: Mapped[int] = mapped_column(Integer, default=1)
    retriaged_from: Mapped[str | None] = mapped_column(String(20))
    assigned_to_id: Mapped[int | None] = mapped_column(Integer)
    assigned_until: Mapped[datetime | None] = mapped_column(DateTime)

    linked_to_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_requests.id"))
    # Set when the resident's personal data was removed (portal.privacy): by the retention
    # period, or at the resident's request. The request itself stays for the figures.
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime)
    linked_to: Mapped[InspectionRequest | None] = relationship(remote_side=[id])
    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.id")

    @property
    def sign_list(self) -> list[str]:
        """The signs the resident ticked, as a list."""
        return [s for s in self.signs.split(",") if s]


class RequestEvent(Base):
    """One step in a request's history: who moved it from which status to which, and why.

    Append-only: written by `requests.workflow` and nothing else.
    """

    __tablename__ = "request_events"
    __table_args__ = (
        enum_check("from_status", Status),
        enum_check("to_status", Status),
        Index("ix_request_events_request", "request_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inspection_requests.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_label: Mapped[str] = mapped_column(String(200))
    # "status" changes the status; "check" is an automatic check against the register;
    # "note" records something done without a change of status; "callback" a call back
    # to a resident who reported acute danger, "no_answer" a call back nobody answered.
    kind: Mapped[str] = mapped_column(String(10), default="status")
    reason: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[InspectionRequest] = relationship(back_populates="events")


class RequestAnswer(Base):
    """A resident's answer to an officer's question: a text, and at most one file.

    Given on /status while the request waits for information. The file's bytes are kept
    here with the type read from its first bytes (never the type the browser claimed), so
    an officer opens what was really sent.
    """

    __tablename__ = "request_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inspection_requests.id"), index=True)
    # The decision that asked the question, when there was one.
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    text: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(50))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
