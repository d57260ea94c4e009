"""Wording a Thai producer or officer would notice around closure and relocation requests:
the withdrawal of a relocation names where it was going; a place typed at the address
question is not stored as the address; the confirmation of a cancellation has a stop button
that cannot be read as confirming it."""

from __future__ import annotations

from sqlalchemy import select

from bot.testing import quick_replies, texts
from models import Request, RequestStatus
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


def address_state(db):
    from models import ConversationState

    with db() as s:
        state = s.get(ConversationState, PRODUCER)
        return (state.flow, state.state, {k: v for k, v in state.slots.items() if not k.startswith("_")}) if state else None


def test_a_place_to_move_to_typed_at_the_address_question_offers_the_relocation(line_client, db, world: World):
    line_client.say(PRODUCER, "แก้ที่อยู่")
    got = line_client.say(PRODUCER, "อยากย้ายไปอยู่ลำพูนค่ะ")
    assert "จังหวัดลำพูนอยู่นอกอำเภอเมืองเชียงใหม่ของท่านค่ะ" in texts(got) and "แจ้งย้าย" in texts(got)
    assert address_state(db) == ("producer.update_address", "address", {})  # nothing taken as the address
    move = next(q for q in quick_replies(got) if q["label"] == "แจ้งย้าย")
    got = texts(line_client.tap(PRODUCER, move["data"]))
    assert "ย้ายไปอำเภอใดในจังหวัดลำพูนคะ" in got  # the place read as where to move


def test_a_district_of_the_province_typed_at_the_address_question_names_it(line_client, db, world: World):
    line_client.say(PRODUCER, "แก้ที่อยู่")
    got = texts(line_client.say(PRODUCER, "จะย้ายไปอำเภอแม่ริมค่ะ"))
    assert "อำเภอแม่ริม จังหวัดเชียงใหม่อยู่นอกอำเภอเมืองเชียงใหม่ของท่านค่ะ" in got
    assert address_state(db)[1] == "address"


def test_only_the_own_district_typed_at_the_address_question_asks_for_the_full_address(line_client, db, world: World):
    line_client.say(PRODUCER, "แก้ที่อยู่")
    got = texts(line_client.say(PRODUCER, "อยู่อำเภอเมืองเชียงใหม่ค่ะ"))
    assert "ยังไม่ใช่ที่อยู่ค่ะ ขอบ้านเลขที่" in got and "นอกอำเภอ" not in got
    assert address_state(db) == ("producer.update_address", "address", {})
    got = texts(line_client.say(PRODUCER, "99 หมู่ 4 ถนนห้วยแก้ว"))  # a real address goes on as before
    assert "ตำบล" in got and address_state(db)[2] == {"address": "99 หมู่ 4 ถนนห้วยแก้ว"}


STOP = ["ยืนยัน", "ย้อนกลับ", "ไม่ดำเนินการต่อ"]


def test_the_closure_confirmations_stop_button_cannot_be_read_as_confirming(line_client, db, world: World):
    """"ยกเลิก" beside "ยืนยันยกเลิกทะเบียนในระบบ" reads as confirming the cancellation: the
    confirmations of a cancellation or a withdrawal say "ไม่ดำเนินการต่อ", which stops."""
    from datetime import date

    from models import LineAccount, unit_of_work
    from registry import workflows as wf
    from tests.handlers.producer_world import OFFICER_A

    line_client.tap(PRODUCER, "i=producer.request_closure&reason=ขาดทุนต่อเนื่อง")
    got = line_client.say(PRODUCER, "วันนี้")
    assert [q["label"] for q in quick_replies(got)] == STOP  # the producer's own closure
    line_client.say(PRODUCER, "ยืนยัน")
    [request] = requests(db)
    with db() as s:
        officer = wf.Actor.from_account(s.get(LineAccount, OFFICER_A))
    with unit_of_work(db) as s:
        wf.act(s, officer, request.id, "approve", expected_step="district_subcommittee", meeting_date=date.today())
    card = line_client.tap(OFFICER_A, f"i=request.view&request_id={request.id}")
    act = next(q for q in quick_replies(card) if "action=cancel_in_system" in q.get("data", ""))
    got = line_client.tap(OFFICER_A, act["data"])
    while "ยืนยันยกเลิกทะเบียนในระบบ" not in texts(got):  # the step's own questions first (date)
        got = line_client.say(OFFICER_A, "วันนี้")
    assert [q["label"] for q in quick_replies(got)] == STOP
    got = texts(line_client.say(OFFICER_A, "ไม่ดำเนินการต่อ"))  # tapped
    assert "ไม่ได้ดำเนินการต่อค่ะ ยังไม่ได้บันทึกรายการนี้" in got and "ยกเลิกแล้ว" not in got
    [after] = requests(db)
    assert after.step == "district_cancel"  # nothing recorded: still waiting for the cancellation in the system


def test_the_withdrawal_confirmation_has_the_same_stop_button(line_client, db, world: World):
    line_client.tap(PRODUCER, "i=producer.request_closure&reason=ขาดทุนต่อเนื่อง")
    line_client.say(PRODUCER, "วันนี้")
    line_client.say(PRODUCER, "ยืนยัน")
    assert [q["label"] for q in quick_replies(withdraw_confirmation(line_client))] == STOP
    assert "ไม่ได้ถอนคำขอ" in texts(line_client.say(PRODUCER, "ไม่ดำเนินการต่อ"))
    [request] = requests(db)
    assert (request.status, request.step) == (RequestStatus.OPEN, "district_subcommittee")


def test_an_impossible_date_names_the_year_as_typed_and_a_nonsense_year_is_said_plainly(line_client, db, world: World):
    """handlers.dates reads the year as nlu.dates does: real dates answer as before; a
    4-digit year nobody means ("1500") is said to be no usable year, not turned into 4000."""
    assert "วันเกิด" in texts(line_client.say(PRODUCER, "ขอแก้ไขวันเกิดค่ะ"))
    got = texts(line_client.say(PRODUCER, "31/6/2510"))  # BE
    assert "เดือนมิถุนายน 2510 มีถึงวันที่ 30 เท่านั้นค่ะ" in got
    got = texts(line_client.say(PRODUCER, "31/6/1967"))  # CE
    assert "เดือนมิถุนายน 2510 มีถึงวันที่ 30 เท่านั้นค่ะ" in got
    got = texts(line_client.say(PRODUCER, "29/2/67"))  # two digits: 2567, a leap year: a date, too young
    assert "มีถึงวันที่" not in got and "วันเกิดไม่ถูกต้อง" in got
    line_client.say(PRODUCER, "ยกเลิก")
    line_client.say(PRODUCER, "ขอแก้ไขวันเกิดค่ะ")
    got = texts(line_client.say(PRODUCER, "31/6/1500"))
    assert "ปี 1500 ไม่ใช่ปี พ.ศ. ที่ใช้ได้ค่ะ" in got and "4000" not in got and "วันเกิดไม่ถูกต้อง" in got
