"""capacity

Revision ID: 0008_capacity
Revises: 0007_triage
Create Date: 2026-11-27 04:47:11.440721
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_capacity'
down_revision = '0007_triage'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=4), nullable=False),
    sa.Column('woonplaats', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clusters'))
    )
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.create_index('ix_clusters_place', ['gemeentecode', 'woonplaats'], unique=False)

    op.create_table('capacity_weeks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=4), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('inspection', 'assessment')", name=op.f('ck_capacity_weeks_kind')),
    sa.CheckConstraint('booked + reserved <= capacity', name=op.f('ck_capacity_weeks_risk_work_first')),
    sa.CheckConstraint('booked >= 0', name=op.f('ck_capacity_weeks_booked_not_negative')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_capacity_weeks_capacity_not_negative')),
    sa.CheckConstraint('reserved >= 0', name=op.f('ck_capacity_weeks_reserved_not_negative')),
    sa.ForeignKeyConstraint(['gemeentecode'], ['municipalities.code'], name=op.f('fk_capacity_weeks_gemeentecode_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_weeks')),
    sa.UniqueConstraint('week_start', 'gemeentecode', 'kind', name=op.f('uq_capacity_weeks_week_start_gemeentecode_kind'))
    )
    with op.batch_alter_table('capacity_weeks', schema=None) as batch_op:
        batch_op.create_index('ix_capacity_weeks_plan', ['gemeentecode', 'kind', 'week_start'], unique=False)

    op.create_table('cluster_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('nummeraanduiding_id', sa.String(length=16), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_cluster_addresses_cluster_id_clusters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_addresses')),
    sa.UniqueConstraint('cluster_id', 'nummeraanduiding_id', name=op.f('uq_cluster_addresses_cluster_id_nummeraanduiding_id'))
    )
    op.create_table('municipality_shares',
    sa.Column('gemeentecode', sa.String(length=4), nullable=False),
    sa.Column('share', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['gemeentecode'], ['municipalities.code'], name=op.f('fk_municipality_shares_gemeentecode_municipalities')),
    sa.PrimaryKeyConstraint('gemeentecode', name=op.f('pk_municipality_shares'))
    )
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('capacity_week_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('booked_at', sa.DateTime(), nullable=False),
    sa.Column('booked_by', sa.String(length=200), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['capacity_week_id'], ['capacity_weeks.id'], name=op.f('fk_bookings_capacity_week_id_capacity_weeks')),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_bookings_cluster_id_clusters')),
    sa.ForeignKeyConstraint(['request_id'], ['inspection_requests.id'], name=op.f('fk_bookings_request_id_inspection_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('request_id', 'kind', name=op.f('uq_bookings_request_id_kind'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_cluster', ['cluster_id'], unique=False)
        batch_op.create_index('ix_bookings_week', ['capacity_week_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_week')
        batch_op.drop_index('ix_bookings_cluster')

    op.drop_table('bookings')
    op.drop_table('municipality_shares')
    op.drop_table('cluster_addresses')
    with op.batch_alter_table('capacity_weeks', schema=None) as batch_op:
        batch_op.drop_index('ix_capacity_weeks_plan')

    op.drop_table('capacity_weeks')
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.drop_index('ix_clusters_place')

    op.drop_table('clusters')
