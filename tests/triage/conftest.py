"""Register fixtures for triage: one address for every rule, and helpers to file requests."""

from __future__ import annotations

import pytest

from portal.actors import RESIDENT
from portal.intake.submit import Answers, submit_request
from portal.register.importer import import_register
from tests.factories import address_id, address_row, building_id, programme_row, write_register

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
    addresses, programme_file = write_register(tmp_path / "register", rows, programme)
    assert import_register(session, addresses=addresses, programme=programme_file).applied


def file_request(session, number: int, *, key: str | None = None, acute: bool = False,
                 in_register: bool = True, language: str = "nl", email: str | None = "r@x.nl",
                 postcode: str = "9937AB", letters_by_post: bool = False):
    """File a request for Hoofdstraat <number> through the one intake code path."""
    answers = Answers(
        postcode=postcode if number != OUTSIDE_AREA else "7811AA", huisnummer=number,
        straat="Hoofdstraat", woonplaats="Meedhuizen",
        nummeraanduiding_id=address_id(number) if in_register else None,
        building_kind="home", relation="owner_occupier", contact_name="R. Bewoner",
        language=language, email=email, phone=None if email else "+31612345678",
        acute_danger=acute, letters_by_post=letters_by_post, explanation="Scheuren")
    submission = submit_request(session, answers, actor=RESIDENT,
                                submission_key=key or f"{number}-{acute}-{in_register}-{email}")
    session.commit()
    return submission.request
