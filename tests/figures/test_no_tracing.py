"""No hidden figure can be recovered from everything published, over two days (rule 8)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime

import pytest

from portal.figures import publication, suppression
from portal.figures.counts import ROUTES, STATUSES, DayCounts
from portal.figures.publication import as_json, build, slug_of
from portal.figures.suppression import THRESHOLD, Line, hidden_cells
from tests.figures.attacker import Attack


def generated_day(seed: int, *, grow: DayCounts | None = None) -> DayCounts:
    """Many small places and a few large ones; with grow, the next day of that one."""
    rng = random.Random(seed)
    municipalities = {f"{i:04d}": f"Gemeente {i}" for i in (10, 24, 37, 47, 1966)}
    places = grow.places if grow else {
        code: [f"Dorp {code}-{j}" for j in range(rng.randint(3, 9))] for code in municipalities}
    route: Counter = Counter(grow.route if grow else {})
    status: Counter = Counter(grow.status if grow else {})
    for code, names in places.items():
        for name in names:
            key = (code, name)
            size = rng.choice([0, 1, 2, 3, 5, 8, 12, 14, 25, 60]) if grow is None \
                else rng.choice([0, 0, 0, 1, 2])
            for _ in range(size):
                route[(key, rng.choice(ROUTES))] += 1
                status[(key, rng.choices(STATUSES, weights=[5, 3, 2, 2])[0])] += 1
            if grow is not None and sum(status[(key, s)] for s in STATUSES):
                # Some requests move on: waiting ones get a decision.
                moved = min(status[(key, "waiting")], rng.choice([0, 1, 2]))
                status[(key, "waiting")] -= moved
                status[(key, "accepted")] += moved
    return DayCounts(datetime(2026, 11, 27), municipalities, places, route, status, {})


def published(counts: DayCounts) -> dict:
    return as_json(build(counts, months=[], as_of=date(2026, 11, 27)))


def test_small_cells_are_never_shown():
    """No published count is below the threshold: small ones read as "fewer than 10"."""
    figures = published(generated_day(1))
    values = []
    for area in [figures["province"], *figures["municipalities"],
                 *[p for m in figures["municipalities"] for p in m["places"]]]:
        values += [area["total"], *area["route"].values(), *area["status"].values()]
    assert "<10" in values and "hidden" in values
    assert all(v in ("<10", "hidden") or (v >= THRESHOLD and v % 5 == 0) for v in values)


@pytest.mark.parametrize("seed", [1])
def test_no_hidden_cell_can_be_recovered_over_two_days(seed):
    """An attacker with both days' figures pins down no hidden cell to one value."""
    yesterday = generated_day(seed)
    today = generated_day(seed + 100, grow=yesterday)
    attack = Attack()
    attack.read_day("d1", published(yesterday))
    attack.read_day("d2", published(today))
    growing = [key[1:] for key in attack.index if key[0] == "d1"
               and (key[-1] == "total" or key[-2] == "route")]
    attack.grows("d1", "d2", growing)
    assert attack.hidden
    truth = {**true_cells("d1", yesterday), **true_cells("d2", today)}
    recovered = [key for key in attack.hidden if attack.recovers(key, truth[key])]
    assert not recovered


def true_cells(day: str, counts: DayCounts) -> dict[tuple, int]:
    """The true value of every cell, keyed as the attacker keys them."""
    cells: Counter = Counter()
    for code, places in counts.places.items():
        for place in places:
            for key in [(day, "p", code, slug_of(place)), (day, "m", code), (day, "province")]:
                for g in ROUTES:
                    cells[(*key, "route", g)] += counts.route[((code, place), g)]
                    cells[(*key, "total")] += counts.route[((code, place), g)]
                for g in STATUSES:
                    cells[(*key, "status", g)] += counts.status[((code, place), g)]
    return dict(cells)


def test_the_attacker_recovers_cells_of_a_naive_publication(monkeypatch):
    """The attacker is real: exact figures with only the small cells hidden give them away."""
    monkeypatch.setattr(suppression, "hidden_cells",
                        lambda values, lines: {c for c, v in values.items() if v < THRESHOLD})
    monkeypatch.setattr(suppression, "rounded", lambda value: value)
    monkeypatch.setattr(publication, "ROUND_TO", 1)
    counts = generated_day(1)
    attack = Attack()
    attack.read_day("d1", published(counts))
    truth = true_cells("d1", counts)
    assert any(attack.recovers(key, truth[key]) for key in attack.hidden[:60])


def test_a_municipality_without_places_ends_the_suppression():
    """A sum with no parts (an empty municipality) is settled, not chased for ever."""
    assert hidden_cells({"m": 0}, [Line("m", ())]) == {"m"}
