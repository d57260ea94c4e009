"""SQL statements per producer intent, counted through the real webhook path (signed body,
line-bot-sdk parser, dispatch, the handler, the outbox): every statement the event's
transaction runs (BEGIN / COMMIT left out), and the bookkeeping after the reply is sent.
The record cards are built from two statements whatever the number of products (no lazy
loads); on PostgreSQL the account lock is one statement more."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import event

from bot.testing import texts
from models import PendingChange, ProductKeyword, ProductPhoto, ProductStandard, StarRating, unit_of_work
from tests.handlers.producer_world import PRODUCER, World, world  # noqa: F401

LIMIT = 6  # issue 18: every producer intent in at most six statements


class Counter:
    """Counts the statements run inside the wrapped calls, per call (thread-local)."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.counts: dict[str, list[list[str]]] = {}

    def hook(self, conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        bucket = getattr(self.local, "bucket", None)
        if bucket is not None and statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT"):
            bucket.append(statement)

    def wrap(self, name: str, fn):  # type: ignore[no-untyped-def]
        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.local.bucket = bucket = []
            try:
                return fn(*args, **kwargs)
            finally:
                self.local.bucket = None
                self.counts.setdefault(name, []).append(bucket)
        return counted


@pytest.fixture
def counter(runtime, monkeypatch):
    c = Counter()
    monkeypatch.setattr(runtime.processor, "handle_now", c.wrap("event", runtime.processor.handle_now))
    monkeypatch.setattr(runtime.sender, "deliver_claimed", c.wrap("after", runtime.sender.deliver_claimed))
    event.listen(runtime.engine, "before_cursor_execute", c.hook)
    yield c
    event.remove(runtime.engine, "before_cursor_execute", c.hook)


def _richer(db, world: World) -> None:
    """More rows behind every list of the cards: lazy loads would multiply with them."""
    with unit_of_work(db) as s:
        s.add(StarRating(producer_id=world.producer_id, year_be=2566, stars=4))
        for pid in (world.silk_id, world.cotton_id):
            s.add_all([ProductKeyword(product_id=pid, word=w) for w in ("ผ้า", "ทอมือ", "เชียงใหม่")])
            s.add(ProductPhoto(product_id=pid, location=f"p/{pid}.jpg"))
        s.add(ProductStandard(product_id=world.cotton_id, scheme="มผช.", number="12/2565", expires_on=date(2030, 3, 1)))
        s.add(PendingChange(entity="product", entity_id=world.silk_id, field="category", old_value=None,
                            new_value="textile", producer_id=world.producer_id, district_code="5001",
                            requested_by=PRODUCER))


@pytest.mark.parametrize("text, shows", [
    ("ข้อมูลของฉัน", "มผช. 12/2565"),       # producer.my_record: cards of the producer and both products
    ("ยังขาดอะไร", "ผ้าไหมทอมือ"),          # producer.missing
    ("ข้อมูลส่วนตัวของฉัน", "P-50-1"),      # producer.my_data (writes the access log)
    ("สถานะคำขอของฉัน", ""),               # producer.request_status
    ("เมนู", ""),
])
def test_producer_intent_statements(line_client, counter, db, world: World, text, shows):
    _richer(db, world)
    line_client.say(PRODUCER, "สวัสดี")  # the account exists (a first message creates it)
    counter.counts.clear()
    got = line_client.say(PRODUCER, text)
    assert shows in texts(got) + str(got)
    [event_statements] = counter.counts["event"]
    assert len(event_statements) <= LIMIT, "\n".join(s[:120] for s in event_statements)
    # marking the reply sent: one statement (replies sent at once share it: bot/outcomes.py);
    # on PostgreSQL without Redis the channel's pacing is one more (bot/pacing.py), not counted
    after = [[s for s in b if "rate_slots" not in s] for b in counter.counts["after"]]
    assert [len(b) for b in after] == [1], after


def test_record_cards_show_every_list_and_the_waiting_proposal(line_client, db, world: World):
    _richer(db, world)
    shown = str(line_client.say(PRODUCER, "ข้อมูลของฉัน"))
    for part in ("2566: ⭐⭐⭐⭐", "ผ้า, ทอมือ, เชียงใหม่", "มผช. 12/2565 (หมดอายุ 1/3/2573)", "รอเจ้าหน้าที่"):
        assert part in shown, part


def test_request_status_reads_every_request_history_at_once(line_client, counter, db, world: World):
    """Three requests with their steps: the history of each is not a statement of its own."""
    from registry import workflows as wf
    from models import Producer, Request, RequestStatus
    from tests.registry import factories as f

    for _ in range(3):
        with unit_of_work(db) as s:
            p = s.get(Producer, world.producer_id)
            wf.submit_closure(s, f.producer_actor(p, PRODUCER), p.id, "เลิกผลิตแล้ว", date(2024, 1, 31))
        with unit_of_work(db) as s:
            for r in s.query(Request).filter(Request.status == RequestStatus.OPEN):
                r.status = RequestStatus.CANCELLED
    line_client.say(PRODUCER, "สวัสดี")
    counter.counts.clear()
    got = line_client.say(PRODUCER, "สถานะคำขอของฉัน")
    assert texts(got).count("เลิกผลิตแล้ว") == 3, texts(got)
    [event_statements] = counter.counts["event"]
    assert len(event_statements) <= LIMIT, "\n".join(s[:120] for s in event_statements)
