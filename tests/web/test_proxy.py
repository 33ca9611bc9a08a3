"""Behind a proxy: TRUSTED_PROXIES says whose X-Forwarded-For to believe."""

from __future__ import annotations

import pytest
from flask import request

from portal.app import create_app
from portal.intake.status_views import LOOKUP_LIMIT
from tests.intake.conftest import post


def _lookup_from(client, address: str):
    """A failed /status lookup, forwarded by the proxy for address."""
    headers = {"X-Forwarded-For": address}
    page = client.get("/status", headers=headers)
    assert page.status_code == 200
    return post(client, "/status", {"reference": "OV-0000-0000-0000", "postcode": "9937AB",
                                    "huisnummer": "10"}, headers=headers)


def _portal(test_environ, proxies: str):
    return create_app({"environ": {**test_environ, "TRUSTED_PROXIES": proxies}})


@pytest.mark.parametrize("proxies", ["0", "1"])
def test_each_forwarded_client_has_its_own_bucket_only_behind_a_trusted_proxy(
        app, test_environ, proxies):
    portal = _portal(test_environ, proxies)
    first, second = portal.test_client(), portal.test_client()
    for _ in range(LOOKUP_LIMIT):
        assert _lookup_from(first, "203.0.113.7").location.endswith("melding=niet-gevonden")

    again = _lookup_from(first, "203.0.113.7")
    other = _lookup_from(second, "198.51.100.23")

    assert again.location.endswith("melding=te-vaak")
    # With 0 the header is ignored: both come from the proxy's own address.
    expected = "niet-gevonden" if proxies == "1" else "te-vaak"
    assert other.location.endswith(f"melding={expected}")


def test_remote_addr_is_the_resident_behind_one_trusted_proxy(app, test_environ):
    seen = {}
    for proxies in ("0", "1"):
        portal = _portal(test_environ, proxies)

        @portal.get("/_echo")
        def _echo():
            return f"{request.remote_addr} {request.scheme}"

        seen[proxies] = portal.test_client().get(
            "/_echo", headers={"X-Forwarded-For": "203.0.113.7",
                               "X-Forwarded-Proto": "https"}).text

    assert seen == {"0": "127.0.0.1 http", "1": "203.0.113.7 https"}
