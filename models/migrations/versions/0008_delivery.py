"""outbox: in_doubt and priority (exactly-once replies, held reminders); rate_slots (pacing
shared by every sender process on PostgreSQL)

Revision ID: 0008_delivery
Revises: 0004_outbox_user
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_delivery"
down_revision = "0004_outbox_user"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("in_doubt", sa.Boolean(), nullable=False, server_default=sa.text("false")))
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default=sa.text("0")))
    # Held rows are looked up per user when the user writes (a held notice rides along with
    # the reply) and by priority when the budget allows releasing them.
    op.create_index("ix_outbox_held", "outbox", ["status", "priority"], unique=False,
                    postgresql_where=sa.text("status = 'held'"), sqlite_where=sa.text("status = 'held'"))
    op.create_table("rate_slots",
                    sa.Column("name", sa.String(length=80), nullable=False),
                    sa.Column("tat", sa.Float(), nullable=False),
                    sa.PrimaryKeyConstraint("name", name=op.f("pk_rate_slots")))


def downgrade() -> None:
    op.drop_table("rate_slots")
    op.drop_index("ix_outbox_held", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("priority")
        batch.drop_column("in_doubt")
