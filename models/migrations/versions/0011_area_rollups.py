"""per-area counts held in the database (issue 18: read intents)

Revision ID: 0011_rollups
Revises: 0009_targets
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_rollups"
down_revision = "0009_targets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled as the registry is written and read (registry.rollup): an empty table only
    # means the first answers count the districts themselves, as before.
    op.create_table(
        "area_rollups",
        sa.Column("area_code", sa.String(length=4), nullable=False),
        sa.Column("whole_version", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("area_code", name=op.f("pk_area_rollups")),
    )


def downgrade() -> None:
    op.drop_table("area_rollups")
