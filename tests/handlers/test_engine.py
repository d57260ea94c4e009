"""The flow engine: global commands in any flow, re-prompts, retries, confirmation, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.testing import quick_replies, texts
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.registry import ANYONE, REGISTRY, handler
from handlers.replies import Text
from models import ConversationState, StoredMedia, unit_of_work

USER = "U00000000000000000000000000000e01"


def _number(value, ctx):
    return Valid(int(value)) if value.strip().isdigit() else Invalid("กรุณาพิมพ์เป็นตัวเลขค่ะ")


def _done(ctx, values):
    ctx.session.add(StoredMedia(user_id=ctx.user_id, message_id=f"t-{values['count']}", location=values["name"], sha256="x"))
    return [Text(f"บันทึก {values['name']} จำนวน {values['count']} แล้วค่ะ")]


TEST_FLOW = register_flow(Flow(
    name="test.sample",
    slots=[Slot("name", "ชื่ออะไรคะ"), Slot("count", "จำนวนเท่าไรคะ", validate=_number)],
    on_done=_done,
    confirm_th=lambda v: f"ยืนยันบันทึก {v['name']} จำนวน {v['count']} ไหมคะ",
))


@pytest.fixture(autouse=True)
def sample_handler():
    @handler("test.sample", roles=ANYONE, replace=True)
    def sample(ctx, slots):
        """Start the test flow."""
        return start(ctx, TEST_FLOW)

    yield
    REGISTRY.pop("test.sample", None)


def state(db):
    with db() as s:
        return s.get(ConversationState, USER)


def stored(db):
    with db() as s:
        return s.scalars(select(StoredMedia)).all()


def test_whole_flow_with_reprompt_and_confirmation(line_client, db):
    assert "ชื่ออะไรคะ" in texts(line_client.tap(USER, "i=test.sample"))
    assert "จำนวนเท่าไรคะ" in texts(line_client.say(USER, "ผ้าไหม"))
    got = line_client.say(USER, "สิบ")
    assert "กรุณาพิมพ์เป็นตัวเลข" in texts(got) and "จำนวนเท่าไรคะ" in texts(got)
    got = line_client.say(USER, "10")
    assert "ยืนยันบันทึก ผ้าไหม จำนวน 10" in texts(got)
    assert [a["label"] for a in quick_replies(got)] == ["ยืนยัน", "ย้อนกลับ", "ยกเลิก"]
    assert stored(db) == []
    assert "บันทึก ผ้าไหม จำนวน 10 แล้ว" in texts(line_client.say(USER, "ยืนยันค่ะ"))
    assert len(stored(db)) == 1 and state(db) is None


def test_cancel_menu_help_work_inside_a_flow(line_client, db):
    line_client.tap(USER, "i=test.sample")
    assert "เลือกเมนู" in texts(line_client.say(USER, "เมนู"))
    got = texts(line_client.say(USER, "ช่วยเหลือ"))  # help about the question being asked
    assert "ตอบคำถาม" in got and "ชื่ออะไรคะ" in got
    assert state(db).state == "name"  # still in the flow
    assert "ยกเลิกเรื่องที่ทำอยู่แล้ว" in texts(line_client.say(USER, "ยกเลิกครับ"))
    assert state(db) is None and stored(db) == []


def test_three_wrong_answers_offer_cancel(line_client, db):
    line_client.tap(USER, "i=test.sample")
    line_client.say(USER, "ผ้า")
    for _ in range(2):
        assert "ยกเลิก" not in [a["label"] for a in quick_replies(line_client.say(USER, "x"))]
    got = line_client.say(USER, "x")
    assert "พิมพ์ ยกเลิก" in texts(got) and "ยกเลิก" in [a["label"] for a in quick_replies(got)]
    assert state(db).retries == 3


def test_state_resumes_next_day_and_expires_after(line_client, db):
    line_client.tap(USER, "i=test.sample")
    st = state(db)
    assert timedelta(hours=24) < st.expires_at - st.updated_at <= timedelta(hours=37)
    with unit_of_work(db) as s:
        s.get(ConversationState, USER).expires_at -= timedelta(hours=37)
    got = line_client.say(USER, "ผ้าไหม")
    assert "หมดเวลา" in texts(got) and state(db) is None


def test_menu_tap_leaves_the_flow(line_client, db):
    line_client.tap(USER, "i=test.sample")
    line_client.tap(USER, "i=account.redeem_code")
    assert state(db).flow == "account.redeem_code"
