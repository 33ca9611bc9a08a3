"""What the importer must accept from real files (register-format.md)."""

from __future__ import annotations

from sqlalchemy import select

from portal.register.importer import import_register
from portal.register.models import Address, ProgrammeStatus
from tests.factories import address_row, programme_row, write_csv, write_register


def _stored(session) -> list[tuple]:
    return [
        (a.nummeraanduiding_id, a.postcode, a.huisnummer, a.huisletter, a.straat)
        for a in session.scalars(select(Address).order_by(Address.nummeraanduiding_id))
    ]


def test_sample_shape_imports_and_reports_counts(session, tmp_path):
    addresses, programme = write_register(
        tmp_path, [address_row(1), address_row(2)], [programme_row(1, risicoprofiel="P50")])

    report = import_register(session, addresses=addresses, programme=programme)

    assert report.applied
    assert report.counts["addresses"] == {
        "rows": 2, "added": 2, "changed": 0, "unchanged": 0, "removed": 0,
        "refused_rows": 0, "padded_ids": 0,
    }
    assert report.counts["programme"]["added"] == 1
    assert session.get(ProgrammeStatus, address_row(1)["nummeraanduiding_id"]).risk_profile \
        == "P50"


def test_semicolon_delimiter_bom_and_crlf_are_read(session, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1), address_row(2)],
                                  delimiter=";", bom=True, crlf=True)

    report = import_register(session, addresses=addresses)

    assert report.applied
    assert report.files["addresses"].delimiter == ";"
    assert report.files["addresses"].encoding == "UTF-8"
    assert [row[0] for row in _stored(session)] == [
        address_row(1)["nummeraanduiding_id"], address_row(2)["nummeraanduiding_id"]]


def test_decimal_comma_coordinates_in_semicolon_file(session, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1, lat="53,2971", lon="6,9261")],
                                  delimiter=";")

    import_register(session, addresses=addresses)

    stored = session.scalar(select(Address))
    assert (stored.lat, stored.lon) == (53.2971, 6.9261)


def test_windows_1252_file_is_read_and_reported(session, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1, straat="Ëemsweg 'Ĳ'".replace(
        "Ĳ", "IJ"))], encoding="cp1252")

    report = import_register(session, addresses=addresses)

    assert report.applied
    assert report.files["addresses"].encoding == "Windows-1252"
    assert "Windows-1252 (the file is not valid UTF-8)" in report.render()
    assert session.scalar(select(Address.straat)) == "Ëemsweg 'IJ'"


def test_postcode_with_space_and_lower_case_is_normalised(session, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1, postcode="9937 ab"),
                                             address_row(2, postcode=" 9937ab ")])

    import_register(session, addresses=addresses)

    assert [row[1] for row in _stored(session)] == ["9937AB", "9937AB"]


def test_ids_without_leading_zeros_are_padded_and_counted(session, tmp_path):
    row = address_row(1)
    stripped = {k: row[k].lstrip("0") for k in
                ("nummeraanduiding_id", "verblijfsobject_id", "pand_id")}
    addresses, programme = write_register(
        tmp_path, [address_row(1, **stripped)],
        [programme_row(1, nummeraanduiding_id=stripped["nummeraanduiding_id"])])

    report = import_register(session, addresses=addresses, programme=programme)

    assert report.files["addresses"].padded_ids == 3
    assert report.files["programme"].padded_ids == 1
    assert "ids padded with leading zeros: 3" in report.render()
    stored = session.scalar(select(Address))
    assert (stored.nummeraanduiding_id, stored.pand_id) == (row["nummeraanduiding_id"],
                                                            row["pand_id"])


def test_columns_in_any_order_with_extra_columns(session, tmp_path):
    row = address_row(1, opmerking="extra column")
    header = ["opmerking", *reversed([k for k in row if k != "opmerking"])]
    addresses = write_csv(tmp_path / "adressen.csv", [row], header)

    report = import_register(session, addresses=addresses)

    assert report.applied
    assert _stored(session) == [(row["nummeraanduiding_id"], "9937AB", 1, "", "Hoofdstraat")]


def test_optional_columns_may_be_absent(session, tmp_path):
    required = ["nummeraanduiding_id", "pand_id", "postcode", "huisnummer", "straat",
                "woonplaats", "gemeentecode", "gemeentenaam"]
    addresses = write_csv(tmp_path / "adressen.csv", [address_row(1)], required)

    report = import_register(session, addresses=addresses)

    assert report.applied
    assert session.scalar(select(Address.bouwjaar)) is None


def test_letters_and_additions_make_distinct_addresses(session, tmp_path):
    addresses, _ = write_register(tmp_path, [
        address_row(1, huisnummer=10),
        address_row(2, huisnummer=10, huisletter="a"),
        address_row(3, huisnummer=10, huisnummertoevoeging="bis"),
    ])

    report = import_register(session, addresses=addresses)

    assert report.applied
    keys = sorted((a.huisletter, a.huisnummertoevoeging) for a in session.scalars(select(Address)))
    assert keys == [("", ""), ("", "BIS"), ("A", "")]
