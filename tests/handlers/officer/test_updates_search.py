"""Record updates, producers' pending changes, search and photos, through the webhook:
replies, the stored values and the audit rows."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from sqlalchemy import select

from bot.demo import make_producer, national_id
from bot.testing import texts
from models import (PendingChange, PendingChangeStatus, Producer, ProducerType, Product, ProductPhoto,
                    ProductStandard, Quadrant, unit_of_work)
from tests.handlers.officer.helpers import two_proposals, DIST, OTHER, PRODUCER, buttons, data_of, link_producer, notices_to, officers
from tests.registry import factories as f

NID = national_id("310010000077")


@pytest.fixture
def records(db):
    officers(db)
    with unit_of_work(db) as s:
        weave = make_producer(s, "OTOP-50-0101", "กลุ่มทอผ้าไหมบ้านสันกำแพง", "5001", phone="0812345601")
        chili = make_producer(s, "OTOP-50-0102", "วิสาหกิจชุมชนน้ำพริกแม่ศรี", "5001", phone="0812345602")
        far = make_producer(s, "OTOP-50-0201", "กลุ่มทอผ้าจอมทอง", "5002", phone="0812345603")
        product = Product(code="PR-0101", producer_id=chili.id, province_code="50", district_code="5001",
                          name="น้ำพริกหนุ่มแม่ศรี")
        far_product = Product(code="PR-0201", producer_id=far.id, province_code="50", district_code="5002",
                              name="ผ้าซิ่นตีนจก")
        s.add_all([product, far_product])
        s.flush()
        return {"weave": weave.id, "chili": chili.id, "far": far.id, "product": product.id, "far_product": far_product.id}


def audit(db, entity: str, entity_id: int) -> list[tuple]:
    with db() as s:
        return f.audit_of(s, entity, entity_id)


def test_fuzzy_thai_search_within_the_area(line_client, db, records):
    got = line_client.say(DIST, "ค้นหา ทอผ้าไหม สันกำแพง")
    assert "กลุ่มทอผ้าไหมบ้านสันกำแพง" in texts(got) and "จอมทอง" not in texts(got)
    got = line_client.say(DIST, "หา 0812345602")
    assert "วิสาหกิจชุมชนน้ำพริกแม่ศรี" in texts(got)
    got = line_client.say(DIST, "ค้นหา น้ำพริกหนุ่ม")
    assert "น้ำพริกหนุ่มแม่ศรี" in texts(got)
    assert "ไม่พบ" in texts(line_client.say(DIST, "ค้นหา ผ้าซิ่นตีนจก"))  # another district's product
    assert "ผ้าซิ่นตีนจก" in texts(line_client.say(OTHER, "ค้นหา ผ้าซิ่นตีนจก"))


def test_set_quadrant_by_text_confirms_and_audits(line_client, db, records):
    got = line_client.say(DIST, "ตั้ง quadrant น้ำพริกหนุ่มแม่ศรี เป็น A")
    assert "ยืนยันแก้ผลการจัดกลุ่ม" in texts(got) and "เป็น: A" in texts(got) and "ยังไม่ระบุ" in texts(got)
    got = line_client.say(DIST, "ยืนยัน")
    assert "บันทึกแล้ว" in texts(got)
    with db() as s:
        assert s.get(Product, records["product"]).quadrant is Quadrant.A
    assert audit(db, "product", records["product"]) == [("quadrant", None, "A", DIST)]


def test_set_category_from_the_card_with_quick_replies(line_client, db, records):
    card = line_client.tap(DIST, f"i=officer.product_card&product_id={records['product']}")
    got = line_client.tap(DIST, data_of(card, "ตั้งประเภท"))
    assert "ประเภทผลิตภัณฑ์ใหม่" in texts(got)
    line_client.say(DIST, data_of(got, "อาหาร"))
    line_client.say(DIST, "ยืนยัน")
    assert audit(db, "product", records["product"]) == [("category", None, "food", DIST)]


def test_national_id_check_digit(line_client, db, records):
    line_client.tap(DIST, f"i=officer.set_national_id&producer_id={records['weave']}")
    wrong = NID[:12] + str((int(NID[12]) + 1) % 10)
    got = line_client.say(DIST, wrong)
    assert "ไม่ถูกต้อง" in texts(got) and "ยังไม่ได้แก้ไข" in texts(got)
    with db() as s:
        assert s.get(Producer, records["weave"]).national_id is None
    assert audit(db, "producer", records["weave"]) == []
    got = line_client.say(DIST, f"{NID[0]} {NID[1:5]} {NID[5:10]} {NID[10:12]} {NID[12]}")
    assert "ยืนยันแก้เลขประจำตัวประชาชน" in texts(got) and NID not in texts(got)  # masked
    line_client.say(DIST, "ยืนยัน")
    with db() as s:
        p = s.get(Producer, records["weave"])
        assert (p.national_id, p.national_id_valid) == (NID, True)
    assert audit(db, "producer", records["weave"]) == [("national_id", None, NID, DIST)]


def test_out_of_area_refused(line_client, db, records):
    got = line_client.tap(DIST, f"i=officer.set_producer_type&producer_id={records['far']}")
    assert "เฉพาะข้อมูลในพื้นที่ของท่าน" in texts(got)
    got = line_client.tap(DIST, f"i=officer.set_quadrant&product_id={records['far_product']}")
    assert "ไม่พบรายการนี้ในพื้นที่ของท่าน" in texts(got)
    line_client.say(DIST, "ยกเลิก")
    line_client.tap(DIST, f"i=officer.set_producer_type&producer_id={records['chili']}")
    line_client.say(DIST, "รายเดี่ยว")
    line_client.say(DIST, "ยืนยัน")
    with db() as s:
        assert s.get(Producer, records["chili"]).producer_type is ProducerType.INDIVIDUAL
        assert s.get(Producer, records["far"]).producer_type is None
        assert s.get(Product, records["far_product"]).quadrant is None


def test_add_standard_with_expiry(line_client, db, records):
    got = line_client.say(DIST, "เพิ่มมาตรฐาน มผช. 123/2565 ให้ น้ำพริกหนุ่มแม่ศรี")
    assert "หมดอายุ" in texts(got)
    got = line_client.say(DIST, "31/12/2568")
    assert "มผช. 123/2565" in texts(got) and "31/12/2568" in texts(got)
    line_client.say(DIST, "ยืนยัน")
    with db() as s:
        std = s.scalars(select(ProductStandard).where(ProductStandard.product_id == records["product"])).one()
        assert (std.scheme, std.number, std.expires_on.isoformat()) == ("มผช.", "123/2565", "2025-12-31")
    (row,) = audit(db, "product", records["product"])
    assert row[0] == "standard" and json.loads(row[2])["expires_on"] == "2025-12-31" and row[3] == DIST


def _jpeg(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, "JPEG")
    return buf.getvalue()


def test_update_photo_product_first_then_image(line_client, db, records):
    got = line_client.say(DIST, "อัปเดตรูป น้ำพริกหนุ่มแม่ศรี")
    assert "ส่งรูป" in texts(got)
    assert "รอรูปภาพ" in texts(line_client.say(DIST, "สวัสดี"))
    got = line_client.send_image(DIST, _jpeg("red"))
    assert "ผลิตภัณฑ์: น้ำพริกหนุ่มแม่ศรี\nรูป: รูปที่ส่งมา 1 รูป" in texts(got)  # read back first
    assert audit(db, "product", records["product"]) == []
    got = line_client.say(DIST, "ยืนยัน")
    assert "บันทึกรูปของ น้ำพริกหนุ่มแม่ศรี แล้ว" in texts(got)
    with db() as s:
        (photo,) = s.scalars(select(ProductPhoto).where(ProductPhoto.product_id == records["product"])).all()
    assert audit(db, "product", records["product"]) == [("photos", None, photo.location, DIST)]


def test_update_photo_image_first(line_client, db, records):
    got = line_client.send_image(DIST, _jpeg("blue"))
    assert "ผลิตภัณฑ์ใด" in texts(got)
    line_client.say(DIST, "PR-0101")
    assert "บันทึกรูป" in texts(line_client.say(DIST, "ยืนยัน"))
    with db() as s:
        assert s.scalar(select(ProductPhoto.id).where(ProductPhoto.product_id == records["product"])) is not None


def test_producers_pending_change_confirmed_and_rejected(line_client, db, records):
    c1, c2 = two_proposals(db, records["chili"], records["product"])
    got = line_client.tap(DIST, "i=officer.pending_requests")
    assert "คำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน 2 รายการ" in texts(got)
    got = line_client.tap(DIST, data_of(got, "คำขอแก้ไขข้อมูล"))
    assert "จาก: ว่าง" in texts(got) and "เป็น: SMEs" in texts(got)
    confirm = next(b["data"] for b in buttons(got) if b["label"] == "ยืนยัน" and f"change_id={c1}&" in b["data"])
    got = line_client.tap(DIST, confirm)
    assert "ยืนยันแล้ว" in texts(got)
    got = line_client.tap(DIST, f"i=officer.pending_changes&change_id={c2}&decision=reject")
    assert "เหตุผล" in texts(got)
    line_client.say(DIST, "ยังไม่ผ่านการประเมินรอบนี้")
    line_client.say(DIST, "ยืนยัน")
    with db() as s:
        assert s.get(Producer, records["chili"]).producer_type is ProducerType.SME
        assert s.get(Product, records["product"]).quadrant is None
        statuses = {c.id: c.status for c in s.scalars(select(PendingChange))}
        assert statuses == {c1: PendingChangeStatus.CONFIRMED, c2: PendingChangeStatus.REJECTED}
    assert audit(db, "producer", records["chili"]) == [("producer_type", None, "sme", DIST)]
    assert notices_to(db, PRODUCER) == ["notice:change_confirmed", "notice:change_rejected"]
    assert "ปิดไปแล้ว" in texts(line_client.tap(DIST, confirm))  # already decided


def test_issue_link_code_by_name(line_client, db, records):
    got = line_client.say(DIST, "ออกรหัสผูกบัญชี น้ำพริกแม่ศรี")
    assert "จะออกรหัสผูกบัญชีให้ วิสาหกิจชุมชนน้ำพริกแม่ศรี" in texts(got)
    got = line_client.say(DIST, "ยืนยัน")
    assert "รหัสผูกบัญชีของ วิสาหกิจชุมชนน้ำพริกแม่ศรี" in texts(got)
