"""Test data for the forecast and the waiting reassessments: a register, requests, a ledger.

Import the fixtures into a test module to use them:

    from tests.capacity.forecast_fixtures import reassessment_register  # noqa: F401
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.actors import SYSTEM
from portal.capacity.models import CapacityWeek
from portal.requests import workflow
from portal.requests.states import Status
from portal.triage.decisions import decide
from tests import factories
from tests.factories import address_row, capacity_weeks, import_rows, programme_row

EEMSDELTA, GRONINGEN = "1979", "0014"
# house number (Hoofdstraat, Meedhuizen, Eemsdelta) → what the register says of it
ASKED = 12            # inspected 2016-05-01, no reinforcement; the resident has asked
NOT_ASKED = 10        # inspected 2017-11-21, reinforce; nobody asked
DECLINED = 30         # inspected 2018-01-01; the resident's request was declined
IN_P50 = 14           # inspected, but P50
IN_P90 = 16           # inspected, but P90
IN_BATCH = 18         # inspected, but in batch 1581
UNDER_WAY = 20        # inspected; a reassessment is accepted and not done yet
REASSESSED = 22       # inspected; reassessed already (request reached assessed)
NEVER_INSPECTED = 24  # in the programme file without an inspection
NOT_IN_PROGRAMME = 26
CITY = 5              # Kerkstraat 5, Groningen: inspected 2019-02-02, nobody asked


def register_rows() -> tuple[list[dict], list[dict]]:
    """Addresses and programme rows of a register with every kind of inspected home."""
    numbers = (10, 12, 14, 16, 18, 20, 22, 24, 26, 30)
    rows = [address_row(n, huisnummer=n) for n in numbers]
    rows.append(address_row(CITY, huisnummer=5, postcode="9711AA", straat="Kerkstraat",
                            woonplaats="Groningen", gemeentecode=GRONINGEN,
                            gemeentenaam="Groningen"))
    programme = [
        programme_row(NOT_ASKED, opname_datum="2017-11-21", advies="versterken"),
        programme_row(ASKED, opname_datum="2016-05-01", advies="geen_versterking"),
        programme_row(DECLINED, opname_datum="2018-01-01"),
        programme_row(IN_P50, opname_datum="2014-01-01", risicoprofiel="P50"),
        programme_row(IN_P90, opname_datum="2014-01-01", risicoprofiel="P90"),
        programme_row(IN_BATCH, opname_datum="2014-01-01", batch="1581"),
        programme_row(UNDER_WAY, opname_datum="2015-03-03"),
        programme_row(REASSESSED, opname_datum="2015-06-01"),
        programme_row(NEVER_INSPECTED, typologie="rij-1930"),
        programme_row(CITY, opname_datum="2019-02-02", advies="versterken"),
    ]
    return rows, programme


@pytest.fixture
def reassessment_register(session, tmp_path):
    """Import the register of register_rows()."""
    rows, programme = register_rows()
    import_rows(session, tmp_path / "register", rows, programme)


def file_request(session, number: int, *, acute: bool = False):
    """File a resident's request for Hoofdstraat <number> through the one intake path."""
    return factories.file_request(session, number, acute=acute, email="r@example.nl",
                                  actor=SYSTEM, key=f"resident-{number}-{acute}")


def advance(session, req, *statuses: Status) -> None:
    """Move req through statuses, as the desk and the inspection organisation would."""
    for status in statuses:
        workflow.transition(session, req, status, actor=SYSTEM, reason="test", notify=False)
    session.commit()


def accept(session, req, decision: str = "accept_reassessment") -> None:
    """Accept req (or take another decision) with the rules' reason, letter and all."""
    decide(session, req, decision, actor=SYSTEM, reason_code="rules_apply",
           reason_text="" if decision.startswith("accept") else "test")
    session.commit()


@pytest.fixture
def requests_in_every_state(app, session, reassessment_register):
    """The requests the register's story needs: asked, declined, under way, reassessed."""
    # A context of its own, closed again: one left open would be shared by the requests
    # of a test client afterwards.
    with app.app_context():
        file_request(session, ASKED)
        accept(session, file_request(session, DECLINED), "decline")
        accept(session, file_request(session, UNDER_WAY))
        done = file_request(session, REASSESSED)
        accept(session, done)
        advance(session, done, Status.SCHEDULED, Status.INSPECTED, Status.ASSESSED)


def monday(day: date) -> date:
    """The Monday of day's week."""
    return day - timedelta(days=day.weekday())


def add_ledger(session, gemeentecode: str, kind: str, start: date,
               weeks: list[tuple[int, int, int]]) -> list[CapacityWeek]:
    """Ledger rows from start's week on: (capacity, reserved, booked) for each week."""
    return capacity_weeks(session, gemeentecode, kind, monday(start), weeks)
