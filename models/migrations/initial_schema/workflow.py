"""Migration 0001: Producers' pending changes, requests, their steps and the status changes they made."""

from alembic import op
import sqlalchemy as sa
import models.base  # noqa: F401  (the types the tables use)


def create() -> None:
    op.create_table('pending_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('requested_by', sa.String(length=100), nullable=False),
    sa.Column('requested_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'rejected', name='pendingchangestatus', native_enum=False, length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_pending_changes_district_code_districts')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_pending_changes_producer_id_producers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_changes'))
    )
    with op.batch_alter_table('pending_changes', schema=None) as batch_op:
        batch_op.create_index('ix_pending_area_status', ['district_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_changes_producer_id'), ['producer_id'], unique=False)

    op.create_table('requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('closure_present', 'closure_absent', 'relocation', name='requestkind', native_enum=False, length=20), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('target_province_code', sa.String(length=2), nullable=True),
    sa.Column('target_district_code', sa.String(length=4), nullable=True),
    sa.Column('target_subdistrict_code', sa.String(length=6), nullable=True),
    sa.Column('new_producer_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'rejected', 'cancelled', name='requeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('step_since', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_code'], ['districts.code'], name=op.f('fk_requests_district_code_districts')),
    sa.ForeignKeyConstraint(['new_producer_id'], ['producers.id'], name=op.f('fk_requests_new_producer_id_producers')),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_requests_producer_id_producers')),
    sa.ForeignKeyConstraint(['province_code'], ['provinces.code'], name=op.f('fk_requests_province_code_provinces')),
    sa.ForeignKeyConstraint(['target_district_code'], ['districts.code'], name=op.f('fk_requests_target_district_code_districts')),
    sa.ForeignKeyConstraint(['target_province_code'], ['provinces.code'], name=op.f('fk_requests_target_province_code_provinces')),
    sa.ForeignKeyConstraint(['target_subdistrict_code'], ['subdistricts.code'], name=op.f('fk_requests_target_subdistrict_code_subdistricts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_area_status', ['province_code', 'district_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_producer_id'), ['producer_id'], unique=False)

    op.create_table('producer_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('old_status', sa.Enum('active', 'closed', 'moved', name='registrationstatus', native_enum=False, length=20), nullable=True),
    sa.Column('new_status', sa.Enum('active', 'closed', 'moved', name='registrationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], name=op.f('fk_producer_status_changes_producer_id_producers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_producer_status_changes_request_id_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_producer_status_changes'))
    )
    with op.batch_alter_table('producer_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_status_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_producer_status_changes_producer_id'), ['producer_id'], unique=False)

    op.create_table('request_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('from_step', sa.String(length=40), nullable=True),
    sa.Column('to_step', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_steps_request_id_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_steps'))
    )
    with op.batch_alter_table('request_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_steps_request_id'), ['request_id'], unique=False)


def drop() -> None:
    with op.batch_alter_table('request_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_steps_request_id'))

    op.drop_table('request_steps')
    with op.batch_alter_table('producer_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_status_changes_producer_id'))
        batch_op.drop_index(batch_op.f('ix_producer_status_changes_at'))

    op.drop_table('producer_status_changes')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_producer_id'))
        batch_op.drop_index('ix_requests_area_status')

    op.drop_table('requests')
    with op.batch_alter_table('pending_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_changes_producer_id'))
        batch_op.drop_index('ix_pending_area_status')

    op.drop_table('pending_changes')
