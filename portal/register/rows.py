"""Turning one CSV row of each register file into a staged row, or into refusals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from portal.register import fields
from portal.register.fields import FieldError

ADDRESS_REQUIRED = (
    "nummeraanduiding_id", "pand_id", "postcode", "huisnummer", "straat", "woonplaats",
    "gemeentecode", "gemeentenaam",
)
ADDRESS_COLUMNS = ADDRESS_REQUIRED + (
    "verblijfsobject_id", "huisletter", "huisnummertoevoeging", "bouwjaar", "gebruiksdoel",
    "lat", "lon",
)
PROGRAMME_REQUIRED = ("nummeraanduiding_id",)
PROGRAMME_COLUMNS = PROGRAMME_REQUIRED + (
    "risicoprofiel", "batch", "opname_datum", "advies", "typologie",
)


@dataclass
class ParsedRow:
    """A row after checking: the values to stage, and the refusals by column."""

    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)
    padded_ids: int = 0


def _check(row: dict[str, str], parsed: ParsedRow, column: str, rule: Callable, target: str):
    try:
        parsed.values[target] = rule(row.get(column, ""))
    except FieldError as error:
        parsed.values[target] = None
        parsed.errors.append((column, str(error)))


def _check_id(row: dict[str, str], parsed: ParsedRow, column: str, kind: str,
              required: bool) -> None:
    raw = row.get(column, "")
    if not raw and not required:
        parsed.values[column] = None
        return
    try:
        value, padded = fields.register_id(raw, kind)
    except FieldError as error:
        parsed.values[column] = None
        parsed.errors.append((column, str(error)))
        return
    parsed.values[column] = value
    parsed.padded_ids += padded


def parse_address_row(row: dict[str, str]) -> ParsedRow:
    """Check and normalise one row of adressen.csv."""
    parsed = ParsedRow(values={})
    _check_id(row, parsed, "nummeraanduiding_id", "nummeraanduiding", required=True)
    _check_id(row, parsed, "verblijfsobject_id", "verblijfsobject", required=False)
    _check_id(row, parsed, "pand_id", "pand", required=True)
    _check(row, parsed, "postcode", fields.postcode, "postcode")
    _check(row, parsed, "huisnummer", fields.house_number, "huisnummer")
    _check(row, parsed, "huisletter", fields.house_letter, "huisletter")
    _check(row, parsed, "huisnummertoevoeging", fields.house_number_addition,
           "huisnummertoevoeging")
    _check(row, parsed, "straat", lambda v: fields.required_text(v, 200), "straat")
    _check(row, parsed, "woonplaats", lambda v: fields.required_text(v, 100), "woonplaats")
    _check(row, parsed, "gemeentecode", fields.municipality_code, "gemeentecode")
    _check(row, parsed, "gemeentenaam", lambda v: fields.required_text(v, 100), "gemeentenaam")
    _check(row, parsed, "bouwjaar", fields.building_year, "bouwjaar")
    _check(row, parsed, "gebruiksdoel", lambda v: fields.optional_text(v, 100), "gebruiksdoel")
    _check(row, parsed, "lat", lambda v: fields.coordinate(v, -90.0, 90.0), "lat")
    _check(row, parsed, "lon", lambda v: fields.coordinate(v, -180.0, 180.0), "lon")
    return parsed


def parse_programme_row(row: dict[str, str]) -> ParsedRow:
    """Check and normalise one row of programma.csv."""
    parsed = ParsedRow(values={})
    _check_id(row, parsed, "nummeraanduiding_id", "nummeraanduiding", required=True)
    _check(row, parsed, "risicoprofiel", fields.risk_profile, "risk_profile")
    _check(row, parsed, "batch", fields.batch_number, "batch")
    _check(row, parsed, "opname_datum", fields.inspection_date, "inspected_on")
    _check(row, parsed, "advies", fields.advice, "advice")
    _check(row, parsed, "typologie", lambda v: fields.optional_text(v, 60), "typology")
    return parsed
