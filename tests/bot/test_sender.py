"""The outbox sender against the fake: expired reply tokens, retry keys, 4xx, claiming."""

from __future__ import annotations

import uuid

import pytest

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
    fake_line.accepted[key] = "earlier-request"  # LINE already accepted it (e.g. before a crash)
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


def test_a_batch_is_claimed_and_recorded_with_one_statement_each(db, engine, settings, fake_line, app):
    """Claiming a batch of 20 rows is one UPDATE ... RETURNING (besides taking back stale claims), and
    recording 20 accepted pushes is one UPDATE: no statement, and no ORM object, per row."""
    from sqlalchemy import event

    app.extensions["otop"].sender_thread.stop()
    with unit_of_work(db) as s:
        for i in range(20):
            enqueue(s, f"U{i:032d}", [Text(f"ข้อความ {i}")], None)
    sender = make_sender(db, settings)
    updates: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            updates.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert sender.run_once() == 20
    finally:
        event.remove(engine, "before_cursor_execute", count)
        sender.close()
    claims = [u for u in updates if "RETURNING" in u.upper()]
    assert len(claims) == 1 and len(updates) == 3, updates  # stale claims back, the claim, the record
    assert {r.status for r in rows(db)} == {OutboxStatus.SENT}
    assert sorted(fake_line.delivery_counts().values()) == [1] * 20


def test_a_push_claimed_before_the_quota_closed_is_held_without_a_request(db, settings, fake_line, app):
    """Rows already claimed when another thread met the spent quota are held, never sent into it."""
    from datetime import timedelta

    from models import utcnow

    app.extensions["otop"].sender_thread.stop()
    with unit_of_work(db) as s:
        enqueue(s, USER, [Text("ทดสอบ")], None)
    sender = make_sender(db, settings)
    [row] = sender.claim(utcnow())
    sender.quota_closed_until = utcnow() + timedelta(minutes=1)
    assert sender.deliver(row).action == "held"
    assert fake_line.calls("/v2/bot/message/push") == []


@pytest.mark.parametrize("statement", ["probe", "account"])
def test_ordering_probe_uses_the_open_rows_index(db, engine, statement):
    """The "older unsent message to this user?" probe runs on every reply. It must search
    ix_outbox_open_user (open rows only), not every message ever sent to the user: with
    bound status values the planners cannot prove the partial index applies (SQLite then
    walked all of a busy officer's sent rows, 2 ms per reply after 500). On PostgreSQL the
    generic plan of a prepared statement is checked, as psycopg uses one after a few runs.
    The probe is asked on its own (`Sender.claim_new`) and within the account's statement
    on the reply path (`bot.dispatch`)."""
    from datetime import datetime, timezone

    from bot.dispatch import _ACCOUNT
    from bot.sender import WAITS

    from sqlalchemy import event

    params = {"user_id": USER, "row_id": 10, "now": datetime(2026, 1, 1, tzinfo=timezone.utc)}
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN IMMEDIATE
            seen.append((statement, parameters))

    with engine.connect() as conn:
        event.listen(conn, "before_cursor_execute", capture)
        conn.execute((WAITS if statement == "probe" else _ACCOUNT)[False], params)  # as the driver gets them
        event.remove(conn, "before_cursor_execute", capture)
        [(sql, values)] = seen
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, values))
        else:
            conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
            conn.exec_driver_sql("SET enable_seqscan = off")  # an empty table would be scanned
            conn.exec_driver_sql("PREPARE probe AS " + _numbered(sql))
            nulls = ", ".join("NULL" for _ in values)  # type: ignore[arg-type]
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN EXECUTE probe({nulls})"))
            conn.exec_driver_sql("DEALLOCATE probe")  # prepared statements outlive the transaction
            conn.exec_driver_sql("RESET plan_cache_mode")
            conn.exec_driver_sql("RESET enable_seqscan")
        conn.rollback()
    assert "ix_outbox_open_user" in plan, plan


def _numbered(sql: str) -> str:
    """psycopg's %(name)s placeholders as PREPARE's $1, $2 ... (one number per name)."""
    import re

    numbers: dict[str, int] = {}
    return re.sub(r"%\((\w+)\)s", lambda m: f"${numbers.setdefault(m.group(1), len(numbers) + 1)}", sql)


def test_an_idle_sender_tick_waits_for_no_writer(db, engine, settings):
    """With nothing to send, the sending loop's tick (every second) only reads: on SQLite it
    must not queue for the write lock behind an event's transaction, nor hold it while
    webhooks wait (it did, ~2 ms a tick). A writer keeps its transaction open meanwhile."""
    import threading

    from sqlalchemy import text

    from models import utcnow

    sender = make_sender(db, settings)
    writer = engine.connect()
    done = threading.Event()
    try:
        writer.begin()  # SQLite: BEGIN IMMEDIATE, the write lock
        writer.execute(text("UPDATE line_accounts SET display_name = 'x' WHERE user_id = 'nobody'"))
        thread = threading.Thread(target=lambda: (sender.run_once(), done.set()), daemon=True)
        thread.start()
        assert done.wait(3), "the idle tick waited for the writer"
    finally:
        writer.rollback()
        writer.close()
    with unit_of_work(db) as s:  # a due row is still seen, and claimed
        enqueue(s, USER, [Text("ทดสอบ")], None)
    assert sender.has_work(utcnow())
    assert len(sender.claim(utcnow())) == 1 and not sender.has_work(utcnow())
