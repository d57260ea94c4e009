"""producer.my_data: a producer sees the personal data held about them (national ID masked),
how often officers opened their record, and how to correct or remove it; the view is logged.
Reached by dispatching the intent (the NLU's phrases for it come with the NLU rework)."""

from __future__ import annotations

from sqlalchemy import select

from bot.testing import texts
from models import AccessEntry
from tests.handlers.producer_world import NID, OFFICER_A, OTHER_PRODUCER, PRODUCER, make_world


def test_a_producer_sees_what_is_held_about_them(line_client, db):
    world = make_world(db)
    line_client.tap(OFFICER_A, f"i=officer.producer_card&producer_id={world.producer_id}")
    answer = texts(line_client.tap(PRODUCER, "i=producer.my_data"))
    assert "ข้อมูลส่วนบุคคลของท่าน" in answer and "กลุ่มทอผ้าบ้านสันกำแพง" in answer and "นางสมศรี ใจดี" in answer
    assert f"{NID[0]}-{NID[1:5]}-xxxxx-xx-{NID[12]}" in answer and NID not in answer
    assert "081-234-5678" in answer
    assert "เจ้าหน้าที่เปิดดูข้อมูลของท่าน 1 ครั้ง" in answer
    assert "ขอให้ลบข้อมูล" in answer and "สำนักงานพัฒนาชุมชนอำเภอ" in answer
    with db() as s:
        mine = s.scalars(select(AccessEntry).where(AccessEntry.user_id == PRODUCER)).all()
    assert [(e.action, e.what, e.record_ids) for e in mine] == [("record", "producer:self", str(world.producer_id))]


def test_another_producer_sees_only_their_own(line_client, db):
    make_world(db)
    answer = texts(line_client.tap(OTHER_PRODUCER, "i=producer.my_data"))
    assert "กลุ่มทอผ้าบ้านสันกำแพง" not in answer
