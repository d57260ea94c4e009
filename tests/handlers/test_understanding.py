"""Understanding Thai as typed, through the webhook (real SDK, fake LINE API): the last month's
report names the month, lookups by a phone or a national ID typed alone, a negated approval,
a report question that mentions closures, a name that is both a district and a sub-district,
chit-chat."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.demo import make_producer
from bot.testing import texts
from models import ConversationState, Request, unit_of_work
from registry import workflows as wf
from tests.handlers.officer.helpers import DIST, PRODUCER, PROV, buttons, link_producer, officers
from tests.registry import factories as f

NID = "3100100000777"  # valid check digit
MONTHS = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]


@pytest.fixture
def world(db):
    officers(db)
    with unit_of_work(db) as s:
        chili = make_producer(s, "12345", "วิสาหกิจชุมชนน้ำพริกแม่ศรี", "5001", phone="0812345602",
                              national_id_digits=NID)
        chili.national_id_valid = True
        return chili.id


def _state(db, user: str) -> str | None:
    with db() as s:
        st = s.get(ConversationState, user)
        return st.flow if st else None


def test_last_month_report_names_last_month(line_client, db, world):
    got = texts(line_client.say(DIST, "สรุปเดือนที่แล้วหน่อยค่ะ"))
    last = date.today().replace(day=1) - timedelta(days=1)
    assert f"{MONTHS[last.month - 1]} {last.year + 543}" in got, got
    this = date.today()
    assert f"{MONTHS[this.month - 1]} {this.year + 543}" not in got.split("\n")[0]


@pytest.mark.parametrize("typed", ["0812345602", "081-234-5602", "3100100000777", "3 1001 00000 77 7 ค่ะ", "๓๑๐๐๑๐๐๐๐๐๗๗๗"])
def test_lookup_by_phone_or_national_id_typed_alone(line_client, db, world, typed):
    got = texts(line_client.say(DIST, typed))
    assert "วิสาหกิจชุมชนน้ำพริกแม่ศรี" in got, got


@pytest.mark.parametrize("said", ["ยังไม่อนุมัตินะ รอประชุมก่อน", "อนุมัติไม่ได้นะ ต้องลงไปดูอีกที",
                                  "อย่าเพิ่งอนุมัติคำขอนี้นะคะ"])
def test_negated_approval_changes_nothing_and_says_so(line_client, db, world, said):
    link_producer(db, world)
    with unit_of_work(db) as s:
        from models import Producer

        p = s.get(Producer, world)
        rid = wf.submit_closure(s, f.producer_actor(p, PRODUCER), world, "เลิกผลิตแล้ว", date(2024, 1, 31)).request.id
    with db() as s:
        before = (s.get(Request, rid).status, s.get(Request, rid).step)
    got = texts(line_client.say(DIST, said))
    assert "ยังไม่ได้ดำเนินการ" in got, got
    with db() as s:
        assert (s.get(Request, rid).status, s.get(Request, rid).step) == before
    assert _state(db, DIST) is None


def test_report_question_that_mentions_closures_is_a_report(line_client, db, world):
    with db() as s:
        requests_before = s.scalar(select(func.count()).select_from(Request))
    got = texts(line_client.say(DIST, "เดือนนี้มีเลิกกิจการกี่รายคะ"))
    this = date.today()
    assert f"{MONTHS[this.month - 1]} {this.year + 543}" in got, got
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Request)) == requests_before
    assert _state(db, DIST) is None  # no closure flow was started


def test_name_of_a_district_and_a_sub_district_is_asked_back_with_both(line_client, db, world):
    got = line_client.say(PROV, "อะไรยังไม่ครบในหางดง")
    labels = [b["label"] for b in buttons(got)]
    assert "อ.หางดง" in labels, labels
    assert any(lbl.startswith("ต.หางดง") for lbl in labels), labels
    assert "หางดง" in texts(got)


def test_chit_chat_gets_a_short_friendly_answer_and_the_menu(line_client, db, world):
    got = line_client.say(DIST, "ชอบสีอะไรคะ")
    assert "ผู้ช่วยนี้ดูแลเรื่องข้อมูล OTOP" in texts(got)
    assert buttons(got)


@pytest.mark.parametrize("said", ["ถ้าจะเลิกกิจการต้องทำยังไงคะ", "ถ้าเลิกทำแล้วต้องใช้เอกสารอะไรบ้างคะ"])
def test_how_a_request_is_done_is_explained_and_nothing_starts(line_client, db, world, said):
    link_producer(db, world)
    with db() as s:
        requests_before = s.scalar(select(func.count()).select_from(Request))
    replies = line_client.say(PRODUCER, said)
    got = texts(replies)
    assert "ขั้นตอน" in got and "ยังไม่ได้บันทึก" in got, got
    assert "แจ้งเลิก" in buttons(replies)[0]["label"], buttons(replies)  # the request, one tap away
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Request)) == requests_before
    assert _state(db, PRODUCER) is None


def test_a_request_that_does_not_work_gets_help_with_it(line_client, db, world):
    link_producer(db, world)
    replies = line_client.say(PRODUCER, "แก้เบอร์ไม่ได้ค่ะ กดแล้วเงียบ")
    got = texts(replies)
    assert "แก้เบอร์โทร" in got and "ขอคุยกับเจ้าหน้าที่" in got, got
    assert _state(db, PRODUCER) is None  # nothing started: the user taps to try again


def test_a_read_that_does_not_work_gets_its_button_again(line_client, db, world):
    replies = line_client.say(DIST, "กดปุ่มรายงานประจำเดือนแล้วไม่ขึ้นอะไรเลยครับ")
    got = texts(replies)
    assert "ขออภัย" in got and "ตอบทีละข้อ" not in got, got  # a read has no questions to answer
    assert buttons(replies)[0]["data"] == "i=officer.monthly_report", buttons(replies)


def test_the_bot_said_not_to_answer_gets_an_apology_and_help(line_client, db, world):
    link_producer(db, world)
    replies = line_client.say(PRODUCER, "บอทเงียบไปเลย พิมพ์อะไรก็ไม่ตอบ")
    got = texts(replies)
    assert "ขออภัย" in got and "ขอคุยกับเจ้าหน้าที่" in got, got
    assert _state(db, PRODUCER) is None


def test_a_past_years_table_says_it_shows_todays_figures(line_client, db, world):
    past = date.today().year + 543 - 2
    got = texts(line_client.say(PROV, f"ขอรายงานจังหวัด ปีงบ {past % 100}"))
    assert f"ปี {past}" in got and "ข้อมูลล่าสุด" in got, got
    assert "ข้อมูลล่าสุด" not in texts(line_client.say(PROV, "ขอรายงานจังหวัดปีนี้"))
    ahead = date.today().year + 543 + 2
    assert "ข้อมูลล่าสุด" in texts(line_client.say(PROV, f"ขอรายงานจังหวัดปี {ahead}"))  # not kept either


def test_a_declined_change_changes_nothing_and_says_so(line_client, db, world):
    link_producer(db, world)
    got = texts(line_client.say(PRODUCER, "เบอร์โทรไม่ได้เปลี่ยนนะคะ ใช้เบอร์เดิม"))
    assert "ยังไม่ได้ดำเนินการ" in got, got
    assert _state(db, PRODUCER) is None
