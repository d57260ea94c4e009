"""One person, one ID, when a producer edits their own national ID in chat: an ID that another
active record holds is reported to the producer with that record's code (the ID masked),
held for the district with the duplicate noted (push and list), and written only when an
officer confirms knowingly (a second question); then counted as a duplicate. Through the
webhook, the real NLU and SDK, against the fake LINE API."""

from __future__ import annotations

from bot.testing import texts
from models import PendingChangeStatus, Producer, unit_of_work
from registry import completeness
from tests.handlers.producer_world import (NID, OFFICER_A, OTHER_NID, PRODUCER, World, pending_changes,  # noqa: F401
                                           received, world)

MASKED_OTHER = f"{OTHER_NID[0]}-{OTHER_NID[1:5]}-xxxxx-xx-{OTHER_NID[12]}"


def nid(db, world: World) -> str | None:
    with db() as s:
        return s.get(Producer, world.producer_id).national_id


def dup_count(db) -> int:
    with unit_of_work(db) as s:
        return completeness.area_counts(s, "5001").field("producers.national_id_duplicate").invalid


def propose_other_id(line_client, fake_line) -> str:
    line_client.tap(PRODUCER, "i=producer.update_national_id")
    line_client.say(PRODUCER, OTHER_NID)
    return texts(line_client.say(PRODUCER, "ยืนยัน"))


def test_a_producer_typing_another_records_id_is_told_and_the_officer_must_confirm_knowingly(
        line_client, db, fake_line, world: World):
    with unit_of_work(db) as s:  # the world leaves the other record's ID unchecked: counted once valid
        s.get(Producer, world.other_id).national_id_valid = True
    got = propose_other_id(line_client, fake_line)
    assert "P-50-2" in got and MASKED_OTHER in got and OTHER_NID not in got  # the other record, masked
    assert "เจ้าหน้าที่จะตรวจสอบก่อนยืนยัน" in got
    [change] = pending_changes(db)
    assert (change.new_value, change.status) == (OTHER_NID, PendingChangeStatus.PENDING)
    assert nid(db, world) == NID  # nothing written yet
    pushed = received(fake_line, OFFICER_A)
    assert "ผู้ประกอบการที่ยังดำเนินการอยู่ใช้แล้ว: P-50-2" in pushed and OTHER_NID not in pushed
    # the officer's list shows the duplicate on the card
    listed = texts(line_client.say(OFFICER_A, "คำขอแก้ไขข้อมูลที่รอยืนยัน"))
    assert "ใช้แล้ว: P-50-2" in listed, listed
    # confirming asks again, naming the other record; saying no writes nothing
    asked = texts(line_client.tap(OFFICER_A, f"i=officer.pending_changes&change_id={change.id}&decision=confirm"))
    assert "P-50-2" in asked and MASKED_OTHER in asked and "ใช่ไหมคะ" in asked
    assert nid(db, world) == NID and pending_changes(db)[0].status is PendingChangeStatus.PENDING
    line_client.say(OFFICER_A, "ไม่ใช่")
    assert nid(db, world) == NID and pending_changes(db)[0].status is PendingChangeStatus.PENDING
    assert dup_count(db) == 0
    # asked again and confirmed: written, and both holders counted as duplicates
    line_client.tap(OFFICER_A, f"i=officer.pending_changes&change_id={change.id}&decision=confirm")
    done = texts(line_client.say(OFFICER_A, "ยืนยัน"))
    assert "ยืนยันแล้วค่ะ" in done, done
    assert nid(db, world) == OTHER_NID and pending_changes(db)[0].status is PendingChangeStatus.CONFIRMED
    assert dup_count(db) == 2


def test_a_unique_id_is_confirmed_with_one_tap_and_no_warning(line_client, db, fake_line, world: World):
    from bot.demo import national_id

    new = national_id("110020003000")
    line_client.tap(PRODUCER, "i=producer.update_national_id")
    line_client.say(PRODUCER, new)
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "ตรงกับผู้ประกอบการอีกราย" not in got
    assert "ใช้แล้ว" not in received(fake_line, OFFICER_A)
    [change] = pending_changes(db)
    done = texts(line_client.tap(OFFICER_A, f"i=officer.pending_changes&change_id={change.id}&decision=confirm"))
    assert "ยืนยันแล้วค่ะ" in done and nid(db, world) == new
