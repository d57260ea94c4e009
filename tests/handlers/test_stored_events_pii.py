"""Events stored for the event worker (a busy process, an earlier stored event of the user, a
restart) reach the handlers as the user typed them, while the database never holds a typed
phone number or national ID in the clear: a waiting event's payload is sealed, a handled or
failed one's is redacted (docs/ENCRYPTION.md)."""

from __future__ import annotations

import json
import threading

from sqlalchemy import select, text

from bot.inbox import store_events
from bot.testing import texts
from models import InboundEvent, InboundStatus, Producer
from registry.ids import REDACTED_PHONE
from tests.handlers.producer_world import PRODUCER, World, audits, world  # noqa: F401

TYPED = "089-123-4567"


def stored_payloads(db) -> dict[str, tuple[InboundStatus, str]]:
    """Every stored event's status and payload as the database holds them (raw SQL)."""
    with db() as s:
        statuses = {e.event_id: e.status for e in s.scalars(select(InboundEvent))}
        return {r.event_id: (statuses[r.event_id], r.payload)
                for r in s.execute(text("SELECT event_id, payload FROM inbound_events"))}


def phone_of(db, world: World) -> str | None:
    with db() as s:
        return s.get(Producer, world.producer_id).phone


def assert_never_in_clear(db) -> None:
    for status, payload in stored_payloads(db).values():
        assert TYPED not in payload and "0891234567" not in payload, (status, payload)


def test_a_phone_typed_behind_an_earlier_stored_event_is_saved_as_typed(line_client, runtime, db, world: World):
    """Two events of one user stored while busy; the worker is given the second (the phone,
    at the phone question) first, with the webhook's copy: it is not its user's oldest
    stored event, so the first is handled before it, then the second from its stored row."""
    gate = threading.Event()
    blockers = [runtime._pool.submit(gate.wait, 30) for _ in range(2)]
    runtime.busy_at = 0
    ask, answer = line_client.text_event(PRODUCER, "ขอเปลี่ยนเบอร์โทร"), line_client.text_event(PRODUCER, TYPED)
    assert line_client.post_event(ask, answer, wait=False) == 200
    assert {status for status, _ in stored_payloads(db).values()} == {InboundStatus.RECEIVED}
    assert_never_in_clear(db)  # sealed while it waits
    runtime.deliver_soon(runtime.processor.process(answer["webhookEventId"], answer))
    gate.set()
    for blocker in blockers:
        blocker.result(10)
    assert runtime.wait_idle(15)
    assert "089-123-4567" in texts(line_client.fake.delivered_to(PRODUCER)[-1:])  # read back as typed
    assert "บันทึกแล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert phone_of(db, world) == "0891234567"
    [row] = audits(db, "producer", world.producer_id, "phone")
    assert row.new_value == "0891234567"
    done = stored_payloads(db)
    assert {status for status, _ in done.values()} == {InboundStatus.DONE}
    assert_never_in_clear(db)
    assert json.loads(done[answer["webhookEventId"]][1])["message"]["text"] == REDACTED_PHONE


def test_a_stored_event_handled_after_a_restart_gets_the_typed_text(line_client, runtime, db, world: World):
    """The web process stored the answer and stopped before handling it: the next process
    handles it from the database alone (no webhook copy in memory)."""
    assert "เบอร์โทรศัพท์ใหม่" in texts(line_client.say(PRODUCER, "ขอเปลี่ยนเบอร์โทร"))
    answer = line_client.text_event(PRODUCER, TYPED)
    line_client.fake.reply_tokens.setdefault(answer["replyToken"], PRODUCER)
    assert store_events(runtime.factory, [answer]) == [answer["webhookEventId"]]
    assert_never_in_clear(db)
    runtime.resume_unfinished()
    assert runtime.wait_idle(15)
    assert "089-123-4567" in texts(line_client.fake.delivered_to(PRODUCER)[-1:])  # read back as typed
    assert stored_payloads(db)[answer["webhookEventId"]][0] is InboundStatus.DONE
    assert "บันทึกแล้ว" in texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert phone_of(db, world) == "0891234567"
    assert_never_in_clear(db)


def test_a_stored_event_that_fails_keeps_only_the_redacted_text(line_client, runtime, db, world: World, monkeypatch):
    def broken(ctx, parser):  # type: ignore[no-untyped-def]
        raise RuntimeError("handler bug")

    monkeypatch.setattr("bot.dispatch.route", broken)
    event = line_client.text_event(PRODUCER, f"เบอร์ {TYPED}")
    line_client.fake.reply_tokens.setdefault(event["replyToken"], PRODUCER)
    store_events(runtime.factory, [event])
    runtime.resume_unfinished()
    assert runtime.wait_idle(15)
    status, payload = stored_payloads(db)[event["webhookEventId"]]
    assert status is InboundStatus.FAILED
    assert json.loads(payload)["message"]["text"] == f"เบอร์ {REDACTED_PHONE}"


def test_key_rotation_reseals_waiting_events_and_leaves_handled_ones_in_the_clear(db):
    from registry.keys import rotate

    from bot.inbox import insert_event
    from models import pii, unit_of_work

    def event(n: int) -> dict:
        return {"type": "message", "webhookEventId": f"E{n}", "source": {"type": "user", "userId": PRODUCER},
                "message": {"type": "text", "id": str(n), "text": TYPED}}

    old = pii.current()
    new_key = bytes(range(32))
    try:
        with unit_of_work(db) as s:
            insert_event(s, event(1), InboundStatus.RECEIVED)
            insert_event(s, event(2), InboundStatus.DONE)
        pii.configure(pii.Keyring([new_key, *old.keys], old.hash_key))
        assert rotate(db, batch=1).values_resealed["inbound_events"] == 1
        assert_never_in_clear(db)
        pii.configure(pii.Keyring([new_key], old.hash_key))  # the old key removed
        with db() as s:
            assert json.loads(s.get(InboundEvent, "E1").payload)["message"]["text"] == TYPED
            assert json.loads(s.get(InboundEvent, "E2").payload)["message"]["text"] == REDACTED_PHONE
    finally:
        pii.configure(old)
