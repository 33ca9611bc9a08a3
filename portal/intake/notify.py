"""Telling a resident what happened to their request, in their language, through the outbox."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.outbox.queue import queue_email
from portal.register.lookups import address_label
from portal.requests.models import InspectionRequest
from portal.requests.reference import format_reference
from portal.requests.states import EXPLANATIONS, LABELS, Status


def public_url(path: str) -> str:
    """An absolute link into the portal, for emails and letters read outside it."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def queue_arrival_notification(session: Session, request: InspectionRequest) -> None:
    """Queue the confirmation of a new request, which says where it already stands."""
    if not request.email:
        return
    with force_locale(request.language):
        subject, body = _received_message(request, format_reference(request.reference))
    queue_email(session, to=request.email, subject=subject, body=body,
                language=request.language, dedupe_key=f"arrival:{request.id}")


def queue_status_notification(session: Session, request: InspectionRequest,
                              status: Status) -> None:
    """Queue the email that tells the resident about a new status (when they gave an email)."""
    if not request.email:
        return
    with force_locale(request.language):
        reference = format_reference(request.reference)
        subject = _("Your request %(reference)s: %(status)s", reference=reference,
                    status=str(LABELS[status]))
        body = "\n\n".join([
            _("Dear %(name)s,", name=request.contact_name),
            str(EXPLANATIONS[status]),
            _("Check where your request stands: %(url)s", url=public_url("/status")),
            _("Kind regards,\nOpnameloket, Nationaal Coördinator Groningen"),
        ])
    queue_email(session, to=request.email, subject=subject, body=body,
                language=request.language, dedupe_key=f"status:{request.id}:{status.value}")


def _received_message(request: InspectionRequest, reference: str) -> tuple[str, str]:
    subject = _("We received your request %(reference)s", reference=reference)
    kind = request_type_label(request.request_type)
    body = "\n\n".join([
        _("Dear %(name)s,", name=request.contact_name),
        _("We received your request for %(kind)s of %(address)s.", kind=kind,
          address=address_label(request)),
        _("Your reference is %(reference)s. Keep it: you need it to check your request.",
          reference=reference),
        str(EXPLANATIONS[Status(request.status)]),
        _("Check where your request stands: %(url)s", url=public_url("/status")),
        _("Is there acute danger, for example a wall that may collapse? Do not wait for "
          "us: call %(number)s now.", number=current_app.config["EMERGENCY_NUMBER"]),
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
