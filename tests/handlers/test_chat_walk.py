"""What a Thai producer met walking the local chat (session 7, `polish`), played through the
webhook (real SDK against the fake LINE API): a new request typed while a form asks for a
product is a new request, not a product name that was not found."""

from __future__ import annotations

from bot.testing import quick_replies, texts
from models import ConversationState, Producer, Request
from tests.handlers.producer_world import PRODUCER, World, world  # noqa: F401


def state(db):
    with db() as s:
        return s.get(ConversationState, PRODUCER)


def labels(messages) -> list[str]:
    return [q["label"] for q in quick_replies(messages)]


def file_closure(line_client) -> str:
    """The producer asks to close, in four messages; the last reply's text."""
    for line in ("ขอแจ้งเลิกกิจการค่ะ", "อายุมากแล้วค่ะ", "31/1/2570"):
        line_client.say(PRODUCER, line)
    return texts(line_client.say(PRODUCER, "ยืนยัน"))


def test_a_request_the_nlu_does_not_know_at_the_product_question_is_asked_about(line_client, db, world: World):
    assert "เป็นผลิตภัณฑ์ใด" in texts(line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานค่ะ"))
    got = line_client.say(PRODUCER, "ขอแก้วิธีเก็บรักษาค่ะ")
    assert "ไม่พบ" not in texts(got) and "เรื่องใหม่" in texts(got)
    offered = labels(got)
    assert offered[0] == "ทำต่อ" and "แก้ไขข้อมูล" in offered and "ยกเลิก" in offered
    kept = state(db)
    assert kept.flow == "product.standard" and kept.state == "product_id" and kept.retries == 0
    edit = next(q for q in quick_replies(got) if q["label"] == "แก้ไขข้อมูล")
    got = line_client.tap(PRODUCER, edit["data"])  # the edit menu; the standard form still kept
    assert "ทำต่อ" in labels(got) and state(db).flow == "product.standard"
    got = line_client.tap(PRODUCER, "i=flow.resume")
    assert "เป็นผลิตภัณฑ์ใด" in texts(got)


def test_a_request_the_nlu_knows_at_the_product_question_starts_it(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานค่ะ")
    got = texts(line_client.say(PRODUCER, "ขอแจ้งเลิกกิจการค่ะ"))
    assert "ไม่พบ" not in got and "เหตุผล" in got and "ยังเก็บไว้ให้" in got
    assert state(db).flow == "producer.request_closure"


def test_a_product_name_that_is_not_found_is_still_said(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานค่ะ")
    got = texts(line_client.say(PRODUCER, "น้ำพริกเผา"))
    assert "ไม่พบ \"น้ำพริกเผา\"" in got and "เรื่องใหม่" not in got
    assert state(db).retries == 1
    with db() as s:
        assert s.query(Request).count() == 0


def test_the_forms_own_request_at_the_product_question_is_not_a_new_request(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานค่ะ")
    got = texts(line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานค่ะ"))
    assert "เรื่องใหม่" not in got and "ไม่พบ" not in got and "เป็นผลิตภัณฑ์ใด" in got


def test_a_location_at_a_question_that_asks_no_place_is_said_so(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานค่ะ")
    got = texts(line_client.send_location(PRODUCER, 18.79, 98.95, "99 หมู่ 3 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200"))
    assert "ไม่พบ" not in got and "ไม่ได้ถามสถานที่" in got and "เป็นผลิตภัณฑ์ใด" in got
    assert state(db).state == "product_id"


def test_a_location_with_a_house_number_saves_the_address_without_asking_for_one(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่หน่อยค่ะ")
    got = texts(line_client.send_location(PRODUCER, 18.79, 98.95,
                                          "99 หมู่ 3 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200 ประเทศไทย", "บ้าน"))
    assert "ที่อยู่: 99 หมู่ 3\nตำบล: สุเทพ" in got and "ยังไม่มีบ้านเลขที่" not in got
    assert "บันทึกที่อยู่ใหม่แล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    with db() as s:
        p = s.get(Producer, world.producer_id)
        assert (p.address, p.subdistrict_code) == ("99 หมู่ 3", "500108")


def test_the_districts_notice_of_a_new_request_names_the_producer(line_client, db, world: World):
    from tests.handlers.producer_world import OFFICER_A

    before = len(line_client.fake.delivered_to(OFFICER_A))
    assert "เลขที่คำขอ" in file_closure(line_client)
    pushed = texts(line_client.fake.delivered_to(OFFICER_A)[before:])
    assert "มีคำขอใหม่" in pushed and "ผู้ประกอบการ: กลุ่มทอผ้าบ้านสันกำแพง (P-50-1)" in pushed


def test_a_change_of_mind_mid_form_gives_the_first_form_up(line_client, db, world: World):
    line_client.say(PRODUCER, "แก้เบอร์โทร")
    assert "เบอร์โทรศัพท์ไม่ถูกต้อง" in texts(line_client.say(PRODUCER, "เบอร์ 02-123"))
    got = texts(line_client.say(PRODUCER, "อ้อ ไม่ใช่ค่ะ ขอแก้ที่อยู่แทน"))
    assert "ไม่ทำแบบฟอร์มแก้เบอร์โทรศัพท์ต่อแล้ว" in got and "ยังเก็บไว้ให้" not in got and "บ้านเลขที่" in got
    assert state(db).flow == "producer.update_address" and "_parked" not in (state(db).slots or {})
    got = texts(line_client.say(PRODUCER, "ยกเลิก"))
    assert "เบอร์โทรศัพท์" not in got and state(db) is None  # the phone form does not come back
    with db() as s:
        assert s.get(Producer, world.producer_id).phone == "0812345678"


def test_without_a_change_of_mind_the_first_form_is_kept(line_client, db, world: World):
    line_client.say(PRODUCER, "แก้เบอร์โทร")
    got = texts(line_client.say(PRODUCER, "ขอแก้ที่อยู่ค่ะ"))
    assert "ยังเก็บไว้ให้" in got and "ไม่ทำแบบฟอร์ม" not in got
    assert "แก้เบอร์โทรศัพท์" in texts(line_client.say(PRODUCER, "ยกเลิก"))


def test_back_at_the_officers_confirmation_asks_the_meeting_date_again(line_client, db, world: World):
    from tests.handlers.producer_world import OFFICER_A

    file_closure(line_client)
    with db() as s:
        request_id = s.query(Request).one().id
    line_client.tap(OFFICER_A, f"i=request.act&request_id={request_id}&action=approve&step=district_subcommittee")
    assert "ยืนยันอนุมัติ" in texts(line_client.say(OFFICER_A, "เมื่อวาน"))
    got = texts(line_client.say(OFFICER_A, "ย้อนกลับ"))
    assert "คำถามข้อแรก" not in got and "มีมติเมื่อวันที่" in got
    assert "ยืนยันอนุมัติ" in texts(line_client.say(OFFICER_A, "วันนี้"))


def test_a_date_that_does_not_exist_is_said_so(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอแจ้งเลิกกิจการค่ะ")
    line_client.say(PRODUCER, "อายุมากแล้วค่ะ")
    got = texts(line_client.say(PRODUCER, "31/02/2570"))
    assert "เดือนกุมภาพันธ์ 2570 มีถึงวันที่ 28 เท่านั้นค่ะ" in got and "ต้องการให้มีผลตั้งแต่วันที่" in got
    got = texts(line_client.say(PRODUCER, "15/13/2569"))
    assert "ไม่มีเดือนที่ 13" in got
    assert "โปรดตรวจสอบ" in texts(line_client.say(PRODUCER, "28/2/2570"))
    with db() as s:
        assert s.query(Request).count() == 0


def test_no_expiry_in_words_skips_the_optional_expiry(line_client, db, world: World):
    got = texts(line_client.say(PRODUCER, "ขอเพิ่มมาตรฐาน มผช. 123/2566 ให้ผ้าไหมทอมือค่ะ"))
    assert "หมดอายุ" in got
    got = texts(line_client.say(PRODUCER, "ไม่มีวันหมดอายุค่ะ"))
    assert "ไม่ถูกต้อง" not in got and "ส่งมาตรฐานนี้ให้อำเภอตรวจสอบ" in got and "มผช." in got


def test_the_request_card_spells_out_the_committee_without_a_stutter(line_client, db, world: World):
    from tests.handlers.producer_world import OFFICER_A

    file_closure(line_client)
    card = texts(line_client.tap(OFFICER_A, "i=officer.pending_requests"))
    assert "คณะอนุกรรมการ คณะกรรมการ" not in card and "(นตผ.) อำเภอ" not in card
    assert ("รอคณะอนุกรรมการระดับอำเภอของคณะกรรมการอำนวยการขับเคลื่อนการดำเนินงานหนึ่งตำบล หนึ่งผลิตภัณฑ์ (นตผ.) "
            "พิจารณา") in card
    assert card.count("คณะกรรมการอำนวยการขับเคลื่อน") == 1
