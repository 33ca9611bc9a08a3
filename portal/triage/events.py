"""What triage publishes: a decision taken, for the letter that tells the resident."""

from __future__ import annotations

from dataclasses import dataclass

from portal.actors import Actor
from portal.requests.models import InspectionRequest
from portal.triage.models import Decision


@dataclass(frozen=True)
class DecisionTaken:
    """An officer decided on request; with_letter says whether a letter goes out.

    by_post sends the letter by post whatever the resident chose (a resident we could
    not reach by phone gets it on paper).
    """

    request: InspectionRequest
    decision: Decision
    actor: Actor
    with_letter: bool = True
    by_post: bool = False
