"""Register fixtures for triage: one address for every rule, and helpers to file requests."""

from __future__ import annotations

import pytest

from tests import factories
from tests.factories import address_row, building_id, import_rows, programme_row

# house number → what the register says of it
NEVER_INSPECTED = 10
INSPECTED_BEFORE = 12
IN_P50 = 14
IN_P90 = 16
IN_BATCH = 18
OUTSIDE_AREA = 30


def register_rows() -> tuple[list[dict], list[dict]]:
    """Addresses and programme rows of the triage register (Hoofdstraat, Meedhuizen)."""
    rows = [address_row(n, huisnummer=n) for n in (10, 12, 14, 16, 18)]
    rows += [address_row(20, huisnummer=20, huisnummertoevoeging="1"),
             address_row(21, huisnummer=20, huisnummertoevoeging="2", pand_id=building_id(20)),
             address_row(30, huisnummer=30, postcode="7811AA", woonplaats="Emmen",
                         gemeentecode="0114", gemeentenaam="Emmen")]
    programme = [
        programme_row(12, opname_datum="2017-11-21", advies="versterken", typologie="rij-1930"),
        programme_row(10, typologie="rij-1930"),
        programme_row(14, risicoprofiel="P50"),
        programme_row(16, risicoprofiel="P90"),
        programme_row(18, batch="1581"),
    ]
    return rows, programme


@pytest.fixture
def triage_register(session, tmp_path):
    """Import the triage register."""
    rows, programme = register_rows()
    import_rows(session, tmp_path / "register", rows, programme)


def file_request(session, number: int, **options):
    """File a request for Hoofdstraat <number> (OUTSIDE_AREA: in Emmen's postcode)."""
    if number == OUTSIDE_AREA:
        options["postcode"] = "7811AA"
    return factories.file_request(session, number, **options)


def file_request_in_app(app, session, number: int, **options):
    """file_request in an application context of its own, closed again afterwards.

    A context left open would be shared by the requests of a test client afterwards.
    """
    with app.app_context():
        return file_request(session, number, **options)


@pytest.fixture
def client(app):
    """A test client that reads the staff pages in English, the language of the msgids."""
    english = app.test_client()
    english.set_cookie("taal", "en")
    return english
