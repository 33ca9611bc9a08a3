"""An attacker who reads every published figure and solves for the hidden ones.

It knows how the tables add up (a place's routes and statuses each sum to its total;
places sum to their municipality, municipalities to the province), what "fewer than 10"
and rounding to 5 mean, and that counts of requests that came in only grow from one day
to the next. For every hidden cell it asks an integer program for the smallest and the
largest value that fits everything published; when the two meet, the cell is recovered.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp


class Attack:
    """The unknowns and the facts an attacker has from the published JSON of some days."""

    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.rows: list[dict[int, float]] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.hidden: list[tuple] = []

    def read_day(self, day: str, published: dict) -> None:
        """Take one day's /cijfers.json."""
        threshold, step = published["threshold"], published["rounded_to"]
        routes, statuses = published["routes"], published["statuses"]

        def cell(key: tuple, value: int | str) -> int:
            self.index[key] = len(self.lower)
            if value == "<10":
                self.lower.append(0)
                self.upper.append(threshold - 1)
                self.hidden.append(key)
            elif value == "hidden":
                self.lower.append(threshold)
                self.upper.append(10**6)
                self.hidden.append(key)
            else:
                self.lower.append(max(threshold, value - step // 2))
                self.upper.append(value + step // 2)
            return self.index[key]

        def area(key: tuple, data: dict) -> None:
            total = cell((day, *key, "total"), data["total"])
            for groups, name in ((routes, "route"), (statuses, "status")):
                parts = [cell((day, *key, name, g), data[name][g]) for g in groups]
                self.equal(total, parts)

        area(("province",), published["province"])
        for municipality in published["municipalities"]:
            code = municipality["code"]
            area(("m", code), municipality)
            for place in municipality["places"]:
                area(("p", code, place["slug"]), place)
            for column in self._columns(routes, statuses):
                self.equal(self.index[(day, "m", code, *column)],
                           [self.index[(day, "p", code, p["slug"], *column)]
                            for p in municipality["places"]])
        for column in self._columns(routes, statuses):
            self.equal(self.index[(day, "province", *column)],
                       [self.index[(day, "m", m["code"], *column)]
                        for m in published["municipalities"]])

    def grows(self, before: str, after: str, keys: list[tuple]) -> None:
        """Counts that only grow between two days: after - before >= 0."""
        for key in keys:
            if (before, *key) in self.index and (after, *key) in self.index:
                self.rows.append({self.index[(after, *key)]: 1, self.index[(before, *key)]: -1})
                self.row_lower.append(0)
                self.row_upper.append(np.inf)

    def equal(self, total: int, parts: list[int]) -> None:
        """total = sum(parts)."""
        row = {total: -1.0}
        for part in parts:
            row[part] = row.get(part, 0) + 1.0
        self.rows.append(row)
        self.row_lower.append(0)
        self.row_upper.append(0)

    def recovers(self, key: tuple, truth: int) -> bool:
        """True when nothing but the true value fits: no solution puts the cell elsewhere."""
        low = self._extreme(key, 1)
        return low == truth and self._extreme(key, -1) == truth

    def range_of(self, key: tuple) -> tuple[int, int]:
        """The smallest and largest value of one cell that fits everything read."""
        return self._extreme(key, 1), self._extreme(key, -1)

    def _extreme(self, key: tuple, sign: int) -> int:
        """The smallest (sign 1) or largest (sign -1) value of the cell that fits."""
        n = len(self.lower)
        constraints, bounds = self._problem()
        objective = np.zeros(n)
        objective[self.index[key]] = sign
        result = milp(objective, constraints=constraints, bounds=bounds,
                      integrality=np.ones(n))
        assert result.status == 0, result.message
        return round(result.x[self.index[key]])

    def _problem(self) -> tuple[LinearConstraint, Bounds]:
        if getattr(self, "_built", None) is None or self._built[0] != len(self.rows):
            entries = [(i, j, c) for i, row in enumerate(self.rows) for j, c in row.items()]
            rows, columns, data = zip(*entries, strict=True)
            matrix = sparse.csr_array((data, (rows, columns)),
                                      shape=(len(self.rows), len(self.lower)))
            self._built = (len(self.rows), LinearConstraint(matrix, self.row_lower,
                                                            self.row_upper),
                           Bounds(self.lower, self.upper))
        return self._built[1], self._built[2]

    @staticmethod
    def _columns(routes: list[str], statuses: list[str]) -> list[tuple]:
        return [("total",), *[("route", g) for g in routes], *[("status", g) for g in statuses]]
