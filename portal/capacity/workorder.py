"""A cluster's work order for the inspection organisation: a CSV file and a PDF overview.

The work order leaves the portal, so it carries only what the inspection organisation
needs to plan and do the work (domain rule 8): where each home is, which building, what
kind of work, in which week, which request it answers, and a phone number to make the
appointment when the resident gave one. Never a name, an email address, or anything a
resident typed in their own words.

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
- `telefoon`: the resident's phone number, only when they gave one
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
           "verzoek", "telefoon")
KIND_WORDS = {"inspection": "opname", "assessment": "beoordeling"}
# A spreadsheet runs a cell that starts with one of these as a formula; a street typed by
# a resident (an address outside the register) must never become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """The value as a spreadsheet shows it as text, never as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def home_row(home: Home, kind: str) -> dict[str, str]:
    """One home as a row of the work order, with exactly the documented columns."""
    references = " ".join(format_reference(r.reference) for r in home.requests)
    phones = []
    for req in home.requests:
        if req.phone and req.phone not in phones:
            phones.append(req.phone)
    return {
        "nummeraanduiding_id": home.nummeraanduiding_id or "",
        "adres": home.street_address,
        "postcode": home.postcode,
        "woonplaats": home.woonplaats,
        "pand_id": home.pand_id or "",
        "soort": KIND_WORDS[kind],
        "week": home.week.isoformat() if home.week else "",
        "verzoek": references or (home.risk_profile or ""),
        "telefoon": " ".join(phones),
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

    It leaves out phone numbers: a printed overview travels further than the CSV the
    planners use to make appointments.
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
