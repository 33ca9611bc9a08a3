"""The receipt a resident keeps: a PDF in their language, rendered once and then stored."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.intake.wording import answer_rows
from portal.letters.issue import issue_letter, stored_letter
from portal.register.lookups import address_label
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.service import ServiceFacts

KIND = "receipt"


def next_steps(req: InspectionRequest) -> list[str]:
    """What happens after the request, in plain words, in the current language."""
    if req.request_type == "question":
        first = _("We check where your home stands in the reinforcement programme and "
                  "answer your question.")
    else:
        first = _("We check your address against the register of homes.")
    planning = {
        "inspection": _("Homes with the highest risk go first. When your request is "
                        "accepted, we tell you when the inspection can take place."),
        "reassessment": _("Homes with the highest risk go first. When your request is "
                          "accepted, we tell you when the new assessment can take place."),
    }.get(req.request_type)
    return [
        first,
        _("Within two weeks you hear from us what we will do and why."),
        *([planning] if planning else []),
        _("You can check your request at any time with your reference, postcode and "
          "house number."),
    ]


def receipt_context(req: InspectionRequest, facts: ServiceFacts) -> dict:
    """What the receipt letter says, in the current language (call under force_locale)."""
    return {
        "reference": format_reference(req.reference),
        "submitted_at": req.created_at,
        "address": address_label(req),
        "request_type": req.request_type,
        "answers": answer_rows(req),
        "next_steps": next_steps(req),
        "status_url": facts.public_url("/status"),
        "emergency_number": facts.emergency_number,
        "desk_phone": facts.desk_phone,
    }


def receipt_pdf(session: Session, req: InspectionRequest, facts: ServiceFacts) -> bytes:
    """The stored receipt of req, rendering and storing it on first use (caller commits)."""
    reference = format_reference(req.reference)
    letter = stored_letter(session, kind=KIND, reference=reference, language=req.language)
    if letter is None:
        with force_locale(req.language):
            context = receipt_context(req, facts)
        letter = issue_letter(session, kind=KIND, language=req.language, context=context,
                              reference=reference)
    return letter.pdf
