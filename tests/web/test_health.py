"""/healthz and /readyz: JSON for the load balancer, no login, no cookie, no personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from portal import migrate
from portal.accounts.access import PUBLIC, access_rules
from portal.accounts.roles import AGENT
from portal.app import create_app
from portal.clock import utcnow
from portal.extensions import db
from portal.outbox import queue_email
from portal.outbox.backlog import backlog
from portal.outbox.models import OutboxMessage
from tests.accounts.conftest import login_user_with_client, make_user

ALL_OK = {"database": "ok", "migrations": "ok", "outbox_backlog": 0,
          "outbox_oldest_age_s": 0}


def _portal(test_environ, **settings):
    return create_app({"environ": {**test_environ, **settings}})


def _queue(session, count: int, *, age: timedelta = timedelta(0)) -> None:
    for number in range(count):
        message = queue_email(session, to=f"resident{number}@example.org", subject="Subject",
                              body="Body")
        message.created_at = utcnow() - age
    session.commit()


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ok_on_a_migrated_database_with_an_empty_outbox(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": ALL_OK, "failed": []}


def test_readyz_counts_the_unsent_messages_but_not_the_sent_or_failed(client, session):
    _queue(session, 3, age=timedelta(seconds=60))
    for message, status in zip(session.query(OutboxMessage).limit(2), ("sent", "failed"),
                               strict=True):
        message.status = status
    session.commit()

    checks = client.get("/readyz").get_json()["checks"]

    assert checks["outbox_backlog"] == 1
    assert 60 <= checks["outbox_oldest_age_s"] < 120


def test_readyz_says_behind_when_the_database_is_not_migrated(client, session):
    session.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    session.commit()

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["migrations"] == "behind"
    assert body["failed"] == ["migrations"]


def test_an_empty_database_is_behind(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with engine.connect() as connection:
        assert not migrate.at_head(connection)
    engine.dispose()


def test_readyz_is_unavailable_when_the_backlog_reaches_the_limit(app, test_environ, session):
    _queue(session, 3)
    portal = _portal(test_environ, READY_MAX_OUTBOX="3")

    response = portal.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"]["outbox_backlog"] == 3
    assert response.get_json()["failed"] == ["outbox_backlog"]
    _queue(session, 0)
    assert _portal(test_environ, READY_MAX_OUTBOX="4").test_client() \
        .get("/readyz").status_code == 200


def test_readyz_is_unavailable_when_a_message_waits_too_long(app, test_environ, session):
    _queue(session, 1, age=timedelta(seconds=1000))

    response = _portal(test_environ).test_client().get("/readyz")
    patient = _portal(test_environ, READY_MAX_OUTBOX_AGE="2000").test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"]["outbox_oldest_age_s"] >= 1000
    assert response.get_json()["failed"] == ["outbox_oldest_age_s"]
    assert patient.status_code == 200


def test_readyz_is_unavailable_when_the_database_does_not_answer(app, test_environ):
    portal = _portal(test_environ, DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    bind, db.bind = db.bind, None  # let this app reach its own (absent) database
    try:
        response = portal.test_client().get("/readyz")
    finally:
        db.bind = bind

    assert response.status_code == 503
    assert response.get_json()["checks"] == {
        "database": "unavailable", "migrations": None, "outbox_backlog": None,
        "outbox_oldest_age_s": None}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_set_no_cookie_even_with_a_language_choice_or_a_staff_session(app, path):
    anonymous = app.test_client()
    staff = app.test_client()
    login_user_with_client(staff, make_user(app, AGENT))

    for client in (anonymous, staff):
        for url in (path, f"{path}?lang=en"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers, url


def test_probes_are_public_in_the_access_table(app):
    rules = access_rules(app)
    assert rules["health.healthz"] == rules["health.readyz"] == PUBLIC


def test_backlog_of_an_empty_outbox(session):
    assert backlog(session, utcnow()) == (0, 0)
