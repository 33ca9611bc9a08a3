"""Importing the same files again, and importing a newer version."""

from __future__ import annotations

from sqlalchemy import select

from portal.register.importer import import_register
from portal.register.models import Address, Building, RegisterChange
from tests.factories import address_id, address_row, building_id, programme_row, write_register


def _snapshot(session) -> list[tuple]:
    session.expire_all()
    return [
        (a.nummeraanduiding_id, a.pand_id, a.postcode, a.huisnummer, a.straat,
         a.programme.risk_profile if a.programme else None)
        for a in session.scalars(select(Address).order_by(Address.nummeraanduiding_id))
    ]


def _changes(session, import_id: int) -> list[tuple[str, str]]:
    return sorted(
        (c.kind, c.nummeraanduiding_id)
        for c in session.scalars(
            select(RegisterChange).where(RegisterChange.import_id == import_id))
    )


def test_importing_the_same_files_twice_changes_nothing(session, tmp_path):
    addresses, programme = write_register(
        tmp_path, [address_row(1), address_row(2)], [programme_row(1, risicoprofiel="P90")])
    import_register(session, addresses=addresses, programme=programme)
    before = _snapshot(session)

    report = import_register(session, addresses=addresses, programme=programme)

    assert _snapshot(session) == before
    assert report.counts["addresses"]["unchanged"] == 2
    assert report.counts["programme"] == {
        "rows": 1, "added": 0, "changed": 0, "unchanged": 1, "removed": 0,
        "refused_rows": 0, "padded_ids": 0}
    assert _changes(session, report.import_id) == []


def test_newer_version_reports_added_changed_and_removed(session, tmp_path):
    v1 = write_register(tmp_path / "v1", [address_row(1), address_row(2), address_row(3)],
                        [programme_row(1), programme_row(2, risicoprofiel="P90")])
    import_register(session, addresses=v1[0], programme=v1[1])
    v2 = write_register(
        tmp_path / "v2",
        [address_row(1), address_row(2, straat="Kerkstraat"), address_row(4)],
        [programme_row(1, risicoprofiel="P50"), programme_row(4, batch="1588")],
    )

    report = import_register(session, addresses=v2[0], programme=v2[1])

    assert report.counts["addresses"] == {
        "rows": 3, "added": 1, "changed": 1, "unchanged": 1, "removed": 1,
        "refused_rows": 0, "padded_ids": 0}
    assert (report.counts["programme"]["added"], report.counts["programme"]["changed"],
            report.counts["programme"]["removed"]) == (1, 1, 1)
    assert _changes(session, report.import_id) == [
        ("address_added", address_id(4)),
        ("address_changed", address_id(2)),
        ("address_removed", address_id(3)),
        ("programme_added", address_id(4)),
        ("programme_changed", address_id(1)),
        ("programme_removed", address_id(2)),
    ]
    assert _snapshot(session) == [
        (address_id(1), building_id(1), "9937AB", 1, "Hoofdstraat", "P50"),
        (address_id(2), building_id(2), "9937AB", 2, "Kerkstraat", None),
        (address_id(4), building_id(4), "9937AB", 4, "Hoofdstraat", None),
    ]
    assert sorted(session.scalars(select(Building.pand_id))) == [
        building_id(1), building_id(2), building_id(4)]


def test_address_moving_to_another_building_creates_it(session, tmp_path):
    v1, _ = write_register(tmp_path / "v1", [address_row(1)])
    import_register(session, addresses=v1)
    v2, _ = write_register(tmp_path / "v2", [address_row(1, pand_id=building_id(99))])

    report = import_register(session, addresses=v2)

    assert report.counts["addresses"]["changed"] == 1
    assert list(session.scalars(select(Building.pand_id))) == [building_id(99)]


def test_addresses_alone_keep_programme_of_remaining_addresses(session, tmp_path):
    v1 = write_register(tmp_path / "v1", [address_row(1), address_row(2)],
                        [programme_row(1, risicoprofiel="P50"), programme_row(2, batch="1467")])
    import_register(session, addresses=v1[0], programme=v1[1])
    v2, _ = write_register(tmp_path / "v2", [address_row(1)])

    import_register(session, addresses=v2)

    assert _snapshot(session) == [
        (address_id(1), building_id(1), "9937AB", 1, "Hoofdstraat", "P50")]
