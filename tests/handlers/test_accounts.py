"""Whole dialogues of the account flows through the webhook, checking replies and storage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.demo import make_producer, national_id
from bot.testing import quick_replies, texts
from handlers.accounts import codes
from models import ConversationState, InviteCode, LineAccount, LinkAttempt, Role, unit_of_work, utcnow

USER = "U00000000000000000000000000000p01"
OFFICER = "U00000000000000000000000000000o01"
NID = national_id("310010000001")


@pytest.fixture
def producers(db):
    with unit_of_work(db) as s:
        own = make_producer(s, "P-1", "กลุ่มทอผ้า", "5001", national_id_digits=NID, phone="0812345678")
        other = make_producer(s, "P-2", "กลุ่มขนม", "1020", national_id_digits=national_id("310010000002"), phone="0899999999")
        return own.id, other.id


def account(db, user_id=USER):
    with db() as s:
        return s.get(LineAccount, user_id)


def test_link_by_national_id_and_phone(line_client, db, producers):
    got = line_client.tap(USER, "i=producer.link")
    assert "เลขบัตรประชาชน 13 หลัก" in texts(got)
    assert "13 หลัก" in texts(line_client.say(USER, "12345"))
    bad_check = NID[:12] + str((int(NID[12]) + 1) % 10)
    assert "เลขตรวจสอบ" in texts(line_client.say(USER, bad_check))
    assert "เบอร์โทรศัพท์" in texts(line_client.say(USER, f"{NID[0]}-{NID[1:5]}-{NID[5:10]}-{NID[10:12]}-{NID[12]}"))
    got = texts(line_client.say(USER, "081-234-5678"))  # read back first: nothing linked yet
    assert "เบอร์โทรศัพท์: 081-234-5678" in got and "ยืนยัน" in got and account(db).role is None
    got = line_client.say(USER, "ยืนยันค่ะ")
    assert "ผูกบัญชีเรียบร้อย" in texts(got) and "กลุ่มทอผ้า" in texts(got)
    acc = account(db)
    assert acc.role is Role.PRODUCER and acc.producer_id == producers[0] and acc.district_code == "5001"
    with db() as s:
        assert s.get(ConversationState, USER) is None


def test_link_needs_both_to_match_and_failures_are_throttled(line_client, db, producers):
    for attempt in range(codes.MAX_FAILURES):
        line_client.tap(USER, "i=producer.link")
        line_client.say(USER, NID)
        line_client.say(USER, "0899999999")  # another producer's phone
        got = line_client.say(USER, "ยืนยัน")
        assert "ไม่พบข้อมูลผู้ผลิต" in texts(got), attempt
    got = line_client.tap(USER, "i=producer.link")
    assert "รอประมาณ" in texts(got)
    acc = account(db)
    assert acc.role is None and acc.producer_id is None
    with db() as s:
        assert len(s.scalars(select(LinkAttempt)).all()) == codes.MAX_FAILURES


def test_two_matching_records_are_not_linked(line_client, db, producers):
    with unit_of_work(db) as s:
        make_producer(s, "P-3", "กลุ่มซ้ำ", "5001", national_id_digits=NID, phone="0812345678")
    line_client.tap(USER, "i=producer.link")
    line_client.say(USER, NID)
    line_client.say(USER, "0812345678")
    assert "มากกว่าหนึ่งรายการ" in texts(line_client.say(USER, "ยืนยัน"))
    assert account(db).role is None


def test_officer_invite_code_in_a_sentence(line_client, db, fake_line):
    with unit_of_work(db) as s:
        code = codes.issue(s, role=Role.DISTRICT, province_code="50", district_code="5001", created_by="cli", now=utcnow()).code
    got = texts(line_client.say(OFFICER, f"สวัสดีครับ รหัสของผมคือ {codes.format_code(code).lower()} ครับ"))
    # what the code gives is said first, and nothing is used until confirmed
    assert "พัฒนาการอำเภอ อำเภอเมืองเชียงใหม่" in got and "ยืนยัน" in got and account(db, OFFICER).role is None
    got = line_client.say(OFFICER, "ยืนยันครับ")
    assert "ยืนยันตัวตนเรียบร้อย" in texts(got) and "เมืองเชียงใหม่" in texts(got)
    acc = account(db, OFFICER)
    assert (acc.role, acc.province_code, acc.district_code) == (Role.DISTRICT, "50", "5001")
    # one-time: a second user cannot use it
    got = line_client.say(USER, codes.format_code(code))
    assert "ไม่พบรหัสนี้" in texts(got) and account(db).role is None


def test_expired_code_is_refused(line_client, db):
    with unit_of_work(db) as s:
        invite = codes.issue(s, role=Role.PROVINCE, province_code="50", created_by="cli", now=utcnow() - timedelta(days=30))
        code = invite.code
    assert "ไม่พบรหัสนี้" in texts(line_client.say(OFFICER, code))
    assert account(db, OFFICER).role is None


def test_producer_code_issued_by_the_district_officer_in_chat(line_client, db, producers):
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=OFFICER, role=Role.DISTRICT, province_code="50", district_code="5001"))
    got = texts(line_client.tap(OFFICER, f"i=officer.issue_link_code&producer_id={producers[0]}"))
    assert "จะออกรหัสผูกบัญชีให้ กลุ่มทอผ้า" in got
    with db() as s:
        assert not s.scalars(select(InviteCode)).all()  # nothing issued before the confirmation
    got = line_client.say(OFFICER, "ยืนยัน")
    with db() as s:
        code = s.scalars(select(InviteCode.code).where(InviteCode.producer_id == producers[0])).one()
    assert codes.format_code(code) in texts(got)
    got = texts(line_client.say(USER, codes.format_code(code)))
    assert "ผูกบัญชี LINE นี้กับ \"กลุ่มทอผ้า" in got and account(db).producer_id is None
    got = line_client.say(USER, "ยืนยัน")
    assert "ผูกบัญชีเรียบร้อย" in texts(got)
    assert account(db).producer_id == producers[0]


def test_code_asked_when_missing_and_validated(line_client, db):
    got = line_client.tap(USER, "i=account.redeem_code")
    assert "รหัส 8 ตัว" in texts(got)
    assert "ตัวอักษรภาษาอังกฤษหรือตัวเลข 8 ตัว" in texts(line_client.say(USER, "12"))


def test_linking_sets_the_producer_rich_menu(line_client, db, producers, fake_line, runtime):
    from bot import richmenu

    richmenu.deploy(runtime.api)
    line_client.tap(USER, "i=producer.link")
    line_client.say(USER, NID)
    line_client.say(USER, "0812345678")
    line_client.say(USER, "ยืนยัน")
    menu_id = fake_line.user_menus[USER]
    assert fake_line.rich_menus[menu_id]["name"] == richmenu.alias("producer", 0)


def test_menu_offers_only_what_the_role_may_use(line_client, db, producers):
    labels = [a["label"] for a in quick_replies(line_client.say(USER, "เมนู"))]
    assert "ผูกบัญชีผู้ผลิต" in labels and "ข้อมูลของฉัน" not in labels
