"""Unit tests: normalisation, slot extractors, places in context, floor, destructive flags."""

from datetime import date

import pytest

from nlu import CONFIDENCE_FLOOR, DATA_CHANGING, INTENTS, Context, Intent, parse
from nlu import slots as sx
from nlu.normalize import clean, fix_keyboard_layout, normalize

D57 = Context(role="province", province_code="57")
TODAY = date(2024, 6, 15)


@pytest.mark.parametrize("raw, expected", [
    ("ยกเลิกๆ", "ยกเลิก"),
    ("ครับบบบ", ""),
    ("ขอบคุณนะคะ", "ขอบคุณ"),
    ("สวัสดี\u200bครับ", "สวัสดี"),
    ("เเม่สาย", "แม่สาย"),
    ("ได้สามดาวจ้า", "ได้3ดาว"),
    ("ผปก.ที่", "ผู้ประกอบการที่"),
    ("๑๒๓", "123"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_wrong_keyboard_layout():
    assert fix_keyboard_layout("pdg]bd") == "ยกเลิก"
    assert fix_keyboard_layout("hello") == "hello"
    assert fix_keyboard_layout("K7PM-Q2XD") == "K7PM-Q2XD"
    assert fix_keyboard_layout("update photo P000455") == "update photo P000455"
    assert fix_keyboard_layout("stop notifications please") == "stop notifications please"
    assert fix_keyboard_layout("ทำืี") == "menu"  # the other way round: English on the Thai layout
    assert fix_keyboard_layout("สวัสดี") == "สวัสดี"


def test_national_id():
    assert sx.national_id("เลขบัตร 1 5099 00123 45 3") == {"national_id": "1509900123453", "national_id_valid": True}
    assert sx.national_id("1509900123454")["national_id_valid"] is False
    assert sx.national_id(clean("๑๕๐๙๙๐๐๑๒๓๔๕๓"))["national_id"] == "1509900123453"


def test_phone():
    assert sx.phone("+66812345678") == {"phone": "0812345678", "phone_valid": True}
    assert sx.phone("02-123-4567") == {"phone": "021234567", "phone_valid": True}
    assert sx.phone("081234567")["phone_valid"] is False


def test_standard():
    assert sx.standard("มผช. 97/2565") == {"standard_scheme": "มผช.", "standard_number": "97/2565"}
    assert sx.standard("เลขอย. 5010123450012")["standard_number"] == "50-1-01234-5-0012"
    assert sx.standard("ขอยกเลิก") == {}  # "อย" inside a word is not อย.
    assert sx.standard("ได้ halal")["standard_scheme"] == "ฮาลาล"


def test_quadrant_category_type_channels():
    assert sx.quadrant("ควอดแรนต์ b") == {"quadrant": "B"}
    assert sx.quadrant("คิวเอ") == {"quadrant": "A"}
    assert sx.quadrant("qd") == {"quadrant": "D"}
    assert sx.category("เปลี่ยนหมวดหมู่ยาหม่องสมุนไพรเป็นเครื่องดื่ม") == {"category": "beverage"}
    assert sx.category("ของที่ระลึก") == {"category": "household"}
    assert sx.producer_type("เป็น smes") == {"producer_type": "sme"}
    assert set(sx.channels("ขายหน้าร้านกับ shopee")["channels"]) == {"domestic", "online"}


def test_stars_years_dates():
    assert sx.stars(normalize("ได้สี่ดาว")) == {"stars": 4}
    assert sx.year("ปี 66") == {"year_be": 2566}
    assert sx.year("ผลคัดสรร 2024") == {"year_be": 2567}
    # a fiscal year typed, and years named from today (2024-06-15: BE 2567, fiscal 2567)
    assert sx.year("รายงานจังหวัด ปีงบ 68") == {"year_be": 2568}
    assert sx.year("ผลคัดสรรปีนี้ได้ 5 ดาว", TODAY) == {"year_be": 2567}
    assert sx.year("ได้สามดาวเมื่อปีที่แล้ว", TODAY) == {"year_be": 2566}
    assert sx.year("ปีงบนี้", date(2026, 12, 4)) == {"year_be": 2570}  # the fiscal year starts 1 October
    assert sx.year("ปีนี้") == {}  # no day known: nothing guessed
    assert sx.year("ข้อมูล 5 ปีก่อน", TODAY) == {} and sx.year("เมื่อสองปีก่อน", TODAY) == {}  # N years ago
    assert sx.when("15/3/2567", TODAY) == {"date": date(2024, 3, 15)}
    assert sx.when("15 มี.ค. 67", TODAY) == {"date": date(2024, 3, 15)}
    assert sx.when("พรุ่งนี้", TODAY) == {"date": date(2024, 6, 16)}
    assert sx.when("31/2/2567", TODAY) == {}


def test_code_and_request_id():
    assert sx.code("รหัส k7pm-q2xd") == {"code": "K7PMQ2XD"}
    assert sx.code("ตั้ง quadrant") == {}
    assert sx.code("I0O1-ABCD") == {}  # not in the alphabet
    assert sx.request_id("อนุมัติคำขอ #12") == {"request_id": 12}


def test_muang_resolves_to_officers_province():
    got = parse("อำเภอเมืองข้อมูลไม่ครบกี่ราย", Context(role="province", province_code="57"))
    assert got.name == "officer.incomplete"
    assert got.slots["district_code"] == "5701"


def test_ambiguous_district_asks_back():
    got = parse("อ.แม่สวย ข้อมูลขาดอะไร", D57)
    assert "district_code" not in got.slots
    assert got.slots["place_candidates"][:2] == ["5710", "5709"]
    assert got.slots["place_level"] == "district"


@pytest.mark.parametrize("text, key, code", [
    ("ส่งแจ้งเตือนคนที่ข้อมูลไม่ครบในอ.ป่าแดดหน่อย", "district_code", "5706"),  # glued to ใน
    ("ขาดไรบ้างอ.ป่าแดด", "district_code", "5706"),
    ("ขาดอะไรบ้างต.ป่าแดด", "subdistrict_code", "570601"),
    ("ขอรายชื่อผู้ผลิตทั้งหมดในอ.แม่สาย", "district_code", "5709"),
])
def test_a_prefix_glued_to_the_word_before_is_still_a_prefix(text, key, code):
    got = parse(text, Context(role="district", province_code="57", district_code="5706"))
    assert got.slots.get(key) == code


def test_a_dot_after_a_thai_word_is_not_a_prefix_without_a_name_after_it():
    got = parse("ขอเลข อ.ย. หน่อย ต่อ. ไม่รู้", Context(role="district", province_code="57", district_code="5706"))
    assert "district_code" not in got.slots and "place_candidates" not in got.slots


def test_misprinted_province():
    got = parse("ข้อมูลไม่ครบ จ.พจนครศรีอยุธยา", Context(role="central"))
    assert got.slots["province_code"] == "14"


def test_expecting_bare_answers():
    ctx = Context(role="district", province_code="57", district_code="5709", flow="officer.remind_area",
                  expecting="subdistrict")
    assert parse("โป่งผาครับ", ctx).slots["subdistrict_code"] == "570904"
    yn = Context(role="producer", flow="producer.request_closure", expecting="yes_no")
    assert parse("ครับ", yn).name == "yes"
    assert parse("ไม่เอาค่ะ", yn).name == "no"
    assert parse("ยกเลิก", yn).name == "cancel"


def test_role_chooses_side():
    assert parse("เพิ่มมาตรฐาน", Context(role="producer")).name == "producer.add_standard"
    assert parse("เพิ่มมาตรฐาน", Context(role="district", province_code="57", district_code="5709")).name \
        == "officer.add_standard"
    assert parse("ยังขาดอะไรบ้าง").name == "producer.missing"


def test_confidence_floor_offers_alternatives():
    got = parse("ฝนตกหนักมากเลยวันนี้", Context(role="producer"))
    assert got.name == "unknown"
    assert all(name != "unknown" for name, _ in got.alternatives)
    assert 0 < CONFIDENCE_FLOOR < 1


def test_data_changing_intents_are_declared():
    assert {"officer.start_closure", "officer.reject", "producer.request_closure",
            "producer.request_relocation", "officer.approve"} <= DATA_CHANGING
    assert "officer.incomplete" not in DATA_CHANGING and "officer.monthly_report" not in DATA_CHANGING


def test_contract():
    assert "unknown" in INTENTS and len(set(INTENTS)) == len(INTENTS)
    got = parse("สวัสดี")
    assert isinstance(got, Intent) and got.name == "greeting"
    with pytest.raises(Exception):
        Context().role = "x"  # frozen


def test_gazetteer_short_names_and_name_index():
    from registry import gazetteer as gz

    assert gz.resolve_province("อุบล").place.code == "34"
    assert gz.resolve_province("อุดรพิศสัย").place.code == "53"  # mis-print still wins over อุดร
    assert "แม่สาย" in gz.name_index("district", "57")
    assert gz.name_index("subdistrict", "5709")["เกาะช้าง"][0].code == "570903"


@pytest.mark.parametrize("role", ["producer", "district", "province", "central", None])
@pytest.mark.parametrize(
    "text,intent",
    [("หยุดแจ้งเตือน", "producer.stop_reminders"), ("ไม่รับแจ้งเตือนแล้วค่ะ", "producer.stop_reminders"),
     ("ไม่ต้องเตือนแล้วครับ", "producer.stop_reminders"), ("รับแจ้งเตือน", "producer.resume_reminders"),
     ("เปิดแจ้งเตือนด้วยครับ", "producer.resume_reminders")],
)
def test_opting_out_and_in_means_the_same_for_every_role(role, text, intent):
    assert parse(text, Context(role=role, province_code="57", district_code="5701")).name == intent


def test_officer_reminding_producers_is_still_remind_area():
    ctx = Context(role="district", province_code="57", district_code="5701")
    assert parse("ส่งเตือนผู้ผลิตในอำเภอให้หน่อย", ctx).name == "officer.remind_area"


D5001 = Context(role="district", province_code="50", district_code="5001")
PRODUCER = Context(role="producer", province_code="50", district_code="5001")


@pytest.mark.parametrize("text, query, nid", [
    ("แก้เลขบัตรประชาชนของผู้ผลิต 12345", "12345", None),
    ("ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น 1-2345-67890-12-1", "P0001234", "1234567890121"),
    ("แก้เลขบัตร กลุ่มทอผ้าไหมบ้านสันกำแพง เป็น ๓๑๐๐๑๐๐๐๐๐๗๗๔", "กลุ่มทอผ้าไหมบ้านสันกำแพง", "3100100000774"),
    ("เลขบัตรของ OTOP-50-0101 ผิดค่ะ", "OTOP-50-0101", None),
    ("ขอแก้เลขบัตรประชาชนค่ะ", None, None),
])
def test_officer_sets_a_national_id(text, query, nid):
    got = parse(text, D5001)
    assert got.name == "officer.set_national_id"
    assert got.slots.get("query") == query and got.slots.get("national_id") == nid
    assert "producer_id" not in got.slots  # a typed number is never taken as a database id


@pytest.mark.parametrize("text", ["มีคำขอแก้ไขข้อมูลรอตรวจไหม", "รายการรอยืนยันการแก้ไข", "ดูการเปลี่ยนแปลงที่รออนุมัติ",
                                  "ไม่อนุมัติการแก้ไข", "ผู้ผลิตขอแก้ข้อมูลอะไรบ้าง"])
def test_pending_changes_are_not_pending_requests(text):
    assert parse(text, D5001).name == "officer.pending_changes"


@pytest.mark.parametrize("text", ["คำขอรออนุมัติ", "มีคำขอค้างอยู่ไหม", "คำขอเลิกกิจการที่รออนุมัติ",
                                  "คำขอเปลี่ยนที่ตั้งรออนุมัติ", "คำขอของนางสมพร แก้วมา รออนุมัติไหม"])
def test_committee_requests_stay_pending_requests(text):
    assert parse(text, D5001).name == "officer.pending_requests"


@pytest.mark.parametrize("text", ["แก้เลขบัตรประชาชนของฉัน", "เลขบัตรประชาชนผิดค่ะ", "ขอเปลี่ยนเลขบัตรประชาชน",
                                  "ตั้งเลขประจำตัวประชาชน ผู้ผลิต P0001234 เป็น 1-2345-67890-12-1",
                                  "มีคำขอแก้ไขข้อมูลรอตรวจไหม", "รายการรอยืนยันการแก้ไข"])
@pytest.mark.parametrize("ctx", [PRODUCER, Context()])
def test_producers_and_unlinked_users_never_get_the_officer_intents(text, ctx):
    got = parse(text, ctx)
    assert not got.name.startswith("officer.")
    assert not any(name.startswith("officer.") for name, _ in got.alternatives if ctx.role == "producer")


def test_an_officers_count_of_wrong_ids_is_not_a_correction():
    assert parse("ผู้ผลิตที่เลขบัตรไม่ถูกต้องมีใครบ้าง", D5001).name != "officer.set_national_id"
    assert parse("เลขบัตรผิดกี่คน", D5001).name != "officer.set_national_id"


@pytest.mark.parametrize("text, role, intent", [
    # a list of producers with nothing said about missing data lists them all
    ("ขอดูรายชื่อผู้ผลิตตำบลป่าอ้อดอนชัยหน่อยครับ", "district", "officer.list_producers"),
    ("ขอรายชื่อผู้ผลิตที่ยังไม่มีรูปสินค้า", "district", "officer.list_records"),
    # a completeness percentage with the word เป้า or a deadline sets a target
    ("เป้าอำเภอแม่จันขอ 90% นะ", "province", "officer.set_target"),
    ("อำเภอแม่สายให้ถึง 75 เปอร์เซ็นต์ภายในสิ้นเดือนหน้า", "province", "officer.set_target"),
    ("อำเภอแม่สายครบกี่เปอร์เซ็นต์แล้ว", "province", "officer.incomplete"),
    # the request, then taking it back
    ("คำขอย้ายที่ส่งไปไม่เอาแล้วค่ะ ถอนออกให้หน่อย", "producer", "producer.withdraw_request"),
    # "national id" is not the national report
    ("update national id of นางคำแปง please", "district", "officer.set_national_id"),
])
def test_rules_read_the_action(text, role, intent):
    assert parse(text, Context(role=role, province_code="57", district_code="5701")).name == intent


@pytest.mark.parametrize("text, slot, value", [
    # the new value after "เป็น", not the old one; Thai letter names; "Q" alone as the word
    ("ขอปรับ q สบู่สมุนไพรจาก d เป็น c", "quadrant", "C"),
    ("ควอดแรนต์ทุเรียนทอด ตอนนี้เป็น c อยู่ ขยับเป็น a ได้แล้ว", "quadrant", "A"),
    ("ควอดแรนต์ตะกร้าหวายให้เป็นซี", "quadrant", "C"),
    ("ตอนนี้กลุ่มเราจดเป็นวิสาหกิจชุมชนแล้ว", "producer_type", "group"),
    ("ประเภทของลุงเป็นรายเดียวนะ", "producer_type", "individual"),
])
def test_attributes_named_in_any_message(text, slot, value):
    got = {**sx.quadrant_mentioned(text), **sx.producer_type_mentioned(text)}
    assert got.get(slot) == value, got


def test_quadrant_word_is_not_q_and_a_nor_a_producer_group():
    assert sx.quadrant_mentioned("สวัสดี q&a") == {}
    assert sx.producer_type_mentioned("ผ้าไหม จัดเป็นกลุ่ม a") == {}


@pytest.mark.parametrize("text, query", [
    ("ปิดทะเบียนกลุ่มจักสานบ้านโคก ติดต่อไม่ได้มาสามปีแล้ว", "กลุ่มจักสานบ้านโคก"),
    ("เปลี่ยนรูปข้าวเกรียบของกลุ่มแม่บ้านหนองโพค่ะ", "กลุ่มแม่บ้านหนองโพ"),
    ("ประเภทของนางสมใจต้องเป็นรายเดี่ยวค่ะ", "นางสมใจ"),
])
def test_the_name_searched_is_the_producer_without_its_story(text, query):
    assert sx.query(clean(text).lower(), []).get("query") == query


@pytest.mark.parametrize("text, slot, value", [
    # a month name followed by a particle or another word, as typed
    ("ขอสรุปประจำเดือนตุลาคมค่ะ", "month", "2023-10"),
    ("สรุปเดือนมีนาหน่อยจ้า", "month", "2024-03"),
    ("ขอรายงานเดือนตุลาการ", "month", None),  # ตุลาการ (the judiciary) is not ตุลา
    # a day with a month said short ("10 ธันวา")
    ("นัดลงพื้นที่ 12 สิงหา", "date", date(2024, 8, 12)),
    # the month named first is the one meant, also before a relative one
    ("เดือนกรกฎาคม๖๖ มีเพิ่มขึ้นจากเดือนก่อนไหม", "month", "2023-07"),
    ("สรุปเดือนที่แล้วเทียบกับ ต.ค.", "month_relative", -1),
])
def test_months_and_dates_as_said(text, slot, value):
    got = parse(text, Context(role="province", province_code="57", today=TODAY)).slots
    assert got.get(slot) == value, got


def test_report_is_not_a_product_named_after_its_last_letters():
    assert "product_name" not in parse("ขอรายงานประจำเดือนกันยายนครับ", D57).slots


@pytest.mark.parametrize("text, ctx, reason", [
    ("ขอเลิกทะเบียนค่ะ ไม่มีแรงทำต่อแล้ว", Context(role="producer"), "ไม่มีแรงทำต่อแล้ว"),
    ("เริ่มยกเลิกทะเบียนร้านป้าบาง ย้ายไปอยู่กับลูกที่ต่างประเทศ", D57, "ย้ายไปอยู่กับลูกที่ต่างประเทศ"),
])
def test_a_reason_told_in_a_later_clause_is_the_reason(text, ctx, reason):
    assert parse(text, ctx).slots.get("reason") == reason


def test_a_food_and_drug_number_is_not_a_national_id_nor_is_ask_a_product():
    slots = parse("ขอเพิ่ม อย. ให้น้ำพริกเผา เลข 13-1-22222-2-0002", Context(role="producer")).slots
    assert slots.get("standard_number") == "13-1-22222-2-0002" and "national_id" not in slots, slots
    assert "product_name" not in parse("ขอยกเลิกทะเบียนค่ะ", Context(role="producer")).slots


def test_an_everyday_word_with_letters_after_it_is_not_a_mistyped_place():
    # "เลย" (so) is also the province Loei; "เลยขอ..." is not a typo of it
    assert "province_code" not in parse("ขายไม่ได้สักชิ้น เลยขอเลิกกิจการ", Context(role="producer")).slots
    assert parse("ขอรายงานจังหวัดเลย", D57).slots.get("province_code") == "42"


def test_a_very_long_message_is_read_by_its_beginning():
    import time

    start = time.perf_counter()
    got = parse("ขอรายงานจังหวัดค่ะ " + "เปลี่ยนให้" * 500, D57)
    assert got.name == "officer.province_report" and time.perf_counter() - start < 1.0


def test_values_said_not_to_be_it_and_more_cues():
    # "ไม่ใช่X" names what it is not
    assert sx.category("ต้องเป็นของใช้ตกแต่งนะ ไม่ใช่ผ้า") == {"category": "household"}
    assert sx.producer_type("เป็นแบบกลุ่มครับ ไม่ใช่รายเดี่ยว") == {"producer_type": "group"}
    # "ประเภทX", "= X", "อยู่กลุ่ม X", "ช่อง X"
    assert sx.category_mentioned("ตะกร้าไม้ไผ่ = ของใช้") == {"category": "household"}
    assert sx.category_mentioned("ให้อยู่ประเภทเครื่องดื่ม") == {"category": "beverage"}
    assert sx.quadrant_mentioned("น้ำปลาหวานอยู่กลุ่ม d") == {"quadrant": "D"}
    assert sx.quadrant_mentioned("ย้ายสินค้าไปอยู่ช่อง d") == {"quadrant": "D"}
