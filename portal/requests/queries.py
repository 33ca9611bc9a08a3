"""Small reads of the request aggregate that several use cases share."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from portal.requests.models import InspectionRequest
from portal.requests.states import WAITING_SQL, Status


def followers(session: Session, lead: InspectionRequest) -> list[InspectionRequest]:
    """The requests linked to lead that still follow it, oldest first."""
    return list(session.scalars(select(InspectionRequest).where(
        InspectionRequest.linked_to_id == lead.id,
        InspectionRequest.status == Status.LINKED.value).order_by(InspectionRequest.id)))


def follower_ids(session: Session, lead_ids: Collection[int]) -> dict[int, list[int]]:
    """lead id → the ids of the requests still linked to it, for many leads at once."""
    found: dict[int, list[int]] = {}
    ordered = sorted(lead_ids)
    for start in range(0, len(ordered), 2000):
        for follower, lead in session.execute(
                select(InspectionRequest.id, InspectionRequest.linked_to_id).where(
                    InspectionRequest.linked_to_id.in_(ordered[start:start + 2000]),
                    InspectionRequest.status == Status.LINKED.value)
                .order_by(InspectionRequest.id)):
            found.setdefault(lead, []).append(follower)
    return found


def waiting_count(session: Session) -> int:
    """How many requests wait in the triage queue (the statuses of WAITING)."""
    return session.scalar(
        select(func.count()).select_from(InspectionRequest).where(text(WAITING_SQL)))
