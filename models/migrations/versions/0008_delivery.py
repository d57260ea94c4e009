"""outbox: in_doubt and priority (exactly-once replies, held reminders); rate_slots (pacing
shared by every sender process on PostgreSQL)

Revision ID: 0008_delivery
Revises: 0004_outbox_user
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_delivery"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy on SQLite): a rebuilt table would list its indexes in
    # another order, and SQLite's planner then took ix_outbox_user_id_id for the ordering probe.
    op.add_column("outbox", sa.Column("in_doubt", sa.Boolean(), nullable=False, server_default=sa.text("false")))
    op.add_column("outbox", sa.Column("priority", sa.Integer(), nullable=False, server_default=sa.text("0")))
    # Held rows are looked up per user when the user writes: a held notice rides along with
    # the reply (the reply path asks "any held row for this user?" on every message).
    op.create_index("ix_outbox_held_user", "outbox", ["user_id"], unique=False,
                    postgresql_where=sa.text("status = 'held'"), sqlite_where=sa.text("status = 'held'"))
    op.create_table("rate_slots",
                    sa.Column("name", sa.String(length=80), nullable=False),
                    sa.Column("tat", sa.Float(), nullable=False),
                    sa.PrimaryKeyConstraint("name", name=op.f("pk_rate_slots")))


def downgrade() -> None:
    op.drop_table("rate_slots")
    op.drop_index("ix_outbox_held_user", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("priority")
        batch.drop_column("in_doubt")
