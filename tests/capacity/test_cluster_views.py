"""The cluster pages: coordinators form clusters, add risk addresses, export and import results."""
# ruff: noqa: F811  (cluster_app is a fixture imported from cluster_fixtures)

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from portal.capacity.clusters import form_clusters
from portal.capacity.models import Cluster
from portal.requests.models import InspectionRequest
from tests.accounts.conftest import client_as
from tests.capacity.cluster_fixtures import (  # noqa: F401  (fixture)
    COORDINATOR,
    WAGENBORGEN,
    add_address,
    book,
    cluster_app,
)
from tests.factories import address_id
from tests.intake.conftest import csrf_token

BASE = "/medewerkers/clusters"


@pytest.fixture
def as_role(cluster_app):
    """as_role(role): a client of the cluster pages, in English, logged in as a new user."""
    return lambda role: client_as(cluster_app, role)


@pytest.fixture
def cluster(session):
    """A Meedhuizen cluster of two homes, with a P50 home beside it and one in Wagenborgen."""
    book(session, add_address(session, 10), phone="0612345678")
    book(session, add_address(session, 12))
    add_address(session, 14, risk="P50")
    add_address(session, 24, risk="P50", place=WAGENBORGEN)
    [made] = form_clusters(session, actor=COORDINATOR)
    session.commit()
    return made


def _post(client, url: str, data: dict, page: str | None = None, **kwargs):
    token = csrf_token(client.get(page or url).text)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def test_a_coordinator_forms_the_clusters_of_booked_homes(session, as_role):
    book(session, add_address(session, 10))
    book(session, add_address(session, 12, place=WAGENBORGEN))
    session.commit()
    client = as_role("coordinator")

    waiting = client.get(f"{BASE}/")
    formed = _post(client, f"{BASE}/vormen", {}, page=f"{BASE}/")
    listed = client.get(f"{BASE}/")

    assert waiting.status_code == 200
    assert "Booked homes waiting for a cluster" in waiting.text
    assert formed.status_code == 303
    assert [c.woonplaats for c in session.scalars(select(Cluster).order_by(Cluster.id))] == [
        "Meedhuizen", "Wagenborgen"]
    assert "2 clusters formed or filled." in listed.text
    assert "1 of 150" in listed.text
    assert "Every booked home is in a cluster." in listed.text


def test_the_limit_comes_from_the_configuration(session, as_role, cluster_app, monkeypatch):
    monkeypatch.setitem(cluster_app.config, "CLUSTER_MAX_HOMES", 1)
    for number in (10, 12, 14):
        book(session, add_address(session, number))
    session.commit()
    client = as_role("coordinator")

    _post(client, f"{BASE}/vormen", {}, page=f"{BASE}/")

    assert len(session.scalars(select(Cluster)).all()) == 3
    assert "1 of 1" in client.get(f"{BASE}/").text


def test_a_cluster_page_lists_its_homes_with_their_requests(session, as_role, cluster):
    page = as_role("coordinator").get(f"{BASE}/{cluster.id}")

    assert page.status_code == 200
    assert "Hoofdstraat 10, 9937AB" in page.text
    assert "2 of 150" in page.text
    assert "werkopdracht.csv" in page.text
    assert "0612345678" not in page.text


def test_an_officer_reads_clusters_but_does_not_act_on_them(as_role, cluster):
    officer = as_role("officer")

    listing, detail = officer.get(f"{BASE}/"), officer.get(f"{BASE}/{cluster.id}")

    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "Form clusters" not in listing.text
    assert "werkopdracht.csv" not in detail.text
    assert "Add P50 and P90 addresses" not in detail.text
    assert officer.get(f"{BASE}/{cluster.id}/werkopdracht.csv").status_code == 403
    assert officer.get(f"{BASE}/resultaten").status_code == 403
    token = csrf_token(detail.text) if "csrf_token" in detail.text else ""
    assert officer.post(f"{BASE}/vormen", data={"csrf_token": token}).status_code == 403


def test_agents_and_strangers_are_kept_out(cluster_app, as_role, cluster):
    agent = as_role("agent")

    assert agent.get(f"{BASE}/").status_code == 403
    assert agent.get(f"{BASE}/{cluster.id}").status_code == 403
    assert agent.get(f"{BASE}/{cluster.id}/werkopdracht.pdf").status_code == 403
    anonymous = cluster_app.test_client().get(f"{BASE}/{cluster.id}")
    assert (anonymous.status_code, anonymous.location.split("?")[0]) == (
        302, "/medewerkers/inloggen")


def test_the_work_order_downloads_as_csv_and_pdf(as_role, cluster):
    client = as_role("coordinator")

    csv_file = client.get(f"{BASE}/{cluster.id}/werkopdracht.csv")
    pdf_file = client.get(f"{BASE}/{cluster.id}/werkopdracht.pdf")

    assert (csv_file.status_code, csv_file.content_type) == (200, "text/csv; charset=utf-8")
    assert csv_file.headers["Content-Disposition"] == (
        f'attachment; filename="werkopdracht-{cluster.id}-meedhuizen.csv"')
    assert csv_file.data.decode("utf-8").splitlines()[0] == (
        "\ufeffnummeraanduiding_id;adres;postcode;woonplaats;pand_id;soort;week;verzoek;"
        "naam;telefoon;email")
    assert (pdf_file.status_code, pdf_file.content_type) == (200, "application/pdf")
    assert pdf_file.data.startswith(b"%PDF-")
    assert csv_file.headers["Cache-Control"] == "no-store"
    assert client.get(f"{BASE}/999999/werkopdracht.csv").status_code == 404


def test_a_coordinator_adds_p50_addresses_by_postcode_and_number(session, as_role, cluster):
    client = as_role("coordinator")
    url = f"{BASE}/{cluster.id}/risicoadressen"

    added = _post(client, url, {"addresses": "9937AB 14", "reason": "Hele straat samen"},
                  page=f"{BASE}/{cluster.id}")
    page = client.get(f"{BASE}/{cluster.id}")

    assert added.status_code == 303
    assert "1 addresses added to the cluster." in page.text
    assert "P50, added by" in page.text and "Hele straat samen" in page.text


def test_refused_addresses_are_named_on_the_form(as_role, cluster):
    client = as_role("coordinator")
    url = f"{BASE}/{cluster.id}/risicoadressen"

    refused = _post(client, url, {"addresses": f"{address_id(24)}\n9999ZZ 1",
                                  "reason": "Buurdorp"}, page=f"{BASE}/{cluster.id}")
    other = _post(client, url, {"addresses": address_id(24), "reason": "Buurdorp"},
                  page=f"{BASE}/{cluster.id}")
    empty = _post(client, url, {"addresses": "", "reason": ""}, page=f"{BASE}/{cluster.id}")

    assert refused.status_code == 422
    assert "9999ZZ 1: not in the register" in refused.text
    assert (other.status_code, "lies in Wagenborgen, not in Meedhuizen" in other.text) == (
        422, True)
    assert empty.status_code == 422
    assert "Write why the steering group adds these addresses" in empty.text


def test_a_results_upload_moves_homes_and_shows_the_report(session, as_role, cluster):
    client = as_role("coordinator")
    body = (f"nummeraanduiding_id;opname_datum;beoordeling;advies;opmerking\r\n"
            f"{address_id(10)};12-03-2025;;;Café\r\n").encode("cp1252")

    answer = _post(client, f"{BASE}/resultaten",
                   {"file": (io.BytesIO(body), "uitslag week 11.csv")},
                   content_type="multipart/form-data")

    assert answer.status_code == 200
    assert "The results are imported" in answer.text
    assert "read as Windows-1252" in answer.text
    statuses = session.scalars(select(InspectionRequest.status).order_by(
        InspectionRequest.huisnummer)).all()
    assert statuses == ["inspected", "scheduled"]


def test_a_refused_results_file_lists_every_line_and_changes_nothing(session, as_role,
                                                                     cluster):
    client = as_role("coordinator")
    body = (f"nummeraanduiding_id,opname_datum\n{address_id(10)},2025-03-12\n"
            f"{address_id(14)},2025-03-12\n{address_id(12)},<b>gisteren</b>\n").encode()

    answer = _post(client, f"{BASE}/resultaten", {"file": (io.BytesIO(body), "r.csv")},
                   content_type="multipart/form-data")
    missing = _post(client, f"{BASE}/resultaten", {}, content_type="multipart/form-data")

    assert answer.status_code == 422
    assert "Nothing was imported" in answer.text
    assert "<td>3</td><td>nummeraanduiding_id</td><td>no request for this address</td>" in (
        answer.text)
    # What the file says is shown as text, never as markup.
    assert "&#39;&lt;b&gt;gisteren&lt;/b&gt;&#39; is not a date" in answer.text
    assert session.scalars(select(InspectionRequest.status)).all() == ["scheduled"] * 2
    assert (missing.status_code, "Choose a file" in missing.text) == (422, True)
