"""The outbox sender against the fake: expired reply tokens, retry keys, 4xx, claiming."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from bot.dispatch import enqueue
from bot.lineapi import LineApi
from bot.sender import Sender
from bot.testing import texts
from handlers.replies import Text
from models import OutboxMessage, OutboxStatus, unit_of_work

USER = "U0000000000000000000000000000a001"


def rows(db):
    with db() as s:
        return s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def make_sender(db, settings, name="s1"):
    return Sender(db, LineApi(settings), name=name)


def test_expired_reply_token_falls_back_to_push(line_client, fake_line):
    event = line_client.text_event(USER, "สวัสดี")
    fake_line.expire_reply_tokens()
    line_client.post_event(event)
    assert [d.kind for d in fake_line.deliveries] == ["push"]
    push = fake_line.calls("/v2/bot/message/push")[0]
    assert uuid.UUID(push.headers["X-Line-Retry-Key"])


def test_repeated_retry_key_counts_as_sent(db, settings, fake_line, app):
    with unit_of_work(db) as s:
        [row] = enqueue(s, USER, [Text("ทดสอบ")], None)
        key = row.retry_key
    fake_line.retry_keys[key] = 1  # LINE already accepted it (e.g. before a crash)
    make_sender(db, settings).run_once()
    [row] = rows(db)
    assert row.status is OutboxStatus.SENT and "409" in row.last_error
    assert fake_line.deliveries == []


def test_other_4xx_is_not_retried(db, settings, fake_line, app):
    fake_line.program("/v2/bot/message/push", status=403)
    with unit_of_work(db) as s:
        enqueue(s, USER, [Text("ทดสอบ")], None)
    make_sender(db, settings).run_once()
    [row] = rows(db)
    assert row.status is OutboxStatus.FAILED and row.attempts == 1 and row.last_error.startswith("403")
    assert len(fake_line.calls("/v2/bot/message/push")) == 1


def test_more_than_five_messages_go_as_reply_then_push_in_order(line_client, fake_line, db):
    with unit_of_work(db) as s:
        enqueue(s, USER, [Text(f"ข้อความ {i}") for i in range(7)], fake_line.issue_reply_token(USER))
    line_client.wait_idle(10)
    assert [d.kind for d in fake_line.deliveries] == ["reply", "push"]
    assert texts(fake_line.delivered_to(USER)).splitlines() == [f"ข้อความ {i}" for i in range(7)]


def test_two_senders_never_send_a_row_twice(db, settings, fake_line, app):
    app.extensions["otop"].sender_thread.stop()
    with unit_of_work(db) as s:
        for i in range(6):
            enqueue(s, f"U{i:032d}", [Text(f"ข้อความ {i}")], None)
    a, b = make_sender(db, settings, "a"), make_sender(db, settings, "b")
    from models import utcnow

    claimed_a = a.claim(utcnow(), limit=4)
    claimed_b = b.claim(utcnow(), limit=10)
    assert {r.id for r in claimed_a}.isdisjoint({r.id for r in claimed_b})
    assert len(claimed_a) + len(claimed_b) == 6
