"""The migrations build the whole schema from empty, match the models, and can be undone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, create_engine, inspect, text

from portal import migrate
from portal.db import Base
from portal.paths import PROJECT_ROOT

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


# Autogenerate does not compare CHECK constraints, so this does: the same names on every
# table, and each check naming the same quoted values (a new enum member needs a migration).
def _quoted(sql: str) -> set[str]:
    return set(re.findall(r"'([^']*)'", str(sql)))


def _checks_in_models() -> dict[tuple[str, str], set[str]]:
    return {(table.name, c.name): _quoted(c.sqltext) for table in Base.metadata.sorted_tables
            for c in table.constraints if isinstance(c, CheckConstraint)}


def _checks_in_database(url: str) -> dict[tuple[str, str], set[str]]:
    engine = create_engine(url)
    inspector = inspect(engine)
    found = {(table, c["name"]): _quoted(c["sqltext"]) for table in Base.metadata.tables
             for c in inspector.get_check_constraints(table)}
    engine.dispose()
    return found


def test_check_constraints_of_models_and_migrations_agree(database_url):
    in_models = _checks_in_models()
    assert ("inspection_requests", "ck_inspection_requests_status") in in_models
    assert _checks_in_database(database_url) == in_models


def test_request_checks_survive_downgrade_and_upgrade_with_rows(tmp_path):
    # On SQLite adding a check copies the table: the rows, the keys pointing at them and
    # the queue's partial index must come through, and the migration must be undoable.
    url = f"sqlite:///{tmp_path / 'with-rows.sqlite'}"
    migrate.upgrade(url, "0008_capacity")
    engine = create_engine(url)
    with engine.begin() as conn:
        _insert_request(conn, 1, "received")
        _insert_request(conn, 2, "linked", linked_to_id=1)
        conn.execute(text(
            "INSERT INTO request_events (request_id, at, from_status, to_status, actor_kind,"
            " actor_label, kind, reason) VALUES (1, '2026-01-01', NULL, 'received',"
            " 'system', 'portal', 'status', '')"))
    migrate.upgrade(url)
    migrate.downgrade(url, "0008_capacity")
    migrate.upgrade(url)
    with engine.connect() as conn:
        assert conn.execute(text(
            "SELECT id, status, linked_to_id FROM inspection_requests ORDER BY id")).all() == [
            (1, "received", None), (2, "linked", 1)]
        assert conn.execute(text("SELECT request_id FROM request_events")).all() == [(1,)]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                 " AND name = 'ix_inspection_requests_waiting'")).scalar() == 1
    assert _checks_in_database(url) == _checks_in_models()
    engine.dispose()


def _insert_request(conn, id_: int, status: str, linked_to_id: int | None = None) -> None:
    values = {
        "id": id_, "reference": f"REF{id_}", "submission_key": f"key-{id_}", "channel": "web",
        "status": status, "status_changed_at": "2026-01-01", "request_type": "inspection",
        "created_at": "2026-01-01", "in_register": False, "postcode": "9937AB",
        "huisnummer": id_, "huisletter": "", "huisnummertoevoeging": "", "straat": "Hoofdstraat",
        "woonplaats": "Meedhuizen", "building_kind": "home", "relation": "tenant", "signs": "",
        "explanation": "", "acute_danger": False, "contact_name": "E", "language": "nl",
        "letters_by_post": False, "consent_at": "2026-01-01", "identity_checked": False,
        "priority": 1, "linked_to_id": linked_to_id,
    }
    conn.execute(text(f"INSERT INTO inspection_requests ({', '.join(values)})"
                      f" VALUES ({', '.join(':' + k for k in values)})"), values)


def test_a_drafted_revision_carries_no_generated_banners(tmp_path):
    scripts = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations", scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    url = f"sqlite:///{tmp_path / 'draft.sqlite'}"
    migrate.upgrade(url)
    config = migrate.alembic_config(url)
    config.set_main_option("script_location", str(scripts))

    script = command.revision(config, message="nothing", autogenerate=True)

    drafted = Path(script.path).read_text()
    assert "def upgrade() -> None:\n    pass\n" in drafted
    assert "###" not in drafted
    for path in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"):
        assert "###" not in path.read_text(), path.name
