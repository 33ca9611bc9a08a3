"""Extensions and the database session factory, created unbound and bound in create_app."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_wtf import CSRFProtect
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session

babel = Babel()
csrf = CSRFProtect()


class Database:
    """The engine of each app, and a session per request (or per CLI command).

    The engine lives on the app, not here, so that two apps in one process (tests,
    a worker beside the server) never share or overwrite each other's database.
    """

    EXTENSION = "portal.db.engine"
    SESSION_INFO = "portal.db.session_info"

    def __init__(self) -> None:
        self.session = scoped_session(self.new_session)
        # Tests only: a connection inside a SAVEPOINT that every new session joins instead
        # of the engine. SQLAlchemy's default join mode then gives each session a SAVEPOINT
        # of its own ("create_savepoint"): its commit releases that, and the test rolls
        # everything back at the end.
        self.bind: Connection | None = None

    def init_app(self, app) -> None:
        """Create the engine for the app's DATABASE_URL and end each request's session."""
        app.extensions[self.EXTENSION] = make_engine(app.config["DATABASE_URL"])
        app.teardown_appcontext(lambda _exc: self.session.remove())

    @property
    def engine(self) -> Engine:
        """The engine of the current app."""
        return current_app.extensions[self.EXTENSION]

    def new_session(self) -> Session:
        """Return a session of its own, outside the request scope (workers, CLI, tests).

        Inside a request that may write (any method but GET and HEAD, and every staff
        page, since each records in the audit trail who saw what), every transaction
        takes SQLite's write lock at BEGIN, so two such requests queue instead of one
        failing with "database is locked"; PostgreSQL ignores the option.
        """
        engine = self.engine if self.bind is None else self.bind
        if has_request_context() and (request.method not in ("GET", "HEAD", "OPTIONS")
                                      or request.path.startswith("/medewerkers")):
            engine = engine.execution_options(sqlite_immediate=True)
        return Session(bind=engine, expire_on_commit=False, info=self.session_info())

    def session_info(self) -> dict:
        """What every session of the current app carries (its event subscribers, keys).

        Built once in create_app; domain code reads it from the session it is handed, so
        it never needs the app.
        """
        return dict(current_app.extensions.get(self.SESSION_INFO, {}))


def make_engine(url: str) -> Engine:
    """Create an engine with the settings the portal needs on each database."""
    if url.startswith("sqlite"):
        # The driver's own transaction handling is turned off so that SQLAlchemy's
        # BEGIN is real: an import is then one transaction, all or nothing.
        engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None},
                               hide_parameters=True)

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
            # A writer that first reads must take the write lock at BEGIN: in WAL mode a
            # read transaction cannot wait for the lock later, it fails at once.
            immediate = connection.get_execution_options().get("sqlite_immediate")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    # hide_parameters: SQL errors must not carry names and addresses into the log.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


db = Database()
