"""Every intent that changes data asks for confirmation with a summary, always (issue 13),
however it was started: a first message that carries every answer is read back, not saved
("ขอเปลี่ยนเบอร์เป็น 0891234567" was saved at once). Played through the webhook: the first
message changes nothing and offers "ยืนยัน"; a correction typed at the confirmation replaces
the value; "ยืนยัน" saves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.testing import quick_replies, texts
from models import (AuditEntry, CompletenessTarget, ConversationState, InviteCode, LineAccount, PendingChange, Producer,
                    ProductPhoto, Request, SalesChannel, StarRating)
from tests.handlers.producer_world import (  # noqa: F401
    OFFICER_A, PRODUCER, PROVINCE_OFFICER, World, world,
)

NEXT_YEAR_BE = date.today().year + 544

# (who, the first message, what the read-back shows)
FIRST_MESSAGES = [
    (PRODUCER, "ขอเปลี่ยนเบอร์เป็น 0891234567", "เบอร์โทรศัพท์: 089-123-4567"),
    (PRODUCER, "ได้ 5 ดาวปีนี้ค่ะ อยากบันทึก", "ระดับดาว: 5 ดาว"),
    (PRODUCER, "ช่องทางขาย ออนไลน์ กับ หน้าร้าน", "ช่องทางการขาย: ในประเทศ, ออนไลน์"),
    (PRODUCER, "เปลี่ยนชื่อเจ้าของเป็น นางสมศรี ใจงาม ค่ะ", "ชื่อ-สกุลเจ้าของ: นางสมศรี ใจงาม"),
    (PRODUCER, "ขอเปลี่ยนที่อยู่เป็น 99 หมู่ 3 ต.สุเทพ", "ตำบล: สุเทพ"),
    (PRODUCER, "อยากเปลี่ยนประเภทผู้ผลิตเป็นกลุ่มค่ะ", "ลักษณะผู้ประกอบการ: กลุ่ม"),
    (PRODUCER, "เพิ่ม มผช. ให้ผ้าไหมทอมือ เลข 123/2566 หมดอายุ 31/12/2570 ค่ะ", "123/2566"),
    (PRODUCER, "หยุดแจ้งเตือนค่ะ", "จะหยุดส่งการแจ้งเตือน"),
    (OFFICER_A, "หยุดแจ้งเตือน", "จะหยุดส่งการแจ้งเตือน"),
    (OFFICER_A, "ออกรหัสผูกบัญชี กลุ่มทอผ้าบ้านสันกำแพง", "จะออกรหัสผูกบัญชีให้ กลุ่มทอผ้าบ้านสันกำแพง"),
    (PROVINCE_OFFICER, f"ตั้งเป้าอำเภอแม่ริม 90% ภายใน 31/3/{NEXT_YEAR_BE}", "จะตั้งเป้าให้อำเภอแม่ริม"),
]


def fingerprint(db) -> tuple:
    with db() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m)) for m in (
            AuditEntry, PendingChange, Request, ProductPhoto, InviteCode, CompletenessTarget, SalesChannel, StarRating))
        rows = tuple(s.execute(select(Producer.phone, Producer.address, Producer.owner_name).order_by(Producer.id)))
        opted = tuple(s.scalars(select(LineAccount.reminders_opt_out).order_by(LineAccount.user_id)))
        return counts, rows, opted


@pytest.mark.parametrize(("user", "message", "summary"), FIRST_MESSAGES, ids=[m for _, m, _ in FIRST_MESSAGES])
def test_a_first_message_that_fills_everything_is_read_back_and_saved_only_on_confirm(
        line_client, db, world: World, user, message, summary):
    before = fingerprint(db)
    got = line_client.say(user, message)
    assert summary in texts(got), texts(got)
    assert quick_replies(got)[0]["label"] == "ยืนยัน", texts(got)
    assert fingerprint(db) == before  # nothing changed yet
    with db() as s:
        assert s.get(ConversationState, user).state == "confirm"
    done = texts(line_client.say(user, "ยืนยันค่ะ"))
    assert fingerprint(db) != before, done
    with db() as s:
        assert s.get(ConversationState, user) is None


@pytest.mark.parametrize(("user", "message", "summary"), FIRST_MESSAGES[:3], ids=[m for _, m, _ in FIRST_MESSAGES[:3]])
def test_cancelling_at_the_read_back_changes_nothing(line_client, db, world: World, user, message, summary):
    before = fingerprint(db)
    line_client.say(user, message)
    got = texts(line_client.say(user, "ยกเลิกค่ะ ไม่แก้แล้ว"))
    assert "ยกเลิก" in got and fingerprint(db) == before


def test_a_correction_typed_at_the_read_back_replaces_the_value(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอเปลี่ยนเบอร์เป็น 0891234567")
    got = texts(line_client.say(PRODUCER, "ไม่ใช่ค่ะ เบอร์ 0891234568"))
    assert "แก้ให้แล้ว" in got and "089-123-4568" in got
    line_client.say(PRODUCER, "ยืนยัน")
    line_client.say(PRODUCER, "เปลี่ยนชื่อเจ้าของเป็น นางสมศรี ใจดี")
    assert "ชื่อ-สกุลเจ้าของ: นางสมศรี ใจงาม" in texts(line_client.say(PRODUCER, "ผิดค่ะ นางสมศรี ใจงาม"))
    line_client.say(PRODUCER, "ยืนยัน")
    with db() as s:
        p = s.get(Producer, world.producer_id)
        assert (p.phone, p.owner_name) == ("0891234568", "นางสมศรี ใจงาม")


def test_an_unusable_invite_code_is_refused_before_any_confirmation(line_client, db, world: World):
    got = texts(line_client.say("U" + "8" * 32, "รหัสเชิญ ABCD-EFGH ค่ะ"))
    assert "ไม่พบรหัสนี้" in got and "ยืนยันใช้รหัสนี้" not in got
