"""Acknowledging at once when busy (issue 18): a process whose request threads are already
handling `busy_at` events stores the next bodies for the event worker and answers 200 at
once; an idle one handles the event in the request's thread. Either way one user's events
are handled in order and exactly once."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from bot.testing import texts
from models import InboundEvent, InboundStatus

USER = "U" + "b" * 31 + "1"


def statuses(db) -> dict[str, InboundStatus]:
    with db() as s:
        return {e.event_id: e.status for e in s.scalars(select(InboundEvent))}


class Blocked:
    """Keeps the event worker's threads busy until released (so that what the webhook did
    before any handling can be seen)."""

    def __init__(self, runtime) -> None:  # type: ignore[no-untyped-def]
        self.gate = threading.Event()
        self.futures = [runtime._pool.submit(self.gate.wait, 30) for _ in range(2)]

    def release(self) -> None:
        self.gate.set()
        for f in self.futures:
            f.result(10)


def test_idle_process_handles_the_event_before_answering(line_client, runtime, db, fake_line):
    event = line_client.text_event(USER, "สวัสดี")
    assert line_client.post_event(event, wait=False) == 200
    assert statuses(db)[event["webhookEventId"]] is InboundStatus.DONE  # handled in the request
    runtime.wait_idle(10)
    assert fake_line.delivered_to(USER)


def test_busy_process_stores_the_body_answers_and_the_worker_replies(line_client, runtime, db, fake_line):
    runtime.busy_at = 0  # as if every request thread were busy
    blocked = Blocked(runtime)
    first, second = line_client.text_event(USER, "สวัสดี"), line_client.text_event(USER, "เมนู")
    assert line_client.post_event(first, second, wait=False) == 200
    # answered with nothing handled yet: both stored for the worker, nothing sent
    assert statuses(db) == {first["webhookEventId"]: InboundStatus.RECEIVED,
                            second["webhookEventId"]: InboundStatus.RECEIVED}
    assert not fake_line.delivered_to(USER)
    blocked.release()
    assert runtime.wait_idle(15)
    assert set(statuses(db).values()) == {InboundStatus.DONE}
    assert len(fake_line.deliveries) == 2  # one reply each, exactly once
    # a redelivery of a stored event changes nothing
    line_client.post_event(first)
    assert len(fake_line.deliveries) == 2


def test_an_idle_request_waits_behind_the_users_stored_event(line_client, runtime, db, fake_line):
    blocked = Blocked(runtime)
    runtime.busy_at = 0
    first = line_client.text_event(USER, "ข้อมูลของฉัน")
    line_client.post_event(first, wait=False)
    runtime.busy_at = 2  # idle again: the next message would be handled at once...
    second = line_client.text_event(USER, "สวัสดี")
    line_client.post_event(second, wait=False)
    # ...but the user's first message waits for the worker: the second is stored behind it
    assert statuses(db)[second["webhookEventId"]] is InboundStatus.RECEIVED
    other = "U" + "c" * 31 + "2"
    line_client.post_event(line_client.text_event(other, "สวัสดี"), wait=False)
    deadline = time.monotonic() + 10
    while not fake_line.delivered_to(other) and time.monotonic() < deadline:  # other users go on meanwhile
        time.sleep(0.02)
    assert fake_line.delivered_to(other)
    assert not fake_line.delivered_to(USER)
    blocked.release()
    assert runtime.wait_idle(15)
    tokens = [d.reply_token for d in fake_line.deliveries if USER in d.to or d.reply_token in
              (first["replyToken"], second["replyToken"])]
    assert tokens == [first["replyToken"], second["replyToken"]]  # in order, once each
    assert set(statuses(db).values()) == {InboundStatus.DONE}


def test_the_same_stored_event_given_to_both_worker_threads_is_handled_once(line_client, runtime, db, fake_line):
    runtime.busy_at = 0
    blocked = Blocked(runtime)
    event = line_client.text_event(USER, "สวัสดี")
    line_client.post_event(event, wait=False)
    runtime.submit([event["webhookEventId"]] * 3)
    blocked.release()
    assert runtime.wait_idle(15)
    assert len(fake_line.deliveries) == 1


def test_a_busy_body_is_handled_from_the_webhooks_copy_not_the_redacted_row(line_client, runtime, db, fake_line):
    """The stored row keeps the text redacted (no phone number at rest), but the event
    worker handles the text as the user typed it, from the webhook's own copy."""
    seen: list[str] = []
    parse = runtime.processor.parser
    runtime.processor.parser = lambda text, ctx: (seen.append(text), parse(text, ctx))[1]
    runtime.busy_at = 0
    event = line_client.text_event(USER, "เบอร์ 081-234-5678")
    assert line_client.post_event(event, wait=False) == 200
    assert runtime.wait_idle(15)
    with db() as s:
        stored = s.get(InboundEvent, event["webhookEventId"])
        assert stored.status is InboundStatus.DONE and "081-234-5678" not in stored.payload
    assert seen == ["เบอร์ 081-234-5678"]
    assert len(fake_line.deliveries) == 1


def test_events_handled_by_the_event_worker_make_the_process_busy(line_client, runtime, db, fake_line):
    """Busy counts every event being handled in the process, the event worker's too: a
    request that came while the worker handles stored messages is stored and answered at
    once, not handled in its thread (under load that handling is what made the ack slow)."""
    gate, inside = threading.Event(), threading.Semaphore(0)
    process = runtime.processor.process

    def slow(event_id, raw=None):  # type: ignore[no-untyped-def]
        inside.release()
        gate.wait(30)
        return process(event_id, raw)

    runtime.processor.process = slow
    runtime.busy_at = 0
    stored = [line_client.text_event("U" + "d" * 31 + str(i), "สวัสดี") for i in range(2)]
    for event in stored:
        assert line_client.post_event(event, wait=False) == 200
    assert inside.acquire(timeout=10) and inside.acquire(timeout=10)  # both worker threads handling
    runtime.busy_at = 2  # no request thread is handling anything
    event = line_client.text_event(USER, "สวัสดี")
    assert line_client.post_event(event, wait=False) == 200
    assert statuses(db)[event["webhookEventId"]] is InboundStatus.RECEIVED  # stored, not handled
    gate.set()
    assert runtime.wait_idle(15)
    assert set(statuses(db).values()) == {InboundStatus.DONE}
    assert len(fake_line.deliveries) == 3  # once each
    runtime.wait_idle(5)
    assert runtime._handling == 0


def test_an_image_download_on_the_event_worker_does_not_make_the_process_busy(line_client, runtime, db, fake_line):
    """An image's content fetched by the event worker is a network wait, not handling: a text
    message meanwhile is still handled in the request's thread."""
    gate = threading.Event()
    fetch = runtime.processor._process_one

    def waiting_for_line(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(30)
        return fetch(*args, **kwargs)

    runtime.processor._process_one = waiting_for_line
    runtime.busy_at = 1  # one event handled anywhere would make the process busy
    image = line_client.image_event(USER, b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    assert line_client.post_event(image, wait=False) == 200
    other = "U" + "e" * 31 + "3"
    event = line_client.text_event(other, "สวัสดี")
    assert line_client.post_event(event, wait=False) == 200
    assert statuses(db)[event["webhookEventId"]] is InboundStatus.DONE  # handled in the request
    gate.set()
    runtime.processor._process_one = fetch
    runtime.wait_idle(15)


def test_a_busy_body_is_stored_in_one_round_trip_on_postgresql(line_client, runtime, db):
    """The busy path's only database work before the 200: on PostgreSQL one INSERT of every
    event's row on a connection in autocommit (no BEGIN or COMMIT round trips); a body that
    names an event twice stores it once; a redelivery stores nothing."""
    import pytest
    from sqlalchemy import event as sa_event

    from bot.inbox import store_events

    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's path")
    seen: list[tuple[str, bool]] = []

    def note(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement.split()[0], conn.connection.dbapi_connection.autocommit))

    a, b = line_client.text_event(USER, "สวัสดี"), line_client.text_event(USER, "เมนู")
    sa_event.listen(runtime.engine, "before_cursor_execute", note)
    try:
        ids = store_events(runtime.factory, [a, b, a])
    finally:
        sa_event.remove(runtime.engine, "before_cursor_execute", note)
    assert ids == [a["webhookEventId"], b["webhookEventId"]]
    assert seen == [("INSERT", True)]
    assert store_events(runtime.factory, [b]) == []
    with db() as s:  # received in the body's order: a user's stored events are handled oldest first
        received = dict(s.execute(select(InboundEvent.event_id, InboundEvent.received_at)).all())
    assert received[a["webhookEventId"]] < received[b["webhookEventId"]]
    assert statuses(db) == {a["webhookEventId"]: InboundStatus.RECEIVED, b["webhookEventId"]: InboundStatus.RECEIVED}


def test_finished_handovers_are_not_kept(line_client, runtime, db, fake_line):
    """The event worker's and the reply threads' futures are let go once finished: a web
    process (which never calls `wait_idle`) kept every one of them, two per message."""
    runtime.busy_at = 0  # stored and handed to the event worker, whose reply goes to a reply thread
    line_client.post_event(line_client.text_event(USER, "สวัสดี"), line_client.text_event(USER, "เมนู"), wait=False)
    deadline = time.monotonic() + 15
    while len(fake_line.deliveries) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # the reply thread's outcome recorded, its future done
    assert len(fake_line.deliveries) == 2
    assert [f for f in runtime._futures if f.done()] == []
