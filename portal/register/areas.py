"""The province and the area served: which postcodes and municipalities the desk is for.

Comes from the shipped postcode table (data/pc4-groningen.csv, MIT licence, see
data/LICENSE-pc4-source.txt): every four-digit postcode of the province of Groningen with
its municipality, and an effect_area column that marks the municipalities that were
eligible when the desk opened in 2020. The desk now serves the whole province by default
("bij voorkeur voor de gehele provincie"); SERVED_MUNICIPALITIES narrows it.
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


@cache
def _postcode_table() -> dict[str, str]:
    with (DATA / "pc4-groningen.csv").open(encoding="utf-8", newline="") as handle:
        return {row["pc4"]: row["municipality_code"].removeprefix("GM").zfill(4)
                for row in csv.DictReader(handle)}


def province_municipalities() -> frozenset[str]:
    """The four-digit codes of every municipality in the province of Groningen."""
    return frozenset(_postcode_table().values())


def in_province(postcode: str) -> bool:
    """True when the postcode (9936AB or 9936) lies in the province of Groningen."""
    return postcode[:4] in _postcode_table()


def municipality_of_postcode(postcode: str) -> str | None:
    """The four-digit municipality code of a postcode in the province, or None."""
    return _postcode_table().get(postcode[:4])
