"""Test data for clusters, work orders and results: addresses, booked requests, an app.

Bookings are made here with the models (a ledger row, a Booking, and the request moved
accepted → scheduled through workflow.transition), so these tests do not depend on the
planning code. Import what a module needs:

    from tests.capacity.cluster_fixtures import add_address, book, cluster_app  # noqa: F401
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from portal.actors import Actor
from portal.app import create_app
from portal.capacity.models import Booking, CapacityWeek, Cluster
from portal.register.models import Address, Building, Municipality, ProgrammeStatus
from portal.requests import workflow
from portal.requests.models import InspectionRequest
from portal.requests.reference import new_reference, normalise_reference
from portal.requests.states import Status
from tests.factories import address_id, building_id

OFFICER = Actor.staff(7, "Test officer")
COORDINATOR = Actor.staff(8, "Test coordinator")
MEEDHUIZEN = ("1979", "Meedhuizen", "9937AB")
WAGENBORGEN = ("1979", "Wagenborgen", "9943AA")
TER_APEL = ("1950", "Ter Apel", "9561AA")
MONDAY = date(2026, 3, 2)
# Requests are made before the inspection dates the tests report.
CREATED = datetime(2025, 1, 6, 9, 30)


def add_address(session, number: int, *, place=MEEDHUIZEN, pand: int | None = None,
                risk: str | None = None, straat: str = "Hoofdstraat", letter: str = "",
                addition: str = "", huisnummer: int | None = None) -> Address:
    """Put an address in the register: house number `number` (its id) in place, building pand."""
    code, woonplaats, postcode = place
    if session.get(Municipality, code) is None:
        session.add(Municipality(code=code, name=f"Gemeente {code}", in_effect_area=True))
    pand_id = building_id(pand if pand is not None else number)
    if session.get(Building, pand_id) is None:
        session.add(Building(pand_id=pand_id))
    session.flush()
    address = Address(nummeraanduiding_id=address_id(number), pand_id=pand_id, postcode=postcode,
                      huisnummer=huisnummer or number, huisletter=letter,
                      huisnummertoevoeging=addition, straat=straat, woonplaats=woonplaats,
                      gemeentecode=code)
    session.add(address)
    if risk:
        session.add(ProgrammeStatus(nummeraanduiding_id=address.nummeraanduiding_id,
                                    risk_profile=risk))
    session.flush()
    return address


def _ledger_row(session, code: str, kind: str, week: date) -> CapacityWeek:
    row = session.scalar(select(CapacityWeek).where(
        CapacityWeek.week_start == week, CapacityWeek.gemeentecode == code,
        CapacityWeek.kind == kind))
    if row is None:
        row = CapacityWeek(week_start=week, gemeentecode=code, kind=kind, capacity=10_000,
                           reserved=0, booked=0)
        session.add(row)
        session.flush()
    return row


def book(session, address: Address, *, kind: str = "inspection", week: date = MONDAY,
         email: str | None = "bewoner@example.nl", phone: str | None = None,
         language: str = "nl", explanation: str = "Scheuren in de muur",
         contact_name: str = "R. Bewoner") -> InspectionRequest:
    """A request for address, accepted and booked into week: status scheduled."""
    req = InspectionRequest(
        reference=normalise_reference(new_reference()), submission_key=uuid.uuid4().hex,
        channel="web", status=Status.RECEIVED.value, status_changed_at=CREATED,
        request_type="inspection" if kind == "inspection" else "reassessment",
        created_at=CREATED, nummeraanduiding_id=address.nummeraanduiding_id,
        pand_id=address.pand_id, in_register=True, postcode=address.postcode,
        huisnummer=address.huisnummer, huisletter=address.huisletter,
        huisnummertoevoeging=address.huisnummertoevoeging, straat=address.straat,
        woonplaats=address.woonplaats, gemeentecode=address.gemeentecode,
        building_kind="home", relation="owner_occupier", explanation=explanation,
        contact_name=contact_name, email=email, phone=phone, language=language,
        consent_at=CREATED)
    workflow.start(session, req, Status.RECEIVED, actor=OFFICER, reason="test", notify=False)
    accepted = Status.ACCEPTED_INSPECTION if kind == "inspection" else Status.ACCEPTED_REASSESSMENT
    workflow.transition(session, req, accepted, actor=OFFICER, reason="test", notify=False)
    row = _ledger_row(session, address.gemeentecode, kind, week)
    row.booked += 1
    session.add(Booking(request_id=req.id, capacity_week_id=row.id, kind=kind,
                        booked_at=CREATED, booked_by=OFFICER.label))
    workflow.transition(session, req, Status.SCHEDULED, actor=OFFICER, reason="booked",
                        notify=False)
    session.flush()
    return req


def cluster_of(session, req: InspectionRequest) -> Cluster | None:
    """The cluster a request's booking is in."""
    booking = session.scalar(select(Booking).where(Booking.request_id == req.id))
    return session.get(Cluster, booking.cluster_id) if booking.cluster_id else None


@pytest.fixture(scope="session")
def cluster_app(app, test_environ):
    """The portal with the clusters blueprint and commands, until create_app registers them."""
    from portal.capacity import cluster_views
    from portal.capacity.cluster_cli import clusters_cli, results_cli

    if "clusters" in app.blueprints:
        return app
    # The session's app may have served requests already, after which Flask refuses new
    # blueprints; a second app on the same test database does not mind.
    fresh = create_app({"environ": test_environ})
    fresh.register_blueprint(cluster_views.bp)
    for command in (clusters_cli, results_cli):
        fresh.cli.add_command(command)
    return fresh
