"""Results of the inspection organisation move planned requests on, as strictly as the register."""
# ruff: noqa: F811  (cluster_app is a fixture imported from cluster_fixtures)

from __future__ import annotations

import json

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.capacity.cluster_additions import add_risk_addresses
from portal.capacity.cluster_cli import render_report
from portal.capacity.clusters import form_clusters
from portal.capacity.models import Cluster
from portal.capacity.results import import_results
from portal.outbox.models import OutboxMessage
from portal.requests import workflow
from portal.requests.models import InspectionRequest, RequestEvent
from portal.requests.reference import format_reference
from portal.requests.states import Status
from tests.capacity.cluster_fixtures import (  # noqa: F401  (cluster_app is a fixture)
    COORDINATOR,
    WAGENBORGEN,
    add_address,
    book,
    cluster_app,
)
from tests.factories import address_id, write_csv

# Refusal reasons are made outside a request: read them in the msgids' language.
pytestmark = pytest.mark.usefixtures("english")

HEADER = ["nummeraanduiding_id", "opname_datum", "beoordeling", "advies"]


def result(number: int, day: str = "2025-03-12", outcome: str = "", advice: str = "") -> dict:
    """One row of a results file for the address with house number `number`."""
    return {"nummeraanduiding_id": address_id(number), "opname_datum": day,
            "beoordeling": outcome, "advies": advice}


@pytest.fixture
def planned(session, app_context):
    """Three planned homes in Meedhuizen (10, 12, and 14 with two requests), in one cluster."""
    requests = {n: [book(session, add_address(session, n), language="en")] for n in (10, 12)}
    flat = add_address(session, 14)
    requests[14] = [book(session, flat), book(session, flat, email=None, phone="0612345678")]
    form_clusters(session, actor=COORDINATOR)
    session.commit()
    return requests


def _statuses(session, planned) -> dict[int, list[str]]:
    return {n: [session.get(InspectionRequest, r.id).status for r in reqs]
            for n, reqs in planned.items()}


def _import(session, path, **options):
    report = import_results(session, path, actor=COORDINATOR, **options)
    if report.applied:
        session.commit()
    session.expire_all()
    return report


def _refusals(report) -> list[tuple[int | None, str | None, str]]:
    with force_locale("en"):
        return [(r.line, r.column, str(r.reason)) for r in report.sorted_refusals()]


def test_an_inspection_date_moves_the_home_to_inspected_and_tells_the_resident(
        session, planned, tmp_path):
    path = write_csv(tmp_path / "resultaten.csv", [result(10), result(14)], HEADER)

    report = _import(session, path)

    assert (report.applied, report.inspected, report.assessed, report.refusals) == (
        True, 3, 0, [])
    assert _statuses(session, planned) == {
        10: ["inspected"], 12: ["scheduled"], 14: ["inspected", "inspected"]}
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    # The second request for 14 gave no email: it is moved, but nobody is mailed.
    assert [(m.to_address, m.language, m.dedupe_key.rsplit(":", 1)[0]) for m in messages] == [
        ("bewoner@example.nl", "en", f"status:{planned[10][0].id}:inspected"),
        ("bewoner@example.nl", "nl", f"status:{planned[14][0].id}:inspected")]
    assert "Your home has been inspected" in messages[0].body_text


def test_an_assessment_moves_the_home_to_assessed_with_one_message(session, planned, tmp_path):
    path = write_csv(tmp_path / "r.csv", [result(10, outcome="voldoet_niet",
                                                 advice="versterken")], HEADER)

    report = _import(session, path)

    assert (report.inspected, report.assessed) == (0, 1)
    req = session.get(InspectionRequest, planned[10][0].id)
    assert req.status == "assessed"
    assert [e.reason for e in req.events[-2:]] == [
        "Result from the inspection organisation: opname_datum=2025-03-12",
        "Result from the inspection organisation: opname_datum=2025-03-12; "
        "beoordeling=voldoet_niet; advies=versterken"]
    assert [key.rsplit(":", 1)[0] for key in session.scalars(
        select(OutboxMessage.dedupe_key))] == [f"status:{req.id}:assessed"]
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.action == "request.result_recorded"))
    assert (entry.subject_id, json.loads(entry.details)) == (str(req.id), {
        "status": "assessed", "line": 2, "opname_datum": "2025-03-12",
        "beoordeling": "voldoet_niet", "advies": "versterken"})


def test_the_same_file_twice_changes_nothing(session, planned, tmp_path):
    path = write_csv(tmp_path / "r.csv", [result(10), result(12, outcome="voldoet",
                                                             advice="geen_versterking")], HEADER)
    _import(session, path)
    events = session.scalar(select(func.count()).select_from(RequestEvent))
    messages = session.scalar(select(func.count()).select_from(OutboxMessage))

    again = _import(session, path)

    assert (again.applied, again.inspected, again.assessed, again.unchanged) == (True, 0, 0, 2)
    assert session.scalar(select(func.count()).select_from(RequestEvent)) == events
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == messages


def test_a_later_file_with_the_assessment_moves_inspected_homes_on(session, planned, tmp_path):
    _import(session, write_csv(tmp_path / "a.csv", [result(14)], HEADER))

    report = _import(session, write_csv(tmp_path / "b.csv", [
        result(14, day="", outcome="voldoet")], HEADER))

    assert (report.applied, report.assessed) == (True, 2)
    assert _statuses(session, planned)[14] == ["assessed", "assessed"]
    assert session.get(InspectionRequest, planned[14][0].id).events[-1].reason.endswith(
        "opname_datum=2025-03-12; beoordeling=voldoet; advies=")


def test_a_result_that_contradicts_an_earlier_one_is_refused(session, planned, tmp_path):
    _import(session, write_csv(tmp_path / "a.csv", [result(10, outcome="voldoet")], HEADER))

    report = _import(session, write_csv(tmp_path / "b.csv", [
        result(10, day="2025-03-13", outcome="voldoet"),
        result(10, outcome="voldoet_niet")], HEADER))

    reference = format_reference(planned[10][0].reference)
    assert _refusals(report) == [
        (2, "opname_datum", f"request {reference} was reported inspected on 2025-03-12"),
        (3, "beoordeling", f"request {reference} was already assessed (voldoet/-)")]
    assert _statuses(session, planned)[10] == ["assessed"]


def test_semicolons_a_bom_crlf_and_windows_1252_are_read(session, planned, tmp_path):
    rows = [dict(result(10, day="12-03-2025"), opmerking="Dakpannen los, goed bereikbaar"),
            result(12, day="2025-03-12")]
    utf8 = write_csv(tmp_path / "bom.csv", rows, HEADER + ["opmerking"], delimiter=";",
                     bom=True, crlf=True)
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("nummeraanduiding_id;opname_datum;opmerking\r\n"
                       f"{address_id(14)[2:]};2025-03-12;Café-eigenaar\r\n".encode("cp1252"))

    first, second = _import(session, utf8), _import(session, legacy)

    assert (first.encoding, first.delimiter, first.inspected) == ("UTF-8", ";", 2)
    assert (second.encoding, second.inspected) == ("Windows-1252", 2)
    assert "not valid UTF-8" in render_report(second)
    assert _statuses(session, planned) == {
        10: ["inspected"], 12: ["inspected"], 14: ["inspected", "inspected"]}


def test_a_bad_file_is_refused_whole_and_every_bad_line_is_named(session, planned, tmp_path):
    other = book(session, add_address(session, 30, place=WAGENBORGEN))
    workflow.transition(session, other, Status.WITHDRAWN, actor=COORDINATOR, reason="test",
                        notify=False)
    add_address(session, 32)
    session.commit()
    rows = [
        result(10),                                              # 2: good
        result(12, day="2025-02-30"),                            # 3
        result(12, day="2031-01-01"),                            # 4
        result(12, day="12/03/2025"),                            # 5
        result(12, outcome="prima"),                             # 6
        result(12, advice="versterken"),                         # 7
        result(12, outcome="voldoet", advice="versterken"),      # 8
        result(12, day=""),                                      # 9
        {**result(12), "nummeraanduiding_id": "12345"},          # 10
        result(30),                                              # 11: withdrawn
        result(32),                                              # 12: never asked
        result(10, day="2025-03-13"),                            # 13: line 2 again
        {**result(12), "nummeraanduiding_id": ""},               # 14
        result(14, day="2024-12-01"),                            # 15: before the request
    ]

    report = _import(session, write_csv(tmp_path / "r.csv", rows, HEADER))

    assert report.applied is False
    assert _refusals(report) == [
        (3, "opname_datum", "'2025-02-30' is not a date that exists"),
        (4, "opname_datum", "2031-01-01 lies in the future"),
        (5, "opname_datum", "'12/03/2025' is not a date as YYYY-MM-DD or DD-MM-YYYY"),
        (6, "beoordeling", "'prima' is not voldoet, voldoet_niet or empty"),
        (7, "advies", "an advice needs a beoordeling"),
        (8, "advies", "'versterken' contradicts beoordeling 'voldoet'"),
        (9, "opname_datum", "no result: opname_datum and beoordeling are both empty"),
        (10, "nummeraanduiding_id",
         "'12345' is not an address id (16 digits, object type 20)"),
        (11, "nummeraanduiding_id",
         "no planned request for this address (its request is: Withdrawn)"),
        (12, "nummeraanduiding_id", "no request for this address"),
        (13, "nummeraanduiding_id", "this home is on line 2 already"),
        (14, "nummeraanduiding_id", "give the address id or the request reference"),
        (15, "opname_datum", "lies before the request was made (2025-01-06)"),
    ]
    assert report.refused_rows == 13
    assert _statuses(session, planned)[10] == ["scheduled"]
    assert session.scalars(select(OutboxMessage)).all() == []


def test_skip_invalid_imports_the_good_rows(session, planned, tmp_path):
    path = write_csv(tmp_path / "r.csv", [result(10), result(99)], HEADER)

    report = _import(session, path, skip_invalid=True)

    assert (report.applied, report.inspected, report.refused_rows) == (True, 1, 1)
    assert _statuses(session, planned)[10] == ["inspected"]


def test_a_file_of_only_bad_rows_imports_nothing_even_with_skip_invalid(session, planned,
                                                                       tmp_path):
    report = _import(session, write_csv(tmp_path / "r.csv", [result(99)], HEADER),
                     skip_invalid=True)

    assert report.applied is False
    assert _refusals(report)[0] == (None, None, "no row of this file is valid")


def test_missing_columns_are_named(session, planned, tmp_path):
    no_date = write_csv(tmp_path / "a.csv", [{"nummeraanduiding_id": address_id(10)}],
                        ["nummeraanduiding_id"])
    no_home = write_csv(tmp_path / "b.csv", [{"opname_datum": "2025-03-12"}], ["opname_datum"])

    assert _refusals(_import(session, no_date)) == [
        (None, "opname_datum", "required column is missing")]
    assert _refusals(_import(session, no_home)) == [
        (None, "nummeraanduiding_id",
         "required column is missing: nummeraanduiding_id or verzoek")]


def test_homes_are_found_by_the_references_of_the_work_order(session, planned, tmp_path):
    owner, tenant = planned[14]
    both = f"{format_reference(owner.reference)} {format_reference(tenant.reference)}"
    rows = [{"verzoek": both, "opname_datum": "2025-03-12"},
            {"verzoek": planned[10][0].reference.lower(), "opname_datum": "2025-03-12"},
            {"verzoek": "OV-0000-0000-0000", "opname_datum": "2025-03-12"}]

    report = _import(session, write_csv(tmp_path / "r.csv", rows, ["verzoek", "opname_datum"]),
                     skip_invalid=True)

    assert (report.inspected, _refusals(report)) == (3, [
        (4, "verzoek", "no request with reference OV-0000-0000-0000")])


def test_a_reference_must_belong_to_the_address_on_its_line(session, planned, tmp_path):
    rows = [{**result(10), "verzoek": format_reference(planned[12][0].reference)}]

    report = _import(session, write_csv(tmp_path / "r.csv", rows, HEADER + ["verzoek"]))

    reference = format_reference(planned[12][0].reference)
    assert _refusals(report) == [(2, "verzoek", f"request {reference} is for another address")]


def test_lines_of_added_risk_addresses_are_left_aside_not_refused(session, planned, tmp_path):
    add_address(session, 16, risk="P50")
    add_address(session, 18, risk="P90")
    cluster = session.scalars(select(Cluster)).one()
    add_risk_addresses(session, cluster, [address_id(16)], actor=COORDINATOR, reason="Straat")
    session.commit()
    rows = [{**result(16), "verzoek": "P50"}, {**result(18), "verzoek": "P90"}, result(10)]

    report = _import(session, write_csv(tmp_path / "r.csv", rows, HEADER + ["verzoek"]),
                     skip_invalid=True)

    assert [(n.line, str(n.reason)) for n in report.set_aside] == [
        (2, "a P50 address added by the steering group: its result reaches the operation "
            "through the programme list")]
    assert _refusals(report) == [
        (3, "verzoek", f"address {address_id(18)} was not added to a cluster as a P90 address")]
    assert report.inspected == 1


def test_the_import_is_recorded_in_the_audit_trail(session, planned, tmp_path):
    _import(session, write_csv(tmp_path / "uitslag.csv", [result(10)], HEADER))

    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "results.imported"))
    assert json.loads(entry.details) == {
        "file": "uitslag.csv", "rows": 1, "inspected": 1, "assessed": 0, "unchanged": 0,
        "set_aside": 0, "refused_rows": 0, "requests": [planned[10][0].id]}


def test_the_command_line_imports_and_exits_non_zero_on_refusal(session, planned, tmp_path,
                                                                cluster_app):
    runner = cluster_app.test_cli_runner()
    good = write_csv(tmp_path / "good.csv", [result(10)], HEADER)
    bad = write_csv(tmp_path / "bad.csv", [result(12), result(99)], HEADER)

    refused = runner.invoke(args=["results", "import", str(bad)])
    skipped = runner.invoke(args=["results", "import", str(bad), "--skip-invalid"])
    imported = runner.invoke(args=["results", "import", str(good)])

    assert refused.exit_code == 1
    assert "bad.csv, line 3, column nummeraanduiding_id: no request for this address" in (
        refused.output)
    assert "Nothing was imported: the import is all or nothing." in refused.output
    assert (skipped.exit_code, imported.exit_code) == (0, 0)
    assert "requests inspected: 1" in imported.output
    session.expire_all()
    assert _statuses(session, planned) == {10: ["inspected"], 12: ["inspected"],
                                           14: ["scheduled", "scheduled"]}
