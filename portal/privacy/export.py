"""Everything held about one request, for the resident who asks (GDPR article 15).

The same data as JSON (for a computer) and as PDF (for a person), built from one dict so
the two never differ. Staff members appear by role, not by name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.clock import utcnow
from portal.letters.models import Letter
from portal.letters.render import render_pdf
from portal.outbox.models import OutboxMessage
from portal.privacy.fields import PERSONAL
from portal.requests.models import InspectionRequest, RequestAnswer, RequestEvent
from portal.requests.reference import format_reference
from portal.triage.models import Decision


def subject_data(session: Session, req: InspectionRequest) -> dict:
    """Every personal field of the request and everything linked to it, as plain values."""
    return {
        "reference": format_reference(req.reference),
        "made_at": _iso(utcnow()),
        "request": {
            "status": req.status, "channel": req.channel, "request_type": req.request_type,
            "created_at": _iso(req.created_at),
            **{name: _plain(getattr(req, name)) for name in PERSONAL["inspection_requests"]},
        },
        "history": [
            {"at": _iso(e.at), "status": e.to_status, "kind": e.kind, "by": e.actor_kind,
             "note": e.reason}
            for e in session.scalars(select(RequestEvent).where(RequestEvent.request_id == req.id)
                                     .order_by(RequestEvent.id))
        ],
        "decisions": [
            {"at": _iso(d.decided_at), "decision": d.decision, "reason": d.reason_code,
             "reason_text": d.reason_text}
            for d in session.scalars(select(Decision).where(Decision.request_id == req.id)
                                     .order_by(Decision.id))
        ],
        "answers": [
            {"at": _iso(a.created_at), "text": a.text, "file_name": a.file_name,
             "file_size": a.file_size}
            for a in session.scalars(select(RequestAnswer)
                                     .where(RequestAnswer.request_id == req.id)
                                     .order_by(RequestAnswer.id))
        ],
        "letters": [
            {"id": letter_id, "kind": kind, "at": _iso(created)}
            for letter_id, kind, created in session.execute(
                select(Letter.id, Letter.kind, Letter.created_at)
                .where(Letter.subject_reference == req.reference).order_by(Letter.id))
        ],
        "emails": [
            {"at": _iso(sent or created), "to": to, "subject": subject}
            for sent, created, to, subject in session.execute(
                select(OutboxMessage.sent_at, OutboxMessage.created_at,
                       OutboxMessage.to_address, OutboxMessage.subject)
                .where(OutboxMessage.to_address == req.email).order_by(OutboxMessage.id))
        ] if req.email else [],
    }


def subject_pdf(data: dict, *, language: str) -> bytes:
    """The same data as a readable PDF in the resident's language."""
    return render_pdf("letters/subject_access.html", {"data": data,
                                                      "reference": data["reference"]},
                      language=language)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _plain(value):
    if isinstance(value, datetime):
        return _iso(value)
    return value
