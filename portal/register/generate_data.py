"""What the synthetic register is made from: postcode areas, street names, history, risk.

The figures are chosen so that a generated register looks like the published picture
(about 15,500 addresses in P50/P90 per 150,000 in the effect area, P50 a third of
them, a few thousand addresses in the early batches), not copied from any real file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

PC4_TABLE = Path(__file__).resolve().parent / "data" / "pc4-groningen.csv"

# Relative number of addresses per municipality (current CBS code). Scaled so that the
# effect area holds a bit over half of all addresses, as in the province (300,000
# addresses, an effect area of at least 150,000).
MUNICIPALITY_WEIGHT = {
    "0014": 70, "1952": 27, "1979": 22, "1966": 21, "1895": 18,   # effect area
    "1969": 48, "0037": 27, "0047": 24, "0765": 10, "1950": 20,   # outside it
}

# Places that are towns: their postcode areas hold more addresses, more flats, no farms.
CITIES = frozenset({"Groningen"})
TOWNS = frozenset({
    "Hoogezand", "Sappemeer", "Winschoten", "Delfzijl", "Appingedam", "Veendam",
    "Stadskanaal", "Leek", "Zuidhorn", "Bedum", "Winsum", "Uithuizen", "Musselkanaal",
    "Ter Apel", "Haren Gn", "Wildervank", "Scheemda", "Ten Boer", "Loppersum",
})

# The code of the municipality that issued a place's ids, and the year it merged into
# the municipality of now. BAG ids keep the issuing code; buildings registered after
# the merger get the new one.
_ISSUERS = {
    ("0003", 2021): ["Appingedam"],
    ("0024", 2021): [
        "Loppersum", "Zeerijp", "'t Zandt", "Garrelsweer", "Wirdum Gn", "Eenum",
        "Leermens", "Oosterwijtwerd", "Westeremden", "Stedum", "Garsthuizen",
        "Startenhuizen", "Middelstum", "Huizinge", "Westerwijtwerd", "Toornwerd",
    ],
    ("0010", 2021): [
        "Delfzijl", "Farmsum", "Meedhuizen", "Tjuchem", "Wagenborgen", "Woldendorp",
        "Termunten", "Termunterzijl", "Borgsweer", "Holwierde", "Bierum", "Losdorp",
        "Godlinze", "Spijk Gn", "Krewerd", "'t Waar", "Nieuw Scheemda",
    ],
    ("0017", 2019): ["Haren", "Haren Gn", "Onnen", "Glimmen"],
    ("0009", 2019): [
        "Ten Boer", "Ten Post", "Lellens", "Woltersum", "Sint Annen", "Thesinge",
        "Garmerwolde",
    ],
    ("0005", 2019): ["Bedum", "Noordwolde", "Zuidwolde"],
    ("0053", 2019): [
        "Winsum", "Baflo", "Sauwerd", "Adorp", "Wetsinge", "Onderdendam", "Mensingeweer",
        "Den Andel", "Rasquert", "Saaxumhuizen", "Tinallinge", "Ezinge", "Feerwerd",
        "Garnwerd",
    ],
    ("1651", 2019): [
        "Uithuizen", "Uithuizermeeden", "Roodeschool", "Oudeschip", "Oosternieland",
        "Oldenzijl", "Zijldijk", "Usquert", "Warffum", "Eemshaven", "Rottum", "Kantens",
        "Stitswerd", "Zandeweer", "Eppenhuizen",
    ],
    ("1663", 2019): [
        "Leens", "Ulrum", "Zoutkamp", "Vierhuizen", "Lauwersoog", "Kloosterburen",
        "Hornhuizen", "Pieterburen", "Eenrum", "Westernieland", "Wehe-den Hoorn",
    ],
    ("0018", 2018): [
        "Hoogezand", "Sappemeer", "Kiel-Windeweer", "Kropswolde", "Foxhol", "Westerbroek",
        "Waterhuizen",
    ],
    ("0040", 2018): [
        "Slochteren", "Kolham", "Scharmer", "Harkstede", "Woudbloem", "Froombosch",
        "Lageland", "Luddeweer", "Overschild", "Schildwolde", "Hellum", "Siddeburen",
        "Steendam", "Meerstad",
    ],
    ("1987", 2018): ["Muntendam", "Meeden", "Noordbroek", "Zuidbroek", "Tripscompagnie"],
    ("0048", 2018): ["Ter Apel", "Vlagtwedde", "Bourtange", "Sellingen", "Ter Apelkanaal"],
    ("0007", 2018): ["Bellingwolde", "Oudeschans", "Blijham", "Wedde", "Vriescheloo"],
    ("0022", 2019): ["Leek", "Zevenhuizen", "Midwolde", "Tolbert"],
    ("0025", 2019): ["Marum", "Nuis", "Niebert", "De Wilp", "Jonkersvaart"],
    ("0056", 2019): ["Zuidhorn", "Noordhorn", "Aduard", "Grijpskerk"],
    ("0015", 2019): ["Grootegast", "Opende", "Doezum", "Sebaldeburen", "Lutjegast"],
}
ISSUER_BY_PLACE: dict[str, tuple[str, int]] = {
    place: issuer for issuer, places in _ISSUERS.items() for place in places
}

# Share of homes in P50/P90 and the part of those in P50, before calibration. Highest
# around Loppersum, where the field is shallowest; Meedhuizen and Wagenborgen follow
# the published proportions of their villages.
RISK_BY_MUNICIPALITY = {
    "1979": (0.16, 0.30), "1966": (0.08, 0.30), "1952": (0.06, 0.28), "0014": (0.035, 0.28),
    "1895": (0.03, 0.28),
}
RISK_BY_PLACE = {
    "Meedhuizen": (0.98, 0.47), "Wagenborgen": (0.95, 0.08), "Loppersum": (0.45, 0.34),
    "Zeerijp": (0.6, 0.34), "'t Zandt": (0.55, 0.34), "Garrelsweer": (0.5, 0.32),
    "Wirdum Gn": (0.5, 0.32), "Westeremden": (0.5, 0.32), "Eenum": (0.5, 0.32),
    "Leermens": (0.5, 0.32), "Oosterwijtwerd": (0.5, 0.32), "Stedum": (0.4, 0.35),
    "Middelstum": (0.35, 0.35), "Huizinge": (0.5, 0.34), "Westerwijtwerd": (0.5, 0.34),
    "Appingedam": (0.3, 0.25), "Ten Boer": (0.18, 0.30), "Ten Post": (0.25, 0.30),
    "Overschild": (0.3, 0.30), "Schildwolde": (0.15, 0.30), "Garsthuizen": (0.4, 0.32),
}

# Share of homes in the early batches, and how a municipality's batch homes divide
# over batch 1467 (the core, from 2015), 1581 and 1588 (2017-2018, wider).
BATCH_BY_MUNICIPALITY = {
    "1979": (0.07, {"1467": 0.4, "1581": 0.35, "1588": 0.25}),
    "1966": (0.035, {"1467": 0.2, "1581": 0.4, "1588": 0.4}),
    "1952": (0.03, {"1581": 0.5, "1588": 0.5}),
    "0014": (0.012, {"1588": 1.0}),
    "1895": (0.01, {"1588": 1.0}),
}

# Segment kinds by place size: relative chance that a street stretch is of this kind.
SEGMENT_MIX = {
    "city": {"rijwoning": 40, "twee-onder-een-kap": 12, "vrijstaand": 6, "flat": 8},
    "town": {"rijwoning": 42, "twee-onder-een-kap": 20, "vrijstaand": 16, "flat": 3,
             "boerderij": 2},
    "village": {"rijwoning": 22, "twee-onder-een-kap": 20, "vrijstaand": 36, "flat": 0.5,
                "boerderij": 20},
}

# Building periods (first year, last year) and their weights per kind of building.
PERIODS = ((1850, 1905), (1906, 1940), (1946, 1975), (1976, 1995), (1996, 2023))
PERIOD_WEIGHTS = {
    "rijwoning": (8, 22, 35, 20, 15),
    "twee-onder-een-kap": (5, 20, 30, 25, 20),
    "vrijstaand": (15, 20, 20, 20, 25),
    "flat": (0, 3, 65, 20, 12),
    "boerderij": (70, 25, 5, 0, 0),
}

# Street names are made up from these parts; they include the apostrophes, dots,
# hyphens and diacritics that real names have, so imports and lookups meet them.
_SPECIAL_STREETS = (
    "Oude Rijksweg", "Rijksweg", "Hoofdstraat", "Hoofdstraat Oost", "Hoofdstraat West",
    "Hoofdweg", "'t Zandt-weg", "'t Schrappe", "'t Olle Hoes", "Achter 't Hof",
    "Kanaalweg Zuid", "Kanaalweg Noord", "Gedempte Zuiderdiep", "Heerd 'De Grote Tjariet'",
    "Sint Annerweg", "St. Walburgstraat", "Ĳsselstraat", "Ĳzerstraat", "Crèchepad",
    "Over de Tocht", "Zijlvest", "Middelstumerweg", "Stedumermaar", "Loppersumerweg",
    "Winsumerweg", "Bedumerweg", "Groningerweg", "Damsterweg", "Van Imhoffstraat",
    "Jacob van Ruysdaelstraat", "Van Heemskerckstraat", "Dr. Aletta Jacobsstraat",
    "Mr. P.J. Troelstraweg", "Ds. Ekensstraat", "Prof. Rankestraat", "Brink",
    "Wierde", "Achterweg", "Het Aol", "Dwarsdiep", "Oude Dijk", "Nieuwe Dijk",
)
_PEOPLE = (
    "Klinkhamer", "Brüning", "Van Roijen", "Tammeling", "Ten Have", "Schönfeld",
    "Smeenge", "Wiersema", "Kuiper", "Jansonius", "Van der Veen", "Hoekstra", "Ekens",
    "Mulder", "Dijkhuis", "Bössing", "Van Löben Sels", "Siersema", "Tjaarda", "Hesselink",
)
_TITLES = ("Burgemeester", "Burg.", "Dr.", "Ds.", "Meester", "Mr.", "Prof.", "Pastoor")
_WORDS = (
    "Eiken", "Beuken", "Linden", "Esdoorn", "Berken", "Wilgen", "Populieren", "Kastanje",
    "Iepen", "Elzen", "Meidoorn", "Vlier", "Hazelaar", "Juliana", "Beatrix", "Wilhelmina",
    "Oranje", "Emma", "Irene", "Margriet", "Noorder", "Ooster", "Zuider", "Wester",
    "Molen", "Kerk", "School", "Stations", "Haven", "Sluis", "Kanaal", "Markt", "Dorps",
    "Pastorie", "Klooster", "Zuivel", "Smids", "Bakkers", "Boeren", "Vissers", "Schippers",
    "Fivel", "Eems", "Dollard", "Wadden", "Damster", "Reit", "Hunze", "Ĳssel", "Lauwers",
    "Rozen", "Tulpen", "Narcissen", "Seringen", "Kieviet", "Grutto", "Merel", "Zwaluw",
    "Leeuweriken", "Reiger", "Koren", "Vlas", "Klaver", "Tarwe", "Gersten", "Kool",
    "Waard", "Geuzen", "Borg", "Heerd", "Maar", "Tjariet", "Kwelder", "Zijl", "Til",
    "Veen", "Zand", "Klei", "Esch", "Dobbe", "Kamp", "Hoek", "Brug", "Poort", "Wal",
)
_ENDINGS = ("straat", "laan", "weg", "pad", "plein", "hof", "dijk", "singel", "kade")
_ROAD_ENDINGS = ("weg", "dijk", "maar", "tocht", "wierde")


def street_names() -> tuple[list[str], list[str]]:
    """Return all made-up street names and the subset that suits a rural road."""
    names: list[str] = list(_SPECIAL_STREETS)
    for word in _WORDS:
        names.extend(word + ending for ending in _ENDINGS)
    for title in _TITLES:
        names.extend(f"{title} {person}{ending}"
                     for person in _PEOPLE for ending in ("straat", "laan", "weg"))
    names.extend(f"{word}{ending}" for word in _WORDS[::3] for ending in _ROAD_ENDINGS)
    names = list(dict.fromkeys(names))
    roads = [n for n in names if n.endswith(_ROAD_ENDINGS) or n.startswith(("Oude R", "Hoofdw"))]
    return names, roads


# Mean addresses in a stretch of each kind, following the counts drawn in _stretch.
_MEAN_ADDRESSES = {"rijwoning": 10.0, "twee-onder-een-kap": 7.0, "vrijstaand": 6.0,
                   "flat": 70.0, "boerderij": 3.0}


@dataclass(frozen=True)
class Area:
    """A four-digit postcode area: its place, municipality now, and programme profile."""

    pc4: str
    place: str
    code: str
    municipality: str
    effect_area: bool
    lat: float
    lon: float
    size: str
    weight: float
    risk_rate: float
    p50_share: float
    batch_rate: float
    batches: tuple[tuple[str, float], ...]


def _place_size(place: str) -> str:
    """City, town or village: how dense its postcode areas are built."""
    return "city" if place in CITIES else "town" if place in TOWNS else "village"


def mean_stretch(size: str) -> float:
    """Mean addresses in a street stretch of a place of this size."""
    mix = SEGMENT_MIX[size]
    return sum(weight * _MEAN_ADDRESSES[kind] for kind, weight in mix.items()) / sum(mix.values())


def _inside_province(row: dict) -> bool:
    return 52.8 < float(row["lat"]) < 53.6 and 6.1 < float(row["lon"]) < 7.3


def _centroid(row: dict, rows: list[dict]) -> tuple[float, float]:
    """Return the area's centre; for the few wrong ones in the table, its neighbours' mean.

    The source table puts 9640, 9750, 9950 and 9999 outside the province (its geocoder
    found namesakes elsewhere), so those borrow the centre of the same place, or else of
    the municipality.
    """
    if _inside_province(row):
        return float(row["lat"]), float(row["lon"])
    for same in (lambda r: r["place"] == row["place"],
                 lambda r: r["municipality_code"] == row["municipality_code"]):
        others = [r for r in rows if same(r) and _inside_province(r)]
        if others:
            return (sum(float(r["lat"]) for r in others) / len(others),
                    sum(float(r["lon"]) for r in others) / len(others))
    raise ValueError(f"postcode area {row['pc4']} has no usable coordinates")


def load_areas() -> list[Area]:
    """Read the postcode areas and give each its share of addresses and its risk profile."""
    with PC4_TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sizes = {row["pc4"]: _place_size(row["place"]) for row in rows}
    # Within a municipality a town's postcode area holds more addresses than a village's.
    raw = {pc4: {"city": 4.0, "town": 3.0, "village": 1.0}[size] for pc4, size in sizes.items()}
    per_municipality: dict[str, float] = {}
    for row in rows:
        code = row["municipality_code"].removeprefix("GM")
        per_municipality[code] = per_municipality.get(code, 0.0) + raw[row["pc4"]]
    areas = []
    for row in rows:
        code = row["municipality_code"].removeprefix("GM")
        lat, lon = _centroid(row, rows)
        in_area = row["effect_area"].strip().lower() == "yes"
        risk, p50 = RISK_BY_PLACE.get(
            row["place"], RISK_BY_MUNICIPALITY.get(code, (0.0, 0.0)))
        batch_rate, batches = BATCH_BY_MUNICIPALITY.get(code, (0.0, {}))
        areas.append(Area(
            pc4=row["pc4"], place=row["place"], code=code, municipality=row["municipality"],
            effect_area=in_area, lat=lat, lon=lon,
            size=sizes[row["pc4"]],
            weight=MUNICIPALITY_WEIGHT[code] * raw[row["pc4"]] / per_municipality[code],
            risk_rate=risk if in_area else 0.0, p50_share=p50,
            batch_rate=batch_rate if in_area else 0.0, batches=tuple(batches.items()),
        ))
    return areas


# Calibrated on generated registers so that P50 + P90 come to about 10% of the
# effect-area addresses and the batches to about 3%, whatever the mix of buildings.
RISK_SCALE = 1.1
BATCH_SCALE = 1.3
# Within a stretch that the risk model marks, most homes share the mark (identical
# neighbours). A block of flats in P50/P90 brings many addresses at once; its factor is
# tuned to the published ratio of about 1.35 addresses per building in P50/P90.
RISK_IN_STRETCH = 0.92
FLAT_RISK_FACTOR = 1.6
TYPOLOGY_SURVEY = 0.10
