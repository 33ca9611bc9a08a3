"""Extensions and the database session factory, created unbound and bound in create_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker

babel = Babel()
csrf = CSRFProtect()


class Database:
    """The engine and a session per request (or per CLI command), bound to one app."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session_factory = sessionmaker(expire_on_commit=False)
        self.session = scoped_session(self.session_factory)

    def bind(self, url: str) -> None:
        """Create the engine for url and bind the session factory to it."""
        self.engine = make_engine(url)
        self.session_factory.configure(bind=self.engine)

    def new_session(self) -> Session:
        """Return a session of its own, outside the request scope (workers, concurrency)."""
        return self.session_factory()


def make_engine(url: str) -> Engine:
    """Create an engine with the settings the portal needs on each database."""
    if url.startswith("sqlite"):
        # The driver's own transaction handling is turned off so that SQLAlchemy's
        # BEGIN is real: an import is then one transaction, all or nothing.
        engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # Foreign keys are off by default in SQLite; WAL lets readers continue
            # while an import writes.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            connection.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


db = Database()
