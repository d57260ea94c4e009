"""The producer's forms end to end through the webhook: wrong input and re-prompt, cancel
midway, resuming the next day; what is stored, audited, or held for the district."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update

from bot.testing import quick_replies, texts
from models import (ConversationState, PendingChangeStatus, Producer, Product, SalesChannel,
                    StarRating, unit_of_work, utcnow)
from tests.handlers.producer_world import (NID, OFFICER_A, OFFICER_B, OTHER_PRODUCER, PRODUCER, PROVINCE_OFFICER,
                                           World, audits, pending_changes, received, world)  # noqa: F401


def producer(db, world: World) -> Producer:
    with db() as s:
        p = s.get(Producer, world.producer_id)
        s.expunge(p)
        return p


def state(db):
    with db() as s:
        return s.get(ConversationState, PRODUCER)


def test_phone_reprompts_then_saves_with_audit(line_client, db, world: World):
    assert "เบอร์โทรศัพท์ใหม่" in texts(line_client.say(PRODUCER, "ขอเปลี่ยนเบอร์โทร"))
    got = texts(line_client.say(PRODUCER, "12345"))
    assert "ไม่ถูกต้อง" in got and "เบอร์โทรศัพท์ใหม่" in got
    assert state(db).retries == 1
    got = texts(line_client.say(PRODUCER, "๐๘๙-๑๒๓-๔๕๖๗"))  # Thai digits
    assert "เบอร์โทรศัพท์: 089-123-4567" in got and "ยืนยัน" in got  # read back before saving
    assert producer(db, world).phone == "0812345678"
    got = texts(line_client.say(PRODUCER, "ยืนยันค่ะ"))
    assert "บันทึกแล้ว" in got and "089-123-4567" in got
    p = producer(db, world)
    assert (p.phone, p.phone_valid) == ("0891234567", True)
    [row] = audits(db, "producer", world.producer_id, "phone")
    assert (row.old_value, row.new_value, row.actor, row.channel) == ("0812345678", "0891234567", PRODUCER, "chat")
    assert state(db) is None


def test_cancel_midway_keeps_everything(line_client, db, world: World):
    line_client.tap(PRODUCER, f"i=product.price&product_id={world.cotton_id}")
    assert state(db).state == "price"
    got = texts(line_client.say(PRODUCER, "ยกเลิก"))
    assert "ยกเลิก" in got
    assert state(db) is None
    with db() as s:
        assert s.get(Product, world.cotton_id).price == Decimal("350")
    assert audits(db, "product", world.cotton_id) == []


def test_resume_next_day_and_expiry_after_36_hours(line_client, db, world: World):
    line_client.say(PRODUCER, "แก้ที่อยู่")
    line_client.say(PRODUCER, "99 หมู่ 4 ถนนห้วยแก้ว")
    assert state(db).state == "subdistrict"
    with unit_of_work(db) as s:  # 20 hours later: the stored state's clock moved back
        s.execute(update(ConversationState).where(ConversationState.user_id == PRODUCER)
                  .values(updated_at=utcnow() - timedelta(hours=20), expires_at=utcnow() + timedelta(hours=16)))
    line_client.say(PRODUCER, "สุเทพ")
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "บันทึกที่อยู่ใหม่แล้ว" in got and "ต.สุเทพ" in got and "อ.เมืองเชียงใหม่" in got
    p = producer(db, world)
    assert (p.address, p.subdistrict_code) == ("99 หมู่ 4 ถนนห้วยแก้ว", "500108")
    with db() as s:  # the products follow the producer's sub-district, audited
        assert {x.subdistrict_code for x in s.scalars(select(Product).where(Product.producer_id == p.id))} == {"500108"}
    assert len(audits(db, "product", world.silk_id, "subdistrict_code")) == 1
    assert [a.field for a in audits(db, "producer", world.producer_id)] == ["address", "subdistrict_code"]
    # a form left for more than 36 hours is dropped with a note
    line_client.say(PRODUCER, "เปลี่ยนเบอร์โทร")
    with unit_of_work(db) as s:
        s.execute(update(ConversationState).where(ConversationState.user_id == PRODUCER)
                  .values(expires_at=utcnow() - timedelta(minutes=1)))
    got = texts(line_client.say(PRODUCER, "0891234567"))
    assert "หมดเวลา" in got
    assert producer(db, world).phone == "0812345678"


def test_address_in_another_district_offers_a_relocation(line_client, db, world: World):
    from registry import gazetteer

    line_client.tap(PRODUCER, "i=producer.update_address")
    asked = texts(line_client.say(PRODUCER, "12 หมู่ 3"))  # the example is a sub-district of their own district
    assert asked.split("เช่น ")[1].split()[0] in {x.name_th for x in gazetteer.subdistricts(producer(db, world).district_code)}
    got = line_client.say(PRODUCER, "ริมใต้")  # ต.ริมใต้ อ.แม่ริม
    assert "แม่ริม" in texts(got) and "แจ้งย้าย" in texts(got)
    assert any("producer.request_relocation" in q.get("data", "") for q in quick_replies(got))
    assert producer(db, world).address is None


def test_star_fields_are_held_for_the_district_and_officers_see_old_and_new(line_client, db, fake_line, world: World):
    got = line_client.tap(PRODUCER, "i=producer.update_type")
    labels = [q["label"] for q in quick_replies(got)]
    assert labels == ["กลุ่ม", "รายเดี่ยว", "SMEs"]
    assert "กลุ่ม, รายเดี่ยว หรือ SMEs" in texts(line_client.say(PRODUCER, "ไม่แน่ใจ"))
    assert "ลักษณะผู้ประกอบการ: กลุ่ม" in texts(line_client.tap(PRODUCER, "i=flow.answer&v=group"))
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "จะมีผลเมื่อเจ้าหน้าที่พัฒนาชุมชนอำเภอยืนยัน" in got
    assert "ยังไม่ระบุ → กลุ่ม" in got
    [change] = pending_changes(db)
    assert (change.entity, change.field, change.old_value, change.new_value, change.status) == (
        "producer", "producer_type", None, "group", PendingChangeStatus.PENDING)
    assert producer(db, world).producer_type is None  # not applied before the district confirms
    for officer in (OFFICER_A, OFFICER_B):
        seen = received(fake_line, officer)
        assert "ลักษณะผู้ประกอบการ: ยังไม่ระบุ → กลุ่ม" in seen and "กลุ่มทอผ้าบ้านสันกำแพง" in seen
    assert received(fake_line, PROVINCE_OFFICER) == "" and received(fake_line, OTHER_PRODUCER) == ""
    # national ID: a wrong check digit is re-asked, a good one waits for the district as well
    line_client.tap(PRODUCER, "i=producer.update_national_id")
    bad = NID[:12] + str((int(NID[12]) + 1) % 10)
    assert "เลขตรวจสอบ" in texts(line_client.say(PRODUCER, bad))
    from bot.demo import national_id
    new = national_id("110020003000")
    got = texts(line_client.say(PRODUCER, new))
    assert new not in got and f"{new[0]}-{new[1:5]}-xxxxx-xx-{new[12]}" in got  # read back, masked
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert new not in got and f"{new[0]}-{new[1:5]}-xxxxx-xx-{new[12]}" in got
    assert pending_changes(db)[-1].new_value == new
    assert producer(db, world).national_id == NID
    assert audits(db, "producer", world.producer_id) == []


def test_product_star_fields_and_standard_wait_keywords_and_price_apply(line_client, db, fake_line, world: World):
    got = line_client.tap(PRODUCER, "i=product.category")
    assert [q["label"] for q in quick_replies(got)] == ["ผ้าไหมทอมือ", "ผ้าฝ้ายย้อมคราม"]
    line_client.say(PRODUCER, "ผ้าไหม")  # typed product name
    assert "กรุณาแตะเลือกประเภท" in texts(line_client.say(PRODUCER, "xyz"))
    got = texts(line_client.say(PRODUCER, "ผ้า เครื่องแต่งกาย"))
    assert "ผลิตภัณฑ์: ผ้าไหมทอมือ\nประเภทผลิตภัณฑ์: ผ้า เครื่องแต่งกาย" in got and pending_changes(db) == []
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "ยังไม่ระบุ → ผ้า เครื่องแต่งกาย" in got
    # a standard: scheme button, number, expiry (wrong first)
    line_client.tap(PRODUCER, f"i=product.edit_menu&product_id={world.silk_id}")
    line_client.tap(PRODUCER, f"i=product.standard&product_id={world.silk_id}")
    line_client.tap(PRODUCER, "i=flow.answer&v=มผช.")
    line_client.say(PRODUCER, "มผช. 12/2560")
    assert "ไม่ถูกต้อง" in texts(line_client.say(PRODUCER, "31/13/2569"))
    got = texts(line_client.say(PRODUCER, "31/12/2569"))
    assert "เลขที่: 12/2560" in got and "หมดอายุ: 31/12/2569" in got  # confirmed with every value
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "มผช. 12/2560 (หมดอายุ 31/12/2569)" in got
    changes = pending_changes(db)
    assert [(c.entity_id, c.field) for c in changes] == [(world.silk_id, "category"), (world.silk_id, "standard")]
    assert changes[0].new_value == "textile"
    assert json.loads(changes[1].new_value) == {"scheme": "มผช.", "number": "12/2560", "issued_on": None,
                                                "expires_on": "2026-12-31"}
    with db() as s:
        silk = s.get(Product, world.silk_id)
        assert silk.category is None and silk.standards == []
    assert "มผช. 12/2560" in received(fake_line, OFFICER_A) and "ผ้าไหมทอมือ" in received(fake_line, OFFICER_A)
    # keywords and price apply at once, audited
    line_client.tap(PRODUCER, f"i=product.keywords&product_id={world.silk_id}")
    assert "คำค้นหา: ผ้าไหม, ผ้าทอมือ" in texts(line_client.say(PRODUCER, "ผ้าไหม, ผ้าทอมือ ผ้าไหม"))
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "ผ้าไหม, ผ้าทอมือ" in got
    line_client.tap(PRODUCER, f"i=product.price&product_id={world.silk_id}")
    assert "ตัวเลข" in texts(line_client.say(PRODUCER, "แพงมาก"))
    assert "ราคา: 1,250 บาท" in texts(line_client.say(PRODUCER, "1,250 บาท"))
    assert "1,250 บาท" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    with db() as s:
        silk = s.get(Product, world.silk_id)
        assert silk.price == Decimal("1250") and sorted(k.word for k in silk.keywords) == ["ผ้าทอมือ", "ผ้าไหม"]
    assert [(a.field, a.new_value) for a in audits(db, "product", world.silk_id)] == [
        ("keywords", "ผ้าไหม;ผ้าทอมือ"), ("price", "1250")]


def test_sales_channels_stars_round_after_round_and_projects(line_client, db, world: World):
    got = texts(line_client.say(PRODUCER, "ช่องทางขาย ออนไลน์ กับ หน้าร้าน"))
    assert "ช่องทางการขาย: ในประเทศ, ออนไลน์" in got  # read back: nothing saved yet
    with db() as s:
        assert s.scalars(select(SalesChannel)).all() == []
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "ออนไลน์" in got and "ในประเทศ" in got
    with db() as s:
        assert sorted(c.channel.value for c in s.scalars(select(SalesChannel))) == ["domestic", "online"]
    [row] = audits(db, "producer", world.producer_id, "sales_channels")
    assert row.new_value == "domestic;online"
    # stars: the NLU brings year and stars; then another round with a wrong answer first
    got = texts(line_client.say(PRODUCER, "ได้ 4 ดาว ปี 2566"))
    assert "ปี พ.ศ.: 2566\nระดับดาว: 4 ดาว" in got
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "ปี 2566: 4 ดาว" in got
    line_client.tap(PRODUCER, "i=producer.add_star")
    assert "ระหว่าง" in texts(line_client.say(PRODUCER, "2400"))
    line_client.say(PRODUCER, "2567")
    assert "1 ถึง 5" in texts(line_client.say(PRODUCER, "9 ดาว"))
    line_client.tap(PRODUCER, "i=flow.answer&v=5")
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "2566: 4 ดาว, 2567: 5 ดาว" in got
    with db() as s:
        assert [(r.year_be, r.stars) for r in s.scalars(select(StarRating).order_by(StarRating.year_be))] == [
            (2566, 4), (2567, 5)]
    assert [a.field for a in audits(db, "producer", world.producer_id) if a.field.startswith("star")] == [
        "star_ratings.2566", "star_ratings.2567"]
    # a project, skipping the optional organiser
    line_client.tap(PRODUCER, "i=producer.update_projects")
    line_client.say(PRODUCER, "OTOP Select")
    line_client.say(PRODUCER, "2565")
    got = texts(line_client.say(PRODUCER, "ข้าม"))
    assert "โครงการ: OTOP Select\nปีที่เข้าร่วม: 2565" in got and "หน่วยงานที่จัด" not in got  # skipped: not listed
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "OTOP Select" in got
    with db() as s:
        [project] = s.get(Producer, world.producer_id).projects
        assert (project.project, project.year_be, project.organiser) == ("OTOP Select", 2565, None)
