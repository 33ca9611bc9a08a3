"""The synthetic register: the format of register-format.md, realistic shape and shares."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.register.generate import ADDRESS_COLUMNS, PROGRAMME_COLUMNS, write_register
from portal.register.models import Address, ProgrammeStatus

PC4_TABLE = Path(__file__).resolve().parents[2] / "portal" / "register" / "data" / \
    "pc4-groningen.csv"

ADDRESS_ID = re.compile(r"^\d{4}20\d{10}$")
UNIT_ID = re.compile(r"^\d{4}01\d{10}$")
BUILDING_ID = re.compile(r"^\d{4}10\d{10}$")
POSTCODE = re.compile(r"^[1-9]\d{3}(?!SA|SD|SS)[A-Z]{2}$")
HOUSE_NUMBER = re.compile(r"^[1-9]\d{0,4}$")
LETTER = re.compile(r"^[A-Z]?$")
ADDITION = re.compile(r"^[A-Z0-9]{0,4}$")
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
YEAR = re.compile(r"^(1[89]\d\d|20[0-2]\d)$")
COORDINATE = re.compile(r"^\d{1,2}\.\d{6}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@cache
def _pc4_table() -> dict[str, dict]:
    with PC4_TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["pc4"]: row for row in csv.DictReader(handle)}


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


class Register:
    """A generated register read back: its summary, header and rows."""

    def __init__(self, out_dir: Path, addresses: int, seed: int) -> None:
        self.summary = write_register(out_dir, addresses=addresses, seed=seed)
        self.addresses_path = out_dir / "adressen.csv"
        self.programme_path = out_dir / "programma.csv"
        self.address_header, self.addresses = _read(self.addresses_path)
        self.programme_header, self.programme = _read(self.programme_path)
        self.by_id = {row["nummeraanduiding_id"]: row for row in self.addresses}

    def in_effect_area(self, row: dict) -> bool:
        return _pc4_table()[row["postcode"][:4]]["effect_area"] == "yes"


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Register:
    """A register of 20,000 addresses, written once for the format checks."""
    return Register(tmp_path_factory.mktemp("register"), 20_000, seed=7)


@pytest.fixture(scope="module")
def large_register(tmp_path_factory) -> Register:
    """A register of 60,000 addresses: enough for the risk shares to settle."""
    return Register(tmp_path_factory.mktemp("large"), 60_000, seed=7)


def test_same_seed_writes_the_same_files_and_another_seed_does_not(tmp_path):
    first = write_register(tmp_path / "a", addresses=3000, seed=11)
    second = write_register(tmp_path / "b", addresses=3000, seed=11)
    other = write_register(tmp_path / "c", addresses=3000, seed=12)

    for name in ("adressen.csv", "programma.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "adressen.csv").read_bytes() \
        != (tmp_path / "c" / "adressen.csv").read_bytes()
    assert {k: v for k, v in first.items() if k != "files"} \
        == {k: v for k, v in second.items() if k != "files"}
    assert other["addresses"] == 3000


def test_writes_the_requested_rows_and_reports_them(register):
    summary = register.summary

    assert register.address_header == list(ADDRESS_COLUMNS)
    assert register.programme_header == list(PROGRAMME_COLUMNS)
    assert len(register.addresses) == summary["addresses"] == 20_000
    assert len(register.programme) == summary["programme_rows"]
    assert len({row["pand_id"] for row in register.addresses}) == summary["buildings"]
    risks = Counter(row["risicoprofiel"] for row in register.programme)
    assert (risks["P50"], risks["P90"]) == (summary["p50"], summary["p90"])
    assert summary["files"] == [str(register.addresses_path), str(register.programme_path)]


@pytest.mark.parametrize("addresses", [1, 7, 59])
def test_small_counts_are_exact(tmp_path, addresses):
    summary = write_register(tmp_path, addresses=addresses, seed=3)

    _, rows = _read(tmp_path / "adressen.csv")
    assert len(rows) == summary["addresses"] == addresses


def test_every_address_row_keeps_the_register_format(register):
    pc4 = _pc4_table()
    problems = []
    for line, row in enumerate(register.addresses, start=2):
        area = pc4.get(row["postcode"][:4])
        checks = {
            "nummeraanduiding_id": ADDRESS_ID.match(row["nummeraanduiding_id"]),
            "verblijfsobject_id": UNIT_ID.match(row["verblijfsobject_id"]),
            "pand_id": BUILDING_ID.match(row["pand_id"]),
            "postcode": POSTCODE.match(row["postcode"]) and area is not None,
            "huisnummer": HOUSE_NUMBER.match(row["huisnummer"]),
            "huisletter": LETTER.match(row["huisletter"]),
            "huisnummertoevoeging": ADDITION.match(row["huisnummertoevoeging"]),
            "straat": 0 < len(row["straat"]) <= 200,
            "woonplaats": area is not None and row["woonplaats"] == area["place"],
            "gemeentecode": MUNICIPALITY_CODE.match(row["gemeentecode"]) and area is not None
            and "GM" + row["gemeentecode"] == area["municipality_code"],
            "gemeentenaam": area is not None and row["gemeentenaam"] == area["municipality"],
            "bouwjaar": YEAR.match(row["bouwjaar"]) and int(row["bouwjaar"]) <= date.today().year,
            "gebruiksdoel": row["gebruiksdoel"] in (
                "woonfunctie", "industriefunctie", "overige gebruiksfunctie"),
            "lat": COORDINATE.match(row["lat"]) and 52.8 < float(row["lat"]) < 53.6,
            "lon": COORDINATE.match(row["lon"]) and 6.0 < float(row["lon"]) < 7.4,
        }
        problems.extend((line, column) for column, ok in checks.items() if not ok)

    assert problems == []


def test_ids_and_address_keys_are_unique(register):
    rows = register.addresses
    keys = Counter((r["postcode"], r["huisnummer"], r["huisletter"], r["huisnummertoevoeging"])
                   for r in rows)

    assert len(register.by_id) == len(rows)
    assert len({r["verblijfsobject_id"] for r in rows}) == len(rows)
    assert [key for key, count in keys.items() if count > 1] == []


def test_every_programme_row_keeps_the_register_format(register):
    problems = []
    for line, row in enumerate(register.programme, start=2):
        day = row["opname_datum"]
        checks = {
            "nummeraanduiding_id": row["nummeraanduiding_id"] in register.by_id,
            "risicoprofiel": row["risicoprofiel"] in ("P50", "P90", ""),
            "batch": row["batch"] in ("1467", "1581", "1588", ""),
            "opname_datum": day == "" or (
                DATE.match(day) and date(2016, 1, 1) <= date.fromisoformat(day)
                <= date(2019, 12, 31)),
            "advies": row["advies"] in ("versterken", "geen_versterking", ""),
            "typologie": len(row["typologie"]) <= 60,
        }
        problems.extend((line, column) for column, ok in checks.items() if not ok)

    assert problems == []
    assert len({row["nummeraanduiding_id"] for row in register.programme}) \
        == len(register.programme)


def test_flats_are_one_building_with_many_lettered_or_numbered_addresses(register):
    per_building = defaultdict(list)
    for row in register.addresses:
        per_building[row["pand_id"]].append(row)
    flats = [rows for rows in per_building.values() if len(rows) >= 10]

    assert flats
    assert max(len(rows) for rows in flats) <= 60
    assert all(all(r["huisletter"] or r["huisnummertoevoeging"] for r in rows) for rows in flats)
    assert any(rows[0]["huisletter"] for rows in flats)
    assert any(rows[0]["huisnummertoevoeging"] for rows in flats)


def test_farms_have_business_buildings_and_homes_come_in_every_kind(register):
    uses = Counter(row["gebruiksdoel"] for row in register.addresses)
    typologies = {row["typologie"].rsplit("-", 1)[0] for row in register.programme
                  if row["typologie"]}

    assert uses["industriefunctie"] > 0 and uses["overige gebruiksfunctie"] > 0
    assert uses["woonfunctie"] > 0.9 * len(register.addresses)
    assert {"rijwoning", "twee-onder-een-kap", "vrijstaand", "flat-hoog", "flat-laag",
            "boerderij"} <= typologies


def test_ids_keep_the_issuing_municipality_not_the_current_one(register):
    issuers = Counter(row["nummeraanduiding_id"][:4] for row in register.addresses
                      if row["gemeentecode"] == "1979")

    assert {"0003", "0010", "0024"} <= set(issuers)
    assert set(issuers) <= {"0003", "0010", "0024", "1979"}


def test_street_names_carry_apostrophes_dots_and_diacritics(register):
    streets = {row["straat"] for row in register.addresses}

    assert any("'" in name for name in streets)
    assert any("." in name for name in streets)
    assert any(not name.isascii() for name in streets)


def test_addresses_of_one_building_share_its_programme_values(register):
    values_per_building = defaultdict(set)
    for row in register.programme:
        building = register.by_id[row["nummeraanduiding_id"]]["pand_id"]
        values_per_building[building].add(tuple(v for k, v in row.items()
                                                if k != "nummeraanduiding_id"))
    rows_per_building = Counter(register.by_id[r["nummeraanduiding_id"]]["pand_id"]
                                for r in register.programme)
    addresses_per_building = Counter(row["pand_id"] for row in register.addresses)

    assert [b for b, values in values_per_building.items() if len(values) > 1] == []
    assert [b for b, n in rows_per_building.items() if n != addresses_per_building[b]] == []


def test_identical_neighbours_share_a_typology(register):
    per_street = defaultdict(list)
    for row in register.programme:
        address = register.by_id[row["nummeraanduiding_id"]]
        if row["typologie"]:
            per_street[(address["postcode"], address["straat"])].append(row["typologie"])
    shared = [types for types in per_street.values()
              if len(types) >= 4 and Counter(types).most_common(1)[0][1] >= 4]

    assert len(shared) >= 20


def test_risk_shares_follow_the_published_proportions(large_register):
    effect_area = [r for r in large_register.addresses if large_register.in_effect_area(r)]
    risk = [r for r in large_register.programme if r["risicoprofiel"]]
    p50 = sum(r["risicoprofiel"] == "P50" for r in risk)
    risk_buildings = {large_register.by_id[r["nummeraanduiding_id"]]["pand_id"] for r in risk}

    # About 15,500 addresses of 11,500 buildings in P50/P90 per 150,000 in the area.
    assert 0.45 <= len(effect_area) / len(large_register.addresses) <= 0.65
    assert 0.07 <= len(risk) / len(effect_area) <= 0.14
    assert 0.20 <= p50 / len(risk) <= 0.50
    assert 1.1 <= len(risk) / len(risk_buildings) <= 1.8


def test_programme_history_follows_the_operation(large_register):
    rows = large_register.programme
    effect_area = sum(large_register.in_effect_area(r) for r in large_register.addresses)
    outside = [r for r in rows if not large_register.in_effect_area(
        large_register.by_id[r["nummeraanduiding_id"]])]
    p50 = [r for r in rows if r["risicoprofiel"] == "P50"]
    reassessment = [r for r in rows if r["opname_datum"] and not r["risicoprofiel"]
                    and not r["batch"]]

    assert {"1467", "1581", "1588"} <= {r["batch"] for r in rows}
    assert 0.01 <= sum(bool(r["batch"]) for r in rows) / effect_area <= 0.06
    # About 1,500 inspected homes per 150,000 outside the risk categories; most P50.
    assert 0.004 <= len(reassessment) / effect_area <= 0.02
    assert sum(bool(r["opname_datum"]) for r in p50) / len(p50) >= 0.6
    assert {r["advies"] for r in rows if r["opname_datum"]} \
        == {"versterken", "geen_versterking", ""}
    assert len(outside) <= 0.02 * (len(large_register.addresses) - effect_area)
    assert all(not r["risicoprofiel"] and not r["batch"] for r in outside)


def test_memory_stays_flat_as_the_register_grows(tmp_path):
    def peak_rss_kb(addresses: int) -> int:
        # A process of its own, so the peak is the generator's and nothing else's.
        script = (
            "import resource, sys; from pathlib import Path; "
            "from portal.register.generate import write_register; "
            f"write_register(Path(sys.argv[1]), addresses={addresses}, seed=5); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        result = subprocess.run([sys.executable, "-c", script, str(tmp_path / str(addresses))],
                                capture_output=True, text=True, check=True)
        return int(result.stdout)

    small, large = peak_rss_kb(10_000), peak_rss_kb(100_000)

    # Street state grows until every area has opened its streets, then stops.
    assert large - small < 10_000


def test_generated_files_import_cleanly(session, tmp_path):
    from portal.register.importer import import_register

    summary = write_register(tmp_path, addresses=5000, seed=21)
    files = {"addresses": tmp_path / "adressen.csv", "programme": tmp_path / "programma.csv"}

    report = import_register(session, **files, skip_invalid=False)
    again = import_register(session, **files, skip_invalid=False)

    assert report.refused is False, report.render()
    assert report.counts["addresses"]["added"] == summary["addresses"]
    assert report.counts["programme"]["added"] == summary["programme_rows"]
    assert session.scalar(select(func.count()).select_from(Address)) == summary["addresses"]
    assert session.scalar(select(func.count()).select_from(ProgrammeStatus)) \
        == summary["programme_rows"]
    assert again.counts["addresses"]["unchanged"] == summary["addresses"]
