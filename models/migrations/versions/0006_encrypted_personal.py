"""personal fields encrypted at rest; national ID lookup hash; stored payloads redacted

Producers' national_id, birth_date, owner_phone and owner_address become encrypted text
(models.pii, keys from PII_KEYS / PII_HASH_KEY); national_id_hash (keyed hash) replaces the
index on the plain national ID. Existing rows are converted in batches of BATCH by primary
key (bounded memory at national scale, on SQLite and PostgreSQL); audit-log and pending-change
values of those fields are sealed too; stored webhook payloads have national IDs and phone
numbers redacted; conversation states in progress are dropped (they may hold a typed ID).

Revision ID: 0006
Revises: 0004_outbox_user
"""
import re

import sqlalchemy as sa
from alembic import op

from models import pii
from registry.ids import redact_payload

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 2000
SEALED = ("national_id", "birth_date", "owner_phone", "owner_address")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{40,}")


def _is_sealed(value: str, purpose: str) -> bool:
    """Already converted (a re-run after a partial one): leave it."""
    if not _TOKEN.fullmatch(value):
        return False
    try:
        pii.current().open(value, purpose)
    except (pii.PiiKeyError, ValueError):
        return False
    return True


def _seal(value, purpose: str):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    value = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return value if _is_sealed(value, purpose) else pii.current().seal(value, purpose)


def upgrade() -> None:
    with op.batch_alter_table("producers") as batch:
        batch.add_column(sa.Column("national_id_hash", sa.String(length=43), nullable=True))
        batch.drop_index("ix_producers_national_id")
        batch.alter_column("national_id", type_=sa.Text(), existing_type=sa.String(length=20))
        batch.alter_column("birth_date", type_=sa.Text(), existing_type=sa.Date(),
                           postgresql_using="birth_date::text")
        batch.alter_column("owner_phone", type_=sa.Text(), existing_type=sa.String(length=40))
        batch.create_index("ix_producers_national_id_hash", ["national_id_hash", "status"], unique=False)
    conn = op.get_bind()
    _convert_producers(conn)
    _seal_text_columns(conn, "audit_log")
    _seal_text_columns(conn, "pending_changes")
    _redact_payloads(conn)
    conn.execute(sa.text("DELETE FROM conversation_states"))  # minutes-long; their slots are sealed from now on
    with op.batch_alter_table("conversation_states") as batch:
        batch.alter_column("slots", type_=sa.Text(), existing_type=sa.JSON(), postgresql_using="slots::text")


def _convert_producers(conn) -> None:  # type: ignore[no-untyped-def]
    read = sa.text("SELECT id, national_id, birth_date, owner_phone, owner_address FROM producers "
                   "WHERE id > :last ORDER BY id LIMIT :n")
    write = sa.text("UPDATE producers SET national_id = :national_id, national_id_hash = :h, birth_date = :birth_date, "
                    "owner_phone = :owner_phone, owner_address = :owner_address WHERE id = :id")
    last = 0
    while rows := conn.execute(read, {"last": last, "n": BATCH}).all():
        last = rows[-1].id
        params = []
        for r in rows:
            p = {"id": r.id, **{c: _seal(getattr(r, c), f"producers.{c}") for c in SEALED}}
            plain = r.national_id if r.national_id is not None and not _is_sealed(r.national_id, "producers.national_id") \
                else (pii.current().open(r.national_id, "producers.national_id") if r.national_id else None)
            p["h"] = pii.blind_national_id(plain)
            params.append(p)
        conn.execute(write, params)


def _seal_text_columns(conn, table: str) -> None:  # type: ignore[no-untyped-def]
    """Every old / new value of the audit log or the pending changes (they may be personal)."""
    read = sa.text(f"SELECT id, old_value, new_value FROM {table} WHERE id > :last ORDER BY id LIMIT :n")
    write = sa.text(f"UPDATE {table} SET old_value = :old, new_value = :new WHERE id = :id")
    purpose = f"{table}.value"
    last = 0
    while rows := conn.execute(read, {"last": last, "n": BATCH}).all():
        last = rows[-1].id
        conn.execute(write, [{"id": r.id, "old": _seal(r.old_value, purpose), "new": _seal(r.new_value, purpose)}
                             for r in rows])


def _redact_payloads(conn) -> None:  # type: ignore[no-untyped-def]
    read = sa.text("SELECT event_id, payload FROM inbound_events WHERE event_id > :last ORDER BY event_id LIMIT :n")
    write = sa.text("UPDATE inbound_events SET payload = :payload WHERE event_id = :id")
    last = ""
    while rows := conn.execute(read, {"last": last, "n": BATCH}).all():
        last = rows[-1].event_id
        changed = [{"id": r.event_id, "payload": new} for r in rows if (new := redact_payload(r.payload)) != r.payload]
        if changed:
            conn.execute(write, changed)


def downgrade() -> None:
    """Back to plain columns: every sealed value decrypted (the keys must still be set)."""
    conn = op.get_bind()
    read = sa.text("SELECT id, national_id, birth_date, owner_phone, owner_address FROM producers "
                   "WHERE id > :last ORDER BY id LIMIT :n")
    write = sa.text("UPDATE producers SET national_id = :national_id, birth_date = :birth_date, "
                    "owner_phone = :owner_phone, owner_address = :owner_address WHERE id = :id")
    last = 0
    while rows := conn.execute(read, {"last": last, "n": BATCH}).all():
        last = rows[-1].id
        conn.execute(write, [{"id": r.id, **{c: (pii.current().open(getattr(r, c), f"producers.{c}")
                                                 if getattr(r, c) else None) for c in SEALED}} for r in rows])
    for table in ("audit_log", "pending_changes"):
        last = 0
        read = sa.text(f"SELECT id, old_value, new_value FROM {table} WHERE id > :last ORDER BY id LIMIT :n")
        while rows := conn.execute(read, {"last": last, "n": BATCH}).all():
            last = rows[-1].id
            open_ = lambda v: (v[1:] if pii.is_public_token(v)  # noqa: E731 - logged in the clear (pii.Public)
                               else pii.current().open(v, f"{table}.value") if v else v)
            conn.execute(sa.text(f"UPDATE {table} SET old_value = :old, new_value = :new WHERE id = :id"),
                         [{"id": r.id, "old": open_(r.old_value), "new": open_(r.new_value)} for r in rows])
    conn.execute(sa.text("DELETE FROM conversation_states"))
    with op.batch_alter_table("conversation_states") as batch:
        batch.alter_column("slots", type_=sa.JSON(), existing_type=sa.Text(), postgresql_using="slots::json")
    with op.batch_alter_table("producers") as batch:
        batch.drop_index("ix_producers_national_id_hash")
        batch.alter_column("owner_phone", type_=sa.String(length=40), existing_type=sa.Text())
        batch.alter_column("birth_date", type_=sa.Date(), existing_type=sa.Text(),
                           postgresql_using="birth_date::date")
        batch.alter_column("national_id", type_=sa.String(length=20), existing_type=sa.Text())
        batch.create_index("ix_producers_national_id", ["national_id"], unique=False)
        batch.drop_column("national_id_hash")
