"""Migration 0001: Products and their lists (awards, IP registrations, keywords, photos, projects, standards)."""

from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (the types the tables use)


def create() -> None:
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('subdistrict_code', sa.String(length=6), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('category', sa.Enum('food', 'beverage', 'textile', 'household', 'herbal', name='category', native_enum=False, length=20), nullable=True),
    sa.Column('subcategory', sa.String(length=200), nullable=True),
    sa.Column('quantity', sa.String(length=200), nullable=True),
    sa.Column('storage', sa.String(length=300), nullable=True),
    sa.Column('story', sa.Text(), nullable=True),
    sa.Column('usage', sa.Text(), nullable=True),
    sa.Column('quadrant', sa.Enum('A', 'B', 'C', 'D', name='quadrant', native_enum=False, length=20), nullable=True),
    sa.Column('capacity_per_day', sa.Integer(), nullable=True),
    sa.Column('capacity_per_month', sa.Integer(), nullable=True),
    sa.Column('capacity_per_year', sa.Integer(), nullable=True),
    sa.Column('packaging_form', sa.String(length=200), nullable=True),
    sa.Column('packaging_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('packaging_material', sa.String(length=200), nullable=True),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_products_district_code_districts')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_products_producer_id_producers')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_products_province_code_provinces')),
    sa.ForeignKeyConstraint(['subdistrict_code'], ['subdistricts.code'], name=op.f('fk_products_subdistrict_code_subdistricts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('code', name=op.f('uq_products_code'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_area', ['province_code', 'district_code', 'subdistrict_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_producer_id'), ['producer_id'], unique=False)

    op.create_table('product_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('year_be', sa.SmallInteger(), nullable=True),
    sa.Column('giver', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_awards_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_awards'))
    )
    with op.batch_alter_table('product_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_awards_product_id'), ['product_id'], unique=False)

    op.create_table('product_ip_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_ip_registrations_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_ip_registrations'))
    )
    with op.batch_alter_table('product_ip_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_ip_registrations_product_id'), ['product_id'], unique=False)

    op.create_table('product_keywords',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_keywords_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_keywords')),
    sa.UniqueConstraint('product_id', 'word', name=op.f('uq_product_keywords_product_id'))
    )
    with op.batch_alter_table('product_keywords', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_keywords_product_id'), ['product_id'], unique=False)

    op.create_table('product_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('thumbnail', sa.String(length=500), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_photos_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_photos')),
    sa.UniqueConstraint('product_id', 'location', name=op.f('uq_product_photos_product_id'))
    )
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_photos_product_id'), ['product_id'], unique=False)

    op.create_table('product_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('project', sa.String(length=300), nullable=False),
    sa.Column('year_be', sa.SmallInteger(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_projects_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_projects'))
    )
    with op.batch_alter_table('product_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_projects_product_id'), ['product_id'], unique=False)

    op.create_table('product_standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_standards_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_standards')),
    sa.UniqueConstraint('product_id', 'scheme', 'number', name=op.f('uq_product_standards_product_id'))
    )
    with op.batch_alter_table('product_standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_standards_expires_on'), ['expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_standards_product_id'), ['product_id'], unique=False)


def drop() -> None:
    with op.batch_alter_table('product_standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_standards_product_id'))
        batch_op.drop_index(batch_op.f('ix_product_standards_expires_on'))

    op.drop_table('product_standards')
    with op.batch_alter_table('product_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_projects_product_id'))

    op.drop_table('product_projects')
    with op.batch_alter_table('product_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_photos_product_id'))

    op.drop_table('product_photos')
    with op.batch_alter_table('product_keywords', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_keywords_product_id'))

    op.drop_table('product_keywords')
    with op.batch_alter_table('product_ip_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_ip_registrations_product_id'))

    op.drop_table('product_ip_registrations')
    with op.batch_alter_table('product_awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_awards_product_id'))

    op.drop_table('product_awards')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_producer_id'))
        batch_op.drop_index('ix_products_area')

    op.drop_table('products')
