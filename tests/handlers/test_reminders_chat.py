"""Reminders in chat, through the webhook and the fake LINE API, at a fixed daytime clock:
opt-out / opt-in in Thai (producers and officers), and an officer's reminder to an area
(confirmed with the count, sent as one multicast, logged against the monthly cap)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from bot.demo import make_producer
from bot.testing import quick_replies, texts
from models import LineAccount, OutboxMessage, ReminderLog, Role, unit_of_work

NOON = datetime(2026, 3, 9, 5, 0, tzinfo=timezone.utc)  # 12:00 Bangkok
OFFICER = "U00000000000000000000000000000o01"
PRODUCERS = [f"U0000000000000000000000000000p{i:02d}" for i in range(4)]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    """Events are handled and sent at NOON (outside quiet hours whenever the tests run)."""
    monkeypatch.setattr("bot.dispatch.utcnow", lambda: NOON)
    monkeypatch.setattr("bot.outbox_write.utcnow", lambda: NOON)  # enqueue, enqueue_push
    monkeypatch.setattr("bot.sender.utcnow", lambda: NOON)


@pytest.fixture
def area(db):
    """Three producers in Mueang Chiang Mai (two without a phone, one opted out), one in
    Chom Thong without a phone; a district officer of Mueang."""
    with unit_of_work(db) as s:
        for i, (district, phone) in enumerate([("5001", None), ("5001", None), ("5001", "0812345678"), ("5002", None)]):
            p = make_producer(s, f"A-{i}", f"กลุ่ม {i}", district, phone=phone)
            p.phone_valid = True if phone else None  # a checked phone
            s.add(LineAccount(user_id=PRODUCERS[i], role=Role.PRODUCER, province_code="50", district_code=district,
                              producer_id=p.id, following=True))
        s.add(LineAccount(user_id=OFFICER, role=Role.DISTRICT, province_code="50", district_code="5001", following=True))
        s.flush()
        s.get(LineAccount, PRODUCERS[1]).reminders_opt_out = True


def opted_out(db, uid):
    with db() as s:
        return s.get(LineAccount, uid).reminders_opt_out


def test_producer_stops_and_resumes_reminders_in_thai(line_client, db, area):
    uid = PRODUCERS[0]
    asked = line_client.say(uid, "หยุดแจ้งเตือน")
    assert "จะหยุดส่งการแจ้งเตือน" in texts(asked) and opted_out(db, uid) is False  # asked first
    assert [q["text"] for q in quick_replies(asked)] == ["ยืนยัน", "ยกเลิก"]  # nothing was asked: no "ย้อนกลับ"
    assert "หยุดส่งการแจ้งเตือนและสรุปให้แล้ว" in texts(line_client.say(uid, "ยืนยันค่ะ"))
    assert opted_out(db, uid) is True
    assert "ปิดการแจ้งเตือนไว้แล้ว" in texts(line_client.say(uid, "หยุดแจ้งเตือนค่ะ"))
    line_client.say(uid, "รับแจ้งเตือน")
    assert opted_out(db, uid) is True
    assert "เปิดรับการแจ้งเตือนแล้ว" in texts(line_client.say(uid, "ยืนยัน"))
    assert opted_out(db, uid) is False
    line_client.tap(uid, "i=producer.stop_reminders")  # the quick reply under every reminder
    line_client.say(uid, "ยกเลิก")  # changed their mind: still on
    assert opted_out(db, uid) is False
    line_client.tap(uid, "i=producer.stop_reminders")
    line_client.say(uid, "ยืนยัน")
    assert opted_out(db, uid) is True


def test_officer_stops_digests_with_the_same_words(line_client, db, area):
    line_client.say(OFFICER, "หยุดแจ้งเตือน")
    got = line_client.say(OFFICER, "ยืนยัน")
    assert "หยุดส่งการแจ้งเตือน" in texts(got) and opted_out(db, OFFICER) is True
    line_client.say(OFFICER, "รับแจ้งเตือน")
    assert "เปิดรับการแจ้งเตือนแล้ว" in texts(line_client.say(OFFICER, "ยืนยัน"))
    assert opted_out(db, OFFICER) is False


def test_officer_reminds_the_area_after_confirming_the_count(line_client, db, fake_line, area):
    got = line_client.say(OFFICER, "เตือนผู้ผลิตในอำเภอเมืองเชียงใหม่ให้เพิ่มเบอร์โทร")
    assert "1 ราย" in texts(got) and "เบอร์โทรศัพท์" in texts(got)  # p00 only: p01 opted out, p02 has a phone
    assert [q["text"] for q in quick_replies(got)] == ["ยืนยัน", "ยกเลิก"]
    assert fake_line.delivered_to(PRODUCERS[0]) == []
    assert "ส่งข้อความเตือนถึงผู้ผลิต 1 รายแล้วค่ะ" in texts(line_client.say(OFFICER, "ยืนยัน"))
    [message] = fake_line.delivered_to(PRODUCERS[0])
    assert "เบอร์โทรศัพท์" in message["text"]
    assert [q["action"]["data"] for q in message["quickReply"]["items"]][:2] == [
        "i=producer.missing", "i=producer.update_phone"]
    for other in PRODUCERS[1:]:
        assert fake_line.delivered_to(other) == []
    with db() as s:
        assert s.scalars(select(ReminderLog.user_id).where(ReminderLog.kind == "area")).all() == [PRODUCERS[0]]
    again = line_client.say(OFFICER, "เตือนผู้ผลิตในอำเภอเมืองเชียงใหม่ให้เพิ่มเบอร์โทร")
    assert "ส่งข้อความเตือนนี้ไปแล้ว" in texts(again)


def test_reminder_to_the_whole_district_goes_as_one_multicast(line_client, db, fake_line, area):
    got = line_client.tap(OFFICER, "i=officer.remind_area&district_code=5001")
    assert "2 ราย" in texts(got)
    line_client.say(OFFICER, "ยืนยัน")
    multicasts = fake_line.calls("/v2/bot/message/multicast")
    assert len(multicasts) == 1 and sorted(multicasts[0].body["to"]) == [PRODUCERS[0], PRODUCERS[2]]


def test_cancelled_reminder_sends_nothing(line_client, db, fake_line, area):
    line_client.tap(OFFICER, "i=officer.remind_area&district_code=5001")
    assert "ยกเลิก" in texts(line_client.say(OFFICER, "ยกเลิก"))
    with db() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.purpose == "remind:area")) == 0
    assert fake_line.delivered_to(PRODUCERS[0]) == []


def test_officer_cannot_remind_another_district(line_client, db, fake_line, area):
    got = line_client.tap(OFFICER, "i=officer.remind_area&district_code=5002")
    assert "ราย" not in texts(got)
    assert fake_line.delivered_to(PRODUCERS[3]) == []
