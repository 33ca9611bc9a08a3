"""The routes triage can suggest for a request, as stored in `suggested_route`.

The vocabulary lives with the request it describes; triage (`triage.rules`) decides which
route a request gets and names them for staff.
"""

from __future__ import annotations


class Route:
    """The routes triage can suggest."""

    URGENT = "urgent"
    REVIEW = "review"
    LINKED = "linked"
    IN_PROGRAMME = "in_programme"
    REASSESSMENT = "reassessment"
    INSPECTION = "inspection"

    ALL = (URGENT, REVIEW, LINKED, IN_PROGRAMME, REASSESSMENT, INSPECTION)
