"""access_log: who viewed or downloaded personal data (PDPA)

Revision ID: 0005
Revises: 0004_outbox_user
"""
import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0005"
down_revision = "0004_outbox_user"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("what", sa.String(length=60), nullable=False),
        sa.Column("record_ids", sa.Text(), nullable=True),
        sa.Column("area_code", sa.String(length=6), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"], unique=False)
    op.create_index("ix_access_log_area_at", "access_log", ["area_code", "at"], unique=False)
    op.create_index("ix_access_log_user_at", "access_log", ["user_id", "at"], unique=False)


def downgrade() -> None:
    op.drop_table("access_log")
