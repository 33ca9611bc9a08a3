"""The rows of a results file: reading it, and checking each line on its own.

Columns (Dutch, like the work order the file answers; any order, extra columns ignored):

- `nummeraanduiding_id` and/or `verzoek`: the home, by address id or by the request
  reference(s) of the work order; at least one of the two columns must be there. A row
  for an address moves every planned request of that address: a home counts once.
- `opname_datum` (required column): the day of the inspection, YYYY-MM-DD or DD-MM-YYYY.
- `beoordeling`: `voldoet`, `voldoet_niet`, or empty when the home is only inspected.
- `advies`: `versterken`, `geen_versterking`, or empty.

As strict as the register import: comma or semicolon, a byte-order mark, CRLF and
Windows-1252 are read, and every bad line is refused with its line, column and reason.
`P50`/`P90` in `verzoek` marks an address a steering group added to a cluster; such a
line needs its address id. Matching a row to its requests is left to results.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal.register import csvfiles, fields
from portal.requests.reference import normalise_reference

ID_COLUMNS = ("nummeraanduiding_id", "verzoek")
REQUIRED = ("opname_datum",)
KNOWN = ID_COLUMNS + ("opname_datum", "beoordeling", "advies")
OUTCOMES = ("voldoet", "voldoet_niet")
ADVICES = ("versterken", "geen_versterking")
# Contradictions a data team should look at rather than have imported.
_CONTRADICTIONS = {("voldoet", "versterken"), ("voldoet_niet", "geen_versterking")}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


@dataclass(frozen=True)
class Result:
    """What the inspection organisation reports for one home."""

    inspected_on: date | None
    outcome: str | None
    advice: str | None


@dataclass
class ResultRow:
    """One line of a results file, checked on its own: the home, its result, its errors."""

    line: int
    address_id: str | None = None
    references: list[str] = field(default_factory=list)
    risk_profile: str | None = None
    result: Result | None = None
    errors: list[tuple[str | None, object]] = field(default_factory=list)


def _parse_date(raw: str) -> date | None:
    if not raw:
        return None
    dutch = _DUTCH_DATE.match(raw)
    iso = _ISO_DATE.match(raw)
    if not (iso or dutch):
        raise fields.FieldError(_l("'%(value)s' is not a date as YYYY-MM-DD or DD-MM-YYYY",
                                   value=raw))
    year, month, day = (iso[1], iso[2], iso[3]) if iso else (dutch[3], dutch[2], dutch[1])
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        raise fields.FieldError(_l("'%(value)s' is not a date that exists", value=raw)) from None
    if value > date.today():
        raise fields.FieldError(_l("%(value)s lies in the future", value=raw))
    return value


def _parse_row(line: int, row: dict[str, str]) -> ResultRow:
    """Check one line on its own: formats, and whether its values fit together."""
    parsed = ResultRow(line)
    raw_id = row.get("nummeraanduiding_id", "")
    if raw_id:
        try:
            parsed.address_id, _padded = fields.register_id(raw_id, "nummeraanduiding")
        except fields.FieldError:
            parsed.errors.append(("nummeraanduiding_id", _l(
                "'%(value)s' is not an address id (16 digits, object type 20)", value=raw_id)))
    raw_request = row.get("verzoek", "")
    if raw_request.upper() in ("P50", "P90"):
        parsed.risk_profile = raw_request.upper()
    elif raw_request:
        # A home with several requests lists them all, separated by spaces.
        tokens = [normalise_reference(t) for t in raw_request.replace(",", " ").split()]
        whole = normalise_reference(raw_request)
        if all(tokens):
            parsed.references = list(dict.fromkeys(tokens))
        elif whole:
            parsed.references = [whole]
        else:
            parsed.errors.append(("verzoek", _l("'%(value)s' is not a request reference",
                                                value=raw_request)))
    if not raw_id and not raw_request:
        parsed.errors.append(("nummeraanduiding_id", _l(
            "give the address id or the request reference")))
    if parsed.risk_profile and not raw_id:
        parsed.errors.append(("nummeraanduiding_id", _l(
            "a P50/P90 line needs the address id")))
    values = {}
    try:
        values["inspected_on"] = _parse_date(row.get("opname_datum", ""))
    except fields.FieldError as error:
        parsed.errors.append(("opname_datum", error.args[0]))
    for column, allowed, target in (("beoordeling", OUTCOMES, "outcome"),
                                    ("advies", ADVICES, "advice")):
        raw = row.get(column, "")
        value = re.sub(r"[\s-]+", "_", raw.lower()) or None
        if value is not None and value not in allowed:
            parsed.errors.append((column, _l("'%(value)s' is not %(allowed)s or empty",
                                             value=raw, allowed=", ".join(allowed))))
        values[target] = value
    if parsed.errors:
        return parsed
    result = Result(**values)
    if result.advice and not result.outcome:
        parsed.errors.append(("advies", _l("an advice needs a beoordeling")))
    elif (result.outcome, result.advice) in _CONTRADICTIONS:
        parsed.errors.append(("advies", _l("'%(advice)s' contradicts beoordeling "
                                           "'%(outcome)s'", advice=result.advice,
                                           outcome=result.outcome)))
    elif result.inspected_on is None and result.outcome is None:
        parsed.errors.append(("opname_datum", _l(
            "no result: opname_datum and beoordeling are both empty")))
    parsed.result = result
    return parsed


@dataclass
class ResultsFile:
    """A results file as read: its encoding and delimiter, its rows, and what refuses it whole."""

    encoding: str = ""
    delimiter: str = ""
    rows: list[ResultRow] = field(default_factory=list)
    missing: list[tuple[str, object]] = field(default_factory=list)


def read_results(path: Path) -> ResultsFile:
    """Read a results file and check each row on its own; missing columns refuse it whole."""
    read = ResultsFile()
    try:
        shape, lines = csvfiles.read_rows(Path(path), REQUIRED, KNOWN)
    except csvfiles.MissingColumns as error:
        read.missing = [(column, _l("required column is missing")) for column in error.missing]
        return read
    read.encoding, read.delimiter = shape.encoding, shape.delimiter
    if not any(c in shape.columns for c in ID_COLUMNS):
        deque(lines, maxlen=0)  # read to the end, so the file is closed
        read.missing.append(("nummeraanduiding_id", _l(
            "required column is missing: nummeraanduiding_id or verzoek")))
        return read
    read.rows = [_parse_row(line, row) for line, row in lines]
    return read
