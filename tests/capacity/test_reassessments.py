"""The homes waiting for reassessment, and planning a selection of them in one action."""
# ruff: noqa: F811  (the fixtures imported from forecast_fixtures are test parameters here)

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.actors import Actor
from portal.audit import AuditEntry
from portal.capacity.models import Booking, CapacityWeek
from portal.capacity.reassessments import (
    count_waiting_reassessments,
    waiting_municipalities,
    waiting_reassessments,
)
from portal.intake.programme import plan_reassessments
from portal.requests.models import InspectionRequest
from portal.requests.states import Status
from tests.capacity.forecast_fixtures import (  # noqa: F401  (fixtures)
    ASKED,
    CITY,
    DECLINED,
    EEMSDELTA,
    GRONINGEN,
    NOT_ASKED,
    UNDER_WAY,
    add_ledger,
    file_request,
    reassessment_register,
    requests_in_every_state,
)
from tests.factories import address_id

COORDINATOR = Actor.staff(7, "Test coordinator")


def _ids(homes) -> list[str]:
    return [home.nummeraanduiding_id for home in homes]


def test_lists_inspected_homes_outside_the_risk_categories_oldest_inspection_first(
        session, requests_in_every_state):
    homes = waiting_reassessments(session)

    assert _ids(homes) == [address_id(n) for n in (ASKED, NOT_ASKED, DECLINED, CITY)]
    assert [h.inspected_on for h in homes] == [
        date(2016, 5, 1), date(2017, 11, 21), date(2018, 1, 1), date(2019, 2, 2)]


def test_each_home_says_where_it_is_its_advice_and_whether_the_resident_asked(
        session, requests_in_every_state):
    asked, not_asked, declined, city = waiting_reassessments(session)

    assert (asked.address, asked.municipality, asked.advice, asked.resident_asked,
            asked.open_request_status) == (
        "Hoofdstraat 12, 9937AB Meedhuizen", "Eemsdelta", "geen_versterking", True, "received")
    assert (not_asked.advice, not_asked.resident_asked) == ("versterken", False)
    # A declined request is not open: the home still waits, and nobody is waiting on it.
    assert declined.resident_asked is False
    assert (city.gemeentecode, city.municipality, city.woonplaats) == (
        GRONINGEN, "Groningen", "Groningen")


def test_filter_count_and_pages(session, requests_in_every_state):
    assert _ids(waiting_reassessments(session, gemeentecode=GRONINGEN)) == [address_id(CITY)]
    assert count_waiting_reassessments(session) == 4
    assert count_waiting_reassessments(session, gemeentecode=EEMSDELTA) == 3
    assert _ids(waiting_reassessments(session, limit=2, offset=1)) == [
        address_id(NOT_ASKED), address_id(DECLINED)]
    assert waiting_municipalities(session) == [("1979", "Eemsdelta", 3), ("0014", "Groningen", 1)]


def test_an_urgent_request_still_counts_as_asked(session, app_context, reassessment_register):
    file_request(session, NOT_ASKED, acute=True)

    home = next(h for h in waiting_reassessments(session)
                if h.nummeraanduiding_id == address_id(NOT_ASKED))

    assert (home.resident_asked, home.open_request_status) == (True, "urgent")


@pytest.fixture
def needs_planning():
    """Planning books through portal/capacity/planning.py; skip until it is there."""
    pytest.importorskip("portal.capacity.planning")


@pytest.fixture
def assessment_capacity(session, needs_planning, reassessment_register):
    """Ten free assessment places a week in both municipalities, from this week on."""
    today = date.today()
    for code in (EEMSDELTA, GRONINGEN):
        add_ledger(session, code, "assessment", today, [(10, 0, 0)] * 8)


def _requests_of(session, number: int) -> list[InspectionRequest]:
    return list(session.scalars(select(InspectionRequest).where(
        InspectionRequest.nummeraanduiding_id == address_id(number))
        .order_by(InspectionRequest.id)))


def test_planning_uses_the_residents_request_and_files_one_for_the_others(
        session, app_context, requests_in_every_state, assessment_capacity):
    chosen = [address_id(n) for n in (ASKED, NOT_ASKED, CITY)]

    planned = plan_reassessments(session, chosen, actor=COORDINATOR)
    session.commit()

    assert planned == 3
    (resident,) = _requests_of(session, ASKED)
    assert (resident.channel, resident.status) == ("web", Status.SCHEDULED)
    (filed,) = _requests_of(session, NOT_ASKED)
    assert (filed.channel, filed.status, filed.contact_name, filed.email, filed.phone,
            filed.language, filed.building_kind, filed.relation, filed.request_type) == (
        "programme", Status.SCHEDULED, "Bewoner", None, None, "nl", "home", "other",
        "reassessment")
    assert "coördinator" in filed.explanation
    bookings = session.execute(select(Booking.request_id, Booking.kind, CapacityWeek.gemeentecode)
                               .join(CapacityWeek)).all()
    (city,) = _requests_of(session, CITY)
    (under_way,) = _requests_of(session, UNDER_WAY)
    # Planning plans every accepted request, so the one accepted earlier gets its week too.
    assert sorted(bookings) == sorted([(resident.id, "assessment", EEMSDELTA),
                                       (filed.id, "assessment", EEMSDELTA),
                                       (city.id, "assessment", GRONINGEN),
                                       (under_way.id, "assessment", EEMSDELTA)])
    assert _ids(waiting_reassessments(session)) == [address_id(DECLINED)]
    assert session.scalar(select(func.count()).where(
        AuditEntry.action == "capacity.reassessment_planned")) == 3


def test_planning_twice_plans_nothing_twice(session, app_context, requests_in_every_state,
                                            assessment_capacity):
    chosen = [address_id(NOT_ASKED)]
    plan_reassessments(session, chosen, actor=COORDINATOR)
    session.commit()

    again = plan_reassessments(session, chosen, actor=COORDINATOR)
    session.commit()

    assert again == 0
    (filed,) = _requests_of(session, NOT_ASKED)
    assert session.scalar(select(func.count()).where(Booking.request_id == filed.id)) == 1


def test_a_home_that_no_longer_waits_is_skipped(session, app_context, requests_in_every_state,
                                                assessment_capacity):
    planned = plan_reassessments(session, [address_id(UNDER_WAY), address_id(14)],
                                 actor=COORDINATOR)

    assert planned == 0
    assert len(_requests_of(session, 14)) == 0


def test_without_free_capacity_the_home_is_accepted_and_waits(
        session, app_context, needs_planning, reassessment_register):
    add_ledger(session, EEMSDELTA, "assessment", date.today() - timedelta(weeks=1),
               [(5, 5, 0)] * 4)

    planned = plan_reassessments(session, [address_id(NOT_ASKED)], actor=COORDINATOR)
    session.commit()

    assert planned == 0
    (filed,) = _requests_of(session, NOT_ASKED)
    assert filed.status == Status.ACCEPTED_REASSESSMENT
    assert address_id(NOT_ASKED) not in _ids(waiting_reassessments(session))


def test_a_home_whose_resident_awaits_a_call_back_is_left_to_that_procedure(
        session, app_context, assessment_capacity):
    urgent = file_request(session, NOT_ASKED, acute=True)

    planned = plan_reassessments(session, [address_id(NOT_ASKED)], actor=COORDINATOR)

    assert planned == 0
    assert [r.id for r in _requests_of(session, NOT_ASKED)] == [urgent.id]
    assert urgent.status == Status.URGENT
