"""The call centre's view of an address and its requests, and its actions on a request.

The agent enters requests through `submit.submit_request` (channel "phone"), the same
code path as the resident's form; this module adds what only staff may see and do.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.intake.forms import normalise_phone
from portal.register import fields
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.reference import normalise_reference

SEARCH_LIMIT = 50


_POSTCODE_NUMBER = re.compile(r"^\s*(\d{4}\s*[a-zA-Z]{2})\s+(\d{1,5})\s*$")


def find_requests(session: Session, query: str) -> list[InspectionRequest]:
    """Requests by reference, by phone number, or by "postcode number" (newest first)."""
    query = query.strip()
    conditions = []
    symbols = normalise_reference(query)
    if symbols:
        conditions.append(InspectionRequest.reference == symbols)
    phone = normalise_phone(query)
    if phone:
        conditions.append(InspectionRequest.phone == phone)
    match = _POSTCODE_NUMBER.match(query)
    if match:
        try:
            postcode = fields.postcode(match.group(1))
        except fields.FieldError:
            postcode = None
        if postcode:
            conditions.append((InspectionRequest.postcode == postcode)
                              & (InspectionRequest.huisnummer == int(match.group(2))))
    if not conditions:
        return []
    return list(session.scalars(select(InspectionRequest).where(or_(*conditions))
                                .order_by(InspectionRequest.id.desc()).limit(SEARCH_LIMIT)))


def add_note(session: Session, req: InspectionRequest, *, actor: Actor, text: str) -> None:
    """Add a note to the request's history, with who wrote it (caller commits)."""
    text = text.strip()
    if not text:
        raise ValueError("a note needs text")
    workflow.note(session, req, actor=actor, reason=text)
    record(session, actor=actor, action="request.note_added", subject_type="request",
           subject_id=req.id)
