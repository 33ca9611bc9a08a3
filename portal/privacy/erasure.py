"""Anonymising a request: what identifies a person goes, what the figures count stays.

Used by the retention task (closed requests after the configured period) and by a
resident's erasure request for a withdrawn request. The request keeps its reference,
status, history of statuses, municipality and place, so the figures and the audit trail
still add up; its name, contact details, free text, exact address and files go.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.clock import utcnow
from portal.intake.models import RequestToken
from portal.outbox.models import OutboxMessage
from portal.requests import workflow
from portal.requests.models import InspectionRequest, RequestAnswer, RequestEvent
from portal.requests.states import Status
from portal.triage.models import Decision

# A resident may have these erased at once; other requests wait for the retention period.
ERASABLE: frozenset[Status] = frozenset({Status.WITHDRAWN})
# Events whose reason is written by the system, in fixed words: they stay readable.
SYSTEM_EVENT_KINDS = ("status", "check")


def anonymise(session: Session, req: InspectionRequest, *, actor: Actor, reason: str) -> None:
    """Remove what identifies the resident from one request and its trail; flushes."""
    if req.anonymised_at is not None:
        return
    email = req.email
    req.contact_name = ""
    req.email = None
    req.phone = None
    req.explanation = ""
    req.signs = ""
    req.straat = ""
    req.huisnummer = 0
    req.huisletter = ""
    req.huisnummertoevoeging = ""
    req.postcode = (req.postcode or "")[:4]
    req.nummeraanduiding_id = None
    req.pand_id = None
    req.anonymised_at = utcnow()
    session.execute(update(RequestAnswer).where(RequestAnswer.request_id == req.id)
                    .values(text="", file_name=None, file_data=None, content_type=None,
                            file_size=None))
    session.execute(update(RequestEvent)
                    .where(RequestEvent.request_id == req.id,
                           RequestEvent.kind.not_in(SYSTEM_EVENT_KINDS))
                    .values(reason=""))
    session.execute(update(Decision).where(Decision.request_id == req.id)
                    .values(reason_text=""))
    session.execute(delete(RequestToken).where(RequestToken.request_id == req.id))
    if email:
        session.execute(update(OutboxMessage)
                        .where(OutboxMessage.to_address == email,
                               OutboxMessage.status == "sent")
                        .values(to_address="", body_text=""))
    workflow.note(session, req, actor=actor, reason=reason, kind="erased")
    record(session, actor=actor, action="request.anonymised", subject_type="request",
           subject_id=req.id)
    session.flush()


def may_erase(req: InspectionRequest) -> bool:
    """True when the resident may have this request erased now."""
    return req.anonymised_at is None and Status(req.status) in ERASABLE
