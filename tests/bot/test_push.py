"""Pushes from handlers: written with the event, multicast when the content is shared,
never to blocked users, held in quiet hours (20:00-08:00 Bangkok)."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.dispatch import enqueue_push
from handlers.registry import REGISTRY, LINKED, handler
from handlers.replies import Push, Text, postback
from models import LineAccount, OutboxMessage, Role, unit_of_work
from registry.quiet_hours import is_quiet, next_allowed

UTC = timezone.utc


@pytest.mark.parametrize(
    "utc_time,quiet",
    [("2026-01-10T12:59", False), ("2026-01-10T13:00", True), ("2026-01-10T00:59", True),
     ("2026-01-10T01:00", False), ("2026-01-10T12:58", False)],
)
def test_quiet_hours_in_bangkok_time(utc_time, quiet):
    at = datetime.fromisoformat(utc_time).replace(tzinfo=UTC)  # Bangkok = UTC+7
    assert is_quiet(at) is quiet
    nxt = next_allowed(at)
    assert not is_quiet(nxt)
    assert (nxt == at) is (not quiet)
    if quiet:
        assert nxt.astimezone(UTC).hour == 1 and nxt.minute == 0 and nxt > at


def _accounts(session, *ids, following=True):
    for uid in ids:
        session.add(LineAccount(user_id=uid, role=Role.DISTRICT, province_code="50", district_code="5001",
                                following=following))


def test_same_content_to_many_goes_as_one_multicast_without_blocked_users(db):
    with unit_of_work(db) as s:
        _accounts(s, "U1", "U2")
        _accounts(s, "U3", following=False)
        s.flush()
        noon = datetime(2026, 1, 10, 5, 0, tzinfo=UTC)  # 12:00 in Bangkok
        rows = enqueue_push(s, Push(("U1", "U2", "U3"), (Text("แจ้งเตือน"),), purpose="notice"), now=noon)
    assert [r.kind for r in rows] == ["multicast"]
    assert rows[0].recipients == ["U1", "U2"] and rows[0].not_before == noon


def test_push_in_quiet_hours_is_held_until_eight_and_dedupe_key_holds(db):
    night = datetime(2026, 1, 10, 15, 0, tzinfo=UTC)  # 22:00 in Bangkok
    with unit_of_work(db) as s:
        _accounts(s, "U1")
        s.flush()
        first = enqueue_push(s, Push(("U1",), (Text("ก"),), purpose="nudge", dedupe_key="k1"), now=night)
        again = enqueue_push(s, Push(("U1",), (Text("ก"),), purpose="nudge", dedupe_key="k1"), now=night)
    assert len(first) == 1 and again == []
    assert first[0].kind == "push" and first[0].not_before == datetime(2026, 1, 11, 1, 0, tzinfo=UTC)


def test_handler_push_is_written_with_the_event_and_delivered(app, line_client, fake_line, db, monkeypatch):
    """A handler that tells the district's officers: the reply and the push both arrive."""

    @handler("test.tell_officers", roles=LINKED, replace=True)
    def tell(ctx, slots):
        officers = ctx.session.scalars(select(LineAccount.user_id).where(LineAccount.role == Role.DISTRICT))
        ctx.push(list(officers), [Text("มีคำขอใหม่ค่ะ")], urgent=True)
        return [Text("ส่งเรื่องแล้วค่ะ")]

    try:
        with unit_of_work(db) as s:
            _accounts(s, "Uofficer1", "Uofficer2")
            s.add(LineAccount(user_id="Uproducer", role=Role.PRODUCER, following=True))
        got = line_client.tap("Uproducer", "i=test.tell_officers")
        assert "ส่งเรื่องแล้วค่ะ" in str(got)
        multicasts = fake_line.calls("/v2/bot/message/multicast")
        assert len(multicasts) == 1
        assert sorted(multicasts[0].body["to"]) == ["Uofficer1", "Uofficer2"]
        assert multicasts[0].headers.get("X-Line-Retry-Key")
        with unit_of_work(db) as s:
            assert s.scalar(select(OutboxMessage.status).where(OutboxMessage.kind == "multicast")).value == "sent"
    finally:
        REGISTRY.pop("test.tell_officers", None)
