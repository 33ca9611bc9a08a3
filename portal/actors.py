"""Who acts: a resident, a staff member or the system itself, as recorded in histories."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The person or process behind a change, as the audit trail records it."""

    kind: str
    id: str | None
    label: str

    @classmethod
    def staff(cls, staff_id: int | str, label: str) -> Actor:
        """A staff member by account id and display name."""
        return cls("staff", str(staff_id), label)


RESIDENT = Actor("resident", None, "resident")
SYSTEM = Actor("system", None, "system")
