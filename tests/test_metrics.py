"""/metrics: Prometheus' text format, per endpoint, submissions, database gauges, allowlist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from portal import metrics
from portal.accounts.access import PUBLIC, access_rules
from portal.app import create_app
from portal.clock import utcnow
from portal.config import ConfigurationError, load_settings
from portal.outbox.models import OutboxMessage
from portal.requests.queries import waiting_count
from tests.factories import file_request


def _scrape(client) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics as (name, sorted labels) → value."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples}


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_the_exposition_parses_and_counts_a_request_under_its_endpoint(client):
    before = _value(_scrape(client), "opnameloket_http_requests_total",
                    endpoint="web.privacy", method="GET", status="200")

    client.get("/privacy")
    client.get("/medewerkers/balie/aanvraag/4711")
    samples = _scrape(client)

    assert _value(samples, "opnameloket_http_requests_total",
                  endpoint="web.privacy", method="GET", status="200") == before + 1
    assert _value(samples, "opnameloket_http_request_duration_seconds_count",
                  endpoint="web.privacy", method="GET", status="200") == before + 1
    # Labels are endpoint names, never paths: an id in a URL adds no series of its own.
    endpoints = {dict(labels).get("endpoint") for name, labels in samples
                 if name == "opnameloket_http_requests_total"}
    assert "desk.detail" in endpoints
    assert not [e for e in endpoints if "/" in e or "4711" in e]


def test_a_submission_increments_the_counter_of_its_channel(client, session):
    before = _value(_scrape(client), "opnameloket_submissions_total", channel="web")

    file_request(session, 31, in_register=False)

    assert _value(_scrape(client), "opnameloket_submissions_total",
                  channel="web") == before + 1


def test_the_gauges_reflect_the_outbox_and_the_triage_queue(client, session):
    file_request(session, 32, in_register=False)
    now = utcnow()
    session.add(OutboxMessage(
        created_at=now - timedelta(hours=2), channel="email", to_address="a@example.nl",
        subject="s", body_text="b", message_id="<metrics-test@example>", status="pending",
        next_attempt_at=now))
    session.commit()
    pending = session.query(OutboxMessage).filter(
        OutboxMessage.status.in_(("pending", "sending"))).count()

    samples = _scrape(client)

    assert _value(samples, "opnameloket_outbox_pending_messages") == pending >= 2
    assert 7200 <= _value(samples, "opnameloket_outbox_oldest_pending_age_seconds") < 7300
    assert _value(samples, "opnameloket_triage_queue_size") == waiting_count(session) >= 1


def test_an_empty_outbox_has_age_zero(client):
    assert _value(_scrape(client), "opnameloket_outbox_oldest_pending_age_seconds") == 0


def test_a_client_from_an_address_not_allowed_gets_404(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"})

    assert response.status_code == 404
    assert "opnameloket_" not in response.text


def test_metrics_sets_no_session_cookie(client):
    response = client.get("/metrics")

    assert response.headers.get("Set-Cookie") is None


def test_metrics_is_public_in_the_access_rule_table(app):
    assert access_rules(app)["metrics.exposition"] == PUBLIC


def test_configured_networks_decide_who_may_read(test_environ):
    app = create_app({"environ": {**test_environ, "METRICS_ALLOWED": "10.0.0.0/8, 2001:db8::1"}})
    allowed = metrics.of(app)

    assert allowed.may_read("10.1.2.3")
    assert allowed.may_read("::ffff:10.1.2.3")
    assert allowed.may_read("2001:db8::1")
    assert not allowed.may_read("127.0.0.1")
    assert not allowed.may_read(None)


def test_each_app_has_a_registry_of_its_own(app, test_environ):
    other = create_app({"environ": test_environ})

    assert metrics.of(other).registry is not metrics.of(app).registry


@pytest.mark.parametrize("value", ["localhost", "10.0.0.0/33", "1.2.3.4,nonsense"])
def test_metrics_allowed_must_be_addresses_or_networks(tmp_path, value):
    with pytest.raises(ConfigurationError, match="METRICS_ALLOWED"):
        load_settings(tmp_path, {"METRICS_ALLOWED": value})
