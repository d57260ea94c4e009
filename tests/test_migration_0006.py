"""Migration 0006 converts a registry written before encryption: personal fields sealed and
hashed, audit values sealed, stored payloads redacted; the models read them back."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import select, text

from bot.db import alembic_config
from models import AuditEntry, InboundEvent, Producer, make_engine, make_session_factory
from models.pii import blind_national_id

NID = "1101700207030"


def test_existing_rows_are_encrypted_hashed_and_redacted(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0004_outbox_user")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO provinces (code, name_th, name_en) VALUES ('10', 'กรุงเทพมหานคร', 'Bangkok')"))
        conn.execute(text("INSERT INTO districts (code, province_code, name_th, name_en) VALUES ('1001', '10', 'พระนคร', 'Phra Nakhon')"))
        for i in range(1, 2503):  # more than one batch
            conn.execute(text(
                "INSERT INTO producers (id, code, national_id, national_id_valid, birth_date, owner_phone, province_code, "
                "district_code, status, created_at, updated_at) VALUES (:id, :code, :nid, 1, '1970-01-02', '0812345678', "
                "'10', '1001', 'active', '2024-01-01', '2024-01-01')"),
                {"id": i, "code": f"P{i}", "nid": NID if i == 1 else None})
        conn.execute(text("INSERT INTO audit_log (at, actor, channel, entity, entity_id, field, old_value, new_value) "
                          "VALUES ('2024-01-01', 'x', 'chat', 'producer', 1, 'national_id', NULL, :nid)"), {"nid": NID})
        conn.execute(text("INSERT INTO inbound_events (event_id, user_id, payload, status, received_at) VALUES "
                          "('e1', 'U1', :p, 'done', '2024-01-01')"),
                     {"p": json.dumps({"type": "message", "message": {"type": "text", "text": f"เลข {NID} โทร 081-234-5678"}})})
    engine.dispose()
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT national_id, birth_date, owner_phone, national_id_hash FROM producers WHERE id = 1")).one()
        assert NID not in str(tuple(raw)) and "1970" not in str(raw[1]) and raw[3] == blind_national_id(NID)
        assert NID not in conn.execute(text("SELECT new_value FROM audit_log")).scalar()
        assert NID not in conn.execute(text("SELECT payload FROM inbound_events")).scalar()
    with make_session_factory(engine)() as s:
        p = s.get(Producer, 1)
        assert (p.national_id, str(p.birth_date), p.owner_phone) == (NID, "1970-01-02", "0812345678")
        assert s.get(Producer, 2502).birth_date is not None
        assert s.scalar(select(AuditEntry.new_value)) == NID
        text_ = json.loads(s.scalar(select(InboundEvent.payload)))["message"]["text"]
        assert text_ == "เลข [เลขบัตร] โทร [เบอร์โทร]"
    engine.dispose()
