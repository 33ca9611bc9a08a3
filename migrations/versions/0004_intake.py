"""intake

Revision ID: 0004_intake
Revises: 0003_letters
Create Date: 2026-11-27 04:32:42.342089
"""

from alembic import op
import sqlalchemy as sa


# Written out here, not imported: a migration must not change when the code does.
WAITING_SQL = "status IN ('received', 'urgent', 'awaiting_information', 'in_programme')"

revision = '0004_intake'
down_revision = '0003_letters'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inspection_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(), nullable=False),
    sa.Column('request_type', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('nummeraanduiding_id', sa.String(length=16), nullable=True),
    sa.Column('pand_id', sa.String(length=16), nullable=True),
    sa.Column('in_register', sa.Boolean(), nullable=False),
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('huisnummer', sa.Integer(), nullable=False),
    sa.Column('huisletter', sa.String(length=1), nullable=False),
    sa.Column('huisnummertoevoeging', sa.String(length=4), nullable=False),
    sa.Column('straat', sa.String(length=200), nullable=False),
    sa.Column('woonplaats', sa.String(length=100), nullable=False),
    sa.Column('building_kind', sa.String(length=20), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('signs', sa.String(length=200), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('acute_danger', sa.Boolean(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('letters_by_post', sa.Boolean(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=False),
    sa.Column('entered_by_id', sa.String(length=64), nullable=True),
    sa.Column('entered_by_label', sa.String(length=200), nullable=True),
    sa.Column('identity_checked', sa.Boolean(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=4), nullable=True),
    sa.Column('suggested_route', sa.String(length=20), nullable=True),
    sa.Column('triage_reason', sa.String(length=40), nullable=True),
    sa.Column('triage_detail', sa.String(length=100), nullable=True),
    sa.Column('ruleset_version', sa.String(length=20), nullable=True),
    sa.Column('register_import_id', sa.Integer(), nullable=True),
    sa.Column('triaged_at', sa.DateTime(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('retriaged_from', sa.String(length=20), nullable=True),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('assigned_until', sa.DateTime(), nullable=True),
    sa.Column('linked_to_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['linked_to_id'], ['inspection_requests.id'], name=op.f('fk_inspection_requests_linked_to_id_inspection_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_inspection_requests_reference')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_inspection_requests_submission_key'))
    )
    with op.batch_alter_table('inspection_requests', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_requests_address', ['nummeraanduiding_id', 'status'], unique=False)
        batch_op.create_index('ix_inspection_requests_gemeente', ['gemeentecode', 'status'], unique=False)
        batch_op.create_index('ix_inspection_requests_pand_id', ['pand_id'], unique=False)
        batch_op.create_index('ix_inspection_requests_postcode', ['postcode', 'huisnummer'], unique=False)
        batch_op.create_index('ix_inspection_requests_queue', ['status', 'priority', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_inspection_requests_waiting', ['priority', 'created_at', 'id'], unique=False, postgresql_where=sa.text(WAITING_SQL), sqlite_where=sa.text(WAITING_SQL))
        batch_op.create_index('ix_inspection_requests_route', ['suggested_route', 'status'], unique=False)

    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_rate_limit_counters'))
    )
    op.create_table('request_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_drafts')),
    sa.UniqueConstraint('key', name=op.f('uq_request_drafts_key'))
    )
    with op.batch_alter_table('request_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_drafts_updated_at'), ['updated_at'], unique=False)

    op.create_table('request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['inspection_requests.id'], name=op.f('fk_request_events_request_id_inspection_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_events'))
    )
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index('ix_request_events_request', ['request_id', 'id'], unique=False)

    op.create_table('request_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['inspection_requests.id'], name=op.f('fk_request_tokens_request_id_inspection_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_request_tokens_token_hash'))
    )


def downgrade() -> None:
    op.drop_table('request_tokens')
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index('ix_request_events_request')

    op.drop_table('request_events')
    with op.batch_alter_table('request_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_drafts_updated_at'))

    op.drop_table('request_drafts')
    op.drop_table('rate_limit_counters')
    with op.batch_alter_table('inspection_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_requests_route')
        batch_op.drop_index('ix_inspection_requests_waiting')
        batch_op.drop_index('ix_inspection_requests_queue')
        batch_op.drop_index('ix_inspection_requests_postcode')
        batch_op.drop_index('ix_inspection_requests_pand_id')
        batch_op.drop_index('ix_inspection_requests_gemeente')
        batch_op.drop_index('ix_inspection_requests_address')

    op.drop_table('inspection_requests')
