"""audit: an append-only trail of who did what, chained by hashes, guarded by triggers

Revision ID: 0006_audit
Revises: 0005_accounts
Create Date: 2026-11-27 04:33:06.354237
"""

from alembic import op
import sqlalchemy as sa


revision = "0006_audit"
down_revision = "0005_accounts"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64

# PostgreSQL: one function behind every guard. DELETE and TRUNCATE pass only in a
# transaction that set the purge permit (portal.audit.purge_permit); UPDATE never passes,
# not even a purge has a reason to rewrite an entry.
POSTGRES_UP = [
    """
    CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND coalesce(current_setting('opnameloket.allow_audit_purge', true), '') = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
    """,
    # The head row is updated by every append, but removing it would hide the trail's end.
    """
    CREATE TRIGGER audit_head_keep BEFORE DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head",
    "DROP TRIGGER IF EXISTS audit_head_keep ON audit_head",
    "DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries",
    "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
]

# SQLite triggers cannot read a setting, so the permit is a row in audit_purge_permit that
# the purging transaction inserts and removes again. A batch migration of these tables
# (a table copy) drops their triggers: such a migration must create them again.
SQLITE_UP = [
    """
    CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
    BEGIN
        SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE on audit_entries refused');
    END
    """,
    """
    CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
    BEGIN
        SELECT RAISE(ABORT, 'audit trail is append-only: DELETE on audit_entries refused');
    END
    """,
    """
    CREATE TRIGGER audit_head_keep BEFORE DELETE ON audit_head
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
    BEGIN
        SELECT RAISE(ABORT, 'audit trail is append-only: DELETE on audit_head refused');
    END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_head_keep",
    "DROP TRIGGER IF EXISTS audit_entries_no_delete",
    "DROP TRIGGER IF EXISTS audit_entries_no_update",
]


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_type", sa.String(length=30), nullable=True),
        sa.Column("subject_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_at", ["at"], unique=False)
        batch_op.create_index(
            "ix_audit_entries_subject", ["subject_type", "subject_id"], unique=False
        )

    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_purge_permit",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_purge_permit")),
    )
    # The trail starts empty: the first entry links to the genesis hash.
    op.bulk_insert(head, [{"id": 1, "last_id": 0, "last_hash": GENESIS_HASH}])

    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_UP if dialect == "postgresql" else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_DOWN if dialect == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
    op.drop_table("audit_purge_permit")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_subject")
        batch_op.drop_index("ix_audit_entries_at")
    op.drop_table("audit_entries")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_refuse_change()")
