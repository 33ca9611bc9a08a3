"""register changes by address: re-triage finds the requests whose home changed since

Revision ID: 0011_register_changes_by_address
Revises: 0010_letters_delivered
Create Date: 2026-11-27 23:40:00

"""

from alembic import op

revision = "0011_register_changes_by_address"
down_revision = "0010_letters_delivered"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("register_changes", schema=None) as batch_op:
        batch_op.create_index("ix_register_changes_address",
                              ["nummeraanduiding_id", "import_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("register_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_register_changes_address")
