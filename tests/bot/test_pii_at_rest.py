"""PDPA: no national ID in plain text anywhere in the database after a demo-data load and a
chat session (through the webhook, the real SDK and the fake LINE API) that typed national
IDs and phone numbers; stored payloads redacted, cut, refused when too large, purged; keys
rotated; the app refuses to start without keys."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from bot.config import ConfigError, Settings
from bot.demo import make_producer, national_id
from bot.remind import purge_events
from bot.testing import texts
from models import InboundEvent, Producer, unit_of_work, utcnow
from models import pii
from registry.demo import generate
from tests.handlers.officer.helpers import DIST, officers
from bench.pii_scan import plain_ids

NEW_USER = "U" + "e" * 31 + "9"
TYPED_BY_OFFICER = national_id("110170020345")
TYPED_BY_NEW_USER = national_id("310010000077")


def plain_ids_in_database(db, wanted: set[str]) -> list[tuple[str, str]]:
    """(table, 13-digit run) for every run in any stored text that is one of `wanted`
    (raw SQL: what is on disk, not what the models decrypt); the scan of bench/pii_scan.py,
    which runs it on a national database."""
    return plain_ids(db, wanted)


def test_no_national_id_in_plain_text_after_demo_data_and_chat(db, line_client):
    generate(db, scale="small", seed=3, as_of=date(2024, 1, 26))
    officers(db)
    with unit_of_work(db) as s:
        make_producer(s, "P0001234", "กลุ่มทอผ้าไหมบ้านสันกำแพง", "5001", phone="0812345601")
        make_producer(s, "P0001235", "กลุ่มน้ำพริก", "5001", phone="0812345602", national_id_digits=TYPED_BY_NEW_USER)
    with db() as s:  # decrypted through the models
        ids = {n for n in s.scalars(select(Producer.national_id)) if n and len(n) == 13}
    assert len(ids) > 1000
    got = texts(line_client.say(DIST, f"ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น {TYPED_BY_OFFICER}"))
    assert "ใช่ไหมคะ" in got
    line_client.say(DIST, "ยืนยัน")
    # An unlinked user types an ID (with dashes, then in Thai digits) and stops half-way.
    line_client.say(NEW_USER, "ผูกบัญชี")
    dashed = f"{TYPED_BY_NEW_USER[0]}-{TYPED_BY_NEW_USER[1:5]}-{TYPED_BY_NEW_USER[5:10]}-{TYPED_BY_NEW_USER[10:12]}-{TYPED_BY_NEW_USER[12]}"
    line_client.say(NEW_USER, dashed)
    line_client.say(NEW_USER, "เลขบัตรผม " + TYPED_BY_NEW_USER.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")))
    with db() as s:
        assert s.get(Producer, s.scalar(select(Producer.id).where(Producer.code == "P0001234"))).national_id == TYPED_BY_OFFICER
        payloads = [json.loads(p) for p in s.scalars(select(InboundEvent.payload))]
    assert any("[เลขบัตร]" in (p.get("message") or {}).get("text", "") for p in payloads)
    assert plain_ids_in_database(db, ids | {TYPED_BY_OFFICER, TYPED_BY_NEW_USER}) == []


def test_a_long_message_is_stored_cut_and_a_huge_body_refused(db, line_client, app):
    line_client.say(NEW_USER, "ก" * 6000 + " 0812345678")
    with db() as s:
        [payload] = s.scalars(select(InboundEvent.payload))
    assert len(json.loads(payload)["message"]["text"]) == 5000
    response = app.test_client().post("/callback", data=b"x" * (1024 * 1024 + 1),
                                      headers={"X-Line-Signature": "x", "Content-Type": "application/json"})
    assert response.status_code == 413


def test_stored_events_are_purged_after_the_retention(db, line_client):
    line_client.say(NEW_USER, "สวัสดี")
    line_client.say(NEW_USER, "ช่วยด้วย")
    with unit_of_work(db) as s:
        first = s.scalars(select(InboundEvent).order_by(InboundEvent.received_at)).first()
        first.received_at = utcnow() - timedelta(days=15)
    assert "deleted 1 " in purge_events(db, utcnow())
    with db() as s:
        assert len(s.scalars(select(InboundEvent)).all()) == 1


def test_rotation_re_encrypts_under_the_new_key_and_old_values_still_read(db):
    from registry.keys import rotate

    old = pii.current()
    with unit_of_work(db) as s:
        make_producer(s, "P1", "ก", "5001", national_id_digits=TYPED_BY_OFFICER)
    new_key = bytes(range(32))
    try:
        pii.configure(pii.Keyring([new_key, *old.keys], old.hash_key))
        report = rotate(db, batch=1)
        assert report.values_resealed["producers"] == 1 and report.hashes_changed == 0
        with db() as s:
            token = s.scalar(text("SELECT national_id FROM producers"))
        assert pii.current().kid_of(token) == pii.current().current_kid
        pii.configure(pii.Keyring([new_key], old.hash_key))  # the old key removed
        with db() as s:
            assert s.scalar(select(Producer.national_id)) == TYPED_BY_OFFICER
    finally:
        pii.configure(old)


def test_the_app_refuses_to_start_without_keys(database_url):
    settings = Settings.from_env({"DATABASE_URL": database_url, "LINE_CHANNEL_SECRET": "s",
                                  "LINE_CHANNEL_ACCESS_TOKEN": "t"})
    with pytest.raises(ConfigError, match="PII_KEYS"):
        settings.require_pii()
    assert settings.with_(pii_dev_keys=True).require_pii().dev


def test_audit_values_are_sealed_for_personal_fields_only_and_older_sealed_rows_still_read(db):
    """The audit log seals a changed national ID or birth date, not a record's code or name
    (sealing every value doubled a national import's cost); rows from when every value was
    sealed read as before, and key rotation leaves the clear values alone."""
    from models import AuditEntry
    from registry import audit
    from registry.keys import rotate

    with unit_of_work(db) as s:
        p = make_producer(s, "P1", "ก", "5001")
        audit.set_field(s, p, "national_id", TYPED_BY_OFFICER, actor="t", channel="cli")
        audit.set_field(s, p, "name", "กลุ่มใหม่", actor="t", channel="cli")
        s.add(AuditEntry(actor="t", channel="cli", entity="producer", entity_id=p.id, field="old_row",
                         new_value="sealed as before"))  # a plain str: sealed, as every value used to be
    with db() as s:
        stored = dict(s.execute(text("SELECT field, new_value FROM audit_log")).all())
        assert stored["name"] == "=กลุ่มใหม่" and TYPED_BY_OFFICER not in stored["national_id"]
        assert not stored["old_row"].startswith("=") and "sealed" not in stored["old_row"]
        assert dict(s.execute(select(AuditEntry.field, AuditEntry.new_value)).all()) == {
            "national_id": TYPED_BY_OFFICER, "name": "กลุ่มใหม่", "old_row": "sealed as before"}
    old = pii.current()
    try:
        pii.configure(pii.Keyring([bytes(range(32)), *old.keys], old.hash_key))
        assert rotate(db).values_resealed["audit_log"] == 2  # the two sealed values, not the clear one
        with db() as s:
            assert s.scalar(select(AuditEntry.new_value).where(AuditEntry.field == "name")) == "กลุ่มใหม่"
    finally:
        pii.configure(old)
