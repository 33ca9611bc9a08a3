"""The public figures from real requests: as of the end of yesterday, the same on every page."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from portal.figures.counts import count_until
from portal.figures.publication import publication_for, start_of_day
from portal.requests.models import InspectionRequest, RequestEvent
from tests.factories import address_row, file_request, import_rows

LONG_AGO = datetime(2026, 1, 5, 10)


@pytest.fixture
def twelve_requests(session, tmp_path):
    """Twelve requests from Meedhuizen and eleven from Wirdum, long ago; Loppersum has none.

    Loppersum's "fewer than 10" must not be the municipality minus the others: Wirdum,
    the smaller of the two, is hidden beside it.
    """
    import_rows(session, tmp_path, [address_row(n) for n in range(1, 13)]
                + [address_row(n, woonplaats="Wirdum") for n in range(13, 24)]
                + [address_row(100, woonplaats="Loppersum", postcode="9919AA")])
    for n in range(1, 24):
        file_request(session, n)
    session.execute(update(InspectionRequest).where(InspectionRequest.huisnummer > 12)
                    .values(woonplaats="Wirdum"))
    session.execute(update(InspectionRequest).values(created_at=LONG_AGO))
    session.execute(update(RequestEvent).values(at=LONG_AGO))
    session.commit()


def test_counts_are_taken_as_they_stood_at_the_end_of_a_day(session, twelve_requests):
    """A request that came in after the day ended is not counted yet."""
    file_request(session, 12, key="later")  # today, after the day ended
    counts = count_until(session, start_of_day(date(2026, 11, 27)))

    assert counts.places["1979"] == ["Loppersum", "Meedhuizen", "Wirdum"]
    assert sum(counts.route.values()) == 23
    assert counts.status[(("1979", "Meedhuizen"), "waiting")] == 12


def test_a_status_changed_after_the_day_ended_counts_as_it_was(session, twelve_requests):
    """The history, not today's status, says where a request stood."""
    session.execute(update(InspectionRequest).values(status="withdrawn"))
    counts = count_until(session, start_of_day(date(2026, 11, 27)))
    assert counts.status[(("1979", "Meedhuizen"), "waiting")] == 12


def test_the_publication_rounds_and_hides_small_figures(session, twelve_requests):
    figures = publication_for(session, date(2026, 11, 27))
    [municipality] = [m for m in figures.municipalities if m.code == "1979"]
    loppersum, meedhuizen, wirdum = municipality.places

    assert meedhuizen.total == 10  # twelve, rounded to five
    assert meedhuizen.route["inspection"] == 10
    assert meedhuizen.route["reassessment"] == "<10"
    assert loppersum.total == "<10"
    assert wirdum.total == "hidden"  # 11, hidden so that Loppersum cannot be worked out
    assert municipality.total == 25
    assert figures.as_of == date(2026, 11, 26)


def test_the_json_names_every_figure(client, twelve_requests):
    response = client.get("/cijfers.json")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"as_of", "threshold", "rounded_to", "routes", "statuses",
                         "province", "municipalities", "months"}
    assert body["threshold"] == 10 and body["rounded_to"] == 5
    [eemsdelta] = [m for m in body["municipalities"] if m["code"] == "1979"]
    assert {p["slug"] for p in eemsdelta["places"]} == {"loppersum", "meedhuizen", "wirdum"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_place_page_shows_the_figures_of_the_json(app, client, twelve_requests, language):
    """Every language shows exactly the published figures: no page shows what another hides."""
    figures = client.get("/cijfers.json").get_json()
    [eemsdelta] = [m for m in figures["municipalities"] if m["code"] == "1979"]
    [meedhuizen] = [p for p in eemsdelta["places"] if p["slug"] == "meedhuizen"]

    page = client.get(f"/cijfers/meedhuizen?lang={language}",
                      headers={"Accept-Language": language}).get_data(as_text=True)

    with app.test_request_context(), force_locale(language):
        fewer = _("fewer than 10")
    cells = dict(re.findall(r'data-cell="([\w-]+)">(.*?)</td>', page))
    assert cells["total"] == str(meedhuizen["total"])
    assert fewer in cells["route-reassessment"]
    assert meedhuizen["route"]["reassessment"] == "<10"


@pytest.mark.parametrize("path", ["/cijfers/nergensdorp", "/cijfers/" + "x" * 5000,
                                  "/cijfers/%00"])
def test_an_unknown_place_is_not_found(client, twelve_requests, path):
    assert client.get(path).status_code == 404


def test_the_overview_lists_every_municipality_and_place(client, twelve_requests):
    page = client.get("/cijfers").get_data(as_text=True)

    assert "Eemsdelta" in page
    assert 'href="/cijfers/meedhuizen"' in page
    assert 'href="/cijfers.json"' in page
