"""One transaction per event: a crash keeps nothing; images are fetched and stored."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import func, select

from bot.render import render, split_text
from bot.testing import texts
from handlers.registry import ANYONE, REGISTRY, handler
from handlers.replies import Card, CardList, Choice, Text, postback
from models import InboundEvent, InboundStatus, LineAccount, StoredMedia, unit_of_work
from bot.lineschema import request_errors
from tests.dbutil import round_trips

USER = "U0000000000000000000000000000d001"


@contextlib.contextmanager
def statements_of(engine):  # type: ignore[no-untyped-def]
    """The statements SQLAlchemy sends from this thread (not the sending loop's), whitespace
    folded, into the list it yields."""
    import threading

    from sqlalchemy import event as sa_event

    me, statements = threading.get_ident(), []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.startswith("BEGIN") and threading.get_ident() == me:
            statements.append(" ".join(statement.split()))

    sa_event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def crashing_handler():
    @handler("test.crash", roles=ANYONE, replace=True)
    def crash(ctx, slots):
        """Write, then fail."""
        ctx.account.display_name = "half-written"
        ctx.session.add(StoredMedia(user_id=ctx.user_id, message_id="m", location="x", sha256="y"))
        ctx.session.flush()
        raise RuntimeError("boom")

    yield
    REGISTRY.pop("test.crash", None)


def test_crash_mid_event_leaves_nothing_half_written(line_client, db, crashing_handler):
    got = line_client.tap(USER, "i=test.crash")
    assert "ระบบขัดข้องชั่วคราว" in texts(got)
    with db() as s:
        assert s.scalar(select(func.count()).select_from(StoredMedia)) == 0
        assert s.get(LineAccount, USER) is None
        [event] = s.scalars(select(InboundEvent)).all()
        assert event.status is InboundStatus.FAILED and "boom" in event.error


def test_image_is_fetched_stored_and_loading_shown(line_client, db, fake_line):
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None))
    got = line_client.send_image(USER, b"\xff\xd8\xff fake jpeg")
    assert "ได้รับรูปแล้ว" in texts(got)
    assert fake_line.calls("/v2/bot/chat/loading/start")
    assert fake_line.calls("/v2/bot/message/")[0].path.startswith("/v2/bot/message/")


def test_render_limits():
    long = "ก" * 12_000
    assert [len(p) for p in split_text(long)] == [5000, 5000, 2000]
    assert sum(len(p) for p in split_text("😀" * 3000)) == 3000  # 6000 UTF-16 units -> 2 messages
    many = [Choice(f"ตัวเลือกที่ยาวมากเกินยี่สิบตัวอักษร {i}", text=str(i)) for i in range(20)]
    cards = CardList([Card(f"การ์ด {i}", ["บรรทัด"] * 5, [Choice("ดู", postback=postback("x", id=i))]) for i in range(10)],
                     total=25, more_postback=postback("officer.list_producers", page=2))
    batches = render([Text(long, quick=many), cards, Card("หนึ่ง", ["ก"])])
    assert [len(b) for b in batches] == [5]
    messages = batches[0]
    assert len(messages[-1]["quickReply"]["items"]) == 13
    assert len(messages[3]["contents"]["contents"]) == 11
    assert request_errors("/v2/bot/message/push", {"to": USER, "messages": messages}) == []
    with pytest.raises(ValueError):
        render([Text("x", quick=[Choice("a", postback={"i": "x", "v": "ก" * 400})])])


@pytest.fixture
def echo_handler():
    @handler("test.echo", roles=ANYONE, replace=True)
    def echo(ctx, slots):
        """Say the text back."""
        return [Text(slots.get("t", ""))]

    yield
    REGISTRY.pop("test.echo", None)


def test_an_event_on_the_reply_path_takes_three_statements(runtime, line_client, db, echo_handler):
    """The fixed cost of an event, whatever its handler does: store the event (its id makes
    a redelivery a no-op), read the account together with any conversation and whether an
    older message to the user is unsent, write the reply. On PostgreSQL two round trips after
    the transaction's BEGIN (sent with the first, bot/pg_begin.py): the event's insert, the
    account's lock and its read in one statement (the server-side function `begin_event`,
    which reads after the lock: see test_after_waiting_for_the_account_lock_...), and the
    reply's row sent with the COMMIT."""
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None))
    raw = line_client.postback_event(USER, "i=test.echo&t=สวัสดี 100%25 %(x)s %% %27; \\ E%27%27")  # "%", quotes, a backslash in the reply's SQL
    with statements_of(runtime.engine) as statements:
        replies = runtime.receive([raw])
    runtime.deliver(replies)
    assert texts(line_client.fake.delivered_to(USER)) == "สวัสดี 100% %(x)s %% '; \\ E''"
    if runtime.engine.dialect.name == "postgresql":  # the round trips: BEGIN with the first statement
        raw = line_client.postback_event(USER, "i=test.echo&t=again")
        with round_trips(runtime.engine) as sent:
            replies = runtime.receive([raw])
        runtime.deliver(replies)
        assert len(sent) == 2 and sent[0].startswith("BEGIN") and "; SELECT r.new_event" in sent[0], sent
        assert sent[1].startswith("INSERT INTO outbox") and sent[1].endswith("; COMMIT"), sent
    import re

    def shape(sql: str) -> str:
        tables = re.findall(r"(?:INSERT INTO|FROM|JOIN) (\w+)", sql)
        return sql.split()[0] + " " + "+".join(sorted(set(tables)))

    postgres = runtime.engine.dialect.name == "postgresql"
    if postgres:
        assert [shape(s) for s in statements] == ["SELECT begin_event", "INSERT outbox"], statements
        assert statements[1].endswith("RETURNING outbox.id; COMMIT"), statements
    else:
        assert [shape(s) for s in statements] == [
            "INSERT inbound_events", "SELECT conversation_states+inbound_events+line_accounts+outbox",
            "INSERT outbox"], statements


def test_without_psycopgs_private_names_the_begin_goes_alone(runtime, line_client, db, echo_handler, monkeypatch):
    """bot/pg_begin.py leans on two private names of psycopg: without them (another release)
    the BEGIN is sent as psycopg sends it, and the message is handled the same."""
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's round trips")
    from bot import pg_begin

    monkeypatch.setattr(pg_begin, "SUPPORTED", False)
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None))
    raw = line_client.postback_event(USER, "i=test.echo&t=ยังได้อยู่")
    with round_trips(runtime.engine) as sent:
        replies = runtime.receive([raw])
    runtime.deliver(replies)
    assert texts(line_client.fake.delivered_to(USER)) == "ยังได้อยู่"
    assert sent[0].startswith("BEGIN") and "SELECT" not in sent[0] and len(sent) == 3, sent


def test_a_stored_event_is_handled_in_three_statements(runtime, line_client, db, echo_handler):
    """The event worker's path (an event stored while the process was busy, handled from the
    webhook's copy): take the event and lock the account, read the account, write the reply.
    On PostgreSQL the take, the lock and the read are one statement (the server-side function
    `take_event`, as `begin_event` on the webhook's path) and the reply's row is sent with the
    COMMIT: two statements, two round trips."""
    from bot.inbox import store_events

    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None))
    raw = line_client.postback_event(USER, "i=test.echo&t=ok %27 100%25")
    [eid] = store_events(db, [raw])
    with statements_of(runtime.engine) as statements:
        replies = runtime.processor.process(eid, raw)
    runtime.deliver(replies)
    if runtime.engine.dialect.name == "postgresql":
        assert len(statements) == 2 and "FROM take_event(" in statements[0], statements
        assert statements[1].startswith("INSERT INTO outbox") and statements[1].endswith("; COMMIT"), statements
    else:
        assert len(statements) == 3, statements
    assert texts(line_client.fake.delivered_to(USER)) == "ok ' 100%"
    if runtime.engine.dialect.name == "postgresql":  # the round trips: BEGIN with the first statement
        raw = line_client.postback_event(USER, "i=test.echo&t=again")
        [eid] = store_events(db, [raw])
        with round_trips(runtime.engine) as sent:
            replies = runtime.processor.process(eid, raw)
        runtime.deliver(replies)
        assert len(sent) == 2 and sent[0].startswith("BEGIN; SELECT r.taken"), sent
        assert sent[1].endswith("; COMMIT"), sent
    with unit_of_work(db) as s:
        assert s.get(InboundEvent, eid).status is InboundStatus.DONE


@pytest.mark.parametrize("with_insert", [False, "begin_event"])
def test_after_waiting_for_the_account_lock_the_conversation_and_unsent_replies_are_current(runtime, db, with_insert):
    """Two messages of one user handled at once: the second waits for the first's lock, then
    must see what the first committed (here a conversation it started and a reply still being
    sent), not the database as it was when it began waiting (PostgreSQL's read committed keeps
    a waiting statement's view of the other tables). `with_insert` "begin_event": the
    event's insert, the lock and the read in the webhook's first statement (PostgreSQL,
    `BEGIN_EVENT`); False: the lock by a statement of its own (`_LOCK`)."""
    import threading
    import time
    from datetime import timedelta

    from handlers.context import NOT_LOADED
    from handlers.incoming import Incoming
    from models import ConversationState, OutboxMessage, OutboxStatus, utcnow

    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None))
    first = db()
    first.get(LineAccount, USER, with_for_update=True)  # the first message holds the lock
    seen: dict = {}

    def second() -> None:
        with unit_of_work(db) as s:
            locked = None
            if with_insert == "begin_event" and s.bind.dialect.name == "postgresql":
                from bot.dispatch import BEGIN_EVENT, event_values

                raw = {"webhookEventId": "E-lock", "type": "message", "source": {"type": "user", "userId": USER}}
                now = utcnow()
                row = s.execute(BEGIN_EVENT, event_values(raw, InboundStatus.DONE, now) | {
                    "account": USER, "now": now, "quiet": False}).one()
                assert row[0] == "E-lock" and row[1] and row[2].user_id == USER
                seen.update(flow=None if row[3] is None else row[3].flow, waits=row[4])
                return
            account, conversation, waits, _, _ = runtime.processor._account(s, Incoming(user_id=USER, kind="text"),
                                                                            utcnow(), locked)
            seen.update(flow=None if conversation in (None, NOT_LOADED) else conversation.flow, waits=waits)

    thread = threading.Thread(target=second)
    try:
        thread.start()
        time.sleep(0.5)  # the second is waiting for the lock now
        now = utcnow()
        first.add(ConversationState(user_id=USER, flow="producer.link", state="phone", slots={}, retries=0,
                                    expires_at=now + timedelta(hours=1)))
        first.add(OutboxMessage(kind="reply", user_id=USER, reply_token="t", messages=[], retry_key="k1",
                                purpose="reply", not_before=now, status=OutboxStatus.SENDING))
        first.commit()
    finally:
        first.close()
        thread.join(10)
    assert seen == {"flow": "producer.link", "waits": True}


@pytest.mark.parametrize("quiet", [False, True])
@pytest.mark.parametrize("outbox,stored", [
    ([], False),
    ([("sending", "reply", 0)], False),
    ([("pending", "reply", 0)], False),
    ([("pending", "remind:x", 1)], False),  # scheduled, not due: waits on purpose
    ([("pending", "notice:x", -1)], False),  # scheduled and due: waits behind it, unless quiet
    ([("held", "remind:x", 0)], False),
    ([("sent", "reply", 0), ("failed", "reply", 0)], True),
])
@pytest.mark.parametrize("function", ["begin_event", "take_event"])
def test_begin_event_reads_what_the_account_statement_reads(db, outbox, stored, quiet, function):
    """PostgreSQL: `begin_event` (migration 0012) and `take_event` (0013) write the probes of
    `_ACCOUNT` in SQL of their own (`lock_account`: an older message unsent, a push held, an
    event waiting for the event worker): they must say the same in every case, and the
    account and conversation must be the same."""
    from datetime import timedelta

    from bot.dispatch import _ACCOUNT, BEGIN_EVENT, TAKE_EVENT_CORE, event_values, found_account
    from bot.inbox import redacted
    from bot.sender import NEWEST
    from models import ConversationState, OutboxMessage, utcnow

    if db.kw["bind"].dialect.name != "postgresql":
        pytest.skip("a PostgreSQL function")
    now = utcnow()
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None, display_name="ชื่อ"))
        s.add(ConversationState(user_id=USER, flow="producer.link", state="phone", slots={"phone": "0812345678"},
                                retries=1, expires_at=now + timedelta(hours=1)))
        for i, (status, purpose, hours) in enumerate(outbox):
            s.add(OutboxMessage(kind="push", user_id=USER, messages=[], retry_key=f"k{i}", purpose=purpose,
                                not_before=now + timedelta(hours=hours), status=status))
        if stored:
            s.add(InboundEvent(event_id="E-stored", user_id=USER, payload="{}", status=InboundStatus.RECEIVED))
    with unit_of_work(db) as s:
        old = s.execute(_ACCOUNT[quiet], {"user_id": USER, "now": now, "row_id": NEWEST}).one()
        expected = (old[0].display_name, old[1].slots, bool(old[2]), bool(old[3]), bool(old[4]))
    raw = {"webhookEventId": "E-new", "type": "message", "source": {"type": "user", "userId": USER}}
    if function == "take_event":  # the event to take: stored, its user's oldest
        with unit_of_work(db) as s:
            s.add(InboundEvent(event_id="E-new", user_id=USER, payload="{}", status=InboundStatus.RECEIVED,
                               received_at=now - timedelta(hours=1)))
        take = {"taken": "E-new", "at": now, "settled": redacted(raw), "oldest_of": USER, "account": USER,
                "now": now, "quiet": quiet}
        with unit_of_work(db) as s:
            row = s.connection().execute(TAKE_EVENT_CORE, take).one()
            account, conversation, *probes = found_account(s, row[2:])
            assert row[:2] == ("E-new", True)
            assert (account.display_name, conversation.slots, *probes) == expected
        with unit_of_work(db) as s:  # taken already: nothing
            assert s.connection().execute(TAKE_EVENT_CORE, take).first() is None
            assert s.get(InboundEvent, "E-new").status is InboundStatus.DONE
        return
    with unit_of_work(db) as s:
        row = s.execute(BEGIN_EVENT, event_values(raw, InboundStatus.DONE, now) | {
            "account": USER, "now": now, "quiet": quiet}).one()
        assert row[:2] == ("E-new", True)
        assert (row[2].display_name, row[3].slots, row[4], row[5], row[6]) == expected
        assert s.execute(BEGIN_EVENT, event_values(raw, InboundStatus.DONE, now) | {
            "account": USER, "now": now, "quiet": quiet}).first() is None  # a redelivery: nothing


def test_counts_computed_by_a_handler_are_stored_with_its_reply(runtime, line_client, db):
    """A read intent's counts are stored by `registry.rollup`'s before-commit hook: on
    PostgreSQL the reply's row may be written with the COMMIT only when that hook has nothing
    to write (else the counts would be written after the commit, in a transaction of their own);
    otherwise as usual, in the event's transaction."""
    from sqlalchemy import text

    from registry import rollup

    @handler("test.counts", roles=ANYONE, replace=True)
    def counts(ctx, slots):
        """Leave counts to store at commit, as `rollup.load` does."""
        ctx.session.info[rollup._PENDING] = (ctx.session.get_transaction(), {"9999": {
            "area_code": "9999", "whole_version": 1, "version": 2, "counts": {"n": 1}}})
        return [Text("นับแล้วค่ะ")]

    import threading

    from sqlalchemy import event as sa_event

    statements: list[str] = []
    me = threading.get_ident()

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if threading.get_ident() == me:
            statements.append(statement)

    try:
        with unit_of_work(db) as s:
            s.add(LineAccount(user_id=USER, role=None))
        sa_event.listen(runtime.engine, "before_cursor_execute", note)
        try:
            replies = runtime.receive([line_client.postback_event(USER, "i=test.counts")])
        finally:
            sa_event.remove(runtime.engine, "before_cursor_execute", note)
        runtime.deliver(replies)
    finally:
        REGISTRY.pop("test.counts", None)
    assert texts(line_client.fake.delivered_to(USER)) == "นับแล้วค่ะ"
    assert "area_rollups" in statements[-1] or "area_rollups" in statements[-2], statements  # before the commit
    assert not any(s.rstrip().endswith("COMMIT") for s in statements), statements  # so not with the reply's row
    with unit_of_work(db) as s:
        assert s.execute(text("SELECT version FROM area_rollups WHERE area_code = '9999'")).scalar() == 2


def test_the_account_and_conversation_read_with_the_event_are_written_back_like_loaded_ones(runtime, line_client, db):
    """On PostgreSQL the account and the conversation come from `begin_event`'s row without
    the ORM's loading (`bot.dispatch.loaded`): what a handler changes on them is written, a
    deleted conversation is deleted, and the values read are those stored (sealed slots
    opened, enum and times typed)."""
    from datetime import timedelta

    from models import ConversationState, Role, utcnow

    seen: dict = {}

    @handler("test.touch", roles=ANYONE, replace=True)
    def touch(ctx, slots):
        """Change the account, read and end the conversation."""
        seen.update(role=ctx.account.role, slots=dict(ctx.conversation.slots),
                    aware=ctx.conversation.expires_at.tzinfo is not None)
        ctx.account.display_name = "เปลี่ยนแล้ว"
        ctx.account.reminders_opt_out = True
        ctx.session.delete(ctx.conversation)
        return [Text("เรียบร้อยค่ะ")]

    try:
        with unit_of_work(db) as s:
            s.add(LineAccount(user_id=USER, role=Role.PRODUCER, display_name="เดิม"))
            s.add(ConversationState(user_id=USER, flow="producer.link", state="phone", slots={"phone": "0812345678"},
                                    retries=0, expires_at=utcnow() + timedelta(hours=1)))
        runtime.deliver(runtime.receive([line_client.postback_event(USER, "i=test.touch")]))
    finally:
        REGISTRY.pop("test.touch", None)
    assert texts(line_client.fake.delivered_to(USER)).startswith("เรียบร้อยค่ะ")
    assert seen == {"role": Role.PRODUCER, "slots": {"phone": "0812345678"}, "aware": True}
    with unit_of_work(db) as s:
        account = s.get(LineAccount, USER)
        assert (account.display_name, account.reminders_opt_out) == ("เปลี่ยนแล้ว", True)
        assert s.get(ConversationState, USER) is None


def test_a_failure_after_the_reply_is_committed_sends_no_apology(runtime, line_client, db, monkeypatch):
    """On PostgreSQL the reply's row is written with the COMMIT: an error after it (the
    connection lost, a bug on the way out) leaves the event done and its reply standing; an
    apology with the same reply token would be a second answer (found in review)."""
    from sqlalchemy import select

    from bot import dispatch
    from models import OutboxMessage

    if db.kw["bind"].dialect.name != "postgresql":
        pytest.skip("the reply is written with the COMMIT on PostgreSQL only")
    real = dispatch.insert_claimed_and_commit

    def then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        if real(*args, **kwargs) is not None:
            raise RuntimeError("lost after the commit")
        return None

    monkeypatch.setattr(dispatch, "insert_claimed_and_commit", then_fail)
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None))
    runtime.receive([line_client.text_event(USER, "สวัสดีค่ะ")])
    with unit_of_work(db) as s:
        rows = s.execute(select(OutboxMessage.purpose, OutboxMessage.status).where(OutboxMessage.user_id == USER)).all()
        status = s.execute(select(InboundEvent.status)).scalars().all()
    assert len(rows) == 1 and rows[0][0] == "reply", rows  # the reply only, no apology
    assert InboundStatus.FAILED not in status, status
