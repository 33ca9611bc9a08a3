"""register

Revision ID: 0001_register
Revises: 
Create Date: 2026-11-27 04:15:08.260717
"""

from alembic import op
import sqlalchemy as sa


revision = '0001_register'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('buildings',
    sa.Column('pand_id', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('pand_id', name=op.f('pk_buildings'))
    )
    op.create_table('municipalities',
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('in_effect_area', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_municipalities'))
    )
    op.create_table('register_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('addresses_file', sa.String(length=300), nullable=True),
    sa.Column('programme_file', sa.String(length=300), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_imports'))
    )
    op.create_table('register_staged_addresses',
    sa.Column('line', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('nummeraanduiding_id', sa.String(length=16), nullable=True),
    sa.Column('verblijfsobject_id', sa.String(length=16), nullable=True),
    sa.Column('pand_id', sa.String(length=16), nullable=True),
    sa.Column('postcode', sa.String(length=6), nullable=True),
    sa.Column('huisnummer', sa.Integer(), nullable=True),
    sa.Column('huisletter', sa.String(length=1), nullable=True),
    sa.Column('huisnummertoevoeging', sa.String(length=4), nullable=True),
    sa.Column('straat', sa.String(length=200), nullable=True),
    sa.Column('woonplaats', sa.String(length=100), nullable=True),
    sa.Column('gemeentecode', sa.String(length=4), nullable=True),
    sa.Column('gemeentenaam', sa.String(length=100), nullable=True),
    sa.Column('bouwjaar', sa.Integer(), nullable=True),
    sa.Column('gebruiksdoel', sa.String(length=100), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('line', name=op.f('pk_register_staged_addresses'))
    )
    with op.batch_alter_table('register_staged_addresses', schema=None) as batch_op:
        batch_op.create_index('ix_register_staged_addresses_id', ['nummeraanduiding_id', 'line'], unique=False)
        batch_op.create_index('ix_register_staged_addresses_key', ['postcode', 'huisnummer', 'huisletter', 'huisnummertoevoeging', 'line'], unique=False)

    op.create_table('register_staged_programme',
    sa.Column('line', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('nummeraanduiding_id', sa.String(length=16), nullable=True),
    sa.Column('risk_profile', sa.String(length=3), nullable=True),
    sa.Column('batch', sa.String(length=10), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('advice', sa.String(length=20), nullable=True),
    sa.Column('typology', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('line', name=op.f('pk_register_staged_programme'))
    )
    with op.batch_alter_table('register_staged_programme', schema=None) as batch_op:
        batch_op.create_index('ix_register_staged_programme_id', ['nummeraanduiding_id', 'line'], unique=False)

    op.create_table('addresses',
    sa.Column('nummeraanduiding_id', sa.String(length=16), nullable=False),
    sa.Column('verblijfsobject_id', sa.String(length=16), nullable=True),
    sa.Column('pand_id', sa.String(length=16), nullable=False),
    sa.Column('postcode', sa.String(length=6), nullable=False),
    sa.Column('huisnummer', sa.Integer(), nullable=False),
    sa.Column('huisletter', sa.String(length=1), nullable=False),
    sa.Column('huisnummertoevoeging', sa.String(length=4), nullable=False),
    sa.Column('straat', sa.String(length=200), nullable=False),
    sa.Column('woonplaats', sa.String(length=100), nullable=False),
    sa.Column('gemeentecode', sa.String(length=4), nullable=False),
    sa.Column('bouwjaar', sa.Integer(), nullable=True),
    sa.Column('gebruiksdoel', sa.String(length=100), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['gemeentecode'], ['municipalities.code'], name=op.f('fk_addresses_gemeentecode_municipalities')),
    sa.ForeignKeyConstraint(['pand_id'], ['buildings.pand_id'], name=op.f('fk_addresses_pand_id_buildings')),
    sa.PrimaryKeyConstraint('nummeraanduiding_id', name=op.f('pk_addresses')),
    sa.UniqueConstraint('postcode', 'huisnummer', 'huisletter', 'huisnummertoevoeging', name=op.f('uq_addresses_postcode_huisnummer_huisletter_huisnummertoevoeging'))
    )
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.create_index('ix_addresses_gemeentecode', ['gemeentecode'], unique=False)
        batch_op.create_index('ix_addresses_pand_id', ['pand_id'], unique=False)
        batch_op.create_index('ix_addresses_street', ['woonplaats', 'straat'], unique=False)

    op.create_table('register_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('nummeraanduiding_id', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['register_imports.id'], name=op.f('fk_register_changes_import_id_register_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_changes'))
    )
    with op.batch_alter_table('register_changes', schema=None) as batch_op:
        batch_op.create_index('ix_register_changes_import', ['import_id', 'nummeraanduiding_id'], unique=False)

    op.create_table('programme_status',
    sa.Column('nummeraanduiding_id', sa.String(length=16), nullable=False),
    sa.Column('risk_profile', sa.String(length=3), nullable=True),
    sa.Column('batch', sa.String(length=10), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('advice', sa.String(length=20), nullable=True),
    sa.Column('typology', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['nummeraanduiding_id'], ['addresses.nummeraanduiding_id'], name=op.f('fk_programme_status_nummeraanduiding_id_addresses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('nummeraanduiding_id', name=op.f('pk_programme_status'))
    )
    with op.batch_alter_table('programme_status', schema=None) as batch_op:
        batch_op.create_index('ix_programme_status_typology', ['typology'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('programme_status', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_status_typology')

    op.drop_table('programme_status')
    with op.batch_alter_table('register_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_register_changes_import')

    op.drop_table('register_changes')
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.drop_index('ix_addresses_street')
        batch_op.drop_index('ix_addresses_pand_id')
        batch_op.drop_index('ix_addresses_gemeentecode')

    op.drop_table('addresses')
    with op.batch_alter_table('register_staged_programme', schema=None) as batch_op:
        batch_op.drop_index('ix_register_staged_programme_id')

    op.drop_table('register_staged_programme')
    with op.batch_alter_table('register_staged_addresses', schema=None) as batch_op:
        batch_op.drop_index('ix_register_staged_addresses_key')
        batch_op.drop_index('ix_register_staged_addresses_id')

    op.drop_table('register_staged_addresses')
    op.drop_table('register_imports')
    op.drop_table('municipalities')
    op.drop_table('buildings')
