"""Telling a resident what happened to their request, in their language, through the outbox."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.intake.explain import explain, standing_of
from portal.outbox.queue import queue_email
from portal.register.lookups import address_label
from portal.requests.events import RequestReceived, StatusChanged, StatusesChanged
from portal.requests.models import InspectionRequest
from portal.requests.queries import followers
from portal.requests.reference import format_reference
from portal.requests.states import LABELS, Status
from portal.service import ServiceFacts
from portal.triage.events import DecisionTaken
from portal.triage.letters import posted
from portal.triage.resident_words import DECISION_OUTCOMES, question_text


def confirm_arrival(session: Session, event: RequestReceived, facts: ServiceFacts) -> None:
    """Subscriber: queue the confirmation of a new request."""
    queue_arrival_notification(session, event.request, facts)


def tell_status(session: Session, event: StatusChanged, facts: ServiceFacts) -> None:
    """Subscriber: tell the resident about a new status when the change says so."""
    if event.notify:
        queue_status_notification(session, event.request, event.target, facts)


def tell_statuses(session: Session, event: StatusesChanged, facts: ServiceFacts) -> None:
    """Subscriber: tell each resident of a bulk change, when the change says so."""
    if event.notify:
        for request_id in event.request_ids:
            queue_status_notification(session, session.get(InspectionRequest, request_id),
                                      event.target, facts)


# A lead that ends without the home (declined, closed, withdrawn) frees its followers
# instead (`triage.apply.free_followers`), and each hears where its own request stands.
NEWS_FOR_FOLLOWERS = frozenset({
    Status.ACCEPTED_INSPECTION, Status.ACCEPTED_REASSESSMENT, Status.INSPECTED,
    Status.ASSESSED,
})


def tell_linked(session: Session, event: StatusChanged, facts: ServiceFacts) -> None:
    """Subscriber: residents whose request follows this one hear where it stands now.

    On the changes that are news for the home: accepted, inspected, assessed. A planned
    week reaches them with the lead's plan mail (`capacity.notify`).
    """
    if event.target not in NEWS_FOR_FOLLOWERS:
        return
    for linked in followers(session, event.request):
        if not linked.email:
            continue
        with force_locale(linked.language):
            reference = format_reference(linked.reference)
            subject = _("Your request %(reference)s: news about the earlier request for your "
                        "address", reference=reference)
            body = _where_it_stands(session, linked, facts)
        queue_email(session, to=linked.email, subject=subject, body=body,
                    language=linked.language,
                    dedupe_key=f"linked:{linked.id}:{event.request.id}:{event.target.value}")


def tell_decision(session: Session, event: DecisionTaken, facts: ServiceFacts) -> None:
    """Subscriber: tell the resident what was decided, and where the letter is."""
    queue_decision_notification(session, event.request, event.decision.decision,
                                event.decision.reason_code, event.decision.reason_text,
                                facts, decision_id=event.decision.id,
                                letter_by_post=event.with_letter and posted(event))


def queue_decision_notification(session: Session, request: InspectionRequest, decision: str,
                                reason_code: str, reason_text: str, facts: ServiceFacts, *,
                                decision_id: int, letter_by_post: bool) -> None:
    """Queue the email that says in one sentence what was decided, and links to /status.

    For a question ("ask_information") the email states the question itself and says
    where to answer it. The letter is not attached: the status page serves it.
    """
    if not request.email:
        return
    with force_locale(request.language):
        reference = format_reference(request.reference)
        status_url = facts.public_url("/status")
        subject = _("Decision on your request %(reference)s", reference=reference)
        lines = [
            _("Dear %(name)s,", name=request.contact_name),
            _("We have decided on your request for %(address)s: %(outcome)s.",
              address=address_label(request),
              outcome=str(DECISION_OUTCOMES[decision]).rstrip(".")),
        ]
        if decision == "ask_information":
            lines += [
                _("Our question: %(question)s",
                  question=question_text(reason_code, reason_text)),
                _("Answer it on the status page. You can add a photo or a PDF file. Open "
                  "the page with your reference %(reference)s, your postcode and your house "
                  "number: %(url)s", reference=reference, url=status_url),
            ]
        else:
            if decision == "inform":
                # Where the home stands, not only that it is in the programme (rule 10).
                lines += standing_of(session, request, facts)
            lines.append(_("The letter with the reasons and what happens next is on the "
                           "status page. Open the page with your reference %(reference)s, "
                           "your postcode and your house number: %(url)s",
                           reference=reference, url=status_url))
        if letter_by_post:
            lines.append(_("We also send you the letter by post."))
        lines.append(_("Kind regards,\nOpnameloket, Nationaal Coördinator Groningen"))
        body = "\n\n".join(lines)
    queue_email(session, to=request.email, subject=subject, body=body,
                language=request.language, dedupe_key=f"decision:{decision_id}")


def queue_arrival_notification(session: Session, request: InspectionRequest,
                               facts: ServiceFacts) -> None:
    """Queue the confirmation of a new request, which says where it already stands."""
    if not request.email:
        return
    with force_locale(request.language):
        subject, body = _received_message(session, request,
                                          format_reference(request.reference), facts)
    queue_email(session, to=request.email, subject=subject, body=body,
                language=request.language, dedupe_key=f"arrival:{request.id}")


def queue_status_notification(session: Session, request: InspectionRequest,
                              status: Status, facts: ServiceFacts) -> None:
    """Queue the email that tells the resident about a new status (when they gave an email)."""
    if not request.email:
        return
    with force_locale(request.language):
        reference = format_reference(request.reference)
        subject = _("Your request %(reference)s: %(status)s", reference=reference,
                    status=str(LABELS[status]))
        body = _where_it_stands(session, request, facts)
    queue_email(session, to=request.email, subject=subject, body=body,
                language=request.language,
                # Per arrival in the status: a request may come back to one (in the
                # programme again after an import) and the resident must hear it again.
                dedupe_key=f"status:{request.id}:{status.value}:"
                           f"{request.status_changed_at:%Y%m%d%H%M%S%f}")


def _received_message(session: Session, request: InspectionRequest, reference: str,
                      facts: ServiceFacts) -> tuple[str, str]:
    subject = _("We received your request %(reference)s", reference=reference)
    kind = request_type_label(request.request_type)
    body = "\n\n".join([
        _("Dear %(name)s,", name=request.contact_name),
        _("We received your request for %(kind)s of %(address)s.", kind=kind,
          address=address_label(request)),
        _("Your reference is %(reference)s. Keep it: you need it to check your request.",
          reference=reference),
        *explain(session, request, facts),
        _("Check where your request stands: %(url)s", url=facts.public_url("/status")),
        _("Is there acute danger, for example a wall that may collapse? Do not wait for "
          "us: call %(number)s now.", number=facts.emergency_number),
        _("Kind regards,\nOpnameloket, Nationaal Coördinator Groningen"),
    ])
    return subject, body


def request_type_label(request_type: str) -> str:
    """The kind of request in words: an inspection, a reassessment or a question."""
    return {
        "inspection": _("an inspection"),
        "reassessment": _("a reassessment"),
        "question": _("a question about your home"),
    }[request_type]


def _where_it_stands(session: Session, request: InspectionRequest, facts: ServiceFacts) -> str:
    """The body of a mail that says where a request stands now (under its locale)."""
    return "\n\n".join([
        _("Dear %(name)s,", name=request.contact_name),
        *explain(session, request, facts),
        _("Check where your request stands: %(url)s", url=facts.public_url("/status")),
        _("Kind regards,\nOpnameloket, Nationaal Coördinator Groningen"),
    ])
