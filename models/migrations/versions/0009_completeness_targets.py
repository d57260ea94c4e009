"""completeness targets per district (issue 16: targets and trends)

Revision ID: 0009_targets
Revises: 0004_outbox_user
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0009_targets"
down_revision = "0008_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "completeness_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=4), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_completeness_targets")),
    )
    op.create_index("ix_completeness_targets_district", "completeness_targets", ["district_code", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_completeness_targets_district", table_name="completeness_targets")
    op.drop_table("completeness_targets")
