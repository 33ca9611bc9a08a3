"""anonymised requests: when a request's personal data was removed

Revision ID: 0012_anonymised_requests
Revises: 0011_register_changes_by_address
Create Date: 2026-11-28 01:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_anonymised_requests"
down_revision = "0011_register_changes_by_address"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inspection_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inspection_requests", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
