"""Every flow declared in the engine (a new flow is covered by being registered), walked for
real through the webhook, and at EVERY prompt it reaches (each question, the choice steps and
the confirmation): cancel and help in five phrasings each, a typed menu label and a side
question; at a closed choice, the non-answers "ไม่ใช่ค่ะ", "อันไหนก็ได้", "ไม่รู้", "555".
Nothing is stored as an answer, the form resumes with what it had ("ทำต่อ"), and cancel leaves
the data as it was (issue 14).

The walk answers each prompt with what the flow declares: the slot's `example`, else its first
choice, a date from LINE's picker, a picture, or "ข้าม". A flow that needs a record to start
from (a request to act on, a change to reject) is started by the tap that opens it
(`STARTS`); every other flow from an empty state."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

import handlers
from bot.testing import quick_replies, texts
from handlers.engine import CONFIRM, CONTEXT_KEY, FLOWS
from handlers.accounts import codes
from models import (AuditEntry, CompletenessTarget, ConversationState, InviteCode, LineAccount, PendingChange, Producer,
                    ProductPhoto, Request, Role, unit_of_work, utcnow)
from registry import workflows as wf
from bot.demo import national_id
from tests.handlers.producer_world import (  # noqa: F401
    NID, OFFICER_A, OFFICER_B, OTHER_NID, PRODUCER, PROVINCE_OFFICER, World, world,
)
from tests.registry import factories as f

UNLINKED = "U" + "9" * 31 + "9"
CANCELS = ("ยกเลิกค่ะ ไม่แก้แล้ว", "ไม่เอาแล้วค่ะ", "พอก่อน", "ยกเลิก", "ขอยกเลิกก่อนนะคะ")
HELPS = ("งงค่ะ ช่วยด้วย ต้องพิมพ์ยังไง", "ช่วยเหลือ", "ไม่เข้าใจค่ะ", "ต้องพิมพ์อะไรคะ", "?")
NON_ANSWERS = ("ไม่ใช่ค่ะ", "อันไหนก็ได้", "ไม่รู้", "555")
FAILED = ("ขออภัยค่ะ ระบบขัดข้อง", "ไม่ถูกต้อง", "ไม่พบ")
# (user, a menu label typed by hand, a side question) per kind of user
USERS = {
    "producer": (PRODUCER, "ข้อมูลของฉัน", "ยังขาดอะไรบ้างคะ"),
    "officer": (OFFICER_A, "คำขอรออนุมัติ", "มีคำขอรออนุมัติไหมคะ"),
    "province": (PROVINCE_OFFICER, "คำขอรออนุมัติ", "มีคำขอรออนุมัติไหมคะ"),
    # an unlinked user has no other command than reaching an officer
    "anyone": (UNLINKED, "เมนู", "ขอคุยกับเจ้าหน้าที่หน่อยค่ะ"),
}

handlers.load_all()
# the application's flows (tests register flows of their own)
DECLARED = sorted(n for n, f in FLOWS.items() if f.on_done.__module__.startswith("handlers."))


def user_kind(flow) -> str:
    if Role.PRODUCER in flow.roles and Role.DISTRICT not in flow.roles:
        return "producer"
    if Role.DISTRICT in flow.roles and None not in flow.roles:
        return "officer"
    if Role.PROVINCE in flow.roles and None not in flow.roles:
        return "province"
    return "anyone"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "JPEG")
    return out.getvalue()


# -- how flows that need a record are opened ------------------------------------------------

def _absent_closure(db, world: World) -> int:
    """A closure of an absent producer started by officer B: officer A records the fact check."""
    with unit_of_work(db) as s:
        actor = wf.Actor(OFFICER_B, Role.DISTRICT, "50", "5001")
        return wf.start_absent_closure(s, actor, world.producer_id, "ผู้ประกอบการย้ายออกจากพื้นที่").request.id


def _closure(db, world: World) -> int:
    with unit_of_work(db) as s:
        p = s.get(Producer, world.producer_id)
        return wf.submit_closure(s, f.producer_actor(p, PRODUCER), world.producer_id, "เลิกผลิตแล้ว",
                                 date.today() + timedelta(days=30)).request.id


def _open_act(line_client, db, world: World) -> None:
    rid = _absent_closure(db, world)
    with db() as s:
        step = s.get(Request, rid).step
    line_client.tap(OFFICER_A, f"i=request.act&request_id={rid}&action=record_fact_check&step={step}")


def _open_reject(line_client, db, world: World) -> None:
    rid = _closure(db, world)
    line_client.tap(OFFICER_A, f"i=request.reject&request_id={rid}&step=district_subcommittee")


def _open_withdraw(line_client, db, world: World) -> None:
    rid = _closure(db, world)
    line_client.tap(PRODUCER, f"i=producer.withdraw_request&request_id={rid}")


def _open_change_reject(line_client, db, world: World) -> None:
    line_client.tap(PRODUCER, f"i=product.category&product_id={world.silk_id}")
    line_client.tap(PRODUCER, "i=flow.answer&v=textile")
    line_client.say(PRODUCER, "ยืนยัน")
    with db() as s:
        change = s.scalars(select(PendingChange)).one()
    line_client.tap(OFFICER_A, f"i=officer.pending_changes&change_id={change.id}&decision=reject")


def _open_duplicate_confirm(line_client, db, world: World) -> None:
    """The producer proposes the national ID another active record holds; the officer confirms."""
    line_client.tap(PRODUCER, "i=producer.update_national_id")
    line_client.say(PRODUCER, OTHER_NID)
    line_client.say(PRODUCER, "ยืนยัน")
    with db() as s:
        change = s.scalars(select(PendingChange)).one()
    line_client.tap(OFFICER_A, f"i=officer.pending_changes&change_id={change.id}&decision=confirm")


def _open_remind(line_client, db, world: World) -> None:
    line_client.say(OFFICER_A, "ส่งแจ้งเตือนผู้ผลิตที่ยังไม่มีเบอร์โทร")


def _open_relocation(line_client, db, world: World) -> None:
    line_client.tap(PRODUCER, "i=producer.request_relocation")


def _open_redeem(line_client, db, world: World) -> None:
    """An unlinked user types a district officer's invite code in a sentence."""
    with unit_of_work(db) as s:
        invite = codes.issue(s, role=Role.DISTRICT, province_code="50", district_code="5001", created_by=OFFICER_A,
                             now=utcnow())
        code = codes.format_code(invite.code)
    line_client.say(UNLINKED, f"ได้รหัสเชิญมาค่ะ {code}")


def _open_reminders_on(line_client, db, world: World) -> None:
    with unit_of_work(db) as s:
        s.get(LineAccount, OFFICER_A).reminders_opt_out = True
    line_client.tap(OFFICER_A, "i=producer.resume_reminders")


def _open_target(line_client, db, world: World) -> None:
    line_client.say(PROVINCE_OFFICER, f"ตั้งเป้าอำเภอแม่ริม 90% ภายใน 31/3/{date.today().year + 544}")


STARTS = {
    "account.redeem_code": _open_redeem,
    "account.reminders_off": lambda line_client, db, world: line_client.tap(OFFICER_A, "i=producer.stop_reminders"),
    "account.reminders_on": _open_reminders_on,
    "officer.set_target": _open_target,
    "officer.issue_link_code": lambda line_client, db, world: line_client.tap(
        OFFICER_A, f"i=officer.issue_link_code&producer_id={world.producer_id}"),
    "producer.request_relocation": _open_relocation,
    "request.act": _open_act,
    "request.reject": _open_reject,
    "producer.withdraw_request": _open_withdraw,
    "officer.pending_changes.reject": _open_change_reject,
    "officer.pending_changes.confirm_duplicate": _open_duplicate_confirm,
    "officer.remind_area": _open_remind,
}


# Answers that name a record of this test's world (a flow's own `example` cannot know them).
SILK, GROUP = "ผ้าไหมทอมือ", "กลุ่มทอผ้าบ้านสันกำแพง"
ANSWERS = {
    ("officer.add_standard", "record"): SILK, ("officer.set_category", "record"): SILK,
    ("officer.set_quadrant", "record"): SILK, ("officer.update_photo", "record"): SILK,
    ("officer.set_national_id", "record"): GROUP, ("officer.set_producer_type", "record"): GROUP,
    ("officer.start_closure", "producer"): GROUP, ("producer.request_relocation", "district"): "แม่ริม",
    ("officer.set_national_id", "value"): national_id("310010000999"), ("producer.link", "national_id"): NID,
    ("producer.update_national_id", "national_id"): national_id("310010000777"),
}


# -- the stored state ------------------------------------------------------------------------

def fingerprint(db) -> tuple:
    """What a cancelled form must not change: audits, held changes, requests, photos, invite codes
    used or issued, targets, reminder choices and the producers' rows."""
    with db() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m))
                       for m in (AuditEntry, PendingChange, Request, ProductPhoto, InviteCode, CompletenessTarget))
        counts += (s.scalar(select(func.count()).select_from(InviteCode).where(InviteCode.used_at.is_not(None))),
                   tuple(s.scalars(select(LineAccount.reminders_opt_out).order_by(LineAccount.user_id))))
        rows = tuple(s.execute(select(Producer.id, Producer.phone, Producer.address, Producer.subdistrict_code,
                                      Producer.owner_name, Producer.status).order_by(Producer.id)).all())
        return counts, rows


def stored(db, user: str):
    with db() as s:
        row = s.get(ConversationState, user)
        return None if row is None else (row.flow, row.state, dict(row.slots or {}))


def put(db, user: str, snapshot) -> None:
    """Put the conversation back exactly as the walk found it at this prompt."""
    flow, state, slots = snapshot
    with unit_of_work(db) as s:
        old = s.get(ConversationState, user)
        if old is not None:
            s.delete(old)
            s.flush()
        s.add(ConversationState(user_id=user, flow=flow, state=state, slots=slots, retries=0,
                                expires_at=utcnow() + timedelta(hours=30)))


# -- answering a prompt the way the flow declares ---------------------------------------------

def answer(line_client, user: str, flow, slot_name: str, prompt_messages, values) -> list:
    slot = flow.slot(slot_name)
    quick = quick_replies(prompt_messages)
    if slot.kind == "photo":
        return line_client.send_image(user, jpeg())
    if (flow.name, slot_name) in ANSWERS:
        return line_client.say(user, ANSWERS[flow.name, slot_name])
    if slot.example is not None:
        example = slot.example(None, values) if callable(slot.example) and _simple(slot.example) else slot.example
        if not callable(example):
            return line_client.say(user, str(example))
    pickers = [q for q in quick if q["type"] == "datetimepicker"]
    if slot.kind == "date" and pickers:
        return line_client.tap(user, pickers[0]["data"], params={"date": pickers[0].get("initial", date.today().isoformat())})
    answers = [q for q in quick if q["type"] == "postback" and "flow.answer" in q["data"]]
    if answers:
        return line_client.tap(user, answers[0]["data"])
    typed = [q for q in quick if q["type"] == "message" and q["text"] not in ("ยกเลิก", "ข้าม")]
    if typed:
        return line_client.say(user, typed[0]["text"])
    if slot.optional:
        return line_client.say(user, "ข้าม")
    raise AssertionError(f"{flow.name}.{slot_name}: declare an example answer (Slot.example)")


def _simple(example) -> bool:
    """An example function that does not need the user (the walk has no Ctx here)."""
    try:
        example(None, {})
        return True
    except Exception:
        return False


def walk(line_client, db, world: World, name: str, user: str) -> list:
    """Open the flow and answer it prompt by prompt; the (snapshot, prompt) of each prompt."""
    flow = FLOWS[name]
    if name in STARTS:
        STARTS[name](line_client, db, world)
        got = None
    else:
        put(db, user, (name, "", {}))
        got = line_client.tap(user, "i=flow.resume")
    if got is None:
        got = _last_prompt(line_client, db, user)
    prompts = []
    for _ in range(len(flow.slots) + 2):
        snapshot = stored(db, user)
        if snapshot is None or snapshot[0] != name:
            break
        prompts.append((snapshot, got))
        if snapshot[1] == CONFIRM:
            break
        values = {k: v for k, v in snapshot[2].items() if k != CONTEXT_KEY}
        got = answer(line_client, user, flow, snapshot[1], got, values)
        after = stored(db, user)
        assert after is None or after != snapshot, (name, snapshot[1], texts(got))
    assert prompts, (name, "the flow did not open")
    return prompts


def _last_prompt(line_client, db, user: str) -> list:
    return line_client.tap(user, "i=flow.resume")


def _question(messages) -> str:
    """The last line of the prompt: the question itself (or the confirmation's last line)."""
    return texts(messages).strip().splitlines()[-1]


@pytest.mark.parametrize("name", DECLARED)
def test_every_prompt_of_every_flow_survives_global_words_and_side_questions(name, line_client, db,
                                                                             world: World):
    flow = FLOWS[name]
    user, label, side = USERS[user_kind(flow)]
    before = fingerprint(db)
    prompts = walk(line_client, db, world, name, user)
    reached = [snapshot[1] for snapshot, _ in prompts]
    asked = [s.name for s in flow.slots if s.when is None and s.name not in prompts[0][0][2]]
    assert set(asked) <= set(reached), (name, asked, reached)  # every question, and
    assert reached[-1] == CONFIRM, (name, reached)  # the confirmation: every flow has one
    for snapshot, prompt in prompts:
        put(db, user, snapshot)
        before = fingerprint(db)
        where = (name, snapshot[1])
        question = _question(prompt)
        for word in HELPS:
            put(db, user, snapshot)
            got = texts(line_client.say(user, word))
            assert not any(x in got for x in FAILED), (*where, word, got)
            assert stored(db, user) == snapshot, (*where, word, got)
            assert question in got, (*where, word, got)
        for word in (label, side):
            put(db, user, snapshot)
            got = texts(line_client.say(user, word))
            assert "ทำต่อ" in got and stored(db, user) == snapshot, (*where, word, got)
            resumed = texts(line_client.tap(user, "i=flow.resume"))
            assert question in resumed and stored(db, user) == snapshot, (*where, word, resumed)
        slot = flow.slot(snapshot[1])
        if slot is not None and slot.kind == "date":  # LINE's picker, and examples of this Buddhist year on
            assert "datetimepicker" in [q["type"] for q in quick_replies(prompt)], where
            years = [int(y) for y in re.findall(r"\d{1,2}/\d{1,2}/(25\d\d)", texts(prompt))]
            assert name == "producer.update_birth_date" or all(y >= date.today().year + 543 for y in years), \
                (*where, texts(prompt))
        choices = [q["label"] for q in quick_replies(prompt)
                   if (q["type"] == "postback" and "flow.answer" in q["data"]) or q["type"] == "message"]
        if slot is not None and slot.choices is not None and choices:
            for word in NON_ANSWERS:
                put(db, user, snapshot)
                got = line_client.say(user, word)
                assert stored(db, user)[:3] == snapshot, (*where, word, texts(got))
                shown = [q["label"] for q in quick_replies(got)]
                assert set(choices) <= set(shown), (*where, word, texts(got), shown)
                assert "ไม่พบ" not in texts(got) and "ไม่ถูกต้อง" not in texts(got), (*where, word, texts(got))
        for word in CANCELS:
            put(db, user, snapshot)
            got = texts(line_client.say(user, word))
            assert got and not any(x in got for x in FAILED), (*where, word, got)
            assert stored(db, user) is None, (*where, word)
            assert fingerprint(db) == before, (*where, word)
