"""outbox: indexes for the sender's per-user ordering check

Revision ID: 0004_outbox_user
Revises: 0003_registry_epoch
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_outbox_user"
down_revision = "0003_registry_epoch"
branch_labels = None
depends_on = None

OPEN = "status IN ('pending', 'sending')"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_user_id")
        batch.create_index("ix_outbox_user_id_id", ["user_id", "id"], unique=False)
    op.create_index("ix_outbox_open_user", "outbox", ["user_id", "id"], unique=False,
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index("ix_outbox_open_user", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_user_id_id")
        batch.create_index("ix_outbox_user_id", ["user_id"], unique=False)
