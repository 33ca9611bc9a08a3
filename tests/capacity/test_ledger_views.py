"""The capacity pages: coordinators only; the ledger, a range of weeks, a file, plan, shares."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.accounts.access import access_rules, allowed_roles
from portal.accounts.roles import AGENT, COORDINATOR, OFFICER
from portal.capacity.allocation import week_start_of
from portal.capacity.models import MunicipalityShare
from tests.accounts.conftest import HOME_URL, Clock, client_as, make_user
from tests.accounts.test_access import ANONYMOUS, _classify, _client_as, _expected, _token
from tests.capacity.conftest import EEMSDELTA, GRONINGEN, accept, ledger_state
from tests.intake.conftest import csrf_token

INDEX = "/medewerkers/capaciteit/"
WEEKS = "/medewerkers/capaciteit/weken"
UPLOAD = "/medewerkers/capaciteit/importeren"
PLAN = "/medewerkers/capaciteit/plannen"
REPLAN = "/medewerkers/capaciteit/herplannen"
SHARES = "/medewerkers/capaciteit/verdeling"
THIS_WEEK = week_start_of(date.today())


@pytest.fixture
def as_role(capacity_app):
    """A factory: as_role(role) gives a client logged in as a new user with that role."""
    return lambda role: client_as(capacity_app, role)


def _post(client, url: str, data: dict, **kwargs):
    token = csrf_token(client.get(HOME_URL).text)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def _weeks(code: str, **numbers) -> dict:
    """The fields of the range-of-weeks form (prefixed "range-"), from this week on."""
    fields = {"gemeentecode": code, "kind": "inspection", "first_week": THIS_WEEK.isoformat(),
              **{k: str(v) for k, v in numbers.items()}}
    return {f"range-{k}": v for k, v in fields.items()}


def test_every_capacity_page_answers_each_role_as_the_table_says(capacity_app, monkeypatch):
    monkeypatch.setitem(capacity_app.config, "ACCOUNTS_CLOCK", clock := Clock())
    accounts = {r: make_user(capacity_app, r) for r in (AGENT, OFFICER, COORDINATOR)}
    rules = access_rules(capacity_app)
    seen, wanted = {}, {}
    pages = [(rule.endpoint, method, rule.rule) for rule in capacity_app.url_map.iter_rules()
             if rule.endpoint.startswith("capacity.")
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]

    for role in (ANONYMOUS, AGENT, OFFICER, COORDINATOR):
        for endpoint, method, url in pages:
            client = _client_as(capacity_app, role, accounts, clock)
            outcome = _classify(client.open(url, method=method,
                                            data={"csrf_token": _token(client)}))
            expected = _expected(rules.get(endpoint), role)
            seen[(role, endpoint, method)] = outcome
            wanted[(role, endpoint, method)] = outcome if outcome in expected \
                else sorted(expected)

    assert seen == wanted
    assert {allowed_roles(rules[e]) for e, _m, _u in pages} == {frozenset({COORDINATOR})}
    assert len(pages) == 7


def test_the_ledger_page_shows_capacity_reserved_booked_and_free(as_role, capacity_register):
    client = as_role(COORDINATOR)
    _post(client, WEEKS, _weeks(EEMSDELTA, count=2, capacity=5, reserved=3))

    page = client.get(f"{INDEX}?gemeentecode={EEMSDELTA}&kind=inspection&weeks=3")

    assert page.status_code == 200
    assert "Inspections in Eemsdelta (1979)" in page.text
    assert page.text.count("<td>5</td><td>3</td><td>0</td><td>2</td>") == 2
    assert page.text.count("<td>0</td><td>0</td><td>0</td><td>0</td>") == 1


def test_an_officer_may_not_open_the_ledger(as_role):
    client = as_role(OFFICER)

    assert client.get(INDEX).status_code == 403
    assert _post(client, PLAN, {}).status_code == 403


def test_setting_weeks_checks_the_numbers(as_role, session, capacity_register):
    client = as_role(COORDINATOR)

    nothing = _post(client, WEEKS, _weeks(EEMSDELTA, count=2))
    too_much = _post(client, WEEKS, _weeks(EEMSDELTA, count=1, capacity=2, reserved=3))

    assert (nothing.status_code, too_much.status_code) == (422, 422)
    assert "Enter a capacity, a reservation, or both" in nothing.text
    assert "reserved (3) exceeds capacity (2)" in too_much.text
    assert ledger_state(session) == []


def test_a_capacity_file_is_imported_or_refused_with_its_lines(as_role, session,
                                                               capacity_register):
    client = as_role(COORDINATOR)
    monday = THIS_WEEK + timedelta(weeks=1)
    good = f"week_start;gemeentecode;kind;capacity;reserved\n{monday};1979;inspection;4;1\n"
    bad = good + f"{monday + timedelta(days=1)};1979;inspection;4;1\n"

    refused = _post(client, UPLOAD, {"file": (io.BytesIO(bad.encode()), "cap.csv")},
                    content_type="multipart/form-data")
    imported = _post(client, UPLOAD, {"file": (io.BytesIO(good.encode()), "cap.csv")},
                     content_type="multipart/form-data")

    assert refused.status_code == 422
    assert "line 3, column week_start: not a Monday" in refused.text
    assert imported.status_code == 303
    assert ledger_state(session) == [(monday, EEMSDELTA, "inspection", 4, 1, 0, 0)]


def test_plan_button_plans_and_shows_the_report(capacity_app, as_role, session,
                                                capacity_register):
    client = as_role(COORDINATOR)
    _post(client, WEEKS, _weeks(GRONINGEN, count=1, capacity=1))
    with capacity_app.app_context():
        req = accept(session, EEMSDELTA, 1)

    page = _post(client, PLAN, {})

    assert page.status_code == 200
    assert "Accepted requests planned" in page.text
    assert "<th scope=\"row\">Eemsdelta (1979)</th><td>1</td><td>1</td>" in page.text
    session.refresh(req)
    assert req.status == "scheduled"
    assert _post(client, REPLAN, {}).status_code == 200


def test_shares_are_saved_and_a_total_above_100_is_refused(as_role, session,
                                                           capacity_register):
    client = as_role(COORDINATOR)

    saved = _post(client, SHARES, {f"share_{EEMSDELTA}": "60", f"rank_{EEMSDELTA}": "1",
                                   f"share_{GRONINGEN}": "30", f"rank_{GRONINGEN}": "2"})
    refused = _post(client, SHARES, {f"share_{EEMSDELTA}": "60", f"share_{GRONINGEN}": "50"})

    assert (saved.status_code, refused.status_code) == (303, 422)
    assert "at most 100 percent" in refused.text
    assert sorted((s.gemeentecode, s.share, s.rank)
                  for s in session.scalars(select(MunicipalityShare))) == [
        (GRONINGEN, 30, 2), (EEMSDELTA, 60, 1)]
    page = client.get(SHARES)
    assert f'id="share_{EEMSDELTA}"' in page.text and 'value="60"' in page.text
