"""Issue 14, what was seen, played through the webhook (real SDK against the fake LINE API):
global words in any phrasing inside a form, side questions that keep the form, everything
said at once taken at once, clean values, LINE's date picker."""

from __future__ import annotations

import json

from bot.testing import quick_replies, texts
from models import ConversationState, Producer
from tests.handlers.producer_world import PRODUCER, World, audits, pending_changes, world  # noqa: F401


def state(db):
    with db() as s:
        return s.get(ConversationState, PRODUCER)


def producer(db, world: World) -> Producer:
    with db() as s:
        p = s.get(Producer, world.producer_id)
        s.expunge(p)
        return p


def test_cancel_and_help_in_natural_phrasing_at_the_phone_question(line_client, db, world: World):
    assert "เบอร์โทรศัพท์ใหม่" in texts(line_client.say(PRODUCER, "ขอเปลี่ยนเบอร์โทร"))
    got = texts(line_client.say(PRODUCER, "งงค่ะ ช่วยด้วย ต้องพิมพ์ยังไง"))
    assert "ไม่ถูกต้อง" not in got and "เบอร์โทรศัพท์ใหม่" in got and "ยกเลิก" in got
    assert state(db).retries == 0 and state(db).state == "phone"
    got = texts(line_client.say(PRODUCER, "ยกเลิกค่ะ ไม่แก้แล้ว"))
    assert "ไม่ถูกต้อง" not in got and "ยกเลิก" in got
    assert state(db) is None and producer(db, world).phone == "0812345678"
    assert audits(db, "producer", world.producer_id) == []


def test_address_request_is_not_an_answer_and_one_line_fills_both(line_client, db, world: World):
    got = texts(line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่หน่อยค่ะ"))
    assert "ไม่พบตำบล" not in got and "บ้านเลขที่" in got
    assert "ไม่พบตำบล" not in texts(line_client.say(PRODUCER, "งงค่ะ ต้องพิมพ์ยังไง"))
    got = texts(line_client.say(PRODUCER, "99 หมู่ 3 ต.สุเทพ ค่ะ"))
    assert "ที่อยู่: 99 หมู่ 3\nตำบล: สุเทพ" in got and "ตำบลใด" not in got  # read back, not saved yet
    assert producer(db, world).address != "99 หมู่ 3"
    assert "บันทึกที่อยู่ใหม่แล้ว" in texts(line_client.say(PRODUCER, "ยืนยันค่ะ"))
    p = producer(db, world)
    assert (p.address, p.subdistrict_code) == ("99 หมู่ 3", "500108")


def test_address_with_sub_district_in_the_first_message(line_client, db, world: World):
    got = texts(line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่เป็น 99 หมู่ 3 ต.สุเทพ"))
    # the first message filled the form: it is read back, and saved only on "ยืนยัน"
    assert "ขอทวนก่อนบันทึก" in got and "ที่อยู่: 99 หมู่ 3" in got and "ตำบล: สุเทพ" in got
    assert producer(db, world).address != "99 หมู่ 3" and audits(db, "producer", world.producer_id) == []
    assert "บันทึกที่อยู่ใหม่แล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert producer(db, world).address == "99 หมู่ 3"


def test_menu_words_typed_in_a_form_are_never_stored(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่หน่อยค่ะ")
    got = texts(line_client.say(PRODUCER, "เมนู"))
    assert "ทำต่อ" in got and state(db).state == "address"
    got = line_client.say(PRODUCER, "ข้อมูลของฉันค่ะ")  # a menu label typed by hand: a side question
    assert "ทำต่อ" in texts(got) and state(db).state == "address" and "address" not in state(db).slots
    got = texts(line_client.tap(PRODUCER, "i=flow.resume"))
    assert "บ้านเลขที่" in got
    line_client.say(PRODUCER, "99 หมู่ 4 ถนนห้วยแก้ว")
    got = texts(line_client.say(PRODUCER, "ยังขาดอะไรบ้างคะ"))  # a side question keeps the form
    assert "ทำต่อ" in got and "ที่อยู่: 99 หมู่ 4 ถนนห้วยแก้ว" in got
    assert "ตำบล: สุเทพ" in texts(line_client.say(PRODUCER, "สุเทพ"))
    assert "บันทึกที่อยู่ใหม่แล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))


def test_one_message_standard_with_product_number_and_expiry(line_client, db, world: World):
    got = line_client.say(PRODUCER, "เพิ่ม มผช. ให้ผ้าไหมทอมือ เลข 123/2566 หมดอายุ 31/12/2570 ค่ะ")
    text = texts(got)
    assert "ผ้าไหมทอมือ" in text and "123/2566" in text and "31/12/2570" in text
    assert [q["label"] for q in quick_replies(got)][0] == "ยืนยัน"  # only the confirmation is asked
    line_client.say(PRODUCER, "ยืนยันค่ะ")
    [change] = pending_changes(db)
    assert change.entity_id == world.silk_id
    assert json.loads(change.new_value) == {"scheme": "มผช.", "number": "123/2566", "issued_on": None,
                                            "expires_on": "2027-12-31"}


def test_standard_numbers_are_clean_and_checked_by_their_rule(line_client, db, world: World):
    line_client.tap(PRODUCER, f"i=product.standard&product_id={world.silk_id}")
    line_client.tap(PRODUCER, "i=flow.answer&v=มผช.")
    assert "12/2560" in texts(line_client.say(PRODUCER, "15/3/2567"))  # a date is not a มผช. number
    assert state(db).state == "number"
    got = line_client.say(PRODUCER, "มผช. 123/2566 ค่ะ")
    assert state(db).slots["number"] == "123/2566"
    actions = [q for q in quick_replies(got)]
    assert actions[0]["type"] == "datetimepicker" and actions[0]["mode"] == "date"  # the expiry: a picker
    picker = actions[0]["data"]
    got = line_client.tap(PRODUCER, picker, params={"date": "2027-12-31"})  # what LINE sends back
    assert "31/12/2570" in texts(got)


def test_typed_edit_requests_reach_their_edit(line_client, db, world: World):
    # what the NLU emits for "ขอแก้เลขบัตรประชาชนค่ะ" / "ขอแก้ไขวันเกิดค่ะ" / "อยากเปลี่ยนประเภทผู้ผลิตเป็นกลุ่มค่ะ"
    assert "เลขบัตรประชาชน 13 หลัก" in texts(line_client.tap(PRODUCER, "i=producer.edit_record&field=national_id"))
    assert state(db).flow == "producer.update_national_id"
    line_client.say(PRODUCER, "ยกเลิก")
    line_client.tap(PRODUCER, "i=producer.edit_record&field=birth_date")
    assert state(db).flow == "producer.update_birth_date"
    line_client.say(PRODUCER, "ยกเลิก")
    got = texts(line_client.tap(PRODUCER, "i=producer.edit_record&field=producer_type&producer_type=group"))
    assert "ลักษณะผู้ประกอบการ: กลุ่ม" in got and state(db).state == "confirm"  # the type was said: read back
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "กลุ่ม" in got and state(db) is None
    got = texts(line_client.say(PRODUCER, "แก้ไขข้อมูลค่ะ"))  # the menu's own label, typed
    assert "คำขอ" not in got or "แก้" in got
    assert state(db) is None


def test_national_id_with_a_particle_is_accepted(line_client, db, world: World):
    from bot.demo import national_id

    line_client.tap(PRODUCER, "i=producer.update_national_id")
    nid = national_id("310010000789")
    got = texts(line_client.say(PRODUCER, f"{nid} ค่ะ"))
    assert "ต้องมี 13 หลัก" not in got and state(db).state == "confirm"
    line_client.say(PRODUCER, "ยืนยัน")
    assert state(db) is None


def test_closure_date_picker_and_end_of_month(line_client, db, world: World):
    got = line_client.say(PRODUCER, "ขอเลิกกิจการ เพราะอายุมากแล้ว")
    assert "เหตุผล" not in texts(got).split("\n")[0]  # the reason given is not asked again
    pickers = [q for q in quick_replies(got) if q["type"] == "datetimepicker"]
    assert pickers and pickers[0]["mode"] == "date"
    got = texts(line_client.say(PRODUCER, "สิ้นเดือนนี้ค่ะ"))
    assert "อายุมากแล้ว" in got and "ยืนยัน" in got


def test_a_shared_location_fills_the_address_and_its_sub_district(line_client, db, world: World):
    got = line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่หน่อยค่ะ")
    assert "location" in [q["type"] for q in quick_replies(got)]
    event = line_client.text_event(PRODUCER, "")
    event["message"] = {"type": "location", "id": "325708", "title": "บ้าน",
                        "address": "99 หมู่ 3 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200 ประเทศไทย",
                        "latitude": 18.79, "longitude": 98.95}
    assert "ที่อยู่: 99 หมู่ 3\nตำบล: สุเทพ" in texts(line_client.exchange(PRODUCER, event))
    assert "บันทึกที่อยู่ใหม่แล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    p = producer(db, world)
    assert (p.address, p.subdistrict_code) == ("99 หมู่ 3", "500108")


def test_a_side_question_that_starts_another_form_keeps_the_first(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเปลี่ยนเบอร์โทร")
    got = texts(line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่หน่อยค่ะ"))  # another form, asked at the phone question
    assert "แบบฟอร์มแก้เบอร์โทรศัพท์ที่กรอกค้างไว้ยังเก็บไว้" in got and "บ้านเลขที่" in got
    assert state(db).flow == "producer.update_address"
    line_client.say(PRODUCER, "99 หมู่ 3 ต.สุเทพ")
    got = line_client.say(PRODUCER, "ยืนยัน")
    assert "บันทึกที่อยู่ใหม่แล้ว" in texts(got) and "กลับมาที่แบบฟอร์มแก้เบอร์โทรศัพท์" in texts(got)
    assert [q["label"] for q in quick_replies(got)][0] == "ทำต่อ"
    assert (state(db).flow, state(db).state) == ("producer.update_phone", "phone")
    assert "เบอร์โทรศัพท์ใหม่" in texts(line_client.tap(PRODUCER, "i=flow.resume"))
    line_client.say(PRODUCER, "089-876-5432 ค่ะ")
    line_client.say(PRODUCER, "ยืนยัน")
    assert producer(db, world).phone == "0898765432" and state(db) is None


def test_a_form_opened_from_a_form_and_cancelled_gives_the_first_back(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเลิกกิจการค่ะ")
    line_client.say(PRODUCER, "อายุมากแล้ว")  # the reason; the date is asked
    got = texts(line_client.tap(PRODUCER, "i=producer.request_relocation"))  # a tap that opens another form
    assert "แบบฟอร์มแจ้งเลิกกิจการที่กรอกค้างไว้ยังเก็บไว้" in got and state(db).flow == "producer.request_relocation"
    got = texts(line_client.say(PRODUCER, "ไม่เอาแล้วค่ะ"))
    assert "กลับมาที่แบบฟอร์มแจ้งเลิกกิจการ" in got and "อายุมากแล้ว" in got
    assert (state(db).flow, state(db).state, state(db).slots["reason"]) == ("producer.request_closure", "effective_on",
                                                                             "อายุมากแล้ว")
    got = texts(line_client.say(PRODUCER, "สิ้นเดือนนี้"))
    assert "ยืนยัน" in got and "อายุมากแล้ว" in got


def share_location(line_client, address: str, title: str = "ตำแหน่งของฉัน"):
    """What LINE sends when the location quick reply is used (the fake API checks the schema)."""
    event = line_client.text_event(PRODUCER, "")
    event["message"] = {"type": "location", "id": "325709", "title": title, "address": address,
                        "latitude": 19.93, "longitude": 99.84}
    return line_client.exchange(PRODUCER, event)


def test_relocation_offers_the_location_button_at_every_place_question_and_uses_it(line_client, db, world: World):
    got = line_client.say(PRODUCER, "ขอแจ้งย้ายกิจการค่ะ")
    assert "location" in [q["type"] for q in quick_replies(got)]  # the new province
    got = share_location(line_client, "Rim Kok, Mueang Chiang Rai District, Chiang Rai 57100, Thailand")
    assert "เหตุผลที่ย้าย" in texts(got)  # the three places are taken: only the (optional) reason is left
    assert state(db).slots["subdistrict"] == "code:570114" and state(db).slots["district"] == "code:5701"
    text = texts(line_client.say(PRODUCER, "ข้าม"))
    assert "ต.ริมกก อ.เมืองเชียงราย จ.เชียงราย" in text and "ยืนยัน" in text


def test_a_polite_change_of_mind_at_the_free_text_reason_cancels_the_relocation(line_client, db, world: World):
    """'ยกเลิกค่ะ ไม่ย้ายแล้ว' at the (free-text) reason was stored as the reason (the local chat)."""
    line_client.say(PRODUCER, "ขอแจ้งย้ายกิจการค่ะ")
    got = share_location(line_client, "Rim Kok, Mueang Chiang Rai District, Chiang Rai 57100, Thailand")
    assert "เหตุผลที่ย้าย" in texts(got)
    got = texts(line_client.say(PRODUCER, "ยกเลิกค่ะ ไม่ย้ายแล้ว"))
    assert "ยกเลิก" in got and "ยืนยัน" not in got and "ไม่ย้ายแล้ว" not in got
    assert state(db) is None


def test_a_location_that_names_no_known_place_is_asked_back(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอแจ้งย้ายกิจการค่ะ")
    got = share_location(line_client, "", title="บ้านป้า")
    assert "หาไม่พบว่าอยู่ตำบล อำเภอใด" in texts(got) and state(db).state == "province"
    got = line_client.say(PRODUCER, "เชียงราย")
    assert "location" in [q["type"] for q in quick_replies(got)] and state(db).state == "district"


def test_an_english_location_fills_the_address_and_a_location_without_a_number_asks_it(line_client, db,
                                                                                        world: World):
    line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่หน่อยค่ะ")
    got = share_location(line_client, "Suthep, Mueang Chiang Mai District, Chiang Mai 50200, Thailand")
    assert "ยังไม่มีบ้านเลขที่" in texts(got) and state(db).slots["subdistrict"] == "500108"
    assert "location" in [q["type"] for q in quick_replies(got)]
    line_client.say(PRODUCER, "12 หมู่ 5")
    assert "บันทึกที่อยู่ใหม่แล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    p = producer(db, world)
    assert (p.address, p.subdistrict_code) == ("12 หมู่ 5", "500108")


def test_a_product_named_but_not_owned_is_said_and_the_rest_is_kept(line_client, db, world: World):
    got = texts(line_client.say(PRODUCER, "เพิ่ม มผช. ให้น้ำพริกเผา เลข 123/2566 หมดอายุ 31/12/2570"))
    assert "ไม่พบ \"น้ำพริกเผา\"" in got and "เป็นผลิตภัณฑ์ใด" in got
    assert state(db).slots["number"] == "123/2566" and state(db).slots["expires_on"] == "2027-12-31"
    for word in ("ไม่ใช่ค่ะ", "อันไหนก็ได้", "555"):  # not product names: asked again with the choices
        got = line_client.say(PRODUCER, word)
        assert "ไม่พบ" not in texts(got) and "ผ้าไหมทอมือ" in [q["label"] for q in quick_replies(got)]
    line_client.say(PRODUCER, "ยกเลิก")
    got = texts(line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานสินค้า"))  # "สินค้า" names no product
    assert "ไม่พบ" not in got and "เป็นผลิตภัณฑ์ใด" in got


def test_typed_edit_requests_reach_their_edit_in_the_users_words(line_client, db, world: World):
    assert "13 หลัก" in texts(line_client.say(PRODUCER, "ขอแก้เลขบัตรประชาชนค่ะ"))
    assert state(db).flow == "producer.update_national_id"
    line_client.say(PRODUCER, "ยกเลิก")
    got = texts(line_client.say(PRODUCER, "ขอแก้ไขวันเกิดค่ะ"))
    assert state(db).flow == "producer.update_birth_date" and "คำขอ" not in got
    line_client.say(PRODUCER, "ยกเลิก")
    got = texts(line_client.say(PRODUCER, "แก้ไขข้อมูลค่ะ"))  # the menu's own label, typed
    assert "ต้องการแก้ไขข้อมูลใด" in got and "เลิกกิจการ" not in got
    got = texts(line_client.say(PRODUCER, "อยากเปลี่ยนประเภทผู้ผลิตเป็นกลุ่มค่ะ"))
    assert "กลุ่ม" in got and "ไม่แน่ใจ" not in got and pending_changes(db) == []
    line_client.say(PRODUCER, "ยืนยันค่ะ")
    assert [c.field for c in pending_changes(db)] == ["producer_type"]


def test_menu_words_at_the_project_name_are_never_saved_as_a_project(line_client, db, world: World):
    assert "ชื่อโครงการที่เข้าร่วม" in texts(line_client.say(PRODUCER, "เพิ่มโครงการที่เข้าร่วมค่ะ"))
    assert "ทำต่อ" in texts(line_client.say(PRODUCER, "เมนู"))
    assert "ทำต่อ" in texts(line_client.say(PRODUCER, "แก้ไขข้อมูล"))
    assert (state(db).flow, state(db).state, state(db).slots) == ("producer.update_projects", "project", {})
    assert "ชื่อโครงการที่เข้าร่วม" in texts(line_client.tap(PRODUCER, "i=flow.resume"))
    assert audits(db, "producer", world.producer_id) == []


def test_stopping_reminders_and_withdrawing_typed(line_client, db, world: World):
    got = texts(line_client.say(PRODUCER, "ไม่อยากได้รับแจ้งเตือนแล้วค่ะ หยุดส่งได้ไหมคะ"))
    assert "เปิดรับการแจ้งเตือนอยู่แล้ว" not in got and "หยุด" in got
    line_client.say(PRODUCER, "ขอเลิกกิจการ เพราะอายุมากแล้ว")
    line_client.say(PRODUCER, "สิ้นเดือนนี้")
    assert "ส่งคำขอยกเลิกทะเบียนแล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    got = texts(line_client.say(PRODUCER, "เปลี่ยนใจแล้ว ขอยกเลิกคำขอเลิกกิจการ"))
    assert "มีคำขอที่ยังดำเนินการอยู่" not in got and "ถอนคำขอ" in got
    assert "ถอนคำขอเลขที่" in texts(line_client.say(PRODUCER, "ยืนยันค่ะ"))


def test_another_request_at_the_product_question_is_a_side_question_not_a_product(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเพิ่มมาตรฐานสินค้า")
    got = texts(line_client.say(PRODUCER, "ขอเปลี่ยนที่อยู่หน่อยค่ะ"))  # "อยู่" is not the อย. scheme
    assert "ไม่พบ" not in got and "บ้านเลขที่" in got and "แบบฟอร์มเพิ่มมาตรฐานที่กรอกค้างไว้" in got
    line_client.say(PRODUCER, "ยกเลิก")
    got = texts(line_client.say(PRODUCER, "ขอแก้เลขบัตรประชาชนค่ะ"))  # the product standard form comes back first
    assert "ไม่พบ" not in got and "13 หลัก" in got
    assert state(db).flow == "producer.update_national_id"
