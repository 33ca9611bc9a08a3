"""The area served: municipalities eligible for inspection on request.

Comes from the shipped postcode table (data/pc4-groningen.csv, MIT licence, see
data/LICENSE-pc4-source.txt), whose effect_area column marks the municipalities that
were eligible when the desk opened in 2020.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def effect_area_municipalities() -> frozenset[str]:
    """The four-digit codes of municipalities in the effect area."""
    with (DATA / "pc4-groningen.csv").open(encoding="utf-8", newline="") as handle:
        return frozenset(
            row["municipality_code"].removeprefix("GM").zfill(4)
            for row in csv.DictReader(handle)
            if row["effect_area"].strip().lower() == "yes"
        )
