"""One verdict per address: the Python reading and the SQL reading never disagree."""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select

from portal.register.models import Address, Building, Municipality, ProgrammeStatus
from portal.register.verdict import (
    Standing,
    Verdict,
    in_programme_sql,
    inspected_outside_programme_sql,
    verdict,
)
from tests.factories import address_id, building_id

PROFILES = (None, "P50", "P90")
BATCHES = (None, "1467")
INSPECTIONS = (None, date(2017, 5, 1))
SERVED = frozenset({"1979"})


def _register(session) -> list[Address]:
    session.add_all([Municipality(code="1979", name="Eemsdelta", in_effect_area=True),
                     Municipality(code="0037", name="Stadskanaal", in_effect_area=False)])
    homes = []
    combinations = itertools.product(PROFILES, BATCHES, INSPECTIONS, ("1979", "0037"), (1, 0))
    for number, (profile, batch, inspected, gemeente, listed) in enumerate(combinations, 1):
        session.add(Building(pand_id=building_id(number)))
        home = Address(nummeraanduiding_id=address_id(number), pand_id=building_id(number),
                       postcode="9937AB", huisnummer=number, straat="Hoofdstraat",
                       woonplaats="Meedhuizen", gemeentecode=gemeente)
        session.add(home)
        if listed:
            session.add(ProgrammeStatus(nummeraanduiding_id=home.nummeraanduiding_id,
                                        risk_profile=profile, batch=batch,
                                        inspected_on=inspected))
        homes.append(home)
    session.flush()
    session.expire_all()
    return homes


def test_sql_and_python_agree_on_every_combination(session):
    homes = _register(session)

    def ids(condition) -> set[str]:
        return set(session.scalars(select(ProgrammeStatus.nummeraanduiding_id).where(condition)))

    by_python = {home.nummeraanduiding_id: verdict(session.get(Address, home.nummeraanduiding_id),
                                                 SERVED) for home in homes}
    in_area = {i for i, v in by_python.items() if v.standing is not Standing.OUTSIDE_AREA}
    assert ids(in_programme_sql()) & in_area == {
        i for i, v in by_python.items() if v.standing is Standing.IN_PROGRAMME}
    assert ids(inspected_outside_programme_sql()) & in_area == {
        i for i, v in by_python.items() if v.standing is Standing.INSPECTED_BEFORE}


def test_each_standing_leads_to_its_request():
    assert {s: verdict_type(s) for s in Standing} == {
        Standing.NOT_IN_REGISTER: "inspection", Standing.OUTSIDE_AREA: "inspection",
        Standing.IN_PROGRAMME: "question", Standing.INSPECTED_BEFORE: "reassessment",
        Standing.NOT_KNOWN: "inspection"}


def verdict_type(standing: Standing) -> str:
    return Verdict(standing).request_type


def test_an_address_outside_the_area_is_outside_whatever_the_programme_says(session):
    homes = _register(session)
    outside = [h for h in homes if h.gemeentecode == "0037"]

    found = {verdict(session.get(Address, h.nummeraanduiding_id), SERVED).standing
             for h in outside}

    assert found == {Standing.OUTSIDE_AREA}


def test_no_address_is_not_in_the_register():
    assert verdict(None).standing is Standing.NOT_IN_REGISTER


def test_without_a_served_area_every_municipality_is_served(session):
    homes = _register(session)

    found = {verdict(session.get(Address, h.nummeraanduiding_id)).standing for h in homes}

    assert Standing.OUTSIDE_AREA not in found
