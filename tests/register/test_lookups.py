"""Looking up an address, its building, its identical neighbours, and register counts."""

from __future__ import annotations

import pytest

from portal.register import lookups
from tests.factories import address_id, address_row, building_id, import_rows, programme_row


@pytest.fixture
def street(session, tmp_path):
    """A street in Meedhuizen: a flat block (1, 1-2, 1-3), identical row homes 3 and 5, a farm 7."""
    rows = [
        address_row(1, huisnummer=1),
        address_row(2, huisnummer=1, huisnummertoevoeging="2", pand_id=building_id(1)),
        address_row(3, huisnummer=1, huisnummertoevoeging="3", pand_id=building_id(1)),
        address_row(4, huisnummer=3),
        address_row(5, huisnummer=5),
        address_row(6, huisnummer=7, gebruiksdoel="industriefunctie"),
        address_row(8, huisnummer=9, postcode="9901AA", straat="Dijkstraat",
                    woonplaats="Appingedam"),
    ]
    programme = [
        programme_row(1, risicoprofiel="P50", opname_datum="2017-11-21", typologie="flat-1970"),
        programme_row(2, risicoprofiel="P50", opname_datum="2017-11-21", typologie="flat-1970"),
        programme_row(3, risicoprofiel="P50", opname_datum="2017-11-21", typologie="flat-1970"),
        programme_row(4, typologie="rijwoning-1930", opname_datum="2018-03-01",
                      advies="versterken"),
        programme_row(5, typologie="rijwoning-1930", batch="1581"),
        programme_row(8, risicoprofiel="P90", batch="1581"),
    ]
    import_rows(session, tmp_path, rows, programme)


def test_lookup_gives_every_documented_field(session, street):
    result = lookups.lookup_address(session, "9937 ab", "3")

    assert result == {
        "nummeraanduiding_id": address_id(4),
        "verblijfsobject_id": "0003010000000004",
        "postcode": "9937AB",
        "huisnummer": 3,
        "huisletter": None,
        "huisnummertoevoeging": None,
        "straat": "Hoofdstraat",
        "woonplaats": "Meedhuizen",
        "gemeente": "Eemsdelta",
        "gemeentecode": "1979",
        "in_effect_area": True,
        "gebruiksdoel": "woonfunctie",
        "bouwjaar": 1931,
        "pand_id": building_id(4),
        "addresses_in_building": 1,
        "risk_profile": None,
        "batch": None,
        "inspected_on": "2018-03-01",
        "advice": "versterken",
        "typology": "rijwoning-1930",
        "identical_neighbours": [
            {"pand_id": building_id(5), "address": "Hoofdstraat 5", "addresses": 1}],
    }


def test_flat_lookup_counts_the_whole_building(session, street):
    result = lookups.lookup_address(session, "9937AB", 1, addition="2")

    assert (result["nummeraanduiding_id"], result["addresses_in_building"],
            result["risk_profile"], result["identical_neighbours"]) == (
        address_id(2), 3, "P50", [])


def test_ambiguous_number_names_the_choices(session, street):
    result = lookups.lookup_address(session, "9937AB", 1, addition="9")

    assert result == lookups.NotFound("No address 9937AB 1-9 in the register.")
    assert lookups.lookup_address(session, "9937AB", 1) != lookups.NotFound(
        "No address 9937AB 1 in the register.")


def test_unknown_and_invalid_addresses_are_not_found(session, street):
    assert lookups.lookup_address(session, "9937AB", 99) == lookups.NotFound(
        "No address 9937AB 99 in the register.")
    assert isinstance(lookups.lookup_address(session, "0000AA", 1), lookups.NotFound)
    assert isinstance(lookups.lookup_address(session, "9937AB", "x"), lookups.NotFound)


def test_addresses_at_lists_letters_and_additions(session, street):
    found = lookups.addresses_at(session, "9937AB", 1)

    assert [lookups.house_number_label(a) for a in found] == ["1", "1-2", "1-3"]


def test_building_addresses(session, street):
    found = lookups.building_addresses(session, building_id(1))

    assert [a.nummeraanduiding_id for a in found] == [address_id(1), address_id(2), address_id(3)]


def test_stats_counts_programme_groups(session, street):
    assert lookups.register_stats(session) == {
        "addresses": 7,
        "buildings": 5,
        "p50": 3,
        "p90": 1,
        "batches": {"1581": 2},
        "inspected": 4,
        "inspected_outside_risk": 1,
    }


def test_flat_additions_sort_as_numbers_then_letters(session, tmp_path):
    """Flats at one number: none first, 2 before 11 before 18, then `1A` and `A`."""
    additions = ["18", "A", "", "2", "1a", "11"]
    rows = [address_row(40 + i, huisnummer=88, huisnummertoevoeging=addition,
                        pand_id=building_id(40))
            for i, addition in enumerate(additions)]
    rows.append(address_row(50, huisnummer=88, huisletter="B", pand_id=building_id(40)))
    import_rows(session, tmp_path, rows)

    at = lookups.addresses_at(session, "9937AB", 88)
    building = lookups.building_addresses(session, building_id(40))

    expected = ["88", "88-2", "88-11", "88-18", "88-1A", "88-A", "88B"]
    assert [lookups.house_number_label(a) for a in at] == expected
    assert [lookups.house_number_label(a) for a in building] == expected
