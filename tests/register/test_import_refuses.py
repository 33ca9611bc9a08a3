"""What the importer must refuse, naming the line, the column and the reason."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.register.importer import import_register
from portal.register.models import Address, ProgrammeStatus, RegisterImport
from portal.register.report import Refusal
from tests.factories import (
    PROGRAMME_HEADER,
    address_id,
    address_row,
    programme_row,
    write_csv,
    write_register,
)


def _only_refusal(report) -> tuple:
    assert not report.applied
    assert len(report.refusals) == 1, report.refusals
    refusal = report.refusals[0]
    return refusal.file, refusal.line, refusal.column


@pytest.mark.parametrize(("column", "value"), [
    ("postcode", "0937AB"),
    ("postcode", "9937SA"),
    ("postcode", "9937SD"),
    ("postcode", "9937SS"),
    ("postcode", "99377"),
    ("postcode", "9937ABC"),
    ("postcode", ""),
    ("huisnummer", "0"),
    ("huisnummer", "100000"),
    ("huisnummer", "12a"),
    ("huisnummer", "-3"),
    ("huisnummer", ""),
    ("huisletter", "AB"),
    ("huisnummertoevoeging", "12345"),
    ("huisnummertoevoeging", "b-1"),
    ("nummeraanduiding_id", "00032000000000011"),
    ("nummeraanduiding_id", "0003100000000001"),
    ("nummeraanduiding_id", "0003-20-00000001"),
    ("pand_id", "0003200000000001"),
    ("verblijfsobject_id", "0003100000000001"),
    ("straat", ""),
    ("woonplaats", ""),
    ("gemeentecode", "19790"),
    ("gemeentecode", "Eems"),
    ("gemeentenaam", ""),
    ("bouwjaar", "31"),
    ("lat", "noord"),
])
def test_bad_address_field_is_refused_with_line_and_column(session, tmp_path, column, value):
    addresses, _ = write_register(tmp_path, [address_row(1), address_row(2, **{column: value})])

    report = import_register(session, addresses=addresses)

    assert _only_refusal(report) == ("adressen.csv", 3, column)
    assert report.refusals[0].reason
    assert session.scalar(select(func.count()).select_from(Address)) == 0


@pytest.mark.parametrize(("column", "value"), [
    ("risicoprofiel", "P70"),
    ("advies", "slopen"),
    ("opname_datum", "2019-02-30"),
    ("opname_datum", "30-01-2019"),
    ("opname_datum", "2999-01-01"),
    ("batch", "14a"),
    ("nummeraanduiding_id", "0003200000000001999"),
])
def test_bad_programme_field_is_refused_with_line_and_column(session, tmp_path, column, value):
    addresses, programme = write_register(
        tmp_path, [address_row(1), address_row(2)],
        [programme_row(1), programme_row(2, **{column: value})])

    report = import_register(session, addresses=addresses, programme=programme)

    assert _only_refusal(report) == ("programma.csv", 3, column)


def test_duplicate_address_id_is_refused_on_the_later_line(session, tmp_path):
    addresses, _ = write_register(tmp_path, [
        address_row(1), address_row(2), address_row(3, nummeraanduiding_id=address_id(1))])

    report = import_register(session, addresses=addresses)

    assert _only_refusal(report) == ("adressen.csv", 4, "nummeraanduiding_id")
    assert "appears on an earlier line" in report.refusals[0].reason


def test_two_rows_for_one_postcode_and_number_are_refused(session, tmp_path):
    addresses, _ = write_register(tmp_path, [
        address_row(1, huisnummer=5, huisletter="A"), address_row(2, huisnummer=5, huisletter="a")])

    report = import_register(session, addresses=addresses)

    assert _only_refusal(report) == ("adressen.csv", 3, "postcode")
    assert report.refusals[0].reason == "address 9937AB 5A appears on an earlier line"


def test_programme_row_for_unknown_address_is_refused(session, tmp_path):
    addresses, programme = write_register(tmp_path, [address_row(1)],
                                          [programme_row(1), programme_row(7)])

    report = import_register(session, addresses=addresses, programme=programme)

    assert report.refusals == [Refusal("programma.csv", 3, "nummeraanduiding_id",
                                       f"address {address_id(7)} is not in the register")]


def test_programme_alone_is_checked_against_the_stored_register(session, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1)])
    import_register(session, addresses=addresses)
    programme = write_csv(tmp_path / "p.csv", [programme_row(1), programme_row(2)],
                          PROGRAMME_HEADER)

    report = import_register(session, addresses=None, programme=programme)

    assert [(r.line, r.column) for r in report.refusals] == [(3, "nummeraanduiding_id")]


def test_duplicate_programme_row_is_refused(session, tmp_path):
    addresses, programme = write_register(tmp_path, [address_row(1)],
                                          [programme_row(1), programme_row(1)])

    report = import_register(session, addresses=addresses, programme=programme)

    assert _only_refusal(report) == ("programma.csv", 3, "nummeraanduiding_id")


def test_missing_required_column_is_refused_by_name(session, tmp_path):
    header = [c for c in address_row(1) if c not in ("pand_id", "straat")]
    addresses = write_csv(tmp_path / "adressen.csv", [address_row(1)], header)

    report = import_register(session, addresses=addresses)

    assert report.refusals == [
        Refusal("adressen.csv", None, "pand_id", "required column is missing"),
        Refusal("adressen.csv", None, "straat", "required column is missing"),
    ]
    assert "adressen.csv, column pand_id: required column is missing" in report.render()


def test_every_bad_row_is_listed_and_nothing_changes(session, tmp_path):
    addresses, _ = write_register(tmp_path, [address_row(1)])
    import_register(session, addresses=addresses)
    imports_before = session.scalar(select(func.count()).select_from(RegisterImport))
    bad, _ = write_register(tmp_path / "v2", [
        address_row(1, straat="Nieuwe straat"),
        address_row(2, postcode="12"),
        address_row(3),
        address_row(4, huisnummer="x", postcode="0000AA"),
    ])

    report = import_register(session, addresses=bad)

    assert sorted((r.line, r.column) for r in report.refusals) == [
        (3, "postcode"), (5, "huisnummer"), (5, "postcode")]
    assert report.files["addresses"].refused_rows == 2
    session.expire_all()
    assert [a.straat for a in session.scalars(select(Address))] == ["Hoofdstraat"]
    assert session.scalar(select(func.count()).select_from(RegisterImport)) == imports_before


def test_skip_invalid_imports_good_rows_and_reports_the_rest(session, tmp_path):
    addresses, programme = write_register(
        tmp_path,
        [address_row(1), address_row(2, postcode="0000AA"), address_row(3),
         address_row(4, nummeraanduiding_id=address_id(1))],
        [programme_row(1, risicoprofiel="P90"), programme_row(2), programme_row(3, advies="?")],
    )

    report = import_register(session, addresses=addresses, programme=programme,
                             skip_invalid=True)

    assert report.applied
    assert sorted((r.file, r.line) for r in report.refusals) == [
        ("adressen.csv", 3), ("adressen.csv", 5), ("programma.csv", 3), ("programma.csv", 4)]
    assert sorted(session.scalars(select(Address.nummeraanduiding_id))) == [
        address_id(1), address_id(3)]
    assert list(session.scalars(select(ProgrammeStatus.risk_profile))) == ["P90"]


def test_skip_invalid_keeps_a_stored_address_whose_new_line_is_bad(session, tmp_path):
    first, _ = write_register(tmp_path, [address_row(1), address_row(2)])
    import_register(session, addresses=first)
    second, _ = write_register(tmp_path / "v2", [address_row(1), address_row(2, huisnummer="x")])

    report = import_register(session, addresses=second, skip_invalid=True)

    assert report.files["addresses"].removed == 0
    assert session.get(Address, address_id(2)) is not None


def test_skip_invalid_never_applies_a_file_without_one_good_row(session, tmp_path):
    first, _ = write_register(tmp_path, [address_row(1)])
    import_register(session, addresses=first)
    bad, _ = write_register(tmp_path / "v2", [address_row(5, postcode="x")])

    report = import_register(session, addresses=bad, skip_invalid=True)

    assert not report.applied
    assert session.get(Address, address_id(1)) is not None
