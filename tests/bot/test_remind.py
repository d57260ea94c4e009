"""`python -m bot remind` and the sender against the fake LINE API, with a fixed clock:
idempotent runs (twice, or two clocks at once), dry run, quiet hours, opt-out and blocked
users, 429/500 bursts, the rate limiter."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner
from sqlalchemy import func, select

from bot import remind as runner
from bot.cli import _register, cli
from bot.demo import make_producer
from bot.dispatch import enqueue
from bot.lineapi import LineApi
from bot.ratelimit import TokenBucket
from bot.sender import Sender, SenderConfig
from handlers.replies import Text
from models import LineAccount, OutboxMessage, OutboxStatus, ReminderLog, Role, unit_of_work
from registry.reminders import ReminderConfig

UTC = timezone.utc
NOW = datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # Monday 10:00 Bangkok
NIGHT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)  # Monday 22:00 Bangkok
CONFIG = ReminderConfig()


def _producers(db, n, district="5001", **account):
    """`n` incomplete producers (no national id) with a linked LINE account each."""
    ids = []
    with unit_of_work(db) as s:
        for i in range(n):
            p = make_producer(s, f"R-{district}-{i:04d}", f"กลุ่มเตือน {i}", district)
            uid = f"U{district}{i:028d}"
            s.add(LineAccount(user_id=uid, role=Role.PRODUCER, province_code=district[:2], district_code=district,
                              producer_id=p.id, **{"following": True, **account}))
            ids.append(uid)
    return ids


def _officers(db, *ids, district="5001"):
    with unit_of_work(db) as s:
        for uid in ids:
            s.add(LineAccount(user_id=uid, role=Role.DISTRICT, province_code=district[:2], district_code=district,
                              following=True))


def _count(db, model, *where):
    with db() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _sender(db, settings, **config):
    return Sender(db, LineApi(settings), name="t", config=SenderConfig(**config))


def _drain(sender, start, step=timedelta(minutes=11), rounds=40):
    """Run the sender at `start`, `start+step`... until nothing is pending (backoffs pass)."""
    at = start
    for _ in range(rounds):
        sender.run_once(now=at)
        with sender.factory() as s:
            if not s.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))):
                return
        at += step
    raise AssertionError("outbox not drained")


def test_running_twice_sends_nothing_twice(db, settings, fake_line):
    producers = _producers(db, 3)
    _officers(db, "Uofficer1", "Uofficer2")
    first = runner.run(db, NOW, CONFIG)
    assert first.by_kind() == Counter({"nudge": 3, "digest": 1})
    assert first.written == 4 and first.outbox_rows == 4  # 3 pushes + 1 multicast
    second = runner.run(db, NOW + timedelta(hours=2), CONFIG)
    assert second.plans == [] and second.written == 0
    assert _count(db, OutboxMessage) == 4 and _count(db, ReminderLog) == 5
    _drain(_sender(db, settings), NOW)
    for uid in producers + ["Uofficer1", "Uofficer2"]:
        assert len(fake_line.delivered_to(uid)) == 1
    assert [d.kind for d in fake_line.deliveries].count("multicast") == 1
    nudge = fake_line.delivered_to(producers[0])[0]
    assert "เลขประจำตัวประชาชน" in nudge["text"]
    assert nudge["quickReply"]["items"][0]["action"]["data"] == "i=producer.missing"


def test_two_clocks_at_once_write_each_reminder_once(db):
    _producers(db, 20)
    _officers(db, "Uofficer1")
    barrier = threading.Barrier(2)
    reports = [runner.RunReport(), runner.RunReport()]

    def clock(report):
        report.plans = runner.plan(db, NOW, CONFIG)  # both plan before either writes
        barrier.wait()
        runner.write_plans(db, report.plans, NOW, report)

    threads = [threading.Thread(target=clock, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(reports[0].plans) == len(reports[1].plans) == 21
    assert reports[0].written + reports[1].written == 21
    assert reports[0].skipped + reports[1].skipped == 21
    assert _count(db, OutboxMessage) == 21 and _count(db, ReminderLog) == 21


def test_dry_run_shows_who_gets_what_and_writes_nothing(db, database_url, monkeypatch):
    ids = _producers(db, 2)
    monkeypatch.setenv("DATABASE_URL", database_url)
    _register()
    result = CliRunner().invoke(cli, ["remind", "--dry-run", "--now", "2026-03-09T10:00"])
    assert result.exit_code == 0, result.output
    assert ids[0] in result.output and "เลขประจำตัวประชาชน" in result.output
    assert "2 messages would be queued (nudge: 2)" in result.output
    assert _count(db, OutboxMessage) == 0 and _count(db, ReminderLog) == 0


def test_quiet_hours_hold_reminders_until_eight(db, settings, fake_line):
    [uid] = _producers(db, 1)
    runner.run(db, NIGHT, CONFIG, jobs=("nudge",))
    with db() as s:
        row = s.scalar(select(OutboxMessage))
    assert row.not_before == datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 Bangkok
    sender = _sender(db, settings)
    assert sender.run_once(now=NIGHT + timedelta(minutes=30)) == 0
    assert sender.run_once(now=datetime(2026, 3, 10, 0, 59, tzinfo=UTC)) == 0
    assert sender.run_once(now=datetime(2026, 3, 10, 1, 0, tzinfo=UTC)) == 1
    assert len(fake_line.delivered_to(uid)) == 1


def test_a_backlog_is_not_sent_at_night_but_replies_are(db, settings, fake_line):
    """A reminder queued at 19:00 and still unsent at 21:00 waits for 08:00; a reply to the
    same user at 21:00 is not held back by it."""
    [uid] = _producers(db, 1)
    evening = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)  # 19:00 Bangkok
    runner.run(db, evening, CONFIG, jobs=("nudge",))
    with unit_of_work(db) as s:
        [reply] = enqueue(s, uid, [Text("ตอบกลับค่ะ")], None)
        reply.not_before = datetime(2026, 3, 9, 13, 59, tzinfo=UTC)  # the user wrote at 20:59
    sender = _sender(db, settings)
    assert sender.run_once(now=datetime(2026, 3, 9, 14, 0, tzinfo=UTC)) == 1  # 21:00: the reply only
    assert [m["text"] for m in fake_line.delivered_to(uid)] == ["ตอบกลับค่ะ"]
    assert sender.run_once(now=datetime(2026, 3, 10, 1, 0, tzinfo=UTC)) == 1
    assert len(fake_line.delivered_to(uid)) == 2


def test_opted_out_and_blocked_users_get_nothing(db, settings, fake_line):
    ok = _producers(db, 1, district="5001")
    out = _producers(db, 1, district="5002", reminders_opt_out=True)
    gone = _producers(db, 1, district="5003", following=False)
    _officers(db, "Uofficer_out")
    with unit_of_work(db) as s:
        s.get(LineAccount, "Uofficer_out").reminders_opt_out = True
    runner.run(db, NOW, CONFIG)
    _drain(_sender(db, settings), NOW)
    assert len(fake_line.delivered_to(ok[0])) == 1
    assert fake_line.delivered_to(out[0]) == [] and fake_line.delivered_to(gone[0]) == []
    assert fake_line.delivered_to("Uofficer_out") == []


def test_429_and_500_bursts_are_ridden_out_exactly_once(db, settings, fake_line):
    users = _producers(db, 12)
    runner.run(db, NOW, CONFIG, jobs=("nudge",))
    fake_line.program("/v2/bot/message/push", status=429, times=8)
    fake_line.program("/v2/bot/message/push", status=500, times=6)
    _drain(_sender(db, settings, threads=3), datetime(2030, 1, 7, 2, 0, tzinfo=UTC))
    with db() as s:
        rows = s.scalars(select(OutboxMessage)).all()
    assert all(r.status is OutboxStatus.SENT for r in rows)
    assert max(r.attempts for r in rows) > 1
    accepted = Counter(d.retry_key for d in fake_line.deliveries)
    assert sorted(accepted) == sorted(r.retry_key for r in rows) and set(accepted.values()) == {1}
    statuses = Counter(c.status for c in fake_line.calls("/v2/bot/message/push"))
    assert statuses[429] == 8 and statuses[500] == 6 and statuses[200] == 12
    assert all(len(fake_line.delivered_to(u)) == 1 for u in users)


def test_token_bucket_keeps_every_second_under_the_rate():
    clock = [0.0]
    bucket = TokenBucket(100, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    times = []
    for _ in range(1000):
        bucket.acquire()
        times.append(clock[0])
    assert 9.8 <= times[-1] <= 10.0  # (1000 - burst 10) / 100 per second
    assert max(sum(1 for t in times if a <= t < a + 1) for a in times) <= 100 + bucket.burst


def test_sender_paces_pushes_at_the_configured_rate(db, settings, fake_line):
    users = [f"U{i:032d}" for i in range(60)]
    with unit_of_work(db) as s:
        for uid in users:
            enqueue(s, uid, [Text("ทดสอบ")], None)
    sender = _sender(db, settings, threads=4, batch=30, rates={"push": 40.0, "multicast": 10.0})
    while sender.run_once():
        pass
    stamps = sorted(c.at for c in fake_line.calls("/v2/bot/message/push"))
    assert len(stamps) == 60
    # Unpaced, 60 pushes take a fraction of a second; paced at 40/s they take >= 1.3 s.
    # (The per-second ceiling is checked on the bucket's own clock above: arrival times at
    # the fake bunch up on a loaded machine, so they cannot show it reliably.)
    assert stamps[-1] - stamps[0] >= (60 - 4) / 40 - 0.1


def test_workflow_notices_follow_the_same_rules(db, settings, fake_line):
    """Request outcomes pushed by handlers (purpose "notice:...") are held in quiet hours even
    when their row is due, and never go to a blocked user."""
    from bot.dispatch import enqueue_push
    from handlers.replies import Push

    with unit_of_work(db) as s:
        s.add(LineAccount(user_id="Uprod", role=Role.PRODUCER, following=True))
        s.add(LineAccount(user_id="Ublocked", role=Role.PRODUCER, following=False))
        s.flush()
        evening = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)  # 19:30 Bangkok: due at once
        rows = enqueue_push(s, Push(("Uprod", "Ublocked"), (Text("คำขอไม่ได้รับอนุมัติค่ะ"),), purpose="notice:rejected"),
                            now=evening)
    assert [r.user_id for r in rows] == ["Uprod"]
    sender = _sender(db, settings)
    assert sender.run_once(now=datetime(2026, 3, 9, 13, 30, tzinfo=UTC)) == 0  # 20:30: held
    assert sender.run_once(now=datetime(2026, 3, 10, 1, 0, tzinfo=UTC)) == 1
    assert len(fake_line.delivered_to("Uprod")) == 1 and fake_line.delivered_to("Ublocked") == []


def test_planning_does_not_keep_chat_writes_waiting(db, database_url, monkeypatch):
    """Planning reads every incomplete record (seconds at national scale): on SQLite it must
    not hold the write lock, or webhooks wait for it."""
    from models import InboundEvent
    from tests.dbutil import write_meanwhile

    _producers(db, 3)
    real = runner.due_plans

    def plan_then_write(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        plans = real(session, *args, **kwargs)
        write_meanwhile(database_url, "during-planning")  # a chat message arrives meanwhile
        return plans

    monkeypatch.setattr(runner, "due_plans", plan_then_write)
    assert len(runner.plan(db, NOW, CONFIG)) == 3
    assert _count(db, InboundEvent, InboundEvent.event_id == "during-planning") == 1


def test_the_clock_prunes_media_once_a_day(db, tmp_path):
    import os

    old_file = tmp_path / "line" / "123.jpg"
    old_file.parent.mkdir(parents=True)
    old_file.write_bytes(b"x")
    ticks = iter([NOW, NOW + timedelta(hours=1), NOW + timedelta(days=1, minutes=1)])
    said: list[str] = []

    def clock():  # type: ignore[no-untyped-def]
        now = next(ticks)
        stamp = (now - timedelta(days=8)).timestamp()  # the file is always 8 days old
        if old_file.exists():
            os.utime(old_file, (stamp, stamp))
        return now

    # three ticks: a prune at the first, none an hour later, one again a day later
    stops = iter([False, False, False, True])
    runner.loop(db, CONFIG, 0, clock=clock, out=said.append, stop=lambda: next(stops), media_dir=tmp_path)
    prunes = [line for line in said if line.startswith("media:")]
    assert len(prunes) == 2
    assert "1 unused files" in prunes[0] and not old_file.exists()
