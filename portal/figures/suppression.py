"""Publishing counts that trace no home: a threshold, complementary suppression, rounding.

Rule 8 of the domain: counts per village are not published below a threshold. Hiding a
small cell is not enough when its row or column total is published: the cell is the total
minus the others. So every sum that is published with its parts (a line) hides either
none of its cells or at least two, and the visible cells are rounded to a multiple of
ROUND_TO, so that no difference of published figures pins a hidden cell down. The tests
check this against an attacker who solves every published sum at once, for two days.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

THRESHOLD = 10  # cells below this are shown as "fewer than 10"
ROUND_TO = 5  # visible cells are rounded to a multiple of this
# How a hidden cell is published: below the threshold, or 10 or more but hidden so that a
# small cell beside it cannot be worked out. Saying which is honest, and the tests give
# the attacker that knowledge too.
FEWER = "<10"
HIDDEN = "hidden"

Cell = Hashable


@dataclass(frozen=True)
class Line:
    """A published sum: total equals the sum of parts (a row or column with its total)."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The total and its parts."""
        return (self.total, *self.parts)


def rounded(value: int) -> int:
    """Round a visible count to the nearest multiple of ROUND_TO (never below the threshold)."""
    return max(THRESHOLD, ROUND_TO * round(value / ROUND_TO))


def hidden_cells(values: Mapping[Cell, int], lines: Iterable[Line]) -> set[Cell]:
    """The cells to hide: every cell below the threshold, then complements until safe.

    A line with exactly one hidden cell gets a second: its smallest visible part, or its
    total when every part is hidden already. Repeats until no line has exactly one; the
    choice is deterministic, so the same figures always hide the same cells.
    """
    lines = list(lines)
    hidden = {cell for cell, value in values.items() if value < THRESHOLD}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line.cells) != 1:
                continue
            visible_parts = [cell for cell in line.parts if cell not in hidden]
            if visible_parts:
                extra = min(visible_parts, key=lambda cell: (values[cell], repr(cell)))
            elif line.total not in hidden:
                extra = line.total
            else:
                continue  # a sum of nothing: the hidden total is 0 by its shape alone
            hidden.add(extra)
            changed = True
    return hidden


Shown = int | str  # a rounded count, FEWER or HIDDEN


def publish(values: Mapping[Cell, int], lines: Iterable[Line]) -> dict[Cell, Shown]:
    """Every cell as published: a rounded count, FEWER (below 10) or HIDDEN (a complement)."""
    hidden = hidden_cells(values, lines)
    return {cell: (FEWER if value < THRESHOLD else HIDDEN) if cell in hidden
            else rounded(value) for cell, value in values.items()}
