"""Migration 0001: OTOP ชวนชิม food shops and their awards, items and photos."""

from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (the types the tables use)


def create() -> None:
    op.create_table('chuanchim_shops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('owner_name', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('phone_valid', sa.Boolean(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('subdistrict_code', sa.String(length=6), nullable=True),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_chuanchim_shops_district_code_districts')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_chuanchim_shops_province_code_provinces')),
    sa.ForeignKeyConstraint(['subdistrict_code'], ['subdistricts.code'], name=op.f('fk_chuanchim_shops_subdistrict_code_subdistricts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chuanchim_shops')),
    sa.UniqueConstraint('code', name=op.f('uq_chuanchim_shops_code'))
    )
    with op.batch_alter_table('chuanchim_shops', schema=None) as batch_op:
        batch_op.create_index('ix_chuanchim_area', ['province_code', 'district_code', 'subdistrict_code'], unique=False)

    op.create_table('chuanchim_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['chuanchim_shops.id'], name=op.f('fk_chuanchim_awards_shop_id_chuanchim_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chuanchim_awards')),
    sa.UniqueConstraint('shop_id', 'name', name=op.f('uq_chuanchim_awards_shop_id'))
    )
    with op.batch_alter_table('chuanchim_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chuanchim_awards_shop_id'), ['shop_id'], unique=False)

    op.create_table('chuanchim_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['chuanchim_shops.id'], name=op.f('fk_chuanchim_items_shop_id_chuanchim_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chuanchim_items')),
    sa.UniqueConstraint('shop_id', 'name', name=op.f('uq_chuanchim_items_shop_id'))
    )
    with op.batch_alter_table('chuanchim_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chuanchim_items_shop_id'), ['shop_id'], unique=False)

    op.create_table('chuanchim_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('thumbnail', sa.String(length=500), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['chuanchim_shops.id'], name=op.f('fk_chuanchim_photos_shop_id_chuanchim_shops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chuanchim_photos')),
    sa.UniqueConstraint('shop_id', 'location', name=op.f('uq_chuanchim_photos_shop_id'))
    )
    with op.batch_alter_table('chuanchim_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chuanchim_photos_shop_id'), ['shop_id'], unique=False)


def drop() -> None:
    with op.batch_alter_table('chuanchim_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chuanchim_photos_shop_id'))

    op.drop_table('chuanchim_photos')
    with op.batch_alter_table('chuanchim_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chuanchim_items_shop_id'))

    op.drop_table('chuanchim_items')
    with op.batch_alter_table('chuanchim_awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chuanchim_awards_shop_id'))

    op.drop_table('chuanchim_awards')
    with op.batch_alter_table('chuanchim_shops', schema=None) as batch_op:
        batch_op.drop_index('ix_chuanchim_area')

    op.drop_table('chuanchim_shops')
