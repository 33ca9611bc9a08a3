"""What happens to a request, as the state machine and intake publish it.

Consumers subscribe in `portal.wiring`: the resident's mail (intake.notify), bookings
given back (capacity.planning), letters (triage.letters). See `portal.events`.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.actors import Actor
from portal.requests.models import InspectionRequest
from portal.requests.states import Status


@dataclass(frozen=True)
class RequestReceived:
    """A new request was stored and triaged; the resident gets one confirmation."""

    request: InspectionRequest


@dataclass(frozen=True)
class StatusChanged:
    """One request moved from source to target; notify says whether to tell the resident."""

    request: InspectionRequest
    source: Status | None
    target: Status
    actor: Actor
    reason: str
    notify: bool


@dataclass(frozen=True)
class StatusesChanged:
    """Many requests moved to target at once (a planning pass, a bulk decision)."""

    request_ids: tuple[int, ...]
    target: Status
    actor: Actor
    notify: bool
