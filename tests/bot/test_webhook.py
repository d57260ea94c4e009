"""The webhook path: signatures, de-duplication, event kinds, recorded LINE samples."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.testing import body_of, sign, texts
from models import InboundEvent, InboundStatus, LineAccount, OutboxMessage

SAMPLES = Path(__file__).resolve().parent / "webhook-samples"  # from line-bot-sdk-python, Apache-2.0
USER = "U206d25c2ea6bd87c17655609a1c37cb8"


def count(db, model) -> int:
    with db() as s:
        return s.scalar(select(func.count()).select_from(model))


def sample(name: str, event_id: str | None = None) -> dict:
    event = json.loads((SAMPLES / name).read_text())["events"][0]
    if event_id:
        event["webhookEventId"] = event_id
    return event


def test_healthz(app):
    assert app.test_client().get("/healthz").json == {"status": "ok"}


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSBzaWduYXR1cmU=", None])
def test_bad_or_missing_signature_is_400_and_stores_nothing(line_client, db, fake_line, signature):
    body = body_of(line_client.text_event(USER, "สวัสดี"))
    bad = sign(body, "another-secret") if signature is None else signature
    assert line_client.post_body(body, signature=bad) == 400
    line_client.wait_idle(2)
    assert count(db, InboundEvent) == 0 and count(db, LineAccount) == 0 and count(db, OutboxMessage) == 0
    assert fake_line.calls("/v2/bot/message/") == []


def test_text_sample_gets_one_reply(line_client, fake_line):
    status = line_client.post_event(sample("01_message_text_user.json"))
    assert status == 200
    replies = fake_line.calls("/v2/bot/message/reply")
    assert len(replies) == 1 and replies[0].status == 200
    assert replies[0].headers["Authorization"] == "Bearer test-channel-token"


def test_redelivered_event_is_handled_once(line_client, fake_line, db):
    first = sample("01_message_text_user.json", "01HREDELIVERY0000000000001")
    again = sample("08_message_text_user_redelivery.json", "01HREDELIVERY0000000000001")
    assert line_client.post_event(first) == 200
    assert line_client.post_event(again) == 200
    assert line_client.post_event(first) == 200
    assert len(fake_line.deliveries) == 1
    assert count(db, InboundEvent) == 1


def test_follow_greets_and_unfollow_stops_pushes(line_client, fake_line, db):
    got = line_client.follow(USER)
    assert "ยินดีต้อนรับ" in texts(got) and "ผูกบัญชี" in texts(got)
    line_client.post_event(line_client.unfollow_event(USER))
    with db() as s:
        assert s.get(LineAccount, USER).following is False
    assert len(fake_line.deliveries) == 1


def test_unsupported_message_gets_polite_reply(line_client, fake_line):
    line_client.post_event(sample("09_message_file_user.json", "01HFILE000000000000000001"))
    assert "รับได้เฉพาะข้อความและรูปภาพ" in texts(fake_line.delivered_to(USER))


def test_unknown_event_type_is_ignored(line_client, fake_line, db):
    assert line_client.post_event(sample("11_unknown_event_type_redelivery.json", "01HUNKNOWN0000000000000001")) == 200
    assert fake_line.deliveries == []
    with db() as s:
        assert s.scalars(select(InboundEvent.status)).all() == [InboundStatus.DONE]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("[0-9][0-9]_*.json")))
def test_every_recorded_sample_is_handled_without_error(line_client, db, name):
    assert line_client.post_event(sample(name, f"01HSAMPLE{name[:2]}00000000000000")) == 200
    with db() as s:
        assert set(s.scalars(select(InboundEvent.status))) <= {InboundStatus.DONE}


def test_all_28_sdk_events_in_one_body(line_client, db):
    events = json.loads((SAMPLES / "_sdk_tests_v3_text_webhook.json").read_text())["events"]
    for i, event in enumerate(events):
        event["webhookEventId"] = f"01HSDK{i:020d}"
    assert line_client.post_event(*events) == 200
    with db() as s:
        statuses = s.scalars(select(InboundEvent.status)).all()
    assert len(statuses) == len(events) and set(statuses) == {InboundStatus.DONE}


def test_webhook_answers_fast_when_line_api_takes_10_s(line_client, fake_line, runtime):
    fake_line.program("/v2/bot/message/", delay=10)
    started = time.monotonic()
    status = line_client.post_event(line_client.text_event(USER, "สวัสดี"), wait=False)
    answered = time.monotonic() - started
    assert status == 200 and answered < 2.0, answered
    assert runtime.wait_idle(30)
    time.sleep(10.5 - (time.monotonic() - started))  # let the slow first call finish, too
    assert len(fake_line.delivered_to(USER)) >= 1
    assert len(fake_line.deliveries) == 1  # delivered once, not twice
    print(f"webhook answered in {answered * 1000:.0f} ms while the API slept 10 s")


@pytest.mark.parametrize("status", [500, 429, 503])
def test_delivered_once_after_api_errors(line_client, fake_line, runtime, status):
    fake_line.program("/v2/bot/message/", status=status, times=2)
    started = time.monotonic()
    assert line_client.post_event(line_client.text_event(USER, "สวัสดี"), wait=False) == 200
    assert time.monotonic() - started < 2.0
    assert runtime.wait_idle(20)
    assert len(fake_line.deliveries) == 1
    assert [c.status for c in fake_line.calls("/v2/bot/message/")][:2] == [status, status]


def test_a_reply_behind_a_message_that_stays_unsent_goes_back_to_the_outbox(line_client, fake_line, runtime, db,
                                                                            monkeypatch):
    """A reply claimed behind an older message to the user waits for it in the reply thread
    for TURN_WAIT only; then it is put back unclaimed (never sent, so not in doubt) and the
    sending loop sends it after the older one."""
    import uuid

    from bot import sender as sender_module
    from models import OutboxStatus, unit_of_work, utcnow

    monkeypatch.setattr(sender_module, "TURN_WAIT", 0.2)
    runtime.sender_thread.interval = 30
    runtime.sender_thread.wake()
    with unit_of_work(db) as s:  # being sent by another process, for longer than TURN_WAIT
        older = OutboxMessage(kind="push", user_id=USER, messages=[{"type": "text", "text": "ข้อความก่อนหน้า"}],
                              retry_key=str(uuid.uuid4()), purpose="reply", status=OutboxStatus.SENDING,
                              claimed_by="another-process", claimed_at=utcnow(), not_before=utcnow())
        s.add(older)
    assert line_client.post_event(line_client.text_event(USER, "ช่วยเหลือ"), wait=False) == 200

    def reply_row():  # type: ignore[no-untyped-def]
        with db() as s:
            return s.scalars(select(OutboxMessage).where(OutboxMessage.user_id == USER,
                                                         OutboxMessage.kind == "reply")).one()

    deadline = time.monotonic() + 5
    while reply_row().status is not OutboxStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.02)
    row = reply_row()
    assert (row.status, row.claimed_by, row.in_doubt) == (OutboxStatus.PENDING, None, False)
    assert fake_line.calls("/v2/bot/message/reply") == []
    with unit_of_work(db) as s:
        s.get(OutboxMessage, older.id).status = OutboxStatus.SENT
    runtime.sender_thread.wake()
    deadline = time.monotonic() + 5
    while not fake_line.calls("/v2/bot/message/reply") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(fake_line.calls("/v2/bot/message/reply")) == 1


def test_a_reply_that_waited_behind_the_previous_one_follows_it_at_once(line_client, fake_line, runtime, db):
    """A reply waits while an older message to the same user is being sent (a user's
    messages arrive in order); once that one is sent, the reply goes at once, not at the
    sending loop's next round (made 30 s here, so that only the wake-up delivers it in time)."""
    import uuid

    from models import OutboxStatus, unit_of_work, utcnow

    runtime.sender_thread.interval = 30
    runtime.sender_thread.wake()
    with unit_of_work(db) as s:  # a message to the user that a reply thread is sending
        older = OutboxMessage(kind="push", user_id=USER, messages=[{"type": "text", "text": "ข้อความก่อนหน้า"}],
                              retry_key=str(uuid.uuid4()), purpose="reply", status=OutboxStatus.SENDING,
                              claimed_by=runtime.sender.name, claimed_at=utcnow(), not_before=utcnow())
        s.add(older)
    assert line_client.post_event(line_client.text_event(USER, "ช่วยเหลือ"), wait=False) == 200
    time.sleep(0.3)
    assert fake_line.calls("/v2/bot/message/reply") == []  # it waits
    runtime.deliver([older])  # what the reply thread does
    deadline = time.monotonic() + 5
    while not fake_line.calls("/v2/bot/message/reply") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [c.path for c in fake_line.calls("/v2/bot/message/")] == ["/v2/bot/message/push", "/v2/bot/message/reply"]
