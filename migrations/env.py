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
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=sqlite,
        compare_type=True,
    )
    # Copying a table drops the original, which SQLite refuses (or cascades) while other
    # tables refer to it and foreign keys are enforced. The switch only works outside a
    # transaction, so it is set on the driver's connection before the migrations begin;
    # the keys are checked before the migrations commit.
    keys_off = sqlite and not connection.in_transaction()
    if keys_off:
        _sqlite_foreign_keys(connection, "OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
            if keys_off:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"Migrations broke foreign keys: {broken[:5]}")
        if connection.in_transaction():
            connection.commit()
    finally:
        if keys_off:
            if connection.in_transaction():
                connection.rollback()
            _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection, state: str) -> None:
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={state}")


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations()
