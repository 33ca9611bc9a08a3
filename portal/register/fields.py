"""Normalising and checking the fields of register rows, one rule per function.

Each function takes the raw text of a field and returns the normalised value, or
raises FieldError with a reason a data team can act on.
"""

from __future__ import annotations

import re
from datetime import date

from portal.register.models import ADVICES, RISK_PROFILES

ID_LENGTH = 16
OBJECT_TYPES = {"nummeraanduiding": "20", "verblijfsobject": "01", "pand": "10"}
_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
_FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}
_ADDITION = re.compile(r"^[A-Z0-9]{1,4}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FieldError(ValueError):
    """A field's value breaks a rule of the register format."""


def postcode(raw: str) -> str:
    """Return the postcode as 1234AB; accept spaces and lower case (`9937 ab`)."""
    value = re.sub(r"\s+", "", raw).upper()
    if not value:
        raise FieldError("postcode is empty")
    if not _POSTCODE.match(value):
        raise FieldError(f"'{raw}' is not a postcode of four digits (not starting with 0) "
                         "and two letters")
    if value[4:] in _FORBIDDEN_POSTCODE_LETTERS:
        raise FieldError(f"'{raw}': postcodes never end in SA, SD or SS")
    return value


def house_number(raw: str) -> int:
    """Return the house number as an integer from 1 to 99999."""
    if not raw.isdigit():
        raise FieldError(f"'{raw}' is not a whole number" if raw else "house number is empty")
    number = int(raw)
    if not 1 <= number <= 99999:
        raise FieldError(f"{number} is outside 1 to 99999")
    return number


def house_letter(raw: str) -> str:
    """Return the house letter in upper case, or '' when there is none."""
    if not raw:
        return ""
    if len(raw) != 1 or not raw.isalpha() or not raw.isascii():
        raise FieldError(f"'{raw}' is not a single letter")
    return raw.upper()


def house_number_addition(raw: str) -> str:
    """Return the addition (up to four letters or digits) in upper case, or ''."""
    if not raw:
        return ""
    value = raw.upper()
    if not _ADDITION.match(value):
        raise FieldError(f"'{raw}' is not up to 4 letters or digits")
    return value


def register_id(raw: str, kind: str) -> tuple[str, bool]:
    """Return a 16-digit id of the given kind and whether leading zeros were restored.

    Spreadsheets drop leading zeros (`10200001453379` for `0010200001453379`), so
    shorter all-digit ids are padded back before they are checked.
    """
    if not raw:
        raise FieldError("id is empty")
    if not raw.isdigit():
        raise FieldError(f"'{raw}' is not all digits")
    padded = len(raw) < ID_LENGTH
    value = raw.zfill(ID_LENGTH)
    if len(value) != ID_LENGTH:
        raise FieldError(f"'{raw}' has {len(raw)} digits, not {ID_LENGTH}")
    expected = OBJECT_TYPES[kind]
    if value[4:6] != expected:
        raise FieldError(
            f"'{value}' has object type {value[4:6]}, a {kind} id has type {expected}"
        )
    return value, padded


def municipality_code(raw: str) -> str:
    """Return the four-digit municipality code (CBS), restoring dropped leading zeros."""
    if not raw.isdigit() or len(raw) > 4:
        raise FieldError(f"'{raw}' is not a municipality code of 4 digits")
    return raw.zfill(4)


def required_text(raw: str, limit: int) -> str:
    """Return a non-empty text of at most limit characters."""
    if not raw:
        raise FieldError("is empty")
    if len(raw) > limit:
        raise FieldError(f"is longer than {limit} characters")
    return raw


def optional_text(raw: str, limit: int) -> str | None:
    """Return the text, or None when empty; refuse it when too long."""
    if len(raw) > limit:
        raise FieldError(f"is longer than {limit} characters")
    return raw or None


def building_year(raw: str) -> int | None:
    """Return the year of construction, or None; refuse years that cannot be."""
    if not raw:
        return None
    if not raw.isdigit():
        raise FieldError(f"'{raw}' is not a year")
    year = int(raw)
    if not 1000 <= year <= date.today().year + 5:
        raise FieldError(f"{year} is not a plausible year of construction")
    return year


def coordinate(raw: str, low: float, high: float) -> float | None:
    """Return a WGS84 coordinate, accepting a decimal comma; None when empty."""
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise FieldError(f"'{raw}' is not a number") from None
    if not low <= value <= high:
        raise FieldError(f"{value} is outside {low} to {high}")
    return value


def risk_profile(raw: str) -> str | None:
    """Return P50, P90 or None."""
    if not raw:
        return None
    value = raw.upper()
    if value not in RISK_PROFILES:
        raise FieldError(f"'{raw}' is not P50, P90 or empty")
    return value


def batch_number(raw: str) -> str | None:
    """Return the batch number (digits), or None."""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 10:
        raise FieldError(f"'{raw}' is not a batch number")
    return raw


def inspection_date(raw: str) -> date | None:
    """Return the date of the last inspection (YYYY-MM-DD), refusing impossible dates."""
    if not raw:
        return None
    if not _DATE.match(raw):
        raise FieldError(f"'{raw}' is not a date as YYYY-MM-DD")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise FieldError(f"'{raw}' is not a date that exists") from None
    if value > date.today():
        raise FieldError(f"{raw} lies in the future")
    return value


def advice(raw: str) -> str | None:
    """Return the reinforcement advice (versterken, geen_versterking) or None."""
    if not raw:
        return None
    value = raw.lower()
    if value not in ADVICES:
        raise FieldError(f"'{raw}' is not versterken, geen_versterking or empty")
    return value
