"""Reminders within the month's message budget: the most valuable go, the rest are held (not
failed, not lost), the central officers are told what was held and what it would cost, a
held reminder rides along free with the user's next reply, and next month the held ones go
first. The quota itself is read from the (fake) Messaging API."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot import remind as runner
from bot.demo import make_producer
from bot.lineapi import LineApi
from bot.quota import read_quota
from models import LineAccount, OutboxMessage, OutboxStatus, Role, unit_of_work
from registry.reminders import ReminderConfig

MARCH = datetime(2026, 3, 9, 3, 0, tzinfo=timezone.utc)  # Monday 10:00 Bangkok
APRIL = datetime(2026, 4, 1, 3, 0, tzinfo=timezone.utc)
ADMIN = "U0000000000000000000000000ad0017"


def _world(db, n=6, answered=(0, 1)):
    """`n` incomplete producers with accounts; those in `answered` wrote to the bot before (a
    reply was sent to them); a central officer."""
    users = []
    with unit_of_work(db) as s:
        for i in range(n):
            p = make_producer(s, f"R-5001-{i:04d}", f"กลุ่มงบ {i}", "5001", phone="0812345678" if i >= 3 else None)
            uid = f"U5001{i:028d}"
            s.add(LineAccount(user_id=uid, role=Role.PRODUCER, province_code="50", district_code="5001",
                              producer_id=p.id, following=True))
            if i in answered:
                s.add(OutboxMessage(kind="reply", user_id=uid, messages=[{"type": "text", "text": "x"}],
                                    retry_key=f"k-{uid}", status=OutboxStatus.SENT, sent_at=datetime(2026, 2, 1, tzinfo=timezone.utc)))
            users.append(uid)
        s.add(LineAccount(user_id=ADMIN, role=Role.CENTRAL, following=True))
    return users


def _nudges(db):
    with db() as s:
        return {r.user_id: r.status for r in s.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "remind:nudge"))}


def test_a_budget_smaller_than_the_plan_sends_the_most_valuable_and_holds_the_rest(db, settings, fake_line):
    users = _world(db)
    report = runner.run(db, MARCH, ReminderConfig(monthly_budget=3, price_per_message=0.1), jobs=("nudge",))
    nudges = _nudges(db)
    sent = {u for u, st in nudges.items() if st is OutboxStatus.PENDING}
    held = {u for u, st in nudges.items() if st is OutboxStatus.HELD}
    assert len(sent) == 3 and len(held) == 3 and set(nudges) == set(users)
    # Producers who answered before, and those with more ★ gaps (no phone), go first.
    assert {users[0], users[1], users[2]} == sent
    assert report.held_cost == 3 and OutboxStatus.FAILED not in nudges.values()
    with db() as s:
        notices = s.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "notice:budget")).all()
        [notice] = notices
    text = notice.messages[0]["text"]
    assert notice.user_id == ADMIN and "3 ข้อความ" in text and "0.30 บาท" in text

    again = runner.run(db, MARCH, ReminderConfig(monthly_budget=3), jobs=("nudge",))
    assert again.written == 0 and len(_nudges(db)) == 6  # idempotent: nothing planned twice


def test_a_held_reminder_rides_along_with_the_next_reply(db, line_client, fake_line, daytime):
    users = _world(db, n=2, answered=())
    runner.run(db, MARCH, ReminderConfig(monthly_budget=0), jobs=("nudge",))
    assert set(_nudges(db).values()) == {OutboxStatus.HELD}
    fake_line.reset()
    line_client.post_event(line_client.text_event(users[0], "สวัสดี"))
    [delivery] = [d for d in fake_line.deliveries if users[0] in d.to]
    assert delivery.kind == "reply" and any("ยังไม่ครบ" in m.get("text", "") for m in delivery.messages)
    with db() as s:
        row = s.scalar(select(OutboxMessage).where(OutboxMessage.user_id == users[0], OutboxMessage.purpose == "remind:nudge"))
    assert row.status is OutboxStatus.SENT and row.kind == "merged"
    assert _nudges(db)[users[1]] is OutboxStatus.HELD


def test_next_month_the_held_reminders_go_first(db):
    users = _world(db, n=4, answered=())
    runner.run(db, MARCH, ReminderConfig(monthly_budget=1), jobs=("nudge",))
    assert sum(st is OutboxStatus.HELD for st in _nudges(db).values()) == 3
    with unit_of_work(db) as s:  # March's pushes went out (the sender's part)
        for row in s.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)):
            row.status, row.sent_at = OutboxStatus.SENT, MARCH
    report = runner.run(db, APRIL, ReminderConfig(monthly_budget=3), jobs=("nudge",))
    assert report.released == 3
    with db() as s:
        april = s.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "remind:nudge",
                                                      OutboxMessage.dedupe_key.like("%2026-04"))).all()
    assert [r.status for r in april] == [OutboxStatus.HELD]  # the one nudged in March waits its turn
    assert len(users) == 4


def test_quota_and_consumption_are_read_from_the_messaging_api(settings, fake_line):
    api = LineApi(settings)
    assert read_quota(api).limit is None
    fake_line.quota, fake_line.consumption = 500, 120
    quota = read_quota(api)
    assert (quota.limit, quota.used, quota.left) == (500, 120, 380)
    api.close()
