"""Sending a receipt to a caller: as an email, or as a letter queued for printing."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.intake.receipt import KIND, next_steps, receipt_context
from portal.intake.wording import answer_rows
from portal.letters.addressing import postal_address
from portal.letters.issue import issue_letter
from portal.letters.printing import queue_for_print
from portal.outbox.queue import queue_email
from portal.register.lookups import address_label
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.service import ServiceFacts


def send_receipt(session: Session, req: InspectionRequest, *, method: str,
                 actor: Actor, facts: ServiceFacts) -> None:
    """Send the receipt by "email" or "post" (a window-envelope letter in the print queue)."""
    reference = format_reference(req.reference)
    with force_locale(req.language):
        if method == "email":
            lines = [_("Dear %(name)s,", name=req.contact_name),
                     _("This is the receipt of your request %(reference)s for %(address)s.",
                       reference=reference, address=address_label(req)),
                     "\n".join(f"{row['label']}: {row['value']}" for row in answer_rows(req)),
                     "\n".join(f"- {step}" for step in next_steps(req)),
                     _("Check where your request stands: %(url)s", url=facts.public_url("/status")),
                     _("Kind regards,\nOpnameloket, Nationaal Coördinator Groningen")]
            queue_email(session, to=req.email, subject=_("Receipt of your request %(reference)s",
                                                         reference=reference),
                        body="\n\n".join(lines), language=req.language)
        else:
            context = {**receipt_context(req, facts), "postal_address": postal_address(req)}
            letter = issue_letter(session, kind=KIND, language=req.language, reference=reference,
                                  context=context)
            queue_for_print(session, letter, queued_by=actor.label)
    record(session, actor=actor, action="request.receipt_sent", subject_type="request",
           subject_id=req.id, details={"method": method})
