"""The migrations build the whole schema from empty, match the models, and can be undone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from portal import migrate
from portal.db import Base

# Migrations run on engines of their own and rebuild the schema: they commit for real.
pytestmark = pytest.mark.committing


def _differences(url: str) -> list:
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_models_and_migrations_agree(database_url):
    assert _differences(database_url) == []


def test_downgrade_to_empty_and_upgrade_again(database_url):
    migrate.downgrade(database_url, "base")
    try:
        assert _tables(database_url) <= {"alembic_version"}
    finally:
        migrate.upgrade(database_url)
    assert _tables(database_url) >= set(Base.metadata.tables)
    assert _differences(database_url) == []
