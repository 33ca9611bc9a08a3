"""Test fixtures: a real database (TEST_DATABASE_URL, default SQLite) built by the migrations.

Every test runs in a transaction that is rolled back at its end: the sessions it and the
portal use commit only to a SAVEPOINT (see `test_connection`). Tests marked `committing`
commit for real; every row is removed after each of them.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session

from portal import migrate
from portal.app import create_app
from portal.audit import AUDIT_TABLES, empty_trail
from portal.config import normalise_database_url
from portal.db import Base
from portal.extensions import db as database
from portal.models import metadata  # noqa: F401  (every model registered)
from portal.web import cssbuild


def pytest_sessionstart(session) -> None:
    """Build the stylesheet the layout links, as scripts/bootstrap.sh does (no-op when current)."""
    cssbuild.build()


def _test_database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_root / 'test.sqlite'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The URL of the test database, reset and migrated to head once per run."""
    url = _test_database_url(tmp_path_factory.mktemp("db"))
    migrate.recreate(url)
    return url


@pytest.fixture(scope="session")
def test_environ(database_url, tmp_path_factory) -> dict:
    """The environment the portal under test reads its settings from."""
    return {
        "PORTAL_ENV": "test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
    }


@pytest.fixture(scope="session")
def app(test_environ):
    """The portal, configured for tests, bound to the test database."""
    application = create_app({"environ": test_environ})
    yield application


def _empty_tables(app) -> None:
    """Remove every row, for tests that commit for real."""
    with app.app_context():
        engine = database.engine
        database.session.remove()
        tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in AUDIT_TABLES]
        with engine.begin() as conn:
            # The audit trail refuses deletes without a permit; empty_trail holds one and
            # puts the head row back.
            empty_trail(conn)
            if conn.dialect.name == "postgresql":
                names = ", ".join(t.name for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())


# Sessions that joined the test connection, and whether each has written since it began.
_joined: weakref.WeakSet[Session] = weakref.WeakSet()
_WROTE = "tests.wrote"


@event.listens_for(Session, "after_begin")
def _track_joined(session, _transaction, connection) -> None:
    if database.bind is not None and connection is database.bind:
        _joined.add(session)


@event.listens_for(Session, "after_flush")
def _mark_written(session, _flush_context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _unmark_written(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


@event.listens_for(Session, "after_transaction_create")
def _end_read_only_transactions(session, transaction) -> None:
    """End the savepoints of other sessions that only read, before a session begins.

    On one connection SAVEPOINTs form a stack: a session that began first (the test's,
    having read something) would otherwise hold the portal's later work inside its own
    savepoint, and its rollback ("forget what was loaded") would undo that work. On
    separate connections that read-only transaction would simply be over; its commit
    here has the same effect. Sessions that have written keep their savepoint.
    """
    if database.bind is None or transaction.parent is not None:
        return
    for other in list(_joined):
        if (other is not session and other.in_transaction()
                and not other.in_nested_transaction() and not other.info.get(_WROTE)
                and not (other.new or other.dirty or other.deleted)):
            other.commit()


@pytest.fixture(autouse=True)
def test_connection(request) -> Iterator[Connection | None]:
    """The connection every session of a test that uses the database runs on, rolled back.

    One connection, an outer transaction and a SAVEPOINT in it; the portal's sessions
    (db.session, db.new_session) and the `session` fixture all join it, each with a
    SAVEPOINT of its own, so that a commit in a view, a CLI command or the domain code
    only releases that savepoint. At the end the outer transaction is rolled back.

    Tests marked `committing` (several connections or threads, the outbox worker, the
    audit trail's triggers, migrations, a live server) commit for real instead; every
    row is removed after each of them. Yields None for those and for tests without `app`.
    """
    if "app" not in request.fixturenames:
        yield None
        return
    app = request.getfixturevalue("app")
    if request.node.get_closest_marker("committing"):
        yield None
        _empty_tables(app)
        return
    with app.app_context():
        engine = database.engine
    connection = engine.connect()
    outer = connection.begin()
    connection.begin_nested()
    database.session.remove()
    database.bind = connection
    try:
        yield connection
    finally:
        database.session.remove()
        database.bind = None
        _joined.clear()
        outer.rollback()
        connection.close()


@pytest.fixture
def session(app, test_connection):
    """A database session of its own for a test to arrange and check data.

    It holds no application context: a context left open during a test would be reused
    by every request of the test client, sharing `g` and the request-scoped session
    between requests. Tests that call code needing the app use the `app_context` fixture.
    """
    with app.app_context():
        info = database.session_info()
        engine = database.engine
    # The app's subscribers ride along, as on every session the app makes: what follows
    # a change (mail, letters, bookings) happens in tests as it does in the portal.
    if test_connection is not None:
        s = Session(bind=test_connection, expire_on_commit=False,
                    join_transaction_mode="create_savepoint", info=info)
    else:
        s = Session(bind=engine, expire_on_commit=False, info=info)
    yield s
    s.close()


@pytest.fixture
def client(app):
    """A test client for the portal's pages."""
    return app.test_client()


@pytest.fixture
def app_context(app):
    """An application context for a test that calls code needing the current app."""
    with app.app_context():
        yield app


@pytest.fixture
def runner(app):
    """A runner for the portal's flask CLI commands."""
    return app.test_cli_runner()
