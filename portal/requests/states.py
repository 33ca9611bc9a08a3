"""The states of a request, the allowed transitions, and what each state means to a resident.

This table is the one place that says which status may follow which. `workflow.transition`
is the one function that changes a status, and it refuses any edge not listed here.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Status(StrEnum):
    """Where a request stands."""

    RECEIVED = "received"
    URGENT = "urgent"
    LINKED = "linked"
    IN_PROGRAMME = "in_programme"
    AWAITING_INFORMATION = "awaiting_information"
    ACCEPTED_INSPECTION = "accepted_inspection"
    ACCEPTED_REASSESSMENT = "accepted_reassessment"
    SCHEDULED = "scheduled"
    INSPECTED = "inspected"
    ASSESSED = "assessed"
    CLOSED = "closed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


S = Status

# A request enters in one of these, never through a transition.
INITIAL: frozenset[Status] = frozenset({S.RECEIVED, S.URGENT, S.LINKED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.URGENT, S.LINKED, S.IN_PROGRAMME, S.AWAITING_INFORMATION,
                           S.ACCEPTED_INSPECTION, S.ACCEPTED_REASSESSMENT, S.DECLINED,
                           S.WITHDRAWN}),
    # An urgent request leaves only by the call-back (portal/triage/callback.py): to
    # closed when the danger is confirmed (referred to the emergency procedure) or when
    # nobody answered three times; back to received when there is no acute danger.
    S.URGENT: frozenset({S.RECEIVED, S.CLOSED, S.WITHDRAWN}),
    S.LINKED: frozenset({S.RECEIVED, S.CLOSED, S.WITHDRAWN}),
    S.IN_PROGRAMME: frozenset({S.RECEIVED, S.CLOSED, S.WITHDRAWN}),
    S.AWAITING_INFORMATION: frozenset({S.RECEIVED, S.ACCEPTED_INSPECTION,
                                       S.ACCEPTED_REASSESSMENT, S.IN_PROGRAMME, S.DECLINED,
                                       S.WITHDRAWN}),
    S.ACCEPTED_INSPECTION: frozenset({S.SCHEDULED, S.IN_PROGRAMME, S.WITHDRAWN}),
    S.ACCEPTED_REASSESSMENT: frozenset({S.SCHEDULED, S.IN_PROGRAMME, S.WITHDRAWN}),
    S.SCHEDULED: frozenset({S.INSPECTED, S.ACCEPTED_INSPECTION, S.ACCEPTED_REASSESSMENT,
                            S.IN_PROGRAMME, S.WITHDRAWN}),
    S.INSPECTED: frozenset({S.ASSESSED}),
    S.ASSESSED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.DECLINED: frozenset({S.RECEIVED}),
    S.WITHDRAWN: frozenset(),
}

# Open means: still needs something from the desk. A new request for the same address
# is linked to an open one instead of starting a second trajectory.
OPEN: frozenset[Status] = frozenset({
    S.RECEIVED, S.URGENT, S.AWAITING_INFORMATION, S.ACCEPTED_INSPECTION,
    S.ACCEPTED_REASSESSMENT, S.SCHEDULED, S.INSPECTED,
})

# Waiting for an officer: the triage queue. Linked requests follow the one they joined.
WAITING: tuple[Status, ...] = (S.RECEIVED, S.URGENT, S.AWAITING_INFORMATION, S.IN_PROGRAMME)
# The same as SQL, so that the queue's partial index and the queue's query use the very same
# condition (SQLite only uses a partial index for a term it can match). Built from WAITING,
# it reads "status IN ('received', 'urgent', 'awaiting_information', 'in_programme')".
WAITING_SQL = "status IN (" + ", ".join(f"'{s.value}'" for s in WAITING) + ")"

# A resident may withdraw while nobody has been sent to the home yet.
WITHDRAWABLE: frozenset[Status] = frozenset(
    s for s, targets in TRANSITIONS.items() if S.WITHDRAWN in targets
)

LABELS = {
    S.RECEIVED: _l("Received"),
    S.URGENT: _l("Urgent: we call you back"),
    S.LINKED: _l("Added to an earlier request"),
    S.IN_PROGRAMME: _l("Your home is already in the programme"),
    S.AWAITING_INFORMATION: _l("We need more information"),
    S.ACCEPTED_INSPECTION: _l("Accepted for inspection"),
    S.ACCEPTED_REASSESSMENT: _l("Accepted for reassessment"),
    S.SCHEDULED: _l("Planned"),
    S.INSPECTED: _l("Inspected"),
    S.ASSESSED: _l("Assessed"),
    S.CLOSED: _l("Closed"),
    S.DECLINED: _l("Not accepted"),
    S.WITHDRAWN: _l("Withdrawn"),
}

EXPLANATIONS = {
    S.RECEIVED: _l("We have received your request. An officer checks it against the "
                   "register of homes and decides what happens next. You get a letter "
                   "or an email about that decision."),
    S.URGENT: _l("You told us there may be acute danger. This is not handled in the "
                 "queue: we call you back within 24 hours. If there is danger now, call "
                 "the emergency number."),
    S.LINKED: _l("There was already a request for this address. We handle your request "
                 "together with that one, so the address is inspected only once."),
    S.IN_PROGRAMME: _l("Your home is already part of the reinforcement programme. A new "
                       "inspection request is not needed. We tell you where your home "
                       "stands in the programme."),
    S.AWAITING_INFORMATION: _l("We need more information before we can decide. We have "
                               "asked you for it. When we have it, we continue."),
    S.ACCEPTED_INSPECTION: _l("Your request is accepted. Your home will be inspected. "
                              "We plan the inspection in the capacity that is free and "
                              "tell you when."),
    S.ACCEPTED_REASSESSMENT: _l("Your request is accepted. Your home was inspected "
                                "before and will be assessed again. We plan it and tell "
                                "you when."),
    S.SCHEDULED: _l("The inspection of your home is planned. The inspection organisation "
                    "contacts you to make an appointment."),
    S.INSPECTED: _l("Your home has been inspected. Next, the results are assessed against "
                    "the building standard."),
    S.ASSESSED: _l("The assessment is ready. You receive the outcome and, if needed, a "
                   "reinforcement advice."),
    S.CLOSED: _l("Your request is finished. The letter about it says what was decided, "
                 "why, and what happens next."),
    S.DECLINED: _l("Your request was not accepted. The letter tells you why and how to "
                   "object."),
    S.WITHDRAWN: _l("You withdrew your request. Nothing more happens with it. You can "
                    "make a new request at any time."),
}


def can_move(source: Status, target: Status) -> bool:
    """True when the table allows a request in source to move to target."""
    return target in TRANSITIONS[source]
