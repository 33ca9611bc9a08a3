"""The database itself refuses a status, channel or request type the code does not know,
and the waiting queue's partial index covers exactly the statuses that count as waiting."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import CheckConstraint, insert, text, update
from sqlalchemy.exc import IntegrityError

from portal.actors import SYSTEM
from portal.intake.submit import Answers, submit_request
from portal.requests.kinds import Channel, RequestType
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import WAITING, WAITING_SQL, Status

WAITING_VALUES = {s.value for s in WAITING}


def _statuses(sql: str) -> set[str]:
    return set(re.findall(r"'([a-z_]+)'", sql))


def _request(session) -> InspectionRequest:
    return submit_request(session, Answers(
        postcode="9937AB", huisnummer=10, straat="Hoofdstraat", woonplaats="Meedhuizen",
        building_kind="home", relation="tenant", contact_name="E", language="nl",
        email="e@example.nl"), actor=SYSTEM, submission_key="constraints").request


def test_enums_keep_the_values_stored_today():
    assert [c.value for c in Channel] == ["web", "phone", "programme"]
    assert [t.value for t in RequestType] == ["inspection", "reassessment", "question"]


@pytest.mark.parametrize(("table", "column", "enum"), [
    (InspectionRequest.__table__, "status", Status),
    (InspectionRequest.__table__, "channel", Channel),
    (InspectionRequest.__table__, "request_type", RequestType),
    (RequestEvent.__table__, "from_status", Status),
    (RequestEvent.__table__, "to_status", Status),
])
def test_each_check_lists_exactly_its_enum(table, column, enum):
    checks = {c.name: c for c in table.constraints if isinstance(c, CheckConstraint)}
    check = checks[f"ck_{table.name}_{column}"]
    assert str(check.sqltext).startswith(f"{column} IN (")
    assert _statuses(str(check.sqltext)) == {member.value for member in enum}


@pytest.mark.parametrize(("column", "value"), [
    ("status", "lost"), ("channel", "fax"), ("request_type", "demolition"),
])
def test_database_refuses_an_unknown_value_on_a_request(app_context, session, column, value):
    req = _request(session)
    session.commit()

    with pytest.raises(IntegrityError):
        session.execute(update(InspectionRequest).where(InspectionRequest.id == req.id)
                        .values({column: value}))
    session.rollback()


@pytest.mark.parametrize("column", ["from_status", "to_status"])
def test_database_refuses_an_unknown_status_on_an_event(app_context, session, column):
    req = _request(session)
    session.commit()
    row = {"request_id": req.id, "at": req.created_at, "from_status": None,
           "to_status": "received", "actor_kind": "system", "actor_label": "portal",
           "kind": "note", "reason": ""}

    with pytest.raises(IntegrityError):
        session.execute(insert(RequestEvent.__table__), [{**row, column: "lost"}])
    session.rollback()


def test_every_enum_value_is_accepted(app_context, session):
    req = _request(session)
    session.commit()
    values = list(zip(Status, [*Channel] * 5, [*RequestType] * 5, strict=False))

    for status, channel, request_type in values:
        session.execute(update(InspectionRequest).where(InspectionRequest.id == req.id)
                        .values(status=status, channel=channel, request_type=request_type))
    session.rollback()


def test_waiting_sql_names_exactly_the_waiting_statuses():
    assert _statuses(WAITING_SQL) == WAITING_VALUES
    # The exact form the queue's query repeats: SQLite uses a partial index only for a
    # condition it can match term by term.
    assert WAITING_SQL == ("status IN ('received', 'urgent', 'awaiting_information', "
                           "'in_programme')")


def test_waiting_index_in_the_database_covers_exactly_the_waiting_statuses(app_context,
                                                                           session):
    if session.bind.dialect.name == "postgresql":
        definition = session.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
            {"name": "ix_inspection_requests_waiting"}).scalar_one()
    else:
        definition = session.execute(text(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"),
            {"name": "ix_inspection_requests_waiting"}).scalar_one()
    predicate = definition.split(" WHERE ", 1)[1]

    assert _statuses(predicate) == WAITING_VALUES
