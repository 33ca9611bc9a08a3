"""What kind of request it is and how it came in: closed sets, checked by the database too."""

from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    """What the resident asks for; follows from what the register says about the address."""

    INSPECTION = "inspection"
    REASSESSMENT = "reassessment"
    # The home is already in the programme: the resident gets an answer, not an inspection.
    QUESTION = "question"


class Channel(StrEnum):
    """How a request reached the portal."""

    WEB = "web"  # the resident's own form
    PHONE = "phone"  # taken by an agent at the desk
    PROGRAMME = "programme"  # started from the reinforcement programme (reassessments)
