"""Wording a Thai producer or officer would notice around closure and relocation requests:
the withdrawal of a relocation names where it was going; a place typed at the address
question is not stored as the address; the confirmation of a cancellation has a stop button
that cannot be read as confirming it."""

from __future__ import annotations

from sqlalchemy import select

from bot.testing import quick_replies, texts
from models import Request
from tests.handlers.producer_world import PRODUCER, World, world  # noqa: F401


def requests(db) -> list[Request]:
    with db() as s:
        return list(s.scalars(select(Request).order_by(Request.id)))


def withdraw_confirmation(line_client) -> list:
    got = line_client.say(PRODUCER, "สถานะคำขอ")
    withdraw = next(q for q in quick_replies(got) if "producer.withdraw_request" in q.get("data", ""))
    return line_client.tap(PRODUCER, withdraw["data"])


def test_withdrawing_a_relocation_names_where_it_was_going(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอย้ายไปอำเภอแม่ริม")
    line_client.say(PRODUCER, "ริมใต้")
    line_client.say(PRODUCER, "ข้าม")
    line_client.say(PRODUCER, "ยืนยัน")
    [request] = requests(db)
    got = texts(withdraw_confirmation(line_client))
    assert f"ยืนยันถอนคำขอเลขที่ {request.id} เรื่องย้ายสถานประกอบการไป ต.ริมใต้ อ.แม่ริม จ.เชียงใหม่ ใช่ไหมคะ" in got


def test_withdrawing_a_closure_names_no_destination(line_client, db, world: World):
    line_client.tap(PRODUCER, "i=producer.request_closure&reason=ขาดทุนต่อเนื่อง")
    line_client.say(PRODUCER, "วันนี้")
    line_client.say(PRODUCER, "ยืนยัน")
    [request] = requests(db)
    got = texts(withdraw_confirmation(line_client))
    assert f"ยืนยันถอนคำขอเลขที่ {request.id} ใช่ไหมคะ" in got and "ย้ายไป" not in got
