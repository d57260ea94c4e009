"""Every flow declared in the engine (a new flow is covered by being registered), at every
question: cancel and help in five phrasings each, a typed menu label and a side question.
Nothing is stored as an answer, the form resumes with what it had, and cancel leaves the data
as it was (issue 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import handlers
from bot.testing import texts
from handlers.engine import FLOWS
from models import AuditEntry, ConversationState, PendingChange, Request, Role, unit_of_work, utcnow
from tests.handlers.producer_world import OFFICER_A, PRODUCER, World, world  # noqa: F401

UNLINKED = "U" + "9" * 31 + "9"
CANCELS = ("ยกเลิกค่ะ ไม่แก้แล้ว", "ไม่เอาแล้วค่ะ", "พอก่อน", "ยกเลิก", "ขอยกเลิกก่อนนะคะ")
HELPS = ("งงค่ะ ช่วยด้วย ต้องพิมพ์ยังไง", "ช่วยเหลือ", "ไม่เข้าใจค่ะ", "ต้องพิมพ์อะไรคะ", "?")
# (user, a menu label typed by hand, a side question) per kind of user
USERS = {
    "producer": (PRODUCER, "ข้อมูลของฉัน", "ยังขาดอะไรบ้างคะ"),
    "officer": (OFFICER_A, "คำขอรออนุมัติ", "มีคำขอรออนุมัติไหมคะ"),
    "anyone": (UNLINKED, "เมนู", "ทำอะไรได้บ้างคะ"),
}

handlers.load_all()


def user_kind(flow) -> str:
    if Role.PRODUCER in flow.roles:
        return "producer"
    if Role.DISTRICT in flow.roles:
        return "officer"
    return "anyone"


def fingerprint(db) -> tuple:
    with db() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (AuditEntry, PendingChange, Request))


def put_state(db, user: str, flow: str, slot: str) -> None:
    with unit_of_work(db) as s:
        old = s.get(ConversationState, user)
        if old is not None:
            s.delete(old)
            s.flush()
        s.add(ConversationState(user_id=user, flow=flow, state=slot, slots={"_given": "kept"}, retries=0,
                                expires_at=utcnow() + timedelta(hours=30)))


def stored(db, user: str):
    with db() as s:
        row = s.get(ConversationState, user)
        return None if row is None else (row.flow, row.state, dict(row.slots))


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_every_question_of_every_flow_survives_global_words_and_side_questions(name, line_client, db,
                                                                                world: World):
    flow = FLOWS[name]
    user, label, side = USERS[user_kind(flow)]
    before = fingerprint(db)
    for slot in flow.slots:
        expected = (name, slot.name, {"_given": "kept"})
        for word in (*HELPS, label, side):
            put_state(db, user, name, slot.name)
            got = texts(line_client.say(user, word))
            assert "ขออภัยค่ะ ระบบขัดข้อง" not in got, (name, slot.name, word)
            assert stored(db, user) == expected, (name, slot.name, word, got)
            if word == side or word == label:
                assert "ทำต่อ" in got, (name, slot.name, word, got)
                texts(line_client.tap(user, "i=flow.resume"))
                assert stored(db, user) == expected
        for word in CANCELS:
            put_state(db, user, name, slot.name)
            got = texts(line_client.say(user, word))
            assert got and "ไม่ถูกต้อง" not in got, (name, slot.name, word, got)
            assert stored(db, user) is None, (name, slot.name, word)
    assert fingerprint(db) == before
