"""One person, one national ID: an officer typing an ID that another active record holds is
warned with that record's code (the ID masked) and must confirm; the pair is then counted
and listed as a completeness issue of its own. Through the webhook, the real NLU and SDK."""

from __future__ import annotations

from bot.testing import texts
from models import unit_of_work
from registry import completeness
from tests.handlers.officer.helpers import DIST
from tests.handlers.officer.test_typed_nid_and_changes import NID, OTHER_NID, nid_of, records  # noqa: F401


def dup_count(db, area: str = "5001") -> int:
    with unit_of_work(db) as s:
        return completeness.area_counts(s, area).field("producers.national_id_duplicate").invalid


def test_an_id_held_by_another_record_is_warned_confirmed_and_counted(line_client, db, records):  # noqa: F811
    assert dup_count(db) == 0
    got = texts(line_client.say(DIST, f"ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น {OTHER_NID}"))
    assert "มีผู้ประกอบการที่ยังดำเนินการอยู่ใช้แล้ว: 12345" in got  # the other record's code
    assert OTHER_NID not in got and f"{OTHER_NID[0]}-{OTHER_NID[1:5]}-xxxxx-xx-{OTHER_NID[12]}" in got
    assert "ใช่ไหมคะ" in got and nid_of(db, records["weave"]) == (None, None)  # nothing saved yet
    line_client.say(DIST, "ยืนยัน")
    assert nid_of(db, records["weave"]) == (OTHER_NID, True)
    assert dup_count(db) == 2  # both holders
    with unit_of_work(db) as s:
        page = completeness.records_missing(s, "producers.national_id_duplicate", "5001")
        assert {r.code for r in page.items} == {"P0001234", "12345"}


def test_a_unique_id_has_no_warning(line_client, db, records):  # noqa: F811
    got = texts(line_client.say(DIST, f"ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น {NID}"))
    assert "ใช้แล้ว" not in got and "ใช่ไหมคะ" in got
    line_client.say(DIST, "ยืนยัน")
    assert dup_count(db) == 0
