"""Builders of test data, one place per aggregate.

Register: address_row, programme_row, write_register and import_rows (rows into the
database). Request: file_request, through the one intake code path. Ledger:
capacity_weeks. Staff users live in tests/accounts/conftest.py (make_user, login_as,
client_as), beside the login pages they drive.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from portal.actors import RESIDENT, Actor
from portal.capacity.models import CapacityWeek
from portal.intake.submit import Answers, submit_request
from portal.register.importer import import_register

ADDRESS_HEADER = [
    "nummeraanduiding_id", "verblijfsobject_id", "pand_id", "postcode", "huisnummer",
    "huisletter", "huisnummertoevoeging", "straat", "woonplaats", "gemeentecode",
    "gemeentenaam", "bouwjaar", "gebruiksdoel", "lat", "lon",
]
PROGRAMME_HEADER = [
    "nummeraanduiding_id", "risicoprofiel", "batch", "opname_datum", "advies", "typologie",
]


def address_id(number: int, issuer: str = "0003") -> str:
    """A nummeraanduiding id (object type 20) issued by issuer."""
    return f"{issuer}20{number:010d}"


def building_id(number: int, issuer: str = "0003") -> str:
    """A pand id (object type 10) issued by issuer."""
    return f"{issuer}10{number:010d}"


def address_row(number: int, **overrides) -> dict:
    """One valid row of adressen.csv: house number `number` in Meedhuizen, its own building."""
    row = {
        "nummeraanduiding_id": address_id(number),
        "verblijfsobject_id": f"000301{number:010d}",
        "pand_id": building_id(number),
        "postcode": "9937AB",
        "huisnummer": str(number),
        "huisletter": "",
        "huisnummertoevoeging": "",
        "straat": "Hoofdstraat",
        "woonplaats": "Meedhuizen",
        "gemeentecode": "1979",
        "gemeentenaam": "Eemsdelta",
        "bouwjaar": "1931",
        "gebruiksdoel": "woonfunctie",
        "lat": "53.2971",
        "lon": "6.9261",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def programme_row(number: int, **overrides) -> dict:
    """One row of programma.csv for the address with house number `number`."""
    row = {
        "nummeraanduiding_id": address_id(number),
        "risicoprofiel": "",
        "batch": "",
        "opname_datum": "",
        "advies": "",
        "typologie": "",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def write_csv(path: Path, rows: list[dict], header: list[str] | None = None, *,
              delimiter: str = ",", encoding: str = "utf-8", bom: bool = False,
              crlf: bool = False) -> Path:
    """Write rows as a CSV file the way a spreadsheet on a Dutch machine might."""
    header = header or (list(rows[0]) if rows else ADDRESS_HEADER)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter,
                                lineterminator="\r\n" if crlf else "\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_register(directory: Path, addresses: list[dict], programme: list[dict] | None = None,
                   **options) -> tuple[Path, Path | None]:
    """Write adressen.csv (and programma.csv when rows are given) into directory."""
    a = write_csv(directory / "adressen.csv", addresses, ADDRESS_HEADER, **options)
    p = None
    if programme is not None:
        p = write_csv(directory / "programma.csv", programme, PROGRAMME_HEADER, **options)
    return a, p


def import_rows(session, directory: Path, addresses: list[dict],
                programme: list[dict] | None = None) -> None:
    """Write the rows as register files into directory and import them; it must apply."""
    addresses_file, programme_file = write_register(directory, addresses, programme)
    assert import_register(session, addresses=addresses_file, programme=programme_file).applied


def file_request(session, number: int, *, key: str | None = None, acute: bool = False,
                 in_register: bool = True, language: str = "nl", email: str | None = "r@x.nl",
                 postcode: str = "9937AB", letters_by_post: bool = False,
                 actor: Actor = RESIDENT):
    """File a request for Hoofdstraat <number> through the one intake code path; committed."""
    answers = Answers(
        postcode=postcode, huisnummer=number, straat="Hoofdstraat", woonplaats="Meedhuizen",
        nummeraanduiding_id=address_id(number) if in_register else None,
        building_kind="home", relation="owner_occupier", contact_name="R. Bewoner",
        language=language, email=email, phone=None if email else "+31612345678",
        acute_danger=acute, letters_by_post=letters_by_post, explanation="Scheuren")
    submission = submit_request(session, answers, actor=actor,
                                submission_key=key or f"{number}-{acute}-{in_register}-{email}")
    session.commit()
    return submission.request


def capacity_weeks(session, gemeentecode: str, kind: str, first_week: date,
                   weeks: list[tuple[int, int, int]]) -> list[CapacityWeek]:
    """Ledger rows from first_week (a Monday) on: (capacity, reserved, booked) each; committed."""
    rows = [CapacityWeek(week_start=first_week + timedelta(weeks=i), gemeentecode=gemeentecode,
                         kind=kind, capacity=c, reserved=r, booked=b)
            for i, (c, r, b) in enumerate(weeks)]
    session.add_all(rows)
    session.commit()
    return rows
