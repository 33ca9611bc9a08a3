"""A cluster's work order for the inspection organisation: a CSV file and a PDF overview.

The work order leaves the portal, so it carries only what the inspection organisation
needs to plan and do the work (domain rule 8): where each home is, which building, what
kind of work, in which week, which request it answers, and — as the privacy statement
tells residents — their name and how to reach them, to make the appointment. Never
anything a resident typed in their own words (their reasons, a description of damage).

Columns of the CSV, in this order (Dutch, like the register files the same data team
reads, and like the results file that comes back):

- `nummeraanduiding_id`: the address id (empty for an address not in the register)
- `adres`: street and house number, e.g. `Hoofdstraat 20A-2`
- `postcode`, `woonplaats`
- `pand_id`: the building; addresses with one pand_id are one building
- `soort`: `opname` (inspection) or `beoordeling` (assessment)
- `week`: the Monday of the booked week (YYYY-MM-DD); empty for a P50/P90 address the
  local steering group added, which is planned in the capacity reserved for risk work
- `verzoek`: the request reference(s), space-separated; `P50` or `P90` for an added address
- `naam`: the name of the resident(s) who asked, ` / ` between two
- `telefoon`: their phone number(s) when they gave one, written the Dutch way
  (`06 12345678`, `050 1234567`; a foreign number as `00 49301234567`) so a spreadsheet
  shows it as text: not as a formula (a leading `+`), not as a number without its 0
- `email`: their email address(es) when they gave one

Every other cell that starts like a formula (`=`, `+`, `-`, `@`, a tab or a return) gets
a leading `'`, so a spreadsheet shows it as text.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session

from portal.capacity.clusters import Home, cluster_homes
from portal.capacity.models import Cluster
from portal.letters.render import render_pdf
from portal.requests.reference import format_reference

COLUMNS = ("nummeraanduiding_id", "adres", "postcode", "woonplaats", "pand_id", "soort", "week",
           "verzoek", "naam", "telefoon", "email")
# Between two values in one cell: a home with two requests (owner and tenant).
BETWEEN = " / "
# Dutch area codes of two digits after the 0 (050 Groningen); the others have three
# (0596 Appingedam), mobile numbers start with 06.
_SHORT_AREA_CODES = frozenset({
    "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45",
    "46", "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
    "85", "88", "91"})
KIND_WORDS = {"inspection": "opname", "assessment": "beoordeling"}
# A spreadsheet runs a cell that starts with one of these as a formula; a street typed by
# a resident (an address outside the register) must never become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """The value as a spreadsheet shows it as text, never as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def phone_as_text(phone: str) -> str:
    """A phone number as a Dutch spreadsheet shows it as text: `+31612345678` → `06 12345678`.

    A national number starts with 0 and has a space after the area code, so it is neither a
    formula nor a number that loses its 0; a foreign one starts with 00 instead of +.
    Anything else is kept as typed (the CSV's formula guard still applies).
    """
    compact = "".join(c for c in phone if not c.isspace() and c not in "-.()")
    if compact.startswith("+31"):
        compact = "0" + compact[3:]
    elif compact.startswith("0031"):
        compact = "0" + compact[4:]
    elif compact.startswith("+") and compact[1:].isdigit():
        return "00 " + compact[1:]
    if compact.startswith("00") and compact[2:].isdigit() and len(compact) > 2:
        return "00 " + compact[2:]
    if not (compact.startswith("0") and compact.isdigit() and len(compact) > 4):
        return phone
    area = 2 if compact[1] == "6" else 3 if compact[1:3] in _SHORT_AREA_CODES else 4
    return f"{compact[:area]} {compact[area:]}"


def _distinct(values) -> str:
    kept: list[str] = []
    for value in values:
        if value and value not in kept:
            kept.append(value)
    return BETWEEN.join(kept)


def home_row(home: Home, kind: str) -> dict[str, str]:
    """One home as a row of the work order, with exactly the documented columns."""
    references = " ".join(format_reference(r.reference) for r in home.requests)
    return {
        "nummeraanduiding_id": home.nummeraanduiding_id or "",
        "adres": home.street_address,
        "postcode": home.postcode,
        "woonplaats": home.woonplaats,
        "pand_id": home.pand_id or "",
        "soort": KIND_WORDS[kind],
        "week": home.week.isoformat() if home.week else "",
        "verzoek": references or (home.risk_profile or ""),
        "naam": _distinct(r.contact_name for r in home.requests),
        "telefoon": _distinct(phone_as_text(r.phone) for r in home.requests if r.phone),
        "email": _distinct(r.email for r in home.requests),
    }


def workorder_rows(session: Session, cluster: Cluster) -> list[dict[str, str]]:
    """The work order of a cluster: one row per home, in street order."""
    return [home_row(home, cluster.kind) for home in cluster_homes(session, cluster)]


def workorder_csv(session: Session, cluster: Cluster) -> bytes:
    """The work order as CSV: UTF-8 with a byte-order mark and semicolons, as Dutch Excel opens."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in workorder_rows(session, cluster):
        writer.writerow({column: safe_cell(value) for column, value in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def workorder_pdf(session: Session, cluster: Cluster, *, language: str = "nl") -> bytes:
    """The work order as an A4 overview in PDF; not a letter, so it is not stored as one.

    It leaves out names, phone numbers and email addresses: a printed overview travels
    further than the CSV the planners use to make appointments.
    """
    rows = workorder_rows(session, cluster)
    return render_pdf("letters/workorder.html", {
        "cluster": cluster, "rows": rows, "kind_word": KIND_WORDS[cluster.kind],
        "buildings": len({r["pand_id"] or r["adres"] for r in rows}),
    }, language=language)


def workorder_filename(cluster: Cluster, extension: str) -> str:
    """A file name that says which cluster and place: `werkopdracht-12-meedhuizen.csv`."""
    place = "".join(c if c.isalnum() else "-" for c in cluster.woonplaats.lower()).strip("-")
    place = place.encode("ascii", "ignore").decode() or "cluster"
    return f"werkopdracht-{cluster.id}-{place}.{extension}"
