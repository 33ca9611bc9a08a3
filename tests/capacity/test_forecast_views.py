"""The forecast page with its what-if and chart, and the list of waiting reassessments, by role."""
# ruff: noqa: F811  (the fixtures imported from forecast_fixtures are test parameters here)

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.app import create_app
from portal.capacity import forecast_views
from portal.capacity.models import Booking
from portal.requests.models import InspectionRequest
from tests.accounts.conftest import client_as
from tests.capacity.forecast_fixtures import (  # noqa: F401  (fixtures)
    ASKED,
    CITY,
    DECLINED,
    EEMSDELTA,
    NOT_ASKED,
    UNDER_WAY,
    accept,
    add_ledger,
    file_request,
    reassessment_register,
    requests_in_every_state,
)
from tests.factories import address_id
from tests.intake.conftest import csrf_token

FORECAST = "/medewerkers/prognose/"
REASSESSMENTS = "/medewerkers/prognose/herbeoordelingen"
PLAN = "/medewerkers/prognose/herbeoordelingen/plannen"


@pytest.fixture(scope="module")
def app(test_environ):
    """The portal with the forecast pages, also before create_app registers them itself.

    A fresh app: Flask refuses a new blueprint on one that has served requests already.
    """
    application = create_app({"environ": test_environ})
    if "forecast" not in application.blueprints:
        application.register_blueprint(forecast_views.bp)
    return application


@pytest.fixture
def as_role(app):
    """A factory: as_role(role) gives a client logged in as a new user with that role."""
    return lambda role: client_as(app, role)


@pytest.fixture
def queue(app, session, reassessment_register):
    """Two reassessments waiting in Eemsdelta, one free assessment place a week."""
    with app.app_context():
        file_request(session, NOT_ASKED)
        accept(session, file_request(session, ASKED))
    add_ledger(session, EEMSDELTA, "assessment", date.today(), [(1, 0, 0)] * 4)


@pytest.mark.parametrize("url", [FORECAST, REASSESSMENTS])
def test_pages_are_for_officers_and_coordinators(app, as_role, url):
    assert app.test_client().get(url).status_code == 302  # to the login
    assert as_role("agent").get(url).status_code == 403
    assert as_role("officer").get(url).status_code == 200
    assert as_role("coordinator").get(url).status_code == 200


def test_forecast_page_shows_each_municipality_and_the_chart_with_its_table(as_role, queue):
    page = as_role("officer").get(FORECAST + "?kind=assessment")

    text = page.text
    assert page.status_code == 200
    assert re.search(r'<th class="utrecht-table__header-cell" scope="row">Eemsdelta</th>\s*'
                     r'<td[^>]*>2</td>\s*<td[^>]*>1</td>', text)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text and 'role="img"' in text
    assert "<title id=\"queue-chart-title\">Remaining queue in Eemsdelta</title>" in text
    assert ' style="' not in text  # the CSP allows no inline style
    # The table beside the chart: 2 waiting, then 1, then none.
    cells = re.findall(r'scope="row">([^<]+)</th>\s*<td[^>]*>(\d+)</td>\s*</tr>',
                       text.split('id="chart-table-caption"')[1])
    assert [int(v) for _d, v in cells] == [2, 1, 0]


def test_a_what_if_adds_a_row_and_a_second_line(as_role, queue):
    page = as_role("coordinator").get(
        FORECAST + f"?kind=assessment&gemeentecode={EEMSDELTA}&weekly_capacity=2")

    assert page.status_code == 200
    assert "Eemsdelta with 2 a week" in page.text
    assert "With a capacity of 2 a week" in page.text
    assert page.text.count("<path ") == 2


def test_a_wrong_capacity_is_named_and_nothing_is_changed(as_role, queue):
    page = as_role("officer").get(FORECAST + f"?gemeentecode={EEMSDELTA}&weekly_capacity=-3")

    assert page.status_code == 422
    assert "There is a problem" in page.text


def test_officers_see_the_waiting_homes_without_the_plan_button(as_role, requests_in_every_state):
    page = as_role("officer").get(REASSESSMENTS)

    assert "4 homes waiting for reassessment" in page.text
    assert 'type="checkbox"' not in page.text
    assert "Plan the selected homes" not in page.text
    # Oldest inspection first.
    assert page.text.index("Hoofdstraat 12,") < page.text.index("Hoofdstraat 10,") \
        < page.text.index("Kerkstraat 5,")


def test_coordinators_get_a_checkbox_for_each_home(as_role, requests_in_every_state):
    page = as_role("coordinator").get(REASSESSMENTS + f"?gemeente={EEMSDELTA}")

    assert page.text.count('type="checkbox" name="address"') == 3
    assert f'<label class="utrecht-form-label utrecht-form-label--checkbox" ' \
           f'for="address-{address_id(ASKED)}">' in page.text
    assert "Plan the selected homes into assessment capacity" in page.text


def test_the_list_is_paged(as_role, requests_in_every_state, monkeypatch):
    monkeypatch.setattr(forecast_views, "PAGE_SIZE", 3)
    client = as_role("officer")

    second = client.get(REASSESSMENTS + "?pagina=2")

    assert "page 2 of 2" in second.text
    assert "Kerkstraat 5," in second.text and "Hoofdstraat 12," not in second.text
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


def test_only_coordinators_may_plan(as_role, requests_in_every_state):
    officer = as_role("officer")
    token = csrf_token(officer.get(FORECAST).text)

    answer = officer.post(PLAN, data={"csrf_token": token, "address": address_id(NOT_ASKED)})

    assert answer.status_code == 403


def test_planning_without_a_token_is_refused(as_role, requests_in_every_state):
    answer = as_role("coordinator").post(PLAN, data={"address": address_id(NOT_ASKED)})

    assert answer.status_code == 400


def test_planning_without_a_selection_says_so(as_role, requests_in_every_state):
    client = as_role("coordinator")
    token = csrf_token(client.get(REASSESSMENTS).text)

    answer = client.post(PLAN, data={"csrf_token": token}, follow_redirects=True)

    assert "Select the homes to plan." in answer.text


def test_a_coordinator_plans_the_selected_homes(session, as_role, requests_in_every_state):
    pytest.importorskip("portal.capacity.planning")
    add_ledger(session, EEMSDELTA, "assessment", date.today(), [(10, 0, 0)] * 4)
    client = as_role("coordinator")
    token = csrf_token(client.get(REASSESSMENTS).text)

    answer = client.post(PLAN, data={"csrf_token": token, "gemeente": EEMSDELTA,
                                     "address": [address_id(ASKED), address_id(DECLINED)]})

    assert answer.status_code == 303
    assert answer.location.endswith(f"{REASSESSMENTS}?gemeente={EEMSDELTA}")
    page = client.get(answer.location)
    assert "2 homes planned into assessment capacity." in page.text
    assert "1 home waiting for reassessment" in page.text
    booked = set(session.scalars(select(InspectionRequest.nummeraanduiding_id)
                                 .join(Booking, Booking.request_id == InspectionRequest.id)))
    # The two chosen, and the request that was accepted before: planning plans them all.
    assert booked == {address_id(n) for n in (ASKED, DECLINED, UNDER_WAY)}
    assert f"address-{address_id(CITY)}" not in page.text  # filtered to Eemsdelta
