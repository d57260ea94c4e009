"""The sender's fault table (docs/DELIVERY.md), one test per row, against a fake LINE API
(real HTTP, the real line-bot-sdk) whose clock the test moves, as the sender's: LINE slow,
down for a minute, 429, a spent quota. Each ends with exactly one delivery per user, or a
recorded, explained outcome; never a duplicate. (`kill -9` mid-send: test_delivery_crash.py.)"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.dispatch import enqueue
from bot.fakeline import FakeLine
from bot.lineapi import LineApi
from bot.quota import release_held
from bot.sender import Sender, SenderConfig
from handlers.replies import Text
from models import OutboxMessage, OutboxStatus, unit_of_work
from tests.line_fixtures import TOKEN

USER = "U00000000000000000000000000fa017"
START = datetime(2026, 3, 9, 3, 0, tzinfo=timezone.utc)  # 10:00 in Bangkok


class Clock:
    """One clock for the sender (datetime) and the fake (seconds)."""

    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> datetime:
        return START + timedelta(seconds=self.t)

    def seconds(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def line(clock):
    fake = FakeLine(access_token=TOKEN, clock=clock.seconds).start()
    yield fake
    fake.stop()
    assert not fake.schema_failures


@pytest.fixture
def sender(db, settings, line, clock):
    api = LineApi(settings.with_(line_api_base_url=line.url))
    config = SenderConfig(rate_store="local", threads=1, timeout=(2.0, 1.0))  # read timeout 1 s (5 s in production)
    s = Sender(db, api, name="fault", config=config, clock=clock.now)
    yield s
    s.close()
    api.close()


def _reply(db, line, clock, user=USER) -> int:
    with unit_of_work(db) as s:
        [row] = enqueue(s, user, [Text("คำตอบ")], line.issue_reply_token(user))
        row.created_at = row.not_before = clock.now()
        s.flush()
        return row.id


def _push(db, clock, user=USER) -> int:
    with unit_of_work(db) as s:
        [row] = enqueue(s, user, [Text("แจ้งเตือน")], None)
        row.created_at = row.not_before = clock.now()
        s.flush()
        return row.id


def _row(db, row_id) -> OutboxMessage:
    with db() as s:
        return s.get(OutboxMessage, row_id)


def _until_done(sender, db, clock, step=1.0, limit=200) -> None:
    """Run the sender, moving the clock, until nothing is pending or being sent."""
    for _ in range(limit):
        sender.run_once()
        with db() as s:
            if not s.scalar(select(OutboxMessage.id).where(
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])).limit(1)):
                return
        clock.advance(step)
    raise AssertionError("the outbox did not settle")


def test_reply_accepted_once(db, line, clock, sender):
    row = _reply(db, line, clock)
    _until_done(sender, db, clock)
    assert line.delivery_counts() == {USER: 1} and [d.kind for d in line.deliveries] == ["reply"]
    assert _row(db, row).status is OutboxStatus.SENT


def test_slow_reply_past_the_read_timeout_is_delivered_once(db, line, clock, sender):
    """LINE answers after 6 s, the read timeout is 5 s (here 0.6 s and 0.5 s): the outcome is
    unknown, the row is in doubt; the retry with the same token finds it used: presumed
    delivered, no push copy. (Before: the retry's 400 became a push, a second copy.)"""
    row = _reply(db, line, clock)
    line.program("/v2/bot/message/reply", delay=1.2)
    sender.run_once()
    assert _row(db, row).in_doubt and _row(db, row).status is OutboxStatus.PENDING
    time.sleep(0.4)  # the slow request completes at LINE meanwhile
    _until_done(sender, db, clock)
    final = _row(db, row)
    assert line.delivery_counts() == {USER: 1}
    assert line.calls("/v2/bot/message/push") == []
    assert final.status is OutboxStatus.SENT and final.in_doubt and final.last_error.startswith("presumed delivered")


def test_reply_timeout_before_arrival_is_retried_with_its_token(db, line, clock, sender):
    """The retry of a reply in doubt that LINE never got answers 200: one copy, as a reply."""
    row = _reply(db, line, clock)
    line.program("/v2/bot/message/reply", status=500, delay=1.2)  # times out, then LINE refuses it
    sender.run_once()
    time.sleep(0.4)
    _until_done(sender, db, clock)
    assert line.delivery_counts() == {USER: 1} and [d.kind for d in line.deliveries] == ["reply"]
    assert _row(db, row).status is OutboxStatus.SENT


def test_reply_500_for_a_minute_falls_back_to_push_while_the_token_is_valid(db, line, clock, sender):
    """Before: retried as a reply through the outage, then 'invalid token' after it: delivered
    late or never. Now: a push with a retry key before the token's minute is over."""
    row = _reply(db, line, clock)
    line.program("/v2/bot/message/reply", status=500, for_seconds=60)
    _until_done(sender, db, clock)
    [delivery] = line.deliveries
    final = _row(db, row)
    assert delivery.kind == "push" and delivery.retry_key == final.retry_key
    assert clock.t < 50 and line.delivery_counts() == {USER: 1}
    assert final.status is OutboxStatus.SENT and final.kind == "push"


def test_reply_429_is_retried_as_a_reply(db, line, clock, sender):
    _reply(db, line, clock)
    line.program("/v2/bot/message/reply", status=429, times=3)
    _until_done(sender, db, clock)
    assert line.delivery_counts() == {USER: 1} and [d.kind for d in line.deliveries] == ["reply"]


def test_expired_reply_token_becomes_one_push(db, line, clock, sender):
    row = _reply(db, line, clock)
    clock.advance(61)  # LINE's token lasts about a minute
    _until_done(sender, db, clock)
    assert [d.kind for d in line.deliveries] == ["push"] and line.delivery_counts() == {USER: 1}
    assert _row(db, row).status is OutboxStatus.SENT


@pytest.mark.parametrize("fault", [{"status": 500, "times": 3}, {"status": 429, "times": 3}, {"delay": 1.2}])
def test_push_faults_deliver_once_with_one_retry_key(db, line, clock, sender, fault):
    row = _push(db, clock)
    line.program("/v2/bot/message/push", **fault)
    _until_done(sender, db, clock)
    time.sleep(0.4 if "delay" in fault else 0)
    final = _row(db, row)
    assert line.delivery_counts() == {USER: 1} and final.status is OutboxStatus.SENT
    assert {c.headers["X-Line-Retry-Key"] for c in line.calls("/v2/bot/message/push")} == {final.retry_key}


def test_spent_quota_holds_pushes_and_never_retries_into_it(db, line, clock, sender):
    """One message left: the first push goes, the second is refused (429 monthly limit) and
    held; the sender sends no further push until the quota API shows room; next month the
    held row is released and delivered. Replies go on meanwhile (free)."""
    users = [f"U{i:032d}" for i in range(3)]
    line.quota = 1
    first, second = _push(db, clock, users[0]), _push(db, clock, users[1])
    _until_done(sender, db, clock)
    assert _row(db, first).status is OutboxStatus.SENT
    held = _row(db, second)
    assert held.status is OutboxStatus.HELD and "monthly limit" in held.last_error
    third = _push(db, clock, users[2])
    reply = _reply(db, line, clock, users[2])
    calls = len(line.calls("/v2/bot/message/push"))
    for _ in range(5):
        sender.run_once()
        clock.advance(10)
    assert len(line.calls("/v2/bot/message/push")) == calls, "a push was sent into the spent quota"
    assert _row(db, third).status is OutboxStatus.HELD, "held, not waiting in front of the user's replies"
    assert _row(db, reply).status is OutboxStatus.SENT, "replies are free: they go on"
    line.new_month()
    line.quota = 10
    clock.advance(60)
    with unit_of_work(db) as s:
        assert release_held(s, None, clock.now()) == {"reply": 2}
    _until_done(sender, db, clock)
    assert line.delivery_counts() == {users[0]: 1, users[1]: 1, users[2]: 2}  # a push and a reply
    assert {_row(db, r).status for r in (first, second, third)} == {OutboxStatus.SENT}


def test_other_4xx_fails_with_the_reason(db, line, clock, sender):
    row = _push(db, clock)
    line.program("/v2/bot/message/push", status=400)
    _until_done(sender, db, clock)
    assert _row(db, row).status is OutboxStatus.FAILED and _row(db, row).last_error.startswith("400")
    assert line.deliveries == []
