"""Prometheus metrics at /metrics, for the addresses METRICS_ALLOWED names and no one else.

- `opnameloket_http_requests_total` and `opnameloket_http_request_duration_seconds`: per
  Flask endpoint (never the raw path: ids in URLs would make a series per request), method
  and status;
- `opnameloket_submissions_total`: requests that arrived, per channel (a subscriber to
  RequestReceived, wired in portal.wiring);
- read from the database at scrape time: the outbox's backlog and the age of its oldest
  message, and the size of the triage queue.

Each app has a registry of its own (tests build many apps in one process), kept in
app.extensions. The page sets no cookie and carries no personal data.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy.orm import Session

from portal.accounts.access import public
from portal.clock import utcnow
from portal.extensions import db
from portal.outbox.backlog import backlog
from portal.requests.events import RequestReceived
from portal.requests.queries import waiting_count

EXTENSION = "portal.metrics"
PREFIX = "opnameloket_"
# A request Flask could not route (404, 405 on an unknown path) has no endpoint.
UNROUTED = "<unrouted>"
# The text format generate_latest writes, as every Prometheus version reads it.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

bp = Blueprint("metrics", __name__)


class _DatabaseGauges:
    """Gauges read from the database each time /metrics is scraped."""

    def collect(self):
        """Query the outbox and the triage queue in one short read-only session."""
        with db.new_session() as session:
            pending, oldest_age = backlog(session, utcnow())
            waiting = waiting_count(session)
        yield _gauge("outbox_pending_messages",
                     "Messages in the outbox waiting to be sent (pending or sending).", pending)
        yield _gauge("outbox_oldest_pending_age_seconds",
                     "Age of the oldest message waiting to be sent; 0 when none waits.",
                     oldest_age)
        yield _gauge("triage_queue_size", "Requests waiting in the triage queue.", waiting)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, documentation, value=value)


@dataclass
class Metrics:
    """One app's registry and the metrics it counts as requests come and go."""

    allowed: tuple
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        labels = ("endpoint", "method", "status")
        self.requests = Counter(PREFIX + "http_requests", "HTTP requests answered.",
                                labels, registry=self.registry)
        self.latency = Histogram(PREFIX + "http_request_duration_seconds",
                                 "Time to answer an HTTP request.", labels,
                                 registry=self.registry)
        self.submissions = Counter(PREFIX + "submissions", "Inspection requests received.",
                                   ("channel",), registry=self.registry)
        self.registry.register(_DatabaseGauges())

    def count_submission(self, _session: Session, event: RequestReceived) -> None:
        """Subscriber to RequestReceived: one more request by its channel."""
        self.submissions.labels(channel=event.request.channel).inc()

    def may_read(self, address: str | None) -> bool:
        """True when address lies in one of the allowed networks."""
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        ip = getattr(ip, "ipv4_mapped", None) or ip
        return any(ip in network for network in self.allowed)


def of(app: Flask) -> Metrics:
    """The metrics of app."""
    return app.extensions[EXTENSION]


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response):
    """Count the answered request under its endpoint, method and status."""
    started = g.pop("metrics_started", None)
    if started is not None:
        metrics = of(current_app)
        labels = (request.endpoint or UNROUTED, request.method, str(response.status_code))
        metrics.requests.labels(*labels).inc()
        metrics.latency.labels(*labels).observe(time.perf_counter() - started)
    return response


@bp.get("/metrics")
@public
def exposition():
    """The metrics in Prometheus' text format; 404 to any address not allowed."""
    metrics = of(current_app)
    if not metrics.may_read(request.remote_addr):
        abort(404)
    return Response(generate_latest(metrics.registry), content_type=CONTENT_TYPE)


def init_app(app: Flask) -> Metrics:
    """Give app its registry, time every request and add /metrics."""
    metrics = Metrics(allowed=app.config["PORTAL_SETTINGS"].metrics_allowed)
    app.extensions[EXTENSION] = metrics
    app.before_request(_start)
    app.after_request(_observe)
    app.register_blueprint(bp)
    return metrics
