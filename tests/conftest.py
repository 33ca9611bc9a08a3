"""Test fixtures: a real database (TEST_DATABASE_URL, default SQLite) built by the migrations.

Every test starts from empty tables: after each test all rows are removed, so tests can
commit (as the CLI and the web layer do) and still not see each other's data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from portal import migrate
from portal.app import create_app
from portal.audit import AUDIT_TABLES, empty_trail
from portal.config import normalise_database_url
from portal.db import Base
from portal.extensions import db as database
from portal.models import metadata  # noqa: F401  (every model registered)


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


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Remove every row after each test that used the database."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
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


@pytest.fixture
def session(app):
    """A database session of its own for a test to arrange and check data.

    It holds no application context: a context left open during a test would be reused
    by every request of the test client, sharing `g` and the request-scoped session
    between requests. Tests that call code needing the app use the `app_context` fixture.
    """
    with app.app_context():
        engine = database.engine
        info = database.session_info()
    # The app's subscribers ride along, as on every session the app makes: what follows
    # a change (mail, letters, bookings) happens in tests as it does in the portal.
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
