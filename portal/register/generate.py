"""A synthetic register of any size: adressen.csv and programma.csv as the data team sends them.

Used for tests, benchmarks and demonstrations. The files follow the register format
(/work/shared/register-format.md) and look like the sample in data/sample/: real
postcode areas, places and municipalities from data/pc4-groningen.csv, made-up streets
and identifiers, and the published risk proportions. Rows are written street stretch by
street stretch as they are made, so memory stays flat for millions of addresses, and
one seed always gives the same files.
"""

from __future__ import annotations

import bisect
import csv
import math
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from portal.register import generate_data as data
from portal.register.generate_data import Area, load_areas, mean_stretch

ADDRESSES_FILE = "adressen.csv"
PROGRAMME_FILE = "programma.csv"
ADDRESS_COLUMNS = (
    "nummeraanduiding_id", "verblijfsobject_id", "pand_id", "postcode", "huisnummer",
    "huisletter", "huisnummertoevoeging", "straat", "woonplaats", "gemeentecode",
    "gemeentenaam", "bouwjaar", "gebruiksdoel", "lat", "lon",
)
PROGRAMME_COLUMNS = (
    "nummeraanduiding_id", "risicoprofiel", "batch", "opname_datum", "advies", "typologie",
)

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
POSTCODE_LETTERS = tuple(
    a + b for a in _ALPHABET for b in _ALPHABET if a + b not in ("SA", "SD", "SS")
)
_OBJECT_TYPES = {"address": "20", "unit": "01", "building": "10"}
_FIRST_INSPECTION = date(2016, 1, 1).toordinal()
_LAST_INSPECTION = date(2019, 12, 31).toordinal()
_HOUSE_NUMBER_LIMIT = 99_000



class _Street:
    """One street in a postcode area: where its next numbers are and its postcode now."""

    __slots__ = ("name", "next_number", "postcode", "filled", "capacity", "lat", "lon",
                 "dlat", "dlon")

    def __init__(self, name: str, lat: float, lon: float, heading: float, step_m: float):
        self.name = name
        self.next_number = [1, 2]  # odd side, even side
        self.postcode: str | None = None
        self.filled = 0
        self.capacity = 0
        self.lat, self.lon = lat, lon
        self.dlat = step_m * math.cos(heading) / 111_320
        self.dlon = step_m * math.sin(heading) / (111_320 * math.cos(math.radians(lat)))

    def take(self, side: int, step: int) -> int:
        """Return the next house number on one side and move past it."""
        number = self.next_number[side]
        self.next_number[side] = number + step
        return number


class _PostcodeArea:
    """The streets of one four-digit area and which of its postcodes are taken."""

    def __init__(self, area: Area, names: list[str], roads: list[str], min_fill: int,
                 start: int):
        self.area = area
        self.names, self.roads = names, roads
        self.min_fill = min_fill
        self.streets: dict[str, _Street] = {}
        self.with_postcode: list[_Street] = []
        self.next_letters = start
        self.used = 0
        self.last: _Street | None = None


@dataclass
class _Stretch:
    """What the risk model and the operation decided for one stretch of a street."""

    risk: str | None
    batch: str | None
    survey: bool
    campaign: int


class _RegisterWriter:
    """Writes both files, one street stretch at a time, from one random sequence."""

    def __init__(self, addresses_out, programme_out, *, addresses: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.addresses = csv.writer(addresses_out, lineterminator="\n")
        self.programme = csv.writer(programme_out, lineterminator="\n")
        self.addresses.writerow(ADDRESS_COLUMNS)
        self.programme.writerow(PROGRAMME_COLUMNS)
        self.remaining = addresses
        self.ids: dict[tuple[str, str], int] = {}
        self.counts = {"addresses": 0, "buildings": 0, "programme_rows": 0, "p50": 0,
                       "p90": 0, "effect_area_addresses": 0}
        self.areas = load_areas()
        self.cumulative = self._draw_weights()
        names, roads = data.street_names()
        total = sum(area.weight for area in self.areas)
        self.postcode_areas = self._postcode_areas(names, roads, addresses, total)

    def _postcode_areas(self, names, roads, addresses, total) -> list[_PostcodeArea]:
        """Give each postcode area its own street names: unique within a place."""
        by_place: dict[str, list[Area]] = {}
        for area in self.areas:
            by_place.setdefault(area.place, []).append(area)
        result = {}
        for place, areas in by_place.items():
            # Seeded by place, so a place keeps its streets whatever else is generated.
            local = random.Random(f"{self.seed}:{place}")
            shuffled = local.sample(names, len(names))
            road_pool = local.sample(roads, len(roads))
            per_area = {"city": 25, "town": 30, "village": 12}[areas[0].size]
            for index, area in enumerate(areas):
                own = shuffled[index::len(areas)][:per_area]
                own_roads = [r for r in road_pool[index::len(areas)] if r not in own][:4]
                expected = addresses * area.weight / total
                # Large registers need fuller postcodes, or an area runs out of them.
                min_fill = math.ceil(expected * 1.3 / len(POSTCODE_LETTERS))
                result[area.pc4] = _PostcodeArea(area, own, own_roads, min_fill,
                                                 local.randrange(len(POSTCODE_LETTERS)))
        return [result[area.pc4] for area in self.areas]

    def _draw_weights(self) -> list[float]:
        """Cumulative chances to draw each area for the next stretch.

        A city stretch of flats holds far more addresses than a village one, so an
        area's share of addresses is divided by its mean stretch.
        """
        cumulative, total = [], 0.0
        for area in self.areas:
            total += area.weight / mean_stretch(area.size)
            cumulative.append(total)
        return cumulative

    def run(self) -> dict:
        """Write stretches in randomly chosen areas until the requested count is reached."""
        while self.remaining > 0:
            target = self.rng.random() * self.cumulative[-1]
            self._stretch(self.postcode_areas[bisect.bisect_left(self.cumulative, target)])
        return self.counts

    # -- streets and postcodes -------------------------------------------------------

    def _street(self, pca: _PostcodeArea, road: bool) -> _Street:
        """Continue the last street, or open one of the area's (road) names."""
        rng = self.rng
        if pca.last is not None and not road and rng.random() < 0.5 \
                and max(pca.last.next_number) < _HOUSE_NUMBER_LIMIT:
            return pca.last
        for _ in range(100):
            name = rng.choice(pca.roads if road and pca.roads else pca.names)
            street = pca.streets.get(name)
            if street is None:
                area = pca.area
                spread = {"city": 0.004, "town": 0.006, "village": 0.012}[area.size]
                street = _Street(name, rng.gauss(area.lat, spread), rng.gauss(area.lon, spread),
                                 rng.uniform(0, 2 * math.pi), 12.0 if road else 4.0)
                pca.streets[name] = street
            if max(street.next_number) < _HOUSE_NUMBER_LIMIT:
                pca.last = street
                return street
        raise RuntimeError(f"postcode area {pca.area.pc4} has no house numbers left")

    def _postcode(self, pca: _PostcodeArea, street: _Street, fresh: bool) -> _Street:
        """Give the street a postcode with room; return the street that got one.

        A postcode only ever belongs to one street whose numbers only go up, which is
        what keeps (postcode, number, letter, addition) unique without remembering them.
        """
        if street.postcode is not None and street.filled < street.capacity and not fresh:
            return street
        if pca.used < len(POSTCODE_LETTERS):
            letters = POSTCODE_LETTERS[(pca.next_letters + pca.used) % len(POSTCODE_LETTERS)]
            pca.used += 1
            if street.postcode is None:
                pca.with_postcode.append(street)
            street.postcode = pca.area.pc4 + letters
            street.filled = 0
            street.capacity = max(self.rng.randint(8, 25), pca.min_fill)
            return street
        if street.postcode is None:
            street = self.rng.choice(pca.with_postcode)
            pca.last = street
        return street

    # -- stretches and buildings -----------------------------------------------------

    def _stretch(self, pca: _PostcodeArea) -> None:
        """Write one stretch of a street: homes of one kind and period, or a farm."""
        rng, area = self.rng, pca.area
        kinds = data.SEGMENT_MIX[area.size]
        kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
        road = kind == "boerderij" or (kind == "vrijstaand" and area.size == "village"
                                       and rng.random() < 0.5)
        street = self._postcode(pca, self._street(pca, road), fresh=kind == "flat")
        first, last = rng.choices(data.PERIODS, weights=data.PERIOD_WEIGHTS[kind])[0]
        year = rng.randint(first, last)
        stretch = self._decide(area, kind)
        side = rng.randrange(2)
        if kind in ("rijwoning", "twee-onder-een-kap"):
            count = rng.randint(4, 16) if kind == "rijwoning" else 2 * rng.randint(1, 6)
            typology = f"{kind}-{year // 10 * 10}"
            split = kind == "rijwoning" and year < 1940 and area.size != "village"
            for _ in range(count):
                number = street.take(side, 2)
                built = year + rng.randint(0, 2)
                if split and rng.random() < 0.15:
                    # Older town houses split into a downstairs and an upstairs home.
                    units = [(number, "A", ""), (number, "B", "")]
                else:
                    units = [(number, "", "")]
                self._building(area, street, units, built, "woonfunctie", typology, stretch)
        elif kind == "vrijstaand":
            for _ in range(rng.randint(2, 10)):
                number = street.take(side, 2 * rng.randint(1, 3))
                built = rng.randint(first, last)
                self._building(area, street, [(number, "", "")], built, "woonfunctie",
                               f"vrijstaand-{built // 10 * 10}", stretch)
        elif kind == "flat":
            self._flats(area, street, side, year, stretch)
        else:
            self._farm(area, street, side, year, stretch)

    def _flats(self, area: Area, street: _Street, side: int, year: int,
               stretch: _Stretch) -> None:
        """Write one to three identical blocks of flats: one building, many addresses."""
        rng = self.rng
        size = rng.randint(10, 60)
        typology = f"flat-{'hoog' if size >= 30 else 'laag'}-{year // 10 * 10}"
        entrances = max(1, min(4, size // rng.randint(8, 20)))
        by_letter = rng.random() < 0.3
        if by_letter:
            # One letter per home behind an entrance: keep it well inside A to Z.
            entrances = max(entrances, math.ceil(size / 20))
        for _ in range(rng.randint(1, 3)):
            units = []
            for entrance in range(entrances):
                number = street.take(side, 2)
                homes = size // entrances + (1 if entrance < size % entrances else 0)
                for home in range(homes):
                    if by_letter:
                        units.append((number, _ALPHABET[home], ""))
                    else:
                        units.append((number, "", str(home + 1)))
            self._building(area, street, units, year, "woonfunctie", typology, stretch)

    def _farm(self, area: Area, street: _Street, side: int, year: int,
              stretch: _Stretch) -> None:
        """Write a farm: the farm home and one to three farm business buildings."""
        rng = self.rng
        number = street.take(side, 2 * rng.randint(1, 10))
        home = self._building(area, street, [(number, "", "")], year, "woonfunctie",
                              f"boerderij-{year // 10 * 10}", stretch)
        for index in range(rng.randint(1, 3)):
            if rng.random() < 0.5:
                unit = (number, _ALPHABET[index], "")
            else:
                unit = (street.take(side, 2), "", "")
            built = rng.randint(year, 2015)
            use = "industriefunctie" if rng.random() < 0.6 else "overige gebruiksfunctie"
            # Farm business buildings are named in the programme with their farm (same
            # inspection and batch) but carry no risk profile: that covers homes only.
            shared = home and (None, *home[1:4], f"boerderij-{built // 10 * 10}")
            self._building(area, street, [unit], built, use, None, stretch, programme=shared)

    def _decide(self, area: Area, kind: str) -> _Stretch:
        """Decide what the operation knows of a stretch, so neighbours share it."""
        rng = self.rng
        risk = batch = None
        if area.effect_area:
            factor = data.FLAT_RISK_FACTOR if kind == "flat" else 1.0
            if rng.random() < area.risk_rate * data.RISK_SCALE * factor / data.RISK_IN_STRETCH:
                risk = "P50" if rng.random() < area.p50_share else "P90"
            if rng.random() < area.batch_rate * data.BATCH_SCALE * factor:
                batch = rng.choices([b for b, _ in area.batches],
                                    weights=[w for _, w in area.batches])[0]
            survey = rng.random() < data.TYPOLOGY_SURVEY
        else:
            survey = rng.random() < 0.003
        return _Stretch(risk, batch, survey, rng.randint(_FIRST_INSPECTION, _LAST_INSPECTION))

    def _programme(self, area: Area, typology: str, stretch: _Stretch) -> tuple | None:
        """Return (risk, batch, date, advice, typology) of a home, or None if not known."""
        rng = self.rng
        risk = None
        if stretch.risk and rng.random() < data.RISK_IN_STRETCH:
            risk = stretch.risk
            if rng.random() < 0.1:
                risk = "P90" if risk == "P50" else "P50"
        batch = stretch.batch if stretch.batch and rng.random() < 0.9 else None
        if risk == "P50":
            chance, advices = 0.75, (0.55, 0.10)
        elif risk == "P90":
            chance, advices = 0.15, (0.40, 0.20)
        elif batch:
            chance, advices = 0.8, (0.50, 0.20)
        else:
            # About 1,500 inspected homes per 150,000 outside the risk categories,
            # more of them where the risk is higher.
            chance = 0.008 + 0.06 * area.risk_rate if area.effect_area else 0.0005
            advices = (0.30, 0.25)
        inspected = advice = ""
        if rng.random() < chance:
            day = min(max(stretch.campaign + rng.randint(-60, 60), _FIRST_INSPECTION),
                      _LAST_INSPECTION)
            inspected = date.fromordinal(day).isoformat()
            draw = rng.random()
            advice = ("versterken" if draw < advices[0]
                      else "geen_versterking" if draw < advices[0] + advices[1] else "")
        known = risk or batch or inspected
        if not (known or stretch.survey):
            return None
        shown = typology if stretch.survey or rng.random() < 0.9 else ""
        return (risk, batch or "", inspected, advice, shown)

    def _building(self, area: Area, street: _Street, units: list, built: int, use: str,
                  typology: str | None, stretch: _Stretch,
                  programme: tuple | None = None) -> tuple | None:
        """Write one building's addresses and programme rows; return its programme values."""
        if self.remaining <= 0:
            return None
        units = units[:self.remaining]
        rng = self.rng
        issuer = data.ISSUER_BY_PLACE.get(area.place)
        code = issuer[0] if issuer and built < issuer[1] else area.code
        if typology is not None:
            programme = self._programme(area, typology, stretch)
        building_id = self._next_id(code, "building")
        # Positions repeat every 400 numbers, so a very long street stays in its area.
        position = units[0][0] % 400
        lat = street.lat + position * street.dlat
        lon = street.lon + position * street.dlon
        counts = self.counts
        counts["buildings"] += 1
        for house_number, letter, addition in units:
            address_id = self._next_id(code, "address")
            # Units of one building lie a few metres apart inside it.
            self.addresses.writerow((
                address_id, self._next_id(code, "unit"), building_id, street.postcode,
                house_number, letter, addition, street.name, area.place, area.code,
                area.municipality, built, use,
                f"{lat + rng.uniform(-3e-5, 3e-5):.6f}", f"{lon + rng.uniform(-5e-5, 5e-5):.6f}",
            ))
            if programme is not None:
                risk = programme[0]
                self.programme.writerow((address_id, risk or "", *programme[1:]))
                counts["programme_rows"] += 1
                if risk == "P50":
                    counts["p50"] += 1
                elif risk == "P90":
                    counts["p90"] += 1
        street.filled += len(units)
        self.remaining -= len(units)
        counts["addresses"] += len(units)
        if area.effect_area:
            counts["effect_area_addresses"] += len(units)
        return programme

    def _next_id(self, code: str, kind: str) -> str:
        """Return the next free id of a kind issued by a municipality, with gaps as in BAG."""
        key = (code, kind)
        current = self.ids.get(key)
        if current is None:
            current = 1_000_000 + self.rng.randrange(50_000)
        else:
            # Ids of withdrawn objects are never reused, so numbers have gaps.
            current += 1 if self.rng.random() < 0.7 else 2
        self.ids[key] = current
        return f"{code}{_OBJECT_TYPES[kind]}{current:010d}"


def write_register(out_dir: Path, *, addresses: int, seed: int) -> dict:
    """Write adressen.csv and programma.csv with this many addresses; return a summary."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    addresses_path = out_dir / ADDRESSES_FILE
    programme_path = out_dir / PROGRAMME_FILE
    with addresses_path.open("w", encoding="utf-8", newline="") as addresses_out, \
            programme_path.open("w", encoding="utf-8", newline="") as programme_out:
        writer = _RegisterWriter(addresses_out, programme_out, addresses=addresses, seed=seed)
        summary = writer.run()
    return {**summary, "files": [str(addresses_path), str(programme_path)]}
