"""Typed (not tapped) officer requests that used to reach their handlers only through buttons:
correcting a producer's national ID (officer.set_national_id) and the producers' edits waiting
for confirmation (officer.pending_changes). Through the webhook and the real NLU, as a district
officer of Mueang Chiang Mai types them; replies, stored values and audit rows are checked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.demo import make_producer, national_id
from bot.testing import texts
from models import ConversationState, PendingChange, PendingChangeStatus, Producer, ProducerType, Product, unit_of_work
from tests.handlers.officer.helpers import (two_proposals, CENTRAL, DIST, OTHER, PRODUCER, PROV, buttons, link_producer, notices_to,
                                            officers)
from tests.registry import factories as f

NID = "1234567890121"  # 1-2345-67890-12-1: valid check digit
OTHER_NID = national_id("310010000077")
WRONG_NID = OTHER_NID[:12] + str((int(OTHER_NID[12]) + 1) % 10)


@pytest.fixture
def records(db):
    officers(db)
    with unit_of_work(db) as s:
        weave = make_producer(s, "P0001234", "กลุ่มทอผ้าไหมบ้านสันกำแพง", "5001", phone="0812345601")
        chili = make_producer(s, "12345", "วิสาหกิจชุมชนน้ำพริกแม่ศรี", "5001", phone="0812345602",
                              national_id_digits=OTHER_NID)
        chili.national_id_valid = True
        far = make_producer(s, "OTOP-50-0201", "กลุ่มทอผ้าจอมทอง", "5002", phone="0812345603")
        product = Product(code="PR-0101", producer_id=chili.id, province_code="50", district_code="5001",
                          name="น้ำพริกหนุ่มแม่ศรี")
        s.add(product)
        s.flush()
        return {"weave": weave.id, "chili": chili.id, "far": far.id, "product": product.id}


def nid_of(db, producer_id: int) -> tuple[str | None, bool | None]:
    with db() as s:
        p = s.get(Producer, producer_id)
        return p.national_id, p.national_id_valid


def audit(db, producer_id: int) -> list[tuple]:
    with db() as s:
        return f.audit_of(s, "producer", producer_id)


def flow_of(db, user_id: str) -> str | None:
    with db() as s:
        state = s.get(ConversationState, user_id)
        return state.flow if state else None


# ---------------------------------------------------------------- officer.set_national_id


def test_code_and_new_number_in_one_message(line_client, db, records):
    got = texts(line_client.say(DIST, "ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น 1-2345-67890-12-1"))
    assert "ยืนยันแก้เลขประจำตัวประชาชนของ กลุ่มทอผ้าไหมบ้านสันกำแพง" in got
    assert "จาก: ยังไม่ระบุ" in got and "เป็น: 1-2345-xxxxx-xx-1" in got and NID not in got  # masked
    got = texts(line_client.say(DIST, "ยืนยันค่ะ"))
    assert "บันทึกแล้วค่ะ เลขประจำตัวประชาชนของ กลุ่มทอผ้าไหมบ้านสันกำแพง" in got
    assert nid_of(db, records["weave"]) == (NID, True)
    assert audit(db, records["weave"]) == [("national_id", None, NID, DIST)]


def test_numeric_producer_code_then_the_number_is_asked_and_checked(line_client, db, records):
    got = texts(line_client.say(DIST, "แก้เลขบัตรประชาชนของผู้ผลิต 12345"))
    assert "เลขประจำตัวประชาชน 13 หลักของเจ้าของคืออะไรคะ" in got
    got = texts(line_client.say(DIST, WRONG_NID))
    assert "ไม่ถูกต้อง" in got and "ยังไม่ได้แก้ไขข้อมูลใด ๆ" in got
    assert nid_of(db, records["chili"]) == (OTHER_NID, True)
    got = texts(line_client.say(DIST, "1 2345 67890 12 1"))
    assert "ยืนยันแก้เลขประจำตัวประชาชนของ วิสาหกิจชุมชนน้ำพริกแม่ศรี" in got and "จาก: 3-1001-xxxxx-xx-" in got
    line_client.say(DIST, "ยืนยัน")
    assert nid_of(db, records["chili"]) == (NID, True)
    assert audit(db, records["chili"]) == [("national_id", OTHER_NID, NID, DIST)]


def test_no_producer_named_asks_which_one_politely(line_client, db, records):
    got = texts(line_client.say(DIST, "ขอแก้เลขบัตรประชาชนหน่อยค่ะ"))
    assert got == "ต้องการแก้เลขประจำตัวประชาชนของผู้ประกอบการรายใดคะ พิมพ์ชื่อหรือรหัสได้เลยค่ะ"
    got = texts(line_client.say(DIST, "ทอผ้าไหมบ้านสันกำแพง"))
    assert "เลขประจำตัวประชาชน 13 หลัก" in got
    got = texts(line_client.say(DIST, NID))
    assert "ยืนยันแก้เลขประจำตัวประชาชนของ กลุ่มทอผ้าไหมบ้านสันกำแพง" in got
    got = texts(line_client.say(DIST, "ยกเลิก"))
    assert "ยกเลิก" in got
    assert nid_of(db, records["weave"]) == (None, None) and audit(db, records["weave"]) == []


def test_a_typed_number_is_a_code_never_a_database_id(line_client, db, records):
    """Answering "which producer?" with a producer's database id finds nothing: officers never
    see those ids, and picking a record by one would edit someone the officer did not mean."""
    line_client.say(DIST, "แก้เลขบัตรประชาชน")
    got = texts(line_client.say(DIST, f"{records['weave']:03d}"))
    assert f"ไม่พบ \"{records['weave']:03d}\" ในพื้นที่ของท่านค่ะ" in got and "รายใด" in got
    got = texts(line_client.say(DIST, "12345"))  # the registry code of น้ำพริกแม่ศรี
    assert "เลขประจำตัวประชาชน 13 หลัก" in got
    line_client.say(DIST, NID)
    line_client.say(DIST, "ยืนยัน")
    assert nid_of(db, records["chili"]) == (NID, True) and nid_of(db, records["weave"]) == (None, None)


def test_unknown_producer_keeps_the_number_and_asks_again(line_client, db, records):
    got = texts(line_client.say(DIST, f"แก้เลขบัตร P0009999 เป็น {NID}"))
    assert "ไม่พบ \"P0009999\" ในพื้นที่ของท่านค่ะ" in got and "รายใด" in got
    got = texts(line_client.say(DIST, "P0001234"))
    assert "ยืนยันแก้เลขประจำตัวประชาชนของ กลุ่มทอผ้าไหมบ้านสันกำแพง" in got  # the number was kept
    line_client.say(DIST, "ยืนยัน")
    assert nid_of(db, records["weave"]) == (NID, True)


def test_another_districts_producer_is_out_of_reach(line_client, db, records):
    got = texts(line_client.say(DIST, f"เลขบัตรของ OTOP-50-0201 ผิดค่ะ ขอแก้เป็น {NID}"))
    assert "ไม่พบ \"OTOP-50-0201\" ในพื้นที่ของท่านค่ะ" in got
    line_client.say(DIST, "ยกเลิก")
    assert nid_of(db, records["far"]) == (None, None)
    got = texts(line_client.say(OTHER, f"เลขบัตรของ OTOP-50-0201 ผิดค่ะ ขอแก้เป็น {NID}"))
    assert "ยืนยันแก้เลขประจำตัวประชาชนของ กลุ่มทอผ้าจอมทอง" in got


def test_a_producer_typing_about_their_own_id_never_gets_the_officer_edit(line_client, db, records):
    link_producer(db, records["chili"])
    for text in ("แก้เลขบัตรประชาชนของฉัน", "ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น 1-2345-67890-12-1"):
        got = texts(line_client.say(PRODUCER, text))
        assert "รายใด" not in got and "สำหรับเจ้าหน้าที่" not in got and "ยืนยันแก้" not in got
        assert flow_of(db, PRODUCER) != "officer.set_national_id"
    assert nid_of(db, records["weave"]) == (None, None) and nid_of(db, records["chili"]) == (OTHER_NID, True)


# ---------------------------------------------------------------- officer.pending_changes


@pytest.fixture
def proposals(db, records):
    return two_proposals(db, records["chili"], records["product"])


def _confirm_button(messages, change_id: int) -> str:
    return next(b["data"] for b in buttons(messages)
                if b["label"] == "ยืนยัน" and f"change_id={change_id}&" in b["data"])


def test_typed_list_of_pending_changes_then_confirm_and_reject(line_client, db, records, proposals):
    c1, c2 = proposals
    got = line_client.say(DIST, "มีคำขอแก้ไขข้อมูลรอตรวจไหม")
    assert "คำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน 2 รายการ" in texts(got)
    assert "จาก: ว่าง" in texts(got) and "เป็น: SMEs" in texts(got) and "เป็น: B" in texts(got)
    assert "ยืนยันแล้ว" in texts(line_client.tap(DIST, _confirm_button(got, c1)))

    got = line_client.say(DIST, "รายการรอยืนยันการแก้ไข")
    assert "รอยืนยัน 1 รายการ" in texts(got) and f"#{c2} Quadrant" in texts(got)
    reject = next(b["data"] for b in buttons(got) if b["label"] == "ไม่ยืนยัน")
    assert "เหตุผล" in texts(line_client.tap(DIST, reject))
    line_client.say(DIST, "ยังไม่ผ่านการประเมินรอบนี้")
    line_client.say(DIST, "ยืนยัน")

    assert texts(line_client.say(DIST, "ดูการเปลี่ยนแปลงที่รออนุมัติ")) == "ไม่มีคำขอแก้ไขข้อมูลจากผู้ผลิตที่รอยืนยันค่ะ"
    with db() as s:
        assert s.get(Producer, records["chili"]).producer_type is ProducerType.SME
        assert s.get(Product, records["product"]).quadrant is None
        statuses = {c.id: c.status for c in s.scalars(select(PendingChange))}
    assert statuses == {c1: PendingChangeStatus.CONFIRMED, c2: PendingChangeStatus.REJECTED}
    assert audit(db, records["chili"]) == [("producer_type", None, "sme", DIST)]
    assert notices_to(db, PRODUCER) == ["notice:change_confirmed", "notice:change_rejected"]


def test_pending_changes_and_committee_requests_stay_apart(line_client, db, records, proposals):
    changes = texts(line_client.say(DIST, "ดูการเปลี่ยนแปลงที่รออนุมัติ"))
    assert "คำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน 2 รายการ" in changes
    requests = texts(line_client.say(DIST, "คำขอรออนุมัติ"))
    assert "ตอนนี้ไม่มีคำขอที่รอท่านดำเนินการค่ะ" in requests  # no closure / relocation requests
    assert "มีคำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน 2 รายการค่ะ" in requests  # the changes only pointed to
    assert "เป็น: SMEs" not in requests


def test_who_sees_which_changes(line_client, db, records, proposals):
    assert "รอยืนยัน 2 รายการ" in texts(line_client.say(PROV, "ผู้ผลิตขอแก้ข้อมูลอะไรบ้าง"))
    assert texts(line_client.say(OTHER, "มีคำขอแก้ไขข้อมูลรอตรวจไหม")) == "ไม่มีคำขอแก้ไขข้อมูลจากผู้ผลิตที่รอยืนยันค่ะ"
    assert texts(line_client.say(CENTRAL, "รายการรอยืนยันการแก้ไข")) == \
        "การยืนยันการแก้ไขข้อมูลเป็นของเจ้าหน้าที่อำเภอและจังหวัดค่ะ"
    got = texts(line_client.say(PRODUCER, "มีคำขอแก้ไขข้อมูลรอตรวจไหม"))  # a producer's own: not refused
    assert "สำหรับเจ้าหน้าที่" not in got and "รอยืนยัน 2 รายการ" not in got


def test_a_clear_new_command_is_answered_and_the_form_kept(line_client, db, records):
    """An officer who left "which producer?" unanswered and later types another command gets
    that command answered, not "not found" again and again; the form is kept with "ทำต่อ"
    (issue 14). A name that is simply not found is still asked again, and nothing is saved."""
    line_client.say(DIST, "แก้เลขบัตรประชาชน")
    got = texts(line_client.say(DIST, "กลุ่มที่ไม่มีจริง"))
    assert "ไม่พบ \"กลุ่มที่ไม่มีจริง\"" in got and "รายใด" in got
    assert flow_of(db, DIST) == "officer.set_national_id"
    got = texts(line_client.say(DIST, "ค้นหา ทอผ้า"))
    assert "กลุ่มทอผ้าไหมบ้านสันกำแพง" in got and "ไม่พบ \"ค้นหา ทอผ้า\"" not in got
    assert "กลุ่มทอผ้าจอมทอง" not in got  # another district: search stays in the officer's area
    assert "ทำต่อ" in got and flow_of(db, DIST) == "officer.set_national_id"
    assert "รายใด" in texts(line_client.tap(DIST, "i=flow.resume"))
    assert nid_of(db, records["weave"]) == (None, None) and audit(db, records["weave"]) == []


def test_at_the_confirmation_a_new_command_is_answered_and_saves_nothing(line_client, db, records):
    line_client.say(DIST, f"ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น {NID}")
    got = texts(line_client.say(DIST, "คำขอรออนุมัติ"))
    assert "ตอนนี้ไม่มีคำขอที่รอท่านดำเนินการค่ะ" in got and "ทำต่อ" in got
    assert flow_of(db, DIST) == "officer.set_national_id"
    assert nid_of(db, records["weave"]) == (None, None) and audit(db, records["weave"]) == []
