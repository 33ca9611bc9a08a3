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
from portal.register.lookups import address_label, get_address
from portal.register.verdict import served_by, verdict
from portal.register.words import standing_parts
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.service import ServiceFacts
from portal.triage.events import DecisionTaken
from portal.triage.models import Decision
from portal.triage.resident_words import DECISION_OUTCOMES, DECISION_REASONS, triage_reason

# Decisions of the urgent track: there is nothing to object to in them.
NO_OBJECTION = frozenset({"referred_to_emergency", "not_reached"})


def _next_steps(decision: str, facts: ServiceFacts) -> list[str]:
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
        "referred_to_emergency": [
            _("Your home is handled by the procedure for acute danger. The people of that "
              "procedure contact you to make your home safe."),
            _("This request for an inspection is closed. You do not need to do anything "
              "for it."),
            _("Is there danger now, or does it get worse? Call %(number)s at once.",
              number=facts.emergency_number),
        ],
        "not_reached": [
            _("Is there danger now? Call %(number)s at once.",
              number=facts.emergency_number),
            _("Do you still want us to look at your home? Call the desk on %(phone)s. "
              "Then we take up your request again.", phone=facts.desk_phone),
            _("Until you call us, nothing more happens with this request. We have "
              "closed it."),
        ],
    }[decision]


def _period(session: Session, req: InspectionRequest) -> list[str]:
    """The expected period as a next step, when the plan gives one."""
    period = expected_period(session, req)
    if period is None:
        return []
    return [_("Expected period: %(period)s", period=period.describe())]


def posted(event: DecisionTaken) -> bool:
    """True when the decision's letter goes by post and the address is known to post it to."""
    return (event.by_post or goes_by_post(event.request)) and has_postal_address(event.request)


def send_decision_letter(session: Session, event: DecisionTaken, facts: ServiceFacts) -> None:
    """Subscriber: issue the decision letter, and queue it for post when it goes by post.

    By post when asked for, and always when there is no email: the resident must hear of
    the decision one way or another.
    """
    if not event.with_letter:
        return
    by_post = event.by_post or goes_by_post(event.request)
    letter = issue_decision_letter(session, event.request, event.decision, facts,
                                   by_post=by_post)
    event.decision.letter_id = letter.id
    session.flush()
    if not by_post:
        return
    if has_postal_address(event.request):
        queue_for_print(session, letter, queued_by=event.actor.label)
    else:
        workflow.note(session, event.request, actor=event.actor,
                      reason="letter not posted: the address is not known")


def _address(req: InspectionRequest) -> str:
    """The address on one line, or as much of it as an urgent request took down."""
    if req.straat:
        return address_label(req)
    if req.postcode:
        return f"{req.postcode} {req.huisnummer or ''}".strip()
    return _("Not known")


def has_postal_address(req: InspectionRequest) -> bool:
    """True when the request knows enough of the address to post a letter to it."""
    return bool(req.straat and req.postcode and req.huisnummer)


def _standing(session: Session, req: InspectionRequest,
              facts: ServiceFacts) -> tuple[list[str], list[str]]:
    address = get_address(session, req.nummeraanduiding_id) if req.nummeraanduiding_id else None
    return standing_parts(verdict(address, served_by(session)), desk_phone=facts.desk_phone,
                          emergency_number=facts.emergency_number)


def issue_decision_letter(session: Session, req: InspectionRequest,
                          decision: Decision, facts: ServiceFacts,
                          by_post: bool | None = None) -> Letter:
    """Render and store the decision letter in the resident's language (caller commits)."""
    with force_locale(req.language):
        # Officers' labels and reason codes are for staff; the letter uses its own words.
        officer_reason = DECISION_REASONS.get(decision.reason_code)
        reasons = [str(r) for r in (triage_reason(req.triage_reason, req.triage_detail),
                                    officer_reason) if r]
        next_steps = _next_steps(decision.decision, facts) + _period(session, req)
        if decision.decision == "inform":
            # Where the home stands, from the register as it is now, instead of a bare
            # "already in the programme" (domain rule 10).
            where, then = _standing(session, req, facts)
            reasons, next_steps = (where or reasons), (then or next_steps)
        if decision.reason_text:
            reasons.append(decision.reason_text)
        # Two sources may say the same thing (the register's reason and the officer's):
        # the letter says it once.
        reasons = list(dict.fromkeys(reasons))
        context = {
            "reference": format_reference(req.reference),
            "address": _address(req),
            "decision": decision.decision,
            "decision_label": str(DECISION_OUTCOMES[decision.decision]),
            "reasons": reasons,
            "next_steps": next_steps,
            "objection": decision.decision not in NO_OBJECTION,
            "status_url": facts.public_url("/status"),
            "emergency_number": facts.emergency_number,
            "desk_phone": facts.desk_phone,
        }
        if (goes_by_post(req) if by_post is None else by_post) and has_postal_address(req):
            context["postal_address"] = postal_address(req)
    return issue_letter(session, kind="decision", language=req.language, context=context,
                        reference=context["reference"])
