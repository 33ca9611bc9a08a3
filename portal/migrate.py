"""Schema migrations with Alembic, driven from the portal's own configuration."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from portal.paths import MIGRATIONS


def alembic_config(database_url: str) -> Config:
    """Return an Alembic Config for the project's migrations on database_url."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's config is an ini file underneath, where % starts an interpolation.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the database up to revision (default: every head, the newest schema)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database down to revision ('base' removes the whole schema)."""
    command.downgrade(alembic_config(database_url), revision)


def recreate(database_url: str) -> None:
    """Drop everything in the database and build the schema from empty.

    For the test suite and the benchmarks only: on PostgreSQL it drops the public schema.
    """
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    else:
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(database_url)
