"""The call back on the urgent request's page, and the overdue count on the staff home."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.letters.models import PrintJob
from portal.requests.models import InspectionRequest
from portal.triage.models import Decision
from tests.accounts.conftest import login_as
from tests.triage.conftest import INSPECTED_BEFORE, NEVER_INSPECTED
from tests.triage.test_views import (
    TRIAGE,
    file_request,
    fresh,
    post_form,
    received_hours_ago,
    text,
)


@pytest.fixture
def officer(client):
    """The client logged in as a triage officer."""
    return login_as(client, "officer")


def call_back(client, req, outcome: str, note: str = ""):
    detail = f"{TRIAGE}/aanvraag/{req.id}"
    return post_form(client, detail, f"{detail}/terugbellen", {"outcome": outcome,
                                                               "note": note})


def test_an_urgent_request_shows_the_call_back_form_not_the_decision_form(
        app, client, session, triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED, acute=True)

    page = client.get(f"{TRIAGE}/aanvraag/{req.id}")

    assert f'action="{TRIAGE}/aanvraag/{req.id}/terugbellen"' in page.text
    assert "/besluit" not in page.text
    assert re.search(r"Urgent: call back before", text(page))


def test_reached_in_danger_closes_and_the_banner_and_forms_go(app, client, session,
                                                             triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED, acute=True)

    response = call_back(client, req, "danger", "Chimney may fall")

    assert response.status_code == 303
    page = client.get(response.location)
    shown = text(page)
    assert "Referred to the emergency procedure; the letter is on its way." in shown
    assert "call back before" not in shown
    assert "/besluit" not in page.text and "/terugbellen" not in page.text
    assert "No decision is needed: this request is Closed." in shown
    assert "Called back: reached, acute danger confirmed – Chimney may fall" in shown
    fresh(session)
    assert session.scalars(select(Decision.decision)).all() == ["referred_to_emergency"]


def test_reached_without_danger_continues_as_an_ordinary_request(app, client, session,
                                                                 triage_register, officer):
    req = file_request(app, session, INSPECTED_BEFORE, acute=True)

    page = client.get(call_back(client, req, "no_danger").location)

    shown = text(page)
    assert "handled as an ordinary request" in shown
    assert "call back before" not in shown
    assert f"/aanvraag/{req.id}/besluit" in page.text
    fresh(session)
    stored = session.get(InspectionRequest, req.id)
    assert (stored.status, stored.acute_danger, stored.suggested_route) == (
        "received", False, "reassessment")


def test_three_unanswered_call_backs_from_the_page(app, client, session, triage_register,
                                                   officer):
    req = file_request(app, session, NEVER_INSPECTED, acute=True)

    first = text(client.get(call_back(client, req, "not_reached").location))
    call_back(client, req, "not_reached")
    last = text(client.get(call_back(client, req, "not_reached").location))

    assert "Not reached: 1 attempt recorded." in first
    assert "1 call back was not answered." in first
    assert "Not reached three times: the request is closed and a letter goes by post." in last
    assert "call back before" not in last
    fresh(session)
    assert len(session.scalars(select(PrintJob)).all()) == 1


def test_a_call_back_needs_a_result(app, client, session, triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED, acute=True)

    response = call_back(client, req, "")

    assert response.status_code == 422
    assert "Choose the result of the call back" in text(response)


def test_a_call_back_on_a_request_no_longer_urgent_records_nothing(app, client, session,
                                                                   triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED)

    page = text(client.get(call_back(client, req, "danger").location))

    assert "This request is no longer urgent: nothing was recorded." in page


def test_a_decision_on_an_urgent_request_is_refused_with_a_reason(app, client, session,
                                                                  triage_register, officer):
    req = file_request(app, session, NEVER_INSPECTED, acute=True)
    detail = f"{TRIAGE}/aanvraag/{req.id}"

    response = post_form(client, detail, f"{detail}/besluit", {
        "decision": "inform", "reason_code": "in_programme", "reason_text": "x"})

    assert response.status_code == 422
    assert "An urgent request is answered by its call back" in text(response)


def test_the_staff_home_counts_overdue_call_backs(app, client, session, triage_register,
                                                  officer):
    late = file_request(app, session, NEVER_INSPECTED, acute=True)
    file_request(app, session, INSPECTED_BEFORE, acute=True)
    assert "No urgent call back is overdue." in text(client.get("/medewerkers/"))

    received_hours_ago(session, late, 25)

    assert "1 urgent request not called back within 24 hours" in text(
        client.get("/medewerkers/"))
