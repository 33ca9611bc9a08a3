"""Clusters: booked homes of one place in trains of at most N homes, and risk addresses added."""
# ruff: noqa: F811  (cluster_app is a fixture imported from cluster_fixtures)

from __future__ import annotations

import json
import threading
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit.models import AuditEntry
from portal.capacity import clusters
from portal.capacity.cluster_additions import ClusterRefused, add_risk_addresses
from portal.capacity.cluster_views import parse_address_lines
from portal.capacity.clusters import cluster_homes, cluster_size, form_clusters
from portal.capacity.models import Booking, Cluster, ClusterAddress
from portal.extensions import db as database
from portal.requests import workflow
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.states import Status
from tests.capacity.cluster_fixtures import (  # noqa: F401  (cluster_app is a fixture)
    COORDINATOR,
    MEEDHUIZEN,
    TER_APEL,
    WAGENBORGEN,
    add_address,
    book,
    cluster_app,
    cluster_of,
)
from tests.factories import address_id

# Refusal reasons are made outside a request: read them in the msgids' language.
pytestmark = pytest.mark.usefixtures("english")


def _homes(session, cluster) -> list[str]:
    return [home.key for home in cluster_homes(session, cluster)]


def _reasons(refused: ClusterRefused) -> list[tuple[str, str]]:
    return [(what, str(why)) for what, why in refused.problems]


def test_booked_homes_of_one_place_form_one_cluster(session, app_context):
    requests = [book(session, add_address(session, n)) for n in (10, 12, 14)]

    formed = form_clusters(session, actor=COORDINATOR, max_size=150)
    session.commit()

    assert [(c.gemeentecode, c.woonplaats, c.kind, c.created_by) for c in formed] == [
        ("1979", "Meedhuizen", "inspection", "Test coordinator")]
    assert {cluster_of(session, r).id for r in requests} == {formed[0].id}
    assert _homes(session, formed[0]) == [address_id(n) for n in (10, 12, 14)]


def test_places_are_never_mixed_and_the_limit_is_never_passed(session, app_context):
    for n in range(10, 15):
        book(session, add_address(session, n))
    for n in range(20, 23):
        book(session, add_address(session, n, place=WAGENBORGEN))
    book(session, add_address(session, 30, place=TER_APEL))

    formed = form_clusters(session, actor=COORDINATOR, max_size=2)

    assert sorted((c.woonplaats, cluster_size(session, c)) for c in formed) == [
        ("Meedhuizen", 1), ("Meedhuizen", 2), ("Meedhuizen", 2),
        ("Ter Apel", 1), ("Wagenborgen", 1), ("Wagenborgen", 2)]


def test_two_requests_for_one_address_are_one_home(session, app_context):
    home = add_address(session, 10)
    first, second = book(session, home), book(session, home)
    book(session, add_address(session, 12))

    [cluster] = form_clusters(session, actor=COORDINATOR, max_size=2)

    assert cluster_size(session, cluster) == 2
    assert cluster_of(session, first) == cluster_of(session, second) == cluster
    assert [len(h.requests) for h in cluster_homes(session, cluster)] == [2, 1]


def test_a_later_request_for_a_clustered_address_joins_that_cluster(session, app_context):
    home = add_address(session, 10)
    book(session, home)
    book(session, add_address(session, 12))
    [cluster] = form_clusters(session, actor=COORDINATOR, max_size=2)

    later = book(session, home)
    form_clusters(session, actor=COORDINATOR, max_size=2)

    assert cluster_of(session, later) == cluster
    assert cluster_size(session, cluster) == 2


def test_the_addresses_of_one_building_stay_together(session, app_context):
    book(session, add_address(session, 10, straat="Achterweg"))
    for n in (20, 21, 22):  # one block of three flats, Hoofdstraat 20-1 .. 20-3
        book(session, add_address(session, n, pand=20, huisnummer=20, addition=str(n - 19)))
    book(session, add_address(session, 30))

    formed = form_clusters(session, actor=COORDINATOR, max_size=3)

    flats = {address_id(n) for n in (20, 21, 22)}
    assert [set(_homes(session, c)) & flats for c in formed].count(flats) == 1
    assert all(cluster_size(session, c) <= 3 for c in formed)


def test_a_building_above_the_limit_is_split_into_full_clusters(session, app_context):
    for n in range(40, 45):
        book(session, add_address(session, n, pand=40, huisnummer=40, addition=str(n - 39)))

    formed = form_clusters(session, actor=COORDINATOR, max_size=2)

    assert [cluster_size(session, c) for c in formed] == [2, 2, 1]


def test_open_clusters_of_the_place_are_filled_first(session, app_context):
    book(session, add_address(session, 10))
    [first] = form_clusters(session, actor=COORDINATOR, max_size=3)
    book(session, add_address(session, 12))
    book(session, add_address(session, 14))
    book(session, add_address(session, 16))

    formed = form_clusters(session, actor=COORDINATOR, max_size=3)

    assert [(c.id == first.id, cluster_size(session, c)) for c in formed] == [
        (True, 3), (False, 1)]


def test_a_cluster_whose_results_came_in_takes_no_new_homes(session, app_context):
    started = book(session, add_address(session, 10))
    [departed] = form_clusters(session, actor=COORDINATOR, max_size=10)
    workflow.transition(session, started, Status.INSPECTED, actor=COORDINATOR, reason="done",
                        notify=False)
    newcomer = book(session, add_address(session, 12))

    [formed] = form_clusters(session, actor=COORDINATOR, max_size=10)

    assert formed.id != departed.id
    assert cluster_of(session, newcomer) == formed


def test_inspections_and_assessments_travel_in_separate_clusters(session, app_context):
    book(session, add_address(session, 10), kind="inspection")
    book(session, add_address(session, 12), kind="assessment")

    formed = form_clusters(session, actor=COORDINATOR)

    assert sorted(c.kind for c in formed) == ["assessment", "inspection"]


def test_forming_again_without_new_bookings_changes_nothing(session, app_context):
    book(session, add_address(session, 10))
    form_clusters(session, actor=COORDINATOR)
    session.commit()

    assert form_clusters(session, actor=COORDINATOR) == []
    assert len(session.scalars(select(Cluster)).all()) == 1


def test_forming_is_in_the_audit_trail_and_the_request_history(session, app_context):
    req = book(session, add_address(session, 10))

    [cluster] = form_clusters(session, actor=COORDINATOR, max_size=5)
    session.commit()

    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "cluster.formed"))
    assert (entry.actor_label, entry.subject_type, entry.subject_id) == (
        "Test coordinator", "cluster", str(cluster.id))
    assert json.loads(entry.details) == {
        "gemeentecode": "1979", "woonplaats": "Meedhuizen", "kind": "inspection",
        "homes_added": 1, "homes": 1, "limit": 5}
    note = session.scalar(select(RequestEvent).where(RequestEvent.request_id == req.id,
                                                     RequestEvent.kind == "note"))
    assert note.reason == f"in cluster {cluster.id}"


def test_withdrawn_requests_leave_their_place_free(session, app_context):
    gone = book(session, add_address(session, 10))
    book(session, add_address(session, 12))
    [cluster] = form_clusters(session, actor=COORDINATOR, max_size=2)

    workflow.transition(session, gone, Status.WITHDRAWN, actor=COORDINATOR, reason="test",
                        notify=False)

    assert _homes(session, cluster) == [address_id(12)]


def test_the_limit_must_be_at_least_one(session):
    with pytest.raises(ValueError):
        form_clusters(session, actor=COORDINATOR, max_size=0)


# Risk addresses a local steering group adds.

@pytest.fixture
def cluster(session, app_context):
    """A Meedhuizen cluster of two booked homes, and risk addresses around it."""
    book(session, add_address(session, 10))
    book(session, add_address(session, 12))
    add_address(session, 14, risk="P50")
    add_address(session, 16, risk="P90")
    add_address(session, 18)
    add_address(session, 24, risk="P50", place=WAGENBORGEN)
    [made] = form_clusters(session, actor=COORDINATOR, max_size=4)
    session.commit()
    return made


def test_p50_and_p90_of_the_same_place_are_added_with_who_and_why(session, cluster):
    links = add_risk_addresses(session, cluster, [address_id(14), address_id(16)],
                               actor=COORDINATOR, reason="Hele straat samen", max_size=4)
    session.commit()

    assert [(a.nummeraanduiding_id, a.added_by, a.reason) for a in links] == [
        (address_id(14), "Test coordinator", "Hele straat samen"),
        (address_id(16), "Test coordinator", "Hele straat samen")]
    assert [(h.key, h.risk_profile) for h in cluster_homes(session, cluster)] == [
        (address_id(10), None), (address_id(12), None), (address_id(14), "P50"),
        (address_id(16), "P90")]
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.action == "cluster.risk_addresses_added"))
    assert json.loads(entry.details) == {
        "added": 2, "P50": 1, "P90": 1, "reason": "Hele straat samen",
        "cluster_address_ids": [a.id for a in links], "homes": 4, "limit": 4}


def test_an_address_of_another_place_is_refused(session, cluster):
    with pytest.raises(ClusterRefused) as refused:
        add_risk_addresses(session, cluster, [address_id(24)], actor=COORDINATOR,
                           reason="Buurdorp", max_size=4)

    assert _reasons(refused.value) == [(address_id(24), "lies in Wagenborgen, not in Meedhuizen")]


def test_an_address_without_p50_or_p90_is_refused_and_nothing_is_added(session, cluster):
    with pytest.raises(ClusterRefused) as refused:
        add_risk_addresses(session, cluster, [address_id(14), address_id(18), "12x"],
                           actor=COORDINATOR, reason="Samen", max_size=4)
    session.rollback()

    assert _reasons(refused.value) == [("12x", "not an address id"),
                                       (address_id(18), "is not a P50 or P90 address")]
    assert session.scalars(select(ClusterAddress)).all() == []


def test_going_over_the_limit_is_refused(session, cluster):
    with pytest.raises(ClusterRefused) as refused:
        add_risk_addresses(session, cluster, [address_id(14), address_id(16)],
                           actor=COORDINATOR, reason="Samen", max_size=3)

    assert refused.value.code == "cluster.addresses_refused"
    assert _reasons(refused.value) == [("", "The cluster would hold 4 homes; the limit is 3.")]


def test_an_address_already_in_a_cluster_is_refused(session, cluster):
    add_risk_addresses(session, cluster, [address_id(14)], actor=COORDINATOR, reason="Samen",
                       max_size=4)

    with pytest.raises(ClusterRefused) as refused:
        add_risk_addresses(session, cluster, [address_id(14), address_id(10)],
                           actor=COORDINATOR, reason="Nog eens", max_size=4)

    assert _reasons(refused.value) == [(address_id(14), "is already in this cluster"),
                                       (address_id(10), "is not a P50 or P90 address")]


def test_adding_needs_a_reason(session, cluster):
    with pytest.raises(ClusterRefused) as refused:
        add_risk_addresses(session, cluster, [address_id(14)], actor=COORDINATOR, reason="  ")

    assert refused.value.code == "cluster.needs_reason"
    assert _reasons(refused.value) == [
        ("", "Write why the steering group adds these addresses.")]


def test_addresses_are_typed_as_ids_or_postcode_and_number(session, cluster):
    add_address(session, 40, pand=40, huisnummer=40, addition="1")
    add_address(session, 41, pand=40, huisnummer=40, addition="2")
    add_address(session, 42, huisnummer=42, letter="A")
    text = f"{address_id(14)}\n\n9937 ab 16\n9937AB 40-2\n9937AB 42a\n9937AB 40\n9999ZZ 1\nhallo"

    ids, problems = parse_address_lines(session, text)

    assert ids == [address_id(14), address_id(16), address_id(41), address_id(42)]
    assert [(line, str(why)) for line, why in problems] == [
        ("9937AB 40", "more than one address here; add the letter or addition"),
        ("9999ZZ 1", "not in the register"),
        ("hallo", "not an address id or a postcode with a house number")]


# Every booked set and every limit: never above the limit, never two places in one cluster.

PLACES = (MEEDHUIZEN, WAGENBORGEN, TER_APEL)
home_strategy = st.tuples(
    st.integers(0, 2),            # place
    st.integers(0, 4),            # building within the place
    st.sampled_from(["inspection", "assessment"]),
    st.integers(1, 2),            # requests for the address
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=st.lists(home_strategy, max_size=14), later=st.lists(home_strategy, max_size=6),
       limit=st.integers(1, 5))
def test_clusters_never_pass_the_limit_nor_mix_places(app, first, later, limit):
    with app.app_context():
        engine = database.engine
        session = Session(bind=engine, expire_on_commit=False)
        try:
            _check_forming(session, first, later, limit)
        finally:
            session.rollback()
            session.close()


def _check_forming(session, first, later, limit):
    numbers = iter(range(100, 10_000))
    buildings: dict[tuple[str, str], set[str]] = defaultdict(set)

    def book_all(homes):
        for place, building, kind, count in homes:
            address = add_address(session, next(numbers), place=PLACES[place],
                                  pand=1000 * (place + 1) + building)
            buildings[(address.pand_id, kind)].add(address.nummeraanduiding_id)
            for _ in range(count):
                book(session, address, kind=kind)

    book_all(first)
    form_clusters(session, actor=COORDINATOR, max_size=limit)
    # A building that fits, booked in one go, is never split.
    for (_pand, kind), members in buildings.items():
        if len(members) <= limit:
            assert len(set(session.scalars(
                select(Booking.cluster_id).join(InspectionRequest)
                .where(Booking.kind == kind,
                       InspectionRequest.nummeraanduiding_id.in_(members))))) == 1
    book_all(later)
    form_clusters(session, actor=COORDINATOR, max_size=limit)

    assert session.scalars(select(Booking).where(Booking.cluster_id.is_(None))).all() == []
    seen: dict[tuple[str, str], int] = {}
    for cluster in session.scalars(select(Cluster)).all():
        homes = cluster_homes(session, cluster)
        assert 1 <= len(homes) <= limit
        assert {(h.postcode, h.woonplaats) for h in homes} == {
            (p[2], p[1]) for p in PLACES if p[:2] == (cluster.gemeentecode, cluster.woonplaats)}
        kinds = session.scalars(select(Booking.kind).where(Booking.cluster_id == cluster.id))
        assert set(kinds) == {cluster.kind}
        for home in homes:
            assert seen.setdefault((home.key, cluster.kind), cluster.id) == cluster.id


def test_the_default_limit_is_150():
    assert clusters.DEFAULT_MAX_HOMES == 150


def test_the_command_line_forms_clusters_with_a_maximum(session, cluster_app):
    for number in (10, 12, 14):
        book(session, add_address(session, number))
    session.commit()

    answer = cluster_app.test_cli_runner().invoke(args=["clusters", "form", "--max", "2"])

    assert answer.exit_code == 0, answer.output
    assert answer.output.splitlines()[-1] == "2 clusters formed or filled."
    assert sorted(cluster_size(session, c) for c in session.scalars(select(Cluster))) == [1, 2]


@pytest.mark.committing
def test_two_coordinators_forming_at_once_place_each_booking_once(app, session):
    for number in (10, 12):
        book(session, add_address(session, number))
    session.commit()
    with app.app_context():
        engine = database.engine
    first = Session(bind=engine, expire_on_commit=False)
    answers = {}

    def second_coordinator():
        other = Session(bind=engine, expire_on_commit=False)
        try:
            answers["formed"] = form_clusters(other, actor=COORDINATOR)
            other.commit()
        finally:
            other.close()

    try:
        [formed] = form_clusters(first, actor=COORDINATOR)
        racing = threading.Thread(target=second_coordinator)
        racing.start()
        racing.join(timeout=1)
        waited = racing.is_alive()
        first.commit()
    finally:
        first.close()
    racing.join(timeout=30)

    assert waited
    assert answers["formed"] == []
    assert [c.id for c in session.scalars(select(Cluster))] == [formed.id]
