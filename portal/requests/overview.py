"""An address at a glance: what the register says, its building, and every request for either.

Shown to an agent at the desk and to an officer beside a request; viewing it is recorded
in the audit trail, since it shows residents' personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actors import Actor
from portal.audit import record
from portal.register import lookups
from portal.register.models import Address
from portal.register.verdict import Verdict, served_by, verdict
from portal.requests.models import InspectionRequest


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
                           requests, building_requests, verdict(address, served_by(session)))


def viewed(session: Session, req: InspectionRequest, *, actor: Actor, client: str | None) -> None:
    """Record in the audit trail that staff saw this request's personal data."""
    record(session, actor=actor, action="request.viewed", subject_type="request",
           subject_id=req.id, client=client)
