"""Alembic environment: runs migrations on the portal's engine (or a URL given by the caller)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from portal.db import Base
from portal.extensions import make_engine
from portal.models import metadata  # noqa: F401  (every model registered)

target_metadata = Base.metadata
config = context.config


def run_migrations() -> None:
    """Run migrations on the connection the caller passed, or on config's sqlalchemy.url."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    engine = make_engine(url) if url.startswith("sqlite") else create_engine(
        url, poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations()
