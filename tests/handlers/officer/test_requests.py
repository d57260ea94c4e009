"""Committee workflows played through the webhook: approve, reject at each step, two officers
on one step, self-approval and out-of-area refused; replies, database state and audit rows."""

from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import select

from bot.testing import quick_replies, texts
from models import AuditEntry, Producer, RegistrationStatus, Request, RequestStatus, RequestStep, unit_of_work, utcnow
from registry import workflows as wf
from tests.handlers.officer.helpers import (CENTRAL, DIST, DIST2, OTHER, PRODUCER, PROV, data_of, link_producer,
                                            notice_texts, notices_to, officers)
from tests.registry import factories as f


@pytest.fixture
def setup(db):
    officers(db)
    with unit_of_work(db) as s:
        p = f.producer(s, "5001")
        pid = p.id
    link_producer(db, pid)
    return pid


def _file_closure(db, pid: int) -> int:
    """Case 1 filed by the producer."""
    from datetime import date

    with unit_of_work(db) as s:
        p = s.get(Producer, pid)
        out = wf.submit_closure(s, f.producer_actor(p, PRODUCER), pid, "เลิกผลิตแล้ว", date(2024, 1, 31))
        return out.request.id


def steps(db, rid: int) -> list[tuple[str | None, str, str, str]]:
    with db() as s:
        return f.steps_of(s, rid)


def card_action(line_client, user: str, label: str) -> str:
    got = line_client.tap(user, "i=officer.pending_requests")
    return data_of(got, label)


def test_list_shows_age_overdue_and_actions(line_client, db, setup):
    rid = _file_closure(db, setup)
    with unit_of_work(db) as s:
        s.get(Request, rid).step_since = utcnow() - timedelta(days=45)
    got = line_client.tap(DIST, "i=officer.pending_requests")
    text = texts(got)
    assert f"#{rid}" in text and "รอที่ขั้นตอนนี้ 45 วัน" in text and "เกินกำหนด" in text
    assert dict(parse_qsl(data_of(got, "อนุมัติ"))) == {"i": "request.act", "request_id": str(rid),
                                                          "action": "approve", "step": "district_subcommittee"}
    assert dict(parse_qsl(data_of(got, "ไม่อนุมัติ"))) == {"i": "request.reject", "request_id": str(rid),
                                                             "step": "district_subcommittee"}
    # another district does not see it
    assert "ไม่มีคำขอ" in texts(line_client.tap(OTHER, "i=officer.pending_requests"))


def test_case1_approve_then_cancel_in_system(line_client, db, setup, fake_line):
    rid = _file_closure(db, setup)
    got = line_client.tap(DIST, card_action(line_client, DIST, "อนุมัติ"))
    assert "นตผ. อำเภอ" in texts(got) and "วันที่" in texts(got)
    assert "อนาคต" in texts(line_client.say(DIST, "พรุ่งนี้"))
    got = line_client.say(DIST, "วันนี้")
    assert "ยืนยันอนุมัติ" in texts(got) and f"เลขที่ {rid}" in texts(got)
    assert steps(db, rid)[-1][2] == "submit"  # nothing before the confirmation
    got = line_client.say(DIST, "ยืนยัน")
    assert "บันทึกอนุมัติแล้ว" in texts(got) and wf.STEP_LABELS["district_cancel"] in texts(got)
    with db() as s:
        step = s.scalars(select(RequestStep).where(RequestStep.request_id == rid).order_by(RequestStep.id.desc())).first()
        assert (step.action, step.actor, step.meeting_date is not None) == ("approve", DIST, True)
    assert "notice:step_approved" in notices_to(db, PRODUCER)
    # next step: cancel in the system, no date asked
    got = line_client.tap(DIST, card_action(line_client, DIST, "ยกเลิกทะเบียนในระบบ"))
    assert "ยืนยันยกเลิกทะเบียนในระบบ" in texts(got)
    got = line_client.say(DIST, "ยืนยัน")
    assert "เสร็จสิ้น" in texts(got)
    with db() as s:
        assert s.get(Producer, setup).status is RegistrationStatus.CLOSED
        assert s.get(Request, rid).status is RequestStatus.DONE
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "producer", AuditEntry.entity_id == setup)).all()
        assert any(a.field == "status" and a.new_value == "closed" and a.actor == DIST for a in audit)
    assert "notice:cancelled_in_system" in notices_to(db, PRODUCER)
    assert "notice:reported_to_province" in notices_to(db, PROV)


CASES = {
    "closure_present": ["district_subcommittee", "district_cancel"],
    "closure_absent": ["fact_check", "network_committee", "district_subcommittee", "district_cancel"],
    "relocation": ["old_district_cancel", "new_district_register"],
}


def _open(db, kind: str, pid: int) -> int:
    with unit_of_work(db) as s:
        p = s.get(Producer, pid)
        if kind == "closure_present":
            from datetime import date
            return wf.submit_closure(s, f.producer_actor(p, PRODUCER), pid, "เลิกผลิต", date(2024, 1, 31)).request.id
        if kind == "closure_absent":
            return wf.start_absent_closure(s, f.province_officer("50", 9), pid, "ไม่อยู่ในพื้นที่").request.id
        return wf.submit_relocation(s, f.producer_actor(p, PRODUCER), pid, "50", "5002").request.id


def _advance_to(db, rid: int, step: str) -> None:
    """Move a request to `step` with the domain (not what is tested here)."""
    from datetime import date

    with unit_of_work(db) as s:
        while (req := s.get(Request, rid)).step != step:
            action = next(iter(wf.MACHINES[req.kind].steps[req.step]))
            who = f.district_officer("5002", 7) if req.step == "new_district_register" else f.district_officer("5001", 7)
            wf.act(s, who, rid, action, meeting_date=date(2024, 1, 5), note="ตรวจแล้ว ไม่พบผู้ประกอบการ")


@pytest.mark.parametrize("kind,step", [(k, s) for k, steps_ in CASES.items() for s in steps_])
def test_reject_at_each_step(line_client, db, setup, kind, step):
    rid = _open(db, kind, setup)
    _advance_to(db, rid, step)
    officer = OTHER if step == "new_district_register" else DIST
    got = line_client.tap(officer, f"i=request.reject&request_id={rid}&step={step}")
    assert "เหตุผล" in texts(got)
    got = line_client.say(officer, "เอกสารไม่ครบถ้วน")
    assert "ยืนยันไม่อนุมัติ" in texts(got) and "เอกสารไม่ครบถ้วน" in texts(got)
    got = line_client.say(officer, "ยืนยัน")
    assert "บันทึกไม่อนุมัติแล้ว" in texts(got)
    with db() as s:
        req = s.get(Request, rid)
        assert req.status is RequestStatus.REJECTED
        last = f.steps_of(s, rid)[-1]
        assert last == (step, "rejected", "reject", officer)
        if step == "new_district_register":  # the old registration is reinstated, audited
            assert s.get(Producer, setup).status is RegistrationStatus.ACTIVE
            assert s.scalars(select(AuditEntry).where(AuditEntry.entity == "producer", AuditEntry.entity_id == setup,
                                                      AuditEntry.field == "status", AuditEntry.actor == officer)).all()
    assert "notice:rejected" in notices_to(db, PRODUCER)
    assert "เอกสารไม่ครบถ้วน" in notice_texts(db, PRODUCER)


def test_relocation_registered_by_the_new_district(line_client, db, setup):
    rid = _open(db, "relocation", setup)
    _advance_to(db, rid, "new_district_register")
    assert "ไม่มีคำขอ" in texts(line_client.tap(DIST, "i=officer.pending_requests"))  # the old district is done
    line_client.tap(OTHER, card_action(line_client, OTHER, "ลงทะเบียนที่ใหม่"))
    got = line_client.say(OTHER, "ยืนยัน")
    assert "เสร็จสิ้น" in texts(got)
    with db() as s:
        req = s.get(Request, rid)
        new = s.get(Producer, req.new_producer_id)
        assert (new.district_code, new.previous_id, new.status) == ("5002", setup, RegistrationStatus.ACTIVE)


def test_two_officers_on_the_same_step_make_one_transition(line_client, db, setup):
    rid = _file_closure(db, setup)
    act = card_action(line_client, DIST, "อนุมัติ")
    line_client.tap(DIST, act)
    line_client.tap(DIST2, act)
    line_client.say(DIST, "วันนี้")
    line_client.say(DIST2, "วันนี้")
    assert "บันทึกอนุมัติแล้ว" in texts(line_client.say(DIST, "ยืนยัน"))
    got = line_client.say(DIST2, "ยืนยัน")
    assert "มีผู้ดำเนินการไปแล้ว" in texts(got) and wf.STEP_LABELS["district_cancel"] in texts(got)
    assert [s[2] for s in steps(db, rid)] == ["submit", "approve"]


def test_concurrent_confirmations_in_two_workers(line_client, db, setup, runtime):
    """Both confirmations processed at the same moment by two threads (two web processes)."""
    rid = _file_closure(db, setup)
    act = card_action(line_client, DIST, "อนุมัติ")
    for user in (DIST, DIST2):
        line_client.tap(user, act)
        line_client.say(user, "วันนี้")
    from bot.dispatch import store_events

    before = {u: len(line_client.fake.delivered_to(u)) for u in (DIST, DIST2)}
    events = [line_client.text_event(u, "ยืนยัน") for u in (DIST, DIST2)]
    for e in events:
        line_client.fake.reply_tokens.setdefault(e["replyToken"], e["source"]["userId"])
    ids = store_events(runtime.factory, events)
    barrier = threading.Barrier(2)

    def run(eid: str) -> None:
        barrier.wait()
        runtime.deliver_soon(runtime.processor.process(eid))  # the event worker sends its replies at once

    threads = [threading.Thread(target=run, args=(eid,)) for eid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    runtime.wait_idle(10)
    assert [s[2] for s in steps(db, rid)] == ["submit", "approve"]
    # each officer's reply, whatever its order with the step's notice pushed to the other
    since = {u: texts(line_client.fake.delivered_to(u)[before[u]:]) for u in (DIST, DIST2)}
    winner, loser = (DIST, DIST2) if "บันทึกอนุมัติแล้ว" in since[DIST] else (DIST2, DIST)
    assert "บันทึกอนุมัติแล้ว" in since[winner] and "มีผู้ดำเนินการไปแล้ว" in since[loser]


def test_officer_who_started_a_closure_cannot_approve_it(line_client, db, setup):
    got = line_client.tap(DIST, f"i=officer.start_closure&producer_id={setup}")
    assert "เหตุผล" in texts(got)
    got = line_client.say(DIST, "ไม่อยู่ในพื้นที่แล้ว ย้ายไปต่างประเทศ")
    assert "ยืนยันเริ่มเรื่องยกเลิกทะเบียน" in texts(got)
    got = line_client.say(DIST, "ยืนยัน")
    assert "เริ่มเรื่องแล้ว" in texts(got)
    with db() as s:
        req = s.scalars(select(Request).where(Request.producer_id == setup)).one()
        rid, step = req.id, req.step
        assert (req.kind.value, req.created_by) == ("closure_absent", DIST)
    assert "notice:submitted" in notices_to(db, PRODUCER)
    got = line_client.tap(DIST, f"i=request.act&request_id={rid}&action=record_fact_check&step={step}")
    assert wf.ERROR_MESSAGES["own_request"] in texts(got)
    got = line_client.tap(DIST, f"i=request.reject&request_id={rid}&step={step}")
    assert wf.ERROR_MESSAGES["own_request"] in texts(got)
    got = line_client.say(DIST, f"บันทึกผลการประชุมคำขอ {rid}")
    assert wf.ERROR_MESSAGES["own_request"] in texts(got)
    # a second officer records the fact check: note, then the date
    line_client.tap(DIST2, f"i=request.act&request_id={rid}&action=record_fact_check&step={step}")
    line_client.say(DIST2, "ไปตรวจแล้ว ไม่พบผู้ประกอบการ")
    got = line_client.say(DIST2, "วันนี้")
    assert "ผลการตรวจสอบ: ไปตรวจแล้ว" in texts(got)
    line_client.say(DIST2, "ยืนยัน")
    assert [s[2] for s in steps(db, rid)] == ["submit", "record_fact_check"]
    assert len(steps(db, rid)) == 2 and steps(db, rid)[-1][3] == DIST2


def test_out_of_area_and_central_refused(line_client, db, setup):
    rid = _file_closure(db, setup)
    got = line_client.tap(OTHER, f"i=request.act&request_id={rid}&action=approve&step=district_subcommittee")
    assert wf.ERROR_MESSAGES["out_of_area"] in texts(got)
    got = line_client.tap(CENTRAL, f"i=request.act&request_id={rid}&action=approve&step=district_subcommittee")
    assert wf.ERROR_MESSAGES["not_allowed"] in texts(got)
    got = line_client.say(OTHER, f"อนุมัติคำขอ {rid}")
    assert wf.ERROR_MESSAGES["out_of_area"] in texts(got)
    assert [s[2] for s in steps(db, rid)] == ["submit"]
    # the province officer of the province may act
    line_client.say(PROV, f"อนุมัติคำขอ {rid}")
    line_client.say(PROV, "วันนี้")
    line_client.say(PROV, "ยืนยัน")
    assert [s[2] for s in steps(db, rid)] == ["submit", "approve"]


def test_reject_by_text_needs_confirmation(line_client, db, setup):
    rid = _file_closure(db, setup)
    got = line_client.say(DIST, f"ไม่อนุมัติคำขอ {rid} เพราะเอกสารไม่ครบ")
    assert "ยืนยันไม่อนุมัติ" in texts(got) and "เอกสารไม่ครบ" in texts(got)
    assert "ไม่ได้ดำเนินการต่อ" in texts(line_client.say(DIST, "ยกเลิก"))  # not "ยกเลิกแล้ว": the request is not cancelled
    assert [s[2] for s in steps(db, rid)] == ["submit"]


def test_stale_card_is_refused(line_client, db, setup):
    rid = _file_closure(db, setup)
    act = card_action(line_client, DIST, "อนุมัติ")
    _advance_to(db, rid, "district_cancel")
    got = line_client.tap(DIST, act)
    assert "มีผู้ดำเนินการไปแล้ว" in texts(got)


def test_a_typed_number_in_start_closure_is_a_registry_code_not_a_database_id(line_client, db, setup):
    """Asked which producer, the officer types a number: it is looked up as a registry code,
    never as a database id (which would start closing whichever record has that id)."""
    with unit_of_work(db) as s:
        other = f.producer(s, "5001")
        other.name, s.get(Producer, setup).name = "กลุ่มทอผ้าบ้านดอน", "กลุ่มจักสานบ้านใหม่"  # no digits
        other_id, other_code, own_code = other.id, other.code, s.get(Producer, setup).code
    assert str(other_id) not in (other_code, own_code)
    got = line_client.tap(DIST, "i=officer.start_closure")
    assert "ผู้ประกอบการรายใด" in texts(got)
    got = line_client.say(DIST, str(other_id))
    assert "เหตุผล" not in texts(got)  # not accepted as a producer
    got = line_client.say(DIST, other_code)  # the code is
    assert "เหตุผล" in texts(got)
    line_client.say(DIST, "ไม่อยู่ในพื้นที่แล้ว")
    line_client.say(DIST, "ยืนยัน")
    with db() as s:
        assert s.scalars(select(Request.producer_id)).all() == [other_id]


def test_committee_dates_in_order_and_each_step_worded_as_its_own(line_client, db, setup):
    """Issue 14: the sub-committee may not have met before the network committee (whose date
    is 5/1/2567 here); the fact check asks for its own date, not a meeting's; one flow for
    every action, the request and step carried as its context."""
    rid = _open(db, "closure_absent", setup)
    got = texts(line_client.tap(DIST, f"i=request.act&request_id={rid}&action=record_fact_check&step=fact_check"))
    line_client.say(DIST, "ไปตรวจแล้ว ไม่พบผู้ประกอบการ")
    with db() as s:
        from models import ConversationState
        assert "ตรวจสอบข้อเท็จจริงเมื่อวันที่" in texts(line_client.say(DIST, "งงค่ะ"))  # its own wording
        assert s.get(ConversationState, DIST).flow == "request.act"
    line_client.say(DIST, "ยกเลิก")
    _advance_to(db, rid, "district_subcommittee")
    line_client.tap(DIST, f"i=request.act&request_id={rid}&action=approve&step=district_subcommittee")
    got = texts(line_client.say(DIST, "1/1/2567"))
    assert "5/1/2567" in got and "ยืนยัน" not in got.split("\n")[0]
    got = texts(line_client.say(DIST, "6/1/2567"))
    assert "ยืนยันอนุมัติ" in got and "วันที่ประชุม: 6/1/2567" in got
    got = texts(line_client.say(DIST, "ยืนยัน"))
    assert "บันทึกบันทึก" not in got and "บันทึกอนุมัติแล้ว" in got


def test_request_card_shows_reason_effective_date_missing_fields_and_spelled_out_abbreviations(line_client, db, setup):
    rid = _file_closure(db, setup)
    got = texts(line_client.tap(DIST, f"i=request.view&request_id={rid}"))
    assert "เหตุผล: เลิกผลิตแล้ว" in got and "มีผลตั้งแต่: 31/1/2567" in got
    assert "ข้อมูลทะเบียน" in got
    assert got.count("คณะกรรมการอำนวยการขับเคลื่อน") == 1 and "(นตผ.)" in got


def test_the_waiting_list_card_and_the_confirmation_show_what_the_producer_asked(line_client, db, setup):
    """Issue 14: the officer approves having seen the producer's reason, the effective date and
    the record's missing fields (abbreviations spelled out once per card); the date question
    offers LINE's picker and an example of this Buddhist year."""
    rid = _file_closure(db, setup)
    got = line_client.tap(DIST, "i=officer.pending_requests")
    card = texts(got)
    assert "เหตุผล: เลิกผลิตแล้ว" in card and "มีผลตั้งแต่: 31/1/2567" in card and "ข้อมูลทะเบียน" in card
    assert card.count("คณะกรรมการอำนวยการขับเคลื่อน") == 1 and "(นตผ.)" in card
    got = line_client.tap(DIST, card_action(line_client, DIST, "อนุมัติ"))
    from datetime import date as _date

    assert f"/{_date.today().year + 543}" in texts(got)
    assert "datetimepicker" in [q["type"] for q in quick_replies(got)]
    got = texts(line_client.say(DIST, "วันนี้"))
    assert "เหตุผลของคำขอ: เลิกผลิตแล้ว" in got and "ขอให้มีผลตั้งแต่: 31/1/2567" in got
