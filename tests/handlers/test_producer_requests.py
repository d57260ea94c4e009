"""Closure (case 1) and relocation asked in chat: the form, confirmation, the request, the
district's officers told; where the request stands at each step; withdrawing; relocation
carried through by the officers (domain calls standing in for the officer side) keeps the
producer's data linked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.testing import quick_replies, texts
from handlers.context import BANGKOK
from handlers.replies import decode_postback
from models import LineAccount, Producer, Product, RegistrationStatus, Request, RequestStatus, unit_of_work, utcnow
from registry import workflows as wf
from registry.ids import format_date_th
from tests.handlers.producer_world import (OFFICER_A, OFFICER_B, OUTSIDE_OFFICER, PRODUCER, PROVINCE_OFFICER,
                                           TARGET_OFFICER, World, received, world)  # noqa: F401


def requests(db) -> list[Request]:
    with db() as s:
        return list(s.scalars(select(Request).order_by(Request.id)))


def officer(db, user_id: str) -> wf.Actor:
    with db() as s:
        return wf.Actor.from_account(s.get(LineAccount, user_id))


def test_closure_form_confirmation_request_notice_and_status(line_client, db, fake_line, world: World):
    got = line_client.say(PRODUCER, "ขอเลิกกิจการค่ะ")
    assert "เหตุผล" in texts(got)
    assert "อย่างน้อย 3" in texts(line_client.say(PRODUCER, "อ"))
    assert "วันที่" in texts(line_client.say(PRODUCER, "อายุมากแล้ว ไม่มีคนสืบต่อ"))
    assert "ไม่ถูกต้อง" in texts(line_client.say(PRODUCER, "เดือนหน้า"))
    today = utcnow().astimezone(BANGKOK).date()
    too_far = today + timedelta(days=400)
    assert "ภายใน 1 ปี" in texts(line_client.say(PRODUCER, format_date_th(too_far)))
    when = today + timedelta(days=10)
    got = line_client.say(PRODUCER, format_date_th(when))
    assert "ยืนยัน" in texts(got) and format_date_th(when) in texts(got)
    assert [q["label"] for q in quick_replies(got)] == ["ยืนยัน", "ย้อนกลับ", "ไม่ดำเนินการต่อ"]  # not "ยกเลิก" here
    assert requests(db) == []  # nothing before the confirmation
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    [request] = requests(db)
    assert (request.kind.value, request.step, request.reason, request.effective_on, request.created_by) == (
        "closure_present", "district_subcommittee", "อายุมากแล้ว ไม่มีคนสืบต่อ", when, PRODUCER)
    assert f"เลขที่คำขอ {request.id}" in got and wf.STEP_LABELS["district_subcommittee"] in got
    for who in (OFFICER_A, OFFICER_B):
        seen = received(fake_line, who)
        assert wf.EVENT_LABELS["submitted"] in seen and f"คำขอเลขที่ {request.id}" in seen
    assert received(fake_line, TARGET_OFFICER) == "" and received(fake_line, OUTSIDE_OFFICER) == ""
    # a second filing while one is open is refused with a button to the open one
    got = line_client.say(PRODUCER, "ขอเลิกกิจการ")
    assert f"เลขที่ {request.id}" in texts(got)
    assert len(requests(db)) == 1
    # where it stands, at any time, and after each officer step
    got = texts(line_client.say(PRODUCER, "คำขอถึงไหนแล้วคะ"))
    assert "รอคณะอนุกรรมการระดับอำเภอ" in got and "(นตผ.) พิจารณา" in got and wf.ACTION_LABELS["submit"] in got  # นตผ. spelled out
    with unit_of_work(db) as s:
        wf.act(s, officer(db, OFFICER_A), request.id, "approve", expected_step="district_subcommittee",
               meeting_date=today)
    got = texts(line_client.tap(PRODUCER, f"i=request.view&request_id={request.id}"))
    assert "ยกเลิกทะเบียนในระบบ" in got and f"ประชุม {format_date_th(today)}" in got
    assert "ถอนคำขอ" not in got  # an officer acted: no withdrawing any more


def test_closure_cancelled_at_the_confirmation_files_nothing(line_client, db, world: World):
    line_client.tap(PRODUCER, "i=producer.request_closure&reason=ขาดทุนต่อเนื่อง")
    got = line_client.tap(PRODUCER, "i=flow.answer&v=วันนี้")
    assert "ขาดทุนต่อเนื่อง" in texts(got)
    got = texts(line_client.say(PRODUCER, "ไม่"))
    assert "ยังไม่ได้ส่งคำขอ" in got
    assert requests(db) == []
    with db() as s:
        assert s.get(Producer, world.producer_id).status is RegistrationStatus.ACTIVE


def test_producer_withdraws_before_any_officer_acts(line_client, db, fake_line, world: World):
    line_client.tap(PRODUCER, "i=producer.request_closure&reason=ขาดทุนต่อเนื่อง")
    line_client.say(PRODUCER, "วันนี้")
    line_client.say(PRODUCER, "ยืนยัน")
    [request] = requests(db)
    got = line_client.say(PRODUCER, "สถานะคำขอ")
    withdraw = next(q for q in quick_replies(got) if "producer.withdraw_request" in q.get("data", ""))
    assert "ยืนยันถอนคำขอ" in texts(line_client.tap(PRODUCER, withdraw["data"]))
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert f"ถอนคำขอเลขที่ {request.id} แล้ว" in got
    [request] = requests(db)
    assert (request.status, request.step) == (RequestStatus.CANCELLED, "cancelled")
    assert wf.EVENT_LABELS["withdrawn"] in received(fake_line, OFFICER_A)


def test_officer_sees_the_request_with_action_postbacks(line_client, db, world: World):
    line_client.tap(PRODUCER, "i=producer.request_closure&reason=ขาดทุนต่อเนื่อง")
    line_client.say(PRODUCER, "วันนี้")
    line_client.say(PRODUCER, "ยืนยัน")
    [request] = requests(db)
    got = line_client.tap(OFFICER_A, f"i=request.view&request_id={request.id}")
    assert "กลุ่มทอผ้าบ้านสันกำแพง" in texts(got)
    actions = [decode_postback(q["data"]) for q in quick_replies(got)]
    assert {"i": "request.act", "request_id": str(request.id), "action": "approve",
            "step": "district_subcommittee"} in actions
    assert {"i": "request.reject", "request_id": str(request.id), "step": "district_subcommittee"} in actions
    got = texts(line_client.tap(OUTSIDE_OFFICER, f"i=request.view&request_id={request.id}"))
    assert wf.ERROR_MESSAGES["out_of_area"] in got and "กลุ่มทอผ้า" not in got


def test_relocation_questions_give_examples_from_the_places_chosen(line_client, db, world: World):
    """The example district is one of the chosen province (not the producer's own district),
    the example sub-district one of the chosen district."""
    from registry import gazetteer

    line_client.say(PRODUCER, "ขอแจ้งย้ายสถานประกอบการ")
    got = texts(line_client.tap(PRODUCER, "i=flow.answer&v=code:57"))  # เชียงราย
    assert "อำเภอใดในจังหวัดเชียงรายคะ" in got and "เช่น เมืองเชียงราย" in got
    line_client.say(PRODUCER, "ยกเลิก")
    line_client.say(PRODUCER, "ขอแจ้งย้ายสถานประกอบการ")
    got = texts(line_client.tap(PRODUCER, "i=flow.answer&v=code:50"))  # their own province
    own = producer_district(db, world)
    example = got.split("เช่น ")[1].split()[0]
    assert example in {d.name_th for d in gazetteer.districts("50") if d.code != own}
    got = texts(line_client.say(PRODUCER, "แม่อาย"))
    example = got.split("เช่น ")[1].split()[0]
    assert "ตำบลใดในอำเภอแม่อายคะ" in got
    assert example in {x.name_th for x in gazetteer.subdistricts(gazetteer.resolve_district("แม่อาย", "50").place.code)}


def test_a_province_name_typed_for_the_district_is_not_taken_for_a_district_like_it(line_client, db, world: World):
    line_client.say(PRODUCER, "ขอแจ้งย้ายสถานประกอบการ")
    line_client.tap(PRODUCER, "i=flow.answer&v=code:56")  # พะเยา
    got = texts(line_client.say(PRODUCER, "เชียงใหม่"))  # a province, close to อ.เชียงม่วน (พะเยา)
    assert "ไม่พบอำเภอนี้ในจังหวัดพะเยา" in got and "เชียงม่วน" not in got
    assert "ตำบล" in texts(line_client.say(PRODUCER, "เชียงม่วน"))  # the district itself still works


def producer_district(db, world: World) -> str:  # type: ignore[no-untyped-def]
    with db() as s:
        return s.get(Producer, world.producer_id).district_code


def test_relocation_to_another_district_asked_back_confirmed_and_carried_through(line_client, db, fake_line,
                                                                                 world: World):
    got = line_client.say(PRODUCER, "ขอแจ้งย้ายสถานประกอบการ")
    assert "จังหวัดใด" in texts(got)
    assert [q["label"] for q in quick_replies(got)] == ["ส่งตำแหน่ง", "เชียงใหม่ (เดิม)"]  # and LINE's location button
    assert "ไม่พบจังหวัด" in texts(line_client.say(PRODUCER, "ดาวอังคาร"))
    assert "อำเภอใด" in texts(line_client.tap(PRODUCER, "i=flow.answer&v=code:50"))
    assert "อำเภอเดิม" in texts(line_client.say(PRODUCER, "เมืองเชียงใหม่"))
    got = line_client.say(PRODUCER, "แม่อ")  # แม่อาย or แม่ออน: asked back with buttons
    picks = {q["label"]: decode_postback(q["data"]) for q in quick_replies(got) if q["type"] == "postback"}
    assert set(picks) == {"แม่อาย (เชียงใหม่)", "แม่ออน (เชียงใหม่)"}
    assert "ตำบล" in texts(line_client.tap(PRODUCER, "i=flow.answer&v=" + picks["แม่อาย (เชียงใหม่)"]["v"]))
    line_client.say(PRODUCER, "ข้าม")
    got = line_client.say(PRODUCER, "ข้าม")
    assert "อ.แม่อาย จ.เชียงใหม่" in texts(got) and "อ.เมืองเชียงใหม่" in texts(got)
    assert requests(db) == []
    line_client.say(PRODUCER, "ยกเลิก")  # changed their mind midway: nothing filed
    assert requests(db) == []
    # the NLU's places prefill the form: straight to the optional questions
    line_client.say(PRODUCER, "ขอย้ายไปอำเภอแม่ริม")
    line_client.say(PRODUCER, "ริมใต้")
    line_client.say(PRODUCER, "ใกล้ตลาดมากขึ้น")
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    [request] = requests(db)
    assert (request.kind.value, request.target_province_code, request.target_district_code,
            request.target_subdistrict_code, request.reason) == ("relocation", "50", "5007", "500701",
                                                                 "ใกล้ตลาดมากขึ้น")
    assert f"เลขที่คำขอ {request.id}" in got
    assert wf.EVENT_LABELS["submitted"] in received(fake_line, OFFICER_A)
    assert received(fake_line, TARGET_OFFICER) == ""  # the new district hears at handover
    # the officer side carries it through (their handlers are issue 6): old district cancels,
    # new district registers
    with unit_of_work(db) as s:
        wf.act(s, officer(db, OFFICER_A), request.id, "cancel_in_system", expected_step="old_district_cancel")
    with unit_of_work(db) as s:
        wf.act(s, officer(db, TARGET_OFFICER), request.id, "register", expected_step="new_district_register")
    with db() as s:
        done = s.get(Request, request.id)
        new = s.get(Producer, done.new_producer_id)
        assert new.previous_id == world.producer_id and new.district_code == "5007" and new.name == "กลุ่มทอผ้าบ้านสันกำแพง"
        assert {p.producer_id for p in s.scalars(select(Product).where(Product.id.in_([world.silk_id, world.cotton_id])))} == {new.id}
        assert s.get(LineAccount, PRODUCER).producer_id == new.id
    # the producer sees the new registration with the same products, and the request history
    shown = texts(line_client.say(PRODUCER, "ข้อมูลของฉัน"))
    assert new.code in shown and "ผ้าไหมทอมือ" in shown and "แม่อาย" not in shown
    got = texts(line_client.tap(PRODUCER, f"i=request.view&request_id={request.id}"))
    assert wf.STEP_LABELS["done"] in got and wf.ACTION_LABELS["register"] in got


def test_requests_need_an_active_registration(line_client, db, world: World):
    with unit_of_work(db) as s:
        s.get(Producer, world.producer_id).status = RegistrationStatus.CLOSED
    for text in ("ขอเลิกกิจการ", "ขอย้ายไปอำเภอแม่ริม", "เปลี่ยนเบอร์โทร"):
        assert "เลิกกิจการ" in texts(line_client.say(PRODUCER, text)), text
    assert requests(db) == []
