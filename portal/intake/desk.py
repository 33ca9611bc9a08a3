"""The call centre's view of an address and its requests, and its actions on a request.

The agent enters requests through `submit.submit_request` (channel "phone"), the same
code path as the resident's form; this module adds what only staff may see and do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.intake.forms import normalise_phone
from portal.register import fields, lookups
from portal.register.models import Address
from portal.register.verdict import Verdict, verdict
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.reference import normalise_reference

SEARCH_LIMIT = 50


@dataclass
class AddressOverview:
    """What an agent sees at once for an address: register, building, requests."""

    address: Address | None
    info: dict | None
    options: list[Address]
    building: list[Address]
    requests: list[InspectionRequest]
    building_requests: list[InspectionRequest]
    verdict: Verdict


def address_overview(session: Session, postcode: str, huisnummer: int, letter: str = "",
                     addition: str = "") -> AddressOverview:
    """The register status of an address, its building, and every request for either."""
    address = lookups.find_address(session, postcode, huisnummer, letter, addition)
    options = lookups.addresses_at(session, postcode, huisnummer)
    if address is None and len(options) == 1:
        address = options[0]
    if address is None:
        requests = list(session.scalars(select(InspectionRequest).where(
            InspectionRequest.postcode == postcode,
            InspectionRequest.huisnummer == huisnummer).order_by(InspectionRequest.id.desc())))
        return AddressOverview(None, None, options, [], requests, [], verdict(None))
    building = lookups.building_addresses(session, address.pand_id)
    requests = list(session.scalars(select(InspectionRequest).where(
        InspectionRequest.nummeraanduiding_id == address.nummeraanduiding_id
    ).order_by(InspectionRequest.id.desc())))
    building_requests = list(session.scalars(select(InspectionRequest).where(
        InspectionRequest.pand_id == address.pand_id,
        InspectionRequest.nummeraanduiding_id != address.nummeraanduiding_id,
    ).order_by(InspectionRequest.id.desc())))
    return AddressOverview(address, lookups.address_info(session, address), options, building,
                           requests, building_requests, verdict(address))


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


def viewed(session: Session, req: InspectionRequest, *, actor: Actor, client: str | None) -> None:
    """Record in the audit trail that staff saw this request's personal data."""
    record(session, actor=actor, action="request.viewed", subject_type="request",
           subject_id=req.id, client=client)


def add_note(session: Session, req: InspectionRequest, *, actor: Actor, text: str) -> None:
    """Add a note to the request's history, with who wrote it (caller commits)."""
    text = text.strip()
    if not text:
        raise ValueError("a note needs text")
    workflow.note(session, req, actor=actor, reason=text)
    record(session, actor=actor, action="request.note_added", subject_type="request",
           subject_id=req.id)
