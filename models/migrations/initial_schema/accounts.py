"""Migration 0001: LINE accounts and invite codes."""

from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (the types the tables use)


def create() -> None:
    op.create_table('invite_codes',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('role', sa.Enum('producer', 'district', 'province', 'central', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.Column('district_code', sa.String(length=4), nullable=True),
    sa.Column('producer_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_invite_codes_district_code_districts')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_invite_codes_producer_id_producers')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_invite_codes_province_code_provinces')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_invite_codes'))
    )
    op.create_table('line_accounts',
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('role', sa.Enum('producer', 'district', 'province', 'central', name='role', native_enum=False, length=20), nullable=True),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.Column('district_code', sa.String(length=4), nullable=True),
    sa.Column('producer_id', sa.Integer(), nullable=True),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('reminders_opt_out', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('linked_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_line_accounts_district_code_districts')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_line_accounts_producer_id_producers')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_line_accounts_province_code_provinces')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_line_accounts'))
    )
    with op.batch_alter_table('line_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_accounts_producer_id'), ['producer_id'], unique=False)


def drop() -> None:
    with op.batch_alter_table('line_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_accounts_producer_id'))

    op.drop_table('line_accounts')
    op.drop_table('invite_codes')
