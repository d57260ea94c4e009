"""outbox: index (user_id, id) for the sender's per-user ordering check

Revision ID: 0004_outbox_user
Revises: 0002_registry
"""
from alembic import op

revision = "0004_outbox_user"
down_revision = "0002_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_user_id")
        batch.create_index("ix_outbox_user_id_id", ["user_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_user_id_id")
        batch.create_index("ix_outbox_user_id", ["user_id"], unique=False)
