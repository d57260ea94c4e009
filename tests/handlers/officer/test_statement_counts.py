"""SQL statements per officer read intent, counted through the real webhook path (as the
producer intents are in tests/handlers/test_statement_counts.py): the event's own statements
(event row, account, outbox row; on PostgreSQL the first three in one call of `begin_event` and
the outbox row sent with the COMMIT) plus what the intent reads. A
repeated answer costs one statement of its own (the registry versions its cached answer is
keyed by); the request queue reads its page with every card's missing fields in one statement,
however many cards it shows (one per card before)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.testing import texts
from models import Producer, unit_of_work
from registry import pending
from registry import workflows as wf
from tests.handlers.officer.helpers import CENTRAL, DIST, PROV, officers
from tests.handlers.test_statement_counts import Counter
from tests.registry import factories as f

BASE = 4  # at most: event row, account, outbox row (SQLite: 3); PostgreSQL: 2 (begin_event; outbox row + COMMIT)
CARDS = 5  # requests on the queue's page


@pytest.fixture
def counter(runtime, monkeypatch):
    from sqlalchemy import event

    c = Counter()
    monkeypatch.setattr(runtime.processor, "handle_now", c.wrap("event", runtime.processor.handle_now))
    event.listen(runtime.engine, "before_cursor_execute", c.hook)
    yield c
    event.remove(runtime.engine, "before_cursor_execute", c.hook)


@pytest.fixture
def area(db):
    """Officers, producers of 5001 with closure requests waiting, one proposal waiting."""
    officers(db)
    with unit_of_work(db) as s:
        ids = [f.producer(s, "5001").id for _ in range(CARDS)]
        f.producer(s, "5002")
    with unit_of_work(db) as s:
        for pid in ids:
            p = s.get(Producer, pid)
            wf.submit_closure(s, f.producer_actor(p, "U" + "b" * 31 + str(pid % 10)), pid, "เลิกผลิตแล้ว",
                              date(2024, 1, 31))
        p = s.get(Producer, ids[0])
        pending.propose(s, f.producer_actor(p, "U" + "b" * 32), "producer", p.id, "producer_type", "sme")
    return ids


# (user, text or None, postback data or None, at most this many statements of its own when
# asked again with nothing changed, what the answer shows)
READS = {
    "officer.incomplete (district)": (DIST, "อะไรยังไม่ครบในอำเภอเมืองเชียงใหม่", None, 1, "เมืองเชียงใหม่"),
    "officer.incomplete (province)": (PROV, None, "i=officer.incomplete&province_code=50", 1, "เชียงใหม่"),
    "officer.list_records": (DIST, None, "i=officer.list_records&district_code=5001&field=producers.national_id",
                             2, "P0"),  # + the access log row (who saw which records)
    "officer.province_report": (PROV, "รายงานจังหวัด", None, 1, "เชียงใหม่"),
    "officer.national_report": (CENTRAL, "รายงานทั้งประเทศ", None, 1, "ทั่วประเทศ"),
    "officer.monthly_report": (PROV, "รายงานประจำเดือน", None, 1, "เชียงใหม่"),
    "officer.pending_requests": (DIST, "คำขอรออนุมัติ", None, 1, f"คำขอที่รอดำเนินการ {CARDS} รายการ"),
    "officer.find": (DIST, "ค้นหา กลุ่มทดสอบ", None, 1, "กลุ่มทดสอบ"),
    "officer.pending_changes": (DIST, None, "i=officer.pending_changes", 1, "ลักษณะผู้ประกอบการ"),
}


@pytest.mark.parametrize("name", list(READS))
def test_officer_read_statements(line_client, counter, area, name):
    user, text, data, own, shows = READS[name]
    ask = (lambda: line_client.say(user, text)) if text else (lambda: line_client.tap(user, data))
    ask()  # the first answer fills the cache (and creates nothing: the accounts exist)
    counter.counts.clear()
    got = ask()
    assert shows in texts(got) + str(got), texts(got)
    [statements] = counter.counts["event"]
    assert len(statements) <= BASE + own, "\n".join(s[:120] for s in statements)


def test_request_queue_reads_its_cards_in_one_statement(line_client, counter, area):
    """The queue's cards show each producer's missing fields: read with the page, not per card,
    and so is the count of proposals waiting in the area (the note and button below the cards)."""
    line_client.say(DIST, "คำขอรออนุมัติ")
    counter.counts.clear()
    got = line_client.say(DIST, "คำขอรออนุมัติ")
    assert texts(got).count("#") >= CARDS
    [statements] = counter.counts["event"]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "line_accounts" not in s
             and "begin_event(" not in s]  # the event's own (PostgreSQL: event row, lock, account in one)
    assert len(reads) == 1, "\n".join(s[:120] for s in reads)  # the page (with the flags and the proposals count)
    assert "มีคำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน 1 รายการค่ะ" in texts(got)


def test_the_proposals_count_without_requests_on_the_page(line_client, db, area):
    """No request in the area (no page row to carry the count): the proposals are counted apart."""
    from models import Request, RequestStatus
    from sqlalchemy import update

    with unit_of_work(db) as s:
        s.execute(update(Request).values(status=RequestStatus.CANCELLED))
    got = texts(line_client.say(DIST, "คำขอรออนุมัติ"))
    assert "มีคำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน 1 รายการค่ะ" in got, got
