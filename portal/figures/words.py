"""The words the figures are shown in: route and status groups, and hidden cells."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.figures.suppression import FEWER, HIDDEN

ROUTE_WORDS = {
    "inspection": _l("Inspection"),
    "reassessment": _l("Reassessment"),
    "question": _l("Home already in the programme"),
}
STATUS_WORDS = {
    "waiting": _l("Waiting for a decision"),
    "accepted": _l("Accepted, inspection to come"),
    "inspected": _l("Inspected"),
    "ended": _l("Ended without inspection"),
}
CELL_WORDS = {
    FEWER: _l("fewer than 10"),
    HIDDEN: _l("not shown"),
}
