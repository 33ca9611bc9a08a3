"""Every staff endpoint × every role gets what the access rule table says, and nothing else.

The table is portal.accounts.access.access_rules(app). A new endpoint under /medewerkers
without a rule fails test_every_staff_endpoint_has_a_rule; one whose URL takes an argument
this file cannot fill fails the walk until SAMPLE_ARGUMENTS has a value for it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Blueprint

from portal.accounts import access
from portal.accounts.access import PUBLIC, access_rules, allowed_roles, staff_endpoints
from portal.accounts.install import init_app
from portal.accounts.roles import AGENT, COORDINATOR, OFFICER
from portal.app import create_app
from tests.accounts.conftest import HOME_URL, LOGIN_URL, login_user_with_client, make_user
from tests.intake.conftest import csrf_token

ANONYMOUS = None
SKIPPED_METHODS = {"HEAD", "OPTIONS"}

# A value for every URL argument of a staff endpoint, from the accounts made for the walk.
# A request id that does not exist will do: the rule is applied before the view looks it
# up, so a role that is let through gets 404, which counts as let through.
SAMPLE_ARGUMENTS = {
    "user_id": lambda accounts: accounts["target"].id,
    "request_id": lambda accounts: 999_999,
    "cluster_id": lambda accounts: 999_999,
    "letter_id": lambda accounts: 999_999,
    "answer_id": lambda accounts: 999_999,
    "key": lambda accounts: "decisions",
}


def _classify(response) -> str:
    """What a response means for access: refused (403), sent to login, or let through.

    The guard sends anonymous visitors to the login page with 302; views redirect after
    a POST with 303 (the logout view sends you to the login page that way, as a result).
    """
    if response.status_code == 403:
        return "forbidden"
    if response.status_code >= 500:
        return "error"
    if response.status_code == 302 and urlsplit(response.location).path == LOGIN_URL:
        return "login"
    return "allowed"


def _expected(rule, role) -> set[str]:
    if rule == PUBLIC:
        return {"allowed"}
    if role is ANONYMOUS:
        return {"login"}
    return {"allowed"} if role in allowed_roles(rule) else {"forbidden"}


def _staff_requests(app, accounts):
    """(endpoint, method, url) for every method of every rule under /medewerkers."""
    for url_rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if url_rule.endpoint not in staff_endpoints(app):
            continue
        values = {}
        for argument in url_rule.arguments:
            if argument not in SAMPLE_ARGUMENTS:
                pytest.fail(f"add a sample value for <{argument}> of {url_rule.endpoint} "
                            "to SAMPLE_ARGUMENTS")
            values[argument] = SAMPLE_ARGUMENTS[argument](accounts)
        with app.test_request_context():
            url = url_rule.build(values, append_unknown=False)[1]
        for method in sorted(url_rule.methods - SKIPPED_METHODS):
            yield url_rule.endpoint, method, url


def _client_as(app, role, accounts, clock):
    client = app.test_client()
    if role is not ANONYMOUS:
        # A new login per request: a request may end the session (logout, end sessions).
        clock.advance(seconds=30)
        login_user_with_client(client, accounts[role])
    return client


def _token(client) -> str:
    return csrf_token(client.get(HOME_URL, follow_redirects=True).text)


def test_every_staff_endpoint_has_a_rule(app):
    rules = access_rules(app)

    assert [e for e in staff_endpoints(app) if e not in rules] == []


@pytest.mark.parametrize("role", [ANONYMOUS, AGENT, OFFICER, COORDINATOR])
def test_every_staff_endpoint_answers_each_role_as_the_table_says(app, role, clock):
    accounts = {r: make_user(app, r) for r in (AGENT, OFFICER, COORDINATOR)}
    accounts["target"] = make_user(app, AGENT)
    rules = access_rules(app)
    seen, wanted = {}, {}

    for endpoint, method, url in _staff_requests(app, accounts):
        client = _client_as(app, role, accounts, clock)
        response = client.open(url, method=method, data={"csrf_token": _token(client)})
        outcome = _classify(response)
        expected = _expected(rules.get(endpoint), role)
        seen[(endpoint, method)] = outcome
        wanted[(endpoint, method)] = outcome if outcome in expected else sorted(expected)

    assert seen == wanted
    assert len(seen) >= 10


def test_the_table_keeps_agents_and_officers_out_of_account_management(app):
    rules = access_rules(app)

    assert allowed_roles(rules["accounts.users_list"]) == {COORDINATOR}
    assert allowed_roles(rules["accounts.home"]) == {AGENT, OFFICER, COORDINATOR}
    # The login steps, and /metrics (which answers only METRICS_ALLOWED addresses).
    assert {e for e, r in rules.items() if r == PUBLIC} == {
        "accounts.login", "accounts.code", "accounts.enrol", "metrics.exposition",
        "health.healthz", "health.readyz"}


def test_an_officer_rule_admits_coordinators_but_not_agents():
    assert allowed_roles(frozenset({OFFICER})) == {OFFICER, COORDINATOR}
    assert allowed_roles(frozenset({AGENT})) == {AGENT}


def test_a_staff_endpoint_without_a_rule_is_closed_to_everyone(test_environ, clock):
    fresh = create_app({"environ": test_environ})
    if "accounts" not in fresh.blueprints:
        init_app(fresh)
    forgotten = Blueprint("forgotten", __name__, url_prefix="/medewerkers/vergeten")
    forgotten.add_url_rule("/", "page", lambda: "secret")
    fresh.register_blueprint(forgotten)
    fresh.config["ACCOUNTS_CLOCK"] = clock
    coordinator = fresh.test_client()
    login_user_with_client(coordinator, make_user(fresh, COORDINATOR))

    assert coordinator.get("/medewerkers/vergeten/").status_code == 403
    assert fresh.test_client().get("/medewerkers/vergeten/").status_code == 403
    assert "forgotten.page" not in access_rules(fresh)


def test_roles_required_refuses_unknown_roles():
    with pytest.raises(ValueError):
        access.roles_required("admin")
    with pytest.raises(ValueError):
        access.roles_required()
