"""triage

Revision ID: 0007_triage
Revises: 0006_audit
Create Date: 2026-11-27 04:33:53.366219
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_triage'
down_revision = "0006_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=False),
    sa.Column('reason_text', sa.Text(), nullable=False),
    sa.Column('suggested_route', sa.String(length=20), nullable=True),
    sa.Column('deviates', sa.Boolean(), nullable=False),
    sa.Column('decided_by_id', sa.String(length=64), nullable=True),
    sa.Column('decided_by_label', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_decisions_letter_id_letters')),
    sa.ForeignKeyConstraint(['request_id'], ['inspection_requests.id'], name=op.f('fk_decisions_request_id_inspection_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_request', ['request_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_request')

    op.drop_table('decisions')
