"""The homes waiting for a reassessment, from the register, and planning them in one action.

About 1,500 homes were inspected before (often since 2017), sit outside the risk
categories, and under the plan would only be reassessed years later. This module lists
them whether or not the resident asked, and lets a coordinator plan a selection into
assessment capacity at once (`intake.programme`).

Which addresses wait (the rule, in full):

- the register knows an inspection (`ProgrammeStatus.inspected_on` is set);
- the address has no risk profile (P50/P90) and is in no batch: those follow the
  programme, and a second trajectory for them would break domain rule 3;
- it was not reassessed yet: none of its requests went through
  `accepted_reassessment` and then reached `assessed` or `closed`;
- no reassessment is under way: none of its requests is `accepted_reassessment`,
  `accepted_inspection`, `scheduled` or `inspected` (the last three are as much under
  way as the first, and cannot be moved to a reassessment anyway).

An address with a request that is `received`, `awaiting_information` or `urgent` still
waits; the list says the resident asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from portal.register.lookups import address_label
from portal.register.models import Address, Municipality, ProgrammeStatus
from portal.register.verdict import inspected_outside_programme_sql
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status

R = InspectionRequest
P = ProgrammeStatus
REASSESSED = (Status.ASSESSED.value, Status.CLOSED.value)
UNDER_WAY = tuple(s.value for s in (Status.ACCEPTED_REASSESSMENT, Status.ACCEPTED_INSPECTION,
                                    Status.SCHEDULED, Status.INSPECTED))
# The resident's own request that planning takes over instead of filing another.
ASKED = tuple(s.value for s in (Status.RECEIVED, Status.AWAITING_INFORMATION, Status.URGENT))


@dataclass(frozen=True)
class WaitingReassessment:
    """One home waiting for reassessment: where it is, when inspected, and whether asked."""

    nummeraanduiding_id: str
    address: str
    gemeentecode: str
    municipality: str
    woonplaats: str
    inspected_on: date
    advice: str | None
    open_request_id: int | None
    open_request_reference: str | None
    open_request_status: str | None

    @property
    def resident_asked(self) -> bool:
        """True when the resident has an open request of their own."""
        return self.open_request_id is not None


def _waiting_conditions(gemeentecode: str | None = None) -> list:
    """The WHERE conditions of the rule in the module docstring, on Address joined to P."""
    accepted = aliased(RequestEvent)
    reassessed = exists().where(
        R.nummeraanduiding_id == Address.nummeraanduiding_id,
        R.status.in_(REASSESSED),
        exists().where(and_(accepted.request_id == R.id,
                            accepted.to_status == Status.ACCEPTED_REASSESSMENT.value)),
    )
    under_way = exists().where(R.nummeraanduiding_id == Address.nummeraanduiding_id,
                               R.status.in_(UNDER_WAY))
    conditions = [inspected_outside_programme_sql(P), ~reassessed, ~under_way]
    if gemeentecode:
        conditions.append(Address.gemeentecode == gemeentecode)
    return conditions


def waiting_reassessments(session: Session, *, gemeentecode: str | None = None,
                          limit: int | None = None, offset: int = 0,
                          ids: list[str] | None = None) -> list[WaitingReassessment]:
    """Homes inspected before, outside P50/P90, not yet reassessed: oldest inspection first.

    ids narrows the list to those addresses (nummeraanduiding ids), for planning them.
    """
    query = (
        select(Address, P.inspected_on, P.advice, Municipality.name)
        .join(P, P.nummeraanduiding_id == Address.nummeraanduiding_id)
        .join(Municipality, Municipality.code == Address.gemeentecode)
        .where(*_waiting_conditions(gemeentecode))
        .order_by(P.inspected_on, Address.nummeraanduiding_id)
        .offset(offset)
    )
    if ids is not None:
        query = query.where(Address.nummeraanduiding_id.in_(ids))
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    asked = _open_requests(session, [address.nummeraanduiding_id for address, *_ in rows])
    return [
        WaitingReassessment(
            nummeraanduiding_id=address.nummeraanduiding_id, address=address_label(address),
            gemeentecode=address.gemeentecode, municipality=name,
            woonplaats=address.woonplaats, inspected_on=inspected_on, advice=advice,
            open_request_id=asked[address.nummeraanduiding_id].id
            if address.nummeraanduiding_id in asked else None,
            open_request_reference=asked[address.nummeraanduiding_id].reference
            if address.nummeraanduiding_id in asked else None,
            open_request_status=asked[address.nummeraanduiding_id].status
            if address.nummeraanduiding_id in asked else None,
        )
        for address, inspected_on, advice, name in rows
    ]


def count_waiting_reassessments(session: Session, *, gemeentecode: str | None = None) -> int:
    """How many homes wait for reassessment (for pages and the pace figures)."""
    return session.scalar(
        select(func.count()).select_from(Address)
        .join(P, P.nummeraanduiding_id == Address.nummeraanduiding_id)
        .where(*_waiting_conditions(gemeentecode))
    )


def waiting_municipalities(session: Session) -> list[tuple[str, str, int]]:
    """(code, name, count) of every municipality with homes waiting, by name."""
    return [tuple(row) for row in session.execute(
        select(Municipality.code, Municipality.name, func.count())
        .select_from(Address)
        .join(P, P.nummeraanduiding_id == Address.nummeraanduiding_id)
        .join(Municipality, Municipality.code == Address.gemeentecode)
        .where(*_waiting_conditions())
        .group_by(Municipality.code, Municipality.name)
        .order_by(Municipality.name)
    )]


def _open_requests(session: Session, ids: list[str]) -> dict[str, InspectionRequest]:
    """The oldest request per address that the resident still waits on (received etc.)."""
    if not ids:
        return {}
    found: dict[str, InspectionRequest] = {}
    for req in session.scalars(select(R).where(R.nummeraanduiding_id.in_(ids),
                                               R.status.in_(ASKED)).order_by(R.id)):
        found.setdefault(req.nummeraanduiding_id, req)
    return found
