"""Migration 0001: Producers and their lists (funding, support, projects, sales channels, shipping, star ratings)."""

from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (the types the tables use)


def create() -> None:
    op.create_table('producers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('producer_type', sa.Enum('group', 'individual', 'sme', name='producertype', native_enum=False, length=20), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('registration_no', sa.String(length=60), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('establishment_support', sa.Text(), nullable=True),
    sa.Column('export_sales', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('owner_name', sa.String(length=300), nullable=True),
    sa.Column('national_id', sa.String(length=20), nullable=True),
    sa.Column('national_id_valid', sa.Boolean(), nullable=True),
    sa.Column('phone_valid', sa.Boolean(), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('owner_address', sa.Text(), nullable=True),
    sa.Column('owner_phone', sa.String(length=40), nullable=True),
    sa.Column('local_labour', sa.Boolean(), nullable=True),
    sa.Column('local_raw_materials', sa.Boolean(), nullable=True),
    sa.Column('has_business_plan', sa.Boolean(), nullable=True),
    sa.Column('has_accounts', sa.Boolean(), nullable=True),
    sa.Column('logistics', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('active', 'closed', 'moved', name='registrationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('subdistrict_code', sa.String(length=6), nullable=True),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_producers_district_code_districts')),
    sa.ForeignKeyConstraint(['previous_id'], ['producers.id'], name=op.f('fk_producers_previous_id_producers')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_producers_province_code_provinces')),
    sa.ForeignKeyConstraint(['subdistrict_code'], ['subdistricts.code'], name=op.f('fk_producers_subdistrict_code_subdistricts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producers')),
    sa.UniqueConstraint('code', name=op.f('uq_producers_code'))
    )
    with op.batch_alter_table('producers', schema=None) as batch_op:
        batch_op.create_index('ix_producers_area', ['province_code', 'district_code', 'subdistrict_code'], unique=False)
        batch_op.create_index('ix_producers_national_id', ['national_id'], unique=False)
        batch_op.create_index('ix_producers_phone', ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_producers_status'), ['status'], unique=False)

    op.create_table('producer_funding_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_funding_sources_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_funding_sources'))
    )
    with op.batch_alter_table('producer_funding_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_funding_sources_producer_id'), ['producer_id'], unique=False)

    op.create_table('producer_government_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('agency', sa.String(length=300), nullable=True),
    sa.Column('year_be', sa.SmallInteger(), nullable=True),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_government_support_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_government_support'))
    )
    with op.batch_alter_table('producer_government_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_government_support_producer_id'), ['producer_id'], unique=False)

    op.create_table('producer_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('project', sa.String(length=300), nullable=False),
    sa.Column('year_be', sa.SmallInteger(), nullable=True),
    sa.Column('organiser', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_projects_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_projects'))
    )
    with op.batch_alter_table('producer_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_projects_producer_id'), ['producer_id'], unique=False)

    op.create_table('producer_sales_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('domestic', 'export', 'online', name='saleschannelkind', native_enum=False, length=20), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_sales_channels_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_sales_channels')),
    sa.UniqueConstraint('producer_id', 'channel', name=op.f('uq_producer_sales_channels_producer_id'))
    )
    with op.batch_alter_table('producer_sales_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_sales_channels_producer_id'), ['producer_id'], unique=False)

    op.create_table('producer_shipping_methods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_shipping_methods_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_shipping_methods'))
    )
    with op.batch_alter_table('producer_shipping_methods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_shipping_methods_producer_id'), ['producer_id'], unique=False)

    op.create_table('producer_star_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('year_be', sa.SmallInteger(), nullable=False),
    sa.Column('stars', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_producer_star_ratings_stars_range')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_star_ratings_producer_id_producers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_star_ratings')),
    sa.UniqueConstraint('producer_id', 'year_be', name=op.f('uq_producer_star_ratings_producer_id'))
    )
    with op.batch_alter_table('producer_star_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_star_ratings_producer_id'), ['producer_id'], unique=False)


def drop() -> None:
    with op.batch_alter_table('producer_star_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_star_ratings_producer_id'))

    op.drop_table('producer_star_ratings')
    with op.batch_alter_table('producer_shipping_methods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_shipping_methods_producer_id'))

    op.drop_table('producer_shipping_methods')
    with op.batch_alter_table('producer_sales_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_sales_channels_producer_id'))

    op.drop_table('producer_sales_channels')
    with op.batch_alter_table('producer_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_projects_producer_id'))

    op.drop_table('producer_projects')
    with op.batch_alter_table('producer_government_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_government_support_producer_id'))

    op.drop_table('producer_government_support')
    with op.batch_alter_table('producer_funding_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_funding_sources_producer_id'))

    op.drop_table('producer_funding_sources')
    with op.batch_alter_table('producers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producers_status'))
        batch_op.drop_index('ix_producers_phone')
        batch_op.drop_index('ix_producers_national_id')
        batch_op.drop_index('ix_producers_area')

    op.drop_table('producers')
