"""What a planning pass changed, as capacity publishes it for whoever tells the residents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanChanged:
    """Weeks given, moved or taken back: (request id, kind, week…) per resident.

    planned: (request id, kind, week); moved: (request id, kind, old week, new week);
    unplanned: (request id, kind, old week).
    """

    planned: tuple[tuple[int, str, date], ...] = ()
    moved: tuple[tuple[int, str, date, date], ...] = ()
    unplanned: tuple[tuple[int, str, date], ...] = ()

    def request_ids(self) -> set[int]:
        """Every request the change concerns."""
        return {item[0] for item in (*self.planned, *self.moved, *self.unplanned)}
