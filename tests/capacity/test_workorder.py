"""A cluster's work order: exactly the columns its reader needs, as CSV and as a PDF overview."""
# ruff: noqa: F811  (cluster_app is a fixture imported from cluster_fixtures)

from __future__ import annotations

import csv
import io

import pytest
from flask import render_template
from pypdf import PdfReader

from portal.capacity.cluster_additions import add_risk_addresses
from portal.capacity.clusters import form_clusters
from portal.capacity.workorder import (
    COLUMNS,
    phone_as_text,
    safe_cell,
    workorder_csv,
    workorder_filename,
    workorder_pdf,
)
from portal.requests.reference import format_reference
from tests.capacity.cluster_fixtures import (  # noqa: F401  (cluster_app is a fixture)
    COORDINATOR,
    add_address,
    book,
    cluster_app,
)
from tests.factories import address_id, building_id


@pytest.fixture
def cluster(session, app_context):
    """Meedhuizen: a house with a phone number, a flat with two requests, an added P90 home."""
    house = book(session, add_address(session, 10), phone="+31612345678",
                 email="piet@example.nl", contact_name="Piet Bewoner",
                 explanation="Grote scheur boven de deur")
    flat = add_address(session, 21, pand=20, huisnummer=20, letter="A", addition="2")
    owner = book(session, flat, email=None, phone="+31501234567", contact_name="=Eigenaar")
    tenant = book(session, flat, email="huurder@example.nl", phone=None,
                 contact_name="Huurder")
    add_address(session, 16, risk="P90")
    [made] = form_clusters(session, actor=COORDINATOR)
    add_risk_addresses(session, made, [address_id(16)], actor=COORDINATOR, reason="Straat")
    session.commit()
    return made, house, owner, tenant


def _rows(body: bytes) -> tuple[list[str], list[dict]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text[1:]), delimiter=";")
    return reader.fieldnames, list(reader)


def test_the_csv_has_the_documented_columns_and_one_row_per_home(session, cluster):
    made, house, owner, tenant = cluster

    header, rows = _rows(workorder_csv(session, made))

    assert header == list(COLUMNS) == [
        "nummeraanduiding_id", "adres", "postcode", "woonplaats", "pand_id", "soort", "week",
        "verzoek", "naam", "telefoon", "email"]
    assert rows == [
        {"nummeraanduiding_id": address_id(10), "adres": "Hoofdstraat 10", "postcode": "9937AB",
         "woonplaats": "Meedhuizen", "pand_id": building_id(10), "soort": "opname",
         "week": "2026-03-02", "verzoek": format_reference(house.reference),
         "naam": "Piet Bewoner", "telefoon": "06 12345678", "email": "piet@example.nl"},
        {"nummeraanduiding_id": address_id(16), "adres": "Hoofdstraat 16", "postcode": "9937AB",
         "woonplaats": "Meedhuizen", "pand_id": building_id(16), "soort": "opname",
         "week": "", "verzoek": "P90", "naam": "", "telefoon": "", "email": ""},
        {"nummeraanduiding_id": address_id(21), "adres": "Hoofdstraat 20A-2",
         "postcode": "9937AB", "woonplaats": "Meedhuizen", "pand_id": building_id(20),
         "soort": "opname", "week": "2026-03-02",
         "verzoek": f"{format_reference(owner.reference)} {format_reference(tenant.reference)}",
         # A name that a spreadsheet would run as a formula is kept as text.
         "naam": "'=Eigenaar / Huurder", "telefoon": "050 1234567",
         "email": "huurder@example.nl"},
    ]


def test_the_csv_carries_the_contact_details_the_privacy_statement_names(app, session,
                                                                       cluster):
    """Name and how to reach the resident, to make the appointment; nothing else of theirs."""
    made, *_ = cluster
    with app.test_request_context("/privacy?lang=en"):
        privacy = render_template("web/privacy.html")

    text = workorder_csv(session, made).decode("utf-8")

    assert ("receives the address, your name and how to reach you, to make an appointment"
            in privacy)
    for contact in ("Piet Bewoner", "06 12345678", "piet@example.nl"):
        assert contact in text
    for private in ("scheur", "Straat", "+31"):  # free text, the reason, a + at the start
        assert private not in text


@pytest.mark.parametrize(("stored", "written"), [
    ("+31612345678", "06 12345678"), ("0612345678", "06 12345678"),
    ("+31501234567", "050 1234567"), ("+31596123456", "0596 123456"),
    ("+49301234567", "00 49301234567")])
def test_phone_numbers_are_written_as_text_without_a_quote(stored, written):
    assert phone_as_text(stored) == written
    assert safe_cell(phone_as_text(stored)) == written


def test_the_csv_uses_crlf_line_ends_for_spreadsheets(session, cluster):
    made, *_ = cluster

    assert workorder_csv(session, made).count(b"\r\n") == 4


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text():
    assert [safe_cell(v) for v in ("=HYPERLINK(1)", "+31612345678", "-1", "@x", "Kerkstraat")] == [
        "'=HYPERLINK(1)", "'+31612345678", "'-1", "'@x", "Kerkstraat"]


def test_the_file_name_names_the_cluster_and_its_place(session, cluster):
    made, *_ = cluster

    assert workorder_filename(made, "csv") == f"werkopdracht-{made.id}-meedhuizen.csv"


def test_the_pdf_overview_lists_every_address_without_phone_numbers(session, cluster):
    made, house, _owner, tenant = cluster

    pdf = workorder_pdf(session, made, language="nl")

    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert pdf.startswith(b"%PDF-")
    for expected in ("Hoofdstraat 10", "Hoofdstraat 16", "Hoofdstraat 20A-2", "Meedhuizen",
                     address_id(21), building_id(20), "P90",
                     format_reference(house.reference), format_reference(tenant.reference)):
        assert expected in text
    for contact in ("12345678", "Piet", "Huurder", "example.nl"):
        assert contact not in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape A4


def test_the_command_line_writes_the_work_order(session, cluster, cluster_app, tmp_path):
    made, *_ = cluster
    runner = cluster_app.test_cli_runner()

    answer = runner.invoke(args=["clusters", "export", str(made.id), "--csv",
                                 str(tmp_path / "w.csv"), "--pdf", str(tmp_path / "w.pdf")])
    missing = runner.invoke(args=["clusters", "export", "999999", "--csv",
                                  str(tmp_path / "x.csv")])

    assert answer.exit_code == 0, answer.output
    assert (tmp_path / "w.csv").read_bytes() == workorder_csv(session, made)
    assert (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF-")
    assert (missing.exit_code, "There is no cluster 999999." in missing.output) == (1, True)
