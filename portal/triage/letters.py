"""The decision letter: what was decided, why, what happens next, and how to object."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.capacity.expected import expected_period
from portal.letters.addressing import goes_by_post, postal_address
from portal.letters.issue import issue_letter
from portal.letters.models import Letter
from portal.letters.printing import queue_for_print
from portal.register.lookups import address_label
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.service import ServiceFacts
from portal.triage.events import DecisionTaken
from portal.triage.models import Decision
from portal.triage.resident_words import DECISION_OUTCOMES, DECISION_REASONS, triage_reason


def _next_steps(decision: str) -> list[str]:
    return {
        "accept_inspection": [
            _("We plan the inspection of your home in the capacity that is free after the "
              "homes with the highest risk."),
            _("The inspection organisation contacts you to make an appointment."),
            _("On the status page you see the expected period."),
        ],
        "accept_reassessment": [
            _("We plan a new assessment of your home in the capacity that is free after the "
              "homes with the highest risk."),
            _("We let you know when it takes place and what comes out of it."),
        ],
        "inform": [
            _("You do not need to do anything. Your home follows the reinforcement "
              "programme, and you hear from us when it is its turn."),
        ],
        "ask_information": [
            _("Send us the information we ask for, or call us. Then we continue with your "
              "request."),
        ],
        "decline": [
            _("Nothing more happens with this request. You can make a new request when "
              "your situation changes."),
        ],
    }[decision]


def _period(session: Session, req: InspectionRequest) -> list[str]:
    """The expected period as a next step, when the plan gives one."""
    period = expected_period(session, req)
    if period is None:
        return []
    return [_("Expected period: %(period)s", period=period.describe())]


def send_decision_letter(session: Session, event: DecisionTaken, facts: ServiceFacts) -> None:
    """Subscriber: issue the decision letter, and queue it for post when it goes by post.

    By post when asked for, and always when there is no email: the resident must hear of
    the decision one way or another.
    """
    if not event.with_letter:
        return
    letter = issue_decision_letter(session, event.request, event.decision, facts)
    event.decision.letter_id = letter.id
    if goes_by_post(event.request):
        queue_for_print(session, letter, queued_by=event.actor.label)


def issue_decision_letter(session: Session, req: InspectionRequest,
                          decision: Decision, facts: ServiceFacts) -> Letter:
    """Render and store the decision letter in the resident's language (caller commits)."""
    with force_locale(req.language):
        # Officers' labels and reason codes are for staff; the letter uses its own words.
        officer_reason = DECISION_REASONS.get(decision.reason_code)
        reasons = [str(r) for r in (triage_reason(req.triage_reason, req.triage_detail),
                                    officer_reason) if r]
        if decision.reason_text:
            reasons.append(decision.reason_text)
        context = {
            "reference": format_reference(req.reference),
            "address": address_label(req),
            "decision": decision.decision,
            "decision_label": str(DECISION_OUTCOMES[decision.decision]),
            "reasons": reasons,
            "next_steps": _next_steps(decision.decision) + _period(session, req),
            "objection": True,
            "status_url": facts.public_url("/status"),
            "emergency_number": facts.emergency_number,
            "desk_phone": facts.desk_phone,
        }
        if goes_by_post(req):
            context["postal_address"] = postal_address(req)
    return issue_letter(session, kind="decision", language=req.language, context=context,
                        reference=context["reference"])
