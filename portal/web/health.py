"""/healthz and /readyz: does the process answer, and can it serve residents right now.

For a load balancer or an orchestrator, without a login. Both answer JSON that names
no person, and neither sets a cookie (see `_ProbeSessions`).

- `/healthz`: 200 `{"status": "ok"}` while the process answers; it does not touch the
  database, so a database outage does not get every process restarted.
- `/readyz`: 200 when the database answers, the schema is at the migrations' head and
  the outbox keeps up (fewer unsent messages than READY_MAX_OUTBOX, the oldest younger
  than READY_MAX_OUTBOX_AGE seconds); otherwise 503. Both carry every check's value and
  `failed`, the names of the checks that failed.

The outbox sits above this layer: create_app hands in its backlog query (`init_app`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Flask, current_app, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal import migrate
from portal.clock import utcnow
from portal.extensions import db

bp = Blueprint("health", __name__)
ENDPOINTS = ("health.healthz", "health.readyz")
BACKLOG = "portal.web.health.backlog"

Backlog = Callable[[Session, datetime], tuple[int, int]]

log = logging.getLogger(__name__)


class _ProbeSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a probe's answer carries no cookie.

    Saving the session is the last thing Flask does to a response, after every
    after_request hook (the language cookie, a staff session's activity): here the
    probes' answers lose whatever cookie those added.
    """

    def save_session(self, app, session, response) -> None:
        if request.blueprint == bp.name:
            response.headers.remove("Set-Cookie")
            return
        super().save_session(app, session, response)


def _answer(body: dict, code: int):
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """The process answers."""
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz():
    """The database, the schema and the outbox are fit to serve; 503 naming what is not."""
    checks, failed = _checks(db.session, current_app.extensions[BACKLOG],
                             current_app.config["PORTAL_SETTINGS"])
    ready = not failed
    return _answer({"status": "ok" if ready else "unavailable", "checks": checks,
                    "failed": failed}, 200 if ready else 503)


def _checks(session: Session, backlog: Backlog, settings) -> tuple[dict, list[str]]:
    """Every check's value, and the names of those that failed."""
    checks: dict = {"database": "unavailable", "migrations": None,
                    "outbox_backlog": None, "outbox_oldest_age_s": None}
    try:
        session.execute(text("SELECT 1"))
        checks["database"] = "ok"
        checks["migrations"] = "ok" if migrate.at_head(session.connection()) else "behind"
        checks["outbox_backlog"], checks["outbox_oldest_age_s"] = backlog(session, utcnow())
    except SQLAlchemyError as error:
        # The reason goes to the log only: the answer is public.
        log.warning("Readiness check failed: %s", type(error).__name__)
    finally:
        session.rollback()
    failed = [name for name, ok in (
        ("database", checks["database"] == "ok"),
        ("migrations", checks["migrations"] == "ok"),
        ("outbox_backlog", checks["outbox_backlog"] is not None
         and checks["outbox_backlog"] < settings.ready_max_outbox),
        ("outbox_oldest_age_s", checks["outbox_oldest_age_s"] is not None
         and checks["outbox_oldest_age_s"] < settings.ready_max_outbox_age),
    ) if not ok]
    return checks, failed


def init_app(app: Flask, *, backlog: Backlog) -> None:
    """Serve the probes; backlog(session, now) gives the unsent messages and the oldest's age."""
    app.extensions[BACKLOG] = backlog
    app.session_interface = _ProbeSessions()
    app.register_blueprint(bp)
