"""Work the web process no longer does (issue 18, session 12): on PostgreSQL the webhook's busy
store and the outcome of sent replies are sent by psycopg alone (`models.pg_direct`), with
none of SQLAlchemy's execution around them (its statement events never see them), one
simple query each, their values written as literals quoted by libpq."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, select

from bot.delivery import Decision
from bot.dispatch import enqueue
from bot.inbox import store_events
from bot.outcomes import Outcomes
from handlers.replies import Text
from models import InboundEvent, InboundStatus, OutboxMessage, OutboxStatus, unit_of_work, utcnow
from models.pii import is_clear_json
from tests.dbutil import round_trips

USER = "U0000000000000000000000000000c012"
TYPED = "ร้อยละ 100% ของ 'ฉัน' \\ {x} %(now)s"  # quotes, a backslash, braces, placeholders


@pytest.fixture
def postgres(engine):  # type: ignore[no-untyped-def]
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's path")
    return engine


@pytest.fixture
def executed(monkeypatch):  # type: ignore[no-untyped-def]
    """Statements SQLAlchemy executes meanwhile (through `Connection._execute_context`)."""
    from sqlalchemy.engine import Connection

    seen: list[object] = []
    real = Connection._execute_context

    def spy(self, dialect, constructor, statement, *a, **kw):  # type: ignore[no-untyped-def]
        seen.append(statement)
        return real(self, dialect, constructor, statement, *a, **kw)

    monkeypatch.setattr(Connection, "_execute_context", spy)
    return seen


@pytest.fixture
def listened(engine):  # type: ignore[no-untyped-def]
    """What the engine's `before_cursor_execute` listeners see: (first word, autocommit)."""
    seen: list[tuple[str, bool]] = []

    def note(conn, cursor, statement, *a):  # type: ignore[no-untyped-def]
        seen.append((statement.split()[0], conn.connection.dbapi_connection.autocommit))

    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def test_the_busy_store_is_psycopgs_one_simple_query(postgres, db, line_client, executed, listened):
    first, second = line_client.text_event(USER, TYPED), line_client.text_event(USER, "เมนู")
    with round_trips(postgres) as sent:
        assert store_events(db, [first, second, first]) == [first["webhookEventId"], second["webhookEventId"]]
    assert executed == []  # no SQLAlchemy execution (main: the INSERT through Core)
    assert listened == [("INSERT", True)]  # statement counters still see it, in autocommit
    assert len(sent) == 1 and sent[0].startswith("INSERT INTO inbound_events"), sent  # simple query, no BEGIN
    assert store_events(db, [first]) == []  # a redelivery
    with unit_of_work(db) as s:
        rows = {e.event_id: e for e in s.scalars(select(InboundEvent))}
        row = rows[first["webhookEventId"]]
        assert row.status is InboundStatus.RECEIVED and row.user_id == USER and row.handled_at is None
        assert json.loads(row.payload) == first  # as received, the text as typed
        assert row.received_at < rows[second["webhookEventId"]].received_at  # the body's order
    with postgres.connect() as connection:  # the pool's connection came back out of autocommit
        assert connection.connection.driver_connection.autocommit is False
        stored = connection.exec_driver_sql("SELECT payload FROM inbound_events WHERE event_id = %(id)s",
                                            {"id": first["webhookEventId"]}).scalar_one()
    assert not is_clear_json(stored) and "ร้อยละ" not in stored  # sealed at rest


def _claimed(db, n: int, name: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with unit_of_work(db) as s:
        rows = [enqueue(s, f"U{i:032x}", [Text("ทดสอบ")], None)[0] for i in range(n)]
        for row in rows:
            row.status, row.claimed_by, row.claimed_at = OutboxStatus.SENDING, name, utcnow()
    return rows


def test_sent_outcomes_are_psycopgs_one_simple_query(postgres, db, executed, listened):
    mine, theirs = _claimed(db, 3, "me 'x'"), _claimed(db, 1, "other")
    outcomes = Outcomes(db, "me 'x'", utcnow)
    executed.clear(), listened.clear()
    with round_trips(postgres) as sent:
        outcomes.record([(row, Decision("sent", "presumed 100% 'ok'", in_doubt=True)) for row in mine + theirs])
    assert executed == []  # main: the UPDATE through Core, its expanding IN rendered per execution
    assert len(sent) == 1 and sent[0].startswith("UPDATE outbox"), sent
    assert listened == [("UPDATE", True)]
    with unit_of_work(db) as s:
        got = {r.id: r for r in s.scalars(select(OutboxMessage))}
    for row in mine:
        r = got[row.id]
        assert (r.status, r.attempts, r.claimed_by, r.last_error, r.in_doubt) == (
            OutboxStatus.SENT, 1, None, "presumed 100% 'ok'", True)
        assert r.sent_at is not None and r.sent_at.tzinfo is not None
    other = got[theirs[0].id]  # claimed by another sender: left alone
    assert (other.status, other.attempts, other.claimed_by) == (OutboxStatus.SENDING, 0, "other")


def test_the_replys_insert_and_commit_are_psycopgs(postgres, line_client, runtime, executed, fake_line):
    """The folded INSERT + COMMIT of a reply (`insert_claimed_and_commit`) is sent by psycopg
    alone: statement counters see it, SQLAlchemy's execution does not run it."""
    line_client.say(USER, "สวัสดี")  # the account exists
    seen: list[str] = []
    note = lambda conn, cursor, statement, *a: seen.append(statement)  # noqa: E731
    event.listen(runtime.engine, "before_cursor_execute", note)
    executed.clear()
    try:
        assert line_client.say(USER, TYPED)  # a reply
    finally:
        event.remove(runtime.engine, "before_cursor_execute", note)
    assert not [s for s in map(str, executed) if "INSERT INTO outbox" in s]  # main: exec_driver_sql
    [folded] = [s for s in seen if s.startswith("INSERT INTO outbox")]
    assert folded.endswith("; COMMIT")


@pytest.mark.parametrize("function", ["begin_event", "take_event"])
def test_the_events_first_statement_reads_what_sqlalchemy_reads(postgres, db, executed, function):
    """`first_row` (psycopg alone, values as literals, the row processed by the columns'
    types) returns what SQLAlchemy's execution of the same statement returns: the role as
    the enum, times aware, the conversation's sealed slots opened, the probes."""
    from datetime import timedelta

    from bot.dispatch_queries import BEGIN_EVENT_CORE, TAKE_EVENT_CORE
    from bot.inbox import event_values, redacted
    from bot.pg_begin import first_row
    from models import ConversationState, LineAccount, Role

    now = utcnow()
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=Role.DISTRICT, display_name="ชื่อ 'ก' 100%", province_code=None,
                          linked_at=now - timedelta(days=1)))
        s.add(ConversationState(user_id=USER, flow="producer.link", state="phone", slots={"phone": "0812345678"},
                                retries=1, expires_at=now + timedelta(hours=1)))
        s.add(InboundEvent(event_id="E-new", user_id=USER, payload="{}", status=InboundStatus.RECEIVED,
                           received_at=now - timedelta(hours=1)))
    raw = {"webhookEventId": "E-new" if function == "take_event" else "E-other", "type": "message",
           "source": {"type": "user", "userId": USER}, "message": {"type": "text", "text": TYPED}}
    if function == "take_event":
        statement, values = TAKE_EVENT_CORE, {"taken": "E-new", "at": now, "settled": redacted(raw),
                                              "oldest_of": USER, "account": USER, "now": now, "quiet": False}
    else:
        statement, values = BEGIN_EVENT_CORE, event_values(raw, InboundStatus.DONE, now) | {
            "account": USER, "now": now, "quiet": True}
    rows = []
    for direct in (False, True):
        session = db()
        try:
            connection = session.connection()
            executed.clear()
            rows.append(list(first_row(connection, statement, values) if direct
                             else connection.execute(statement, values).one()))
            assert bool(executed) is not direct  # the direct one without SQLAlchemy's execution
            if function == "begin_event":  # the event row as SQLAlchemy would have written it
                stored = session.get(InboundEvent, "E-other")
                assert (stored.status, json.loads(stored.payload)) == (InboundStatus.DONE, json.loads(redacted(raw)))
        finally:
            session.rollback()  # each takes the same stored event
            session.close()
    assert rows[0] == rows[1]
    assert rows[1][4] is Role.DISTRICT and rows[1][2:4] == [USER, "ชื่อ 'ก' 100%"]
    assert {"phone": "0812345678"} in rows[1] and rows[1][1] is True


def test_the_event_path_runs_its_first_statement_without_sqlalchemy(postgres, line_client, runtime, executed, fake_line):
    """The webhook's `begin_event` and the event worker's `take_event` (main: through
    SQLAlchemy's execution, as compiled statements)."""
    line_client.say(USER, "สวัสดี")
    runtime.busy_at = 0  # the next one stored and taken by the event worker
    executed.clear()
    line_client.say(USER, "เมนู")
    runtime.busy_at = 2
    line_client.say(USER, "เมนู")
    ran = " ".join(map(str, executed))
    assert "begin_event(" not in ran and "take_event(" not in ran
    assert len(fake_line.deliveries) == 3


def test_literals_read_back_as_written(postgres):
    """Doubling single quotes (standard_conforming_strings on, UTF8) and libpq's quoting give
    the same values back; a NUL is refused."""
    from datetime import datetime, timezone

    from models.pg_direct import autocommit

    values = [TYPED, "", "'", "''", "\\", "\\'", "E'x'", "a\nb\tc\r", "😀 ผ้าไหม", "%s %(x)s {0}", "-- x", "/* x */",
              "x'; DROP TABLE outbox; --", "$$ $q$", "\u0e00\u0e7f\uffff"]
    for plain in (True, False):
        with autocommit(postgres) as direct:
            assert direct._plain  # PostgreSQL's defaults: the plain rule is the one in use
            direct._plain = plain
            sql = "SELECT " + ", ".join(direct.quote(v) for v in values)
            assert list(direct.execute(sql).fetchone()) == values
            when = datetime(2026, 12, 6, 10, 0, 1, 5, tzinfo=timezone.utc)
            assert direct.execute(f"SELECT {direct.quote(when)}, {direct.quote(None)}, {direct.quote(True)}, "
                                  f"{direct.quote(7)}, 1 -{direct.quote(-7)}, 1 -{direct.quote(-0.25)}, "
                                  f"{direct.quote(1e-05)}").fetchone() == (when, None, True, 7, 8, 1.25, 1e-05)
            if plain:
                with pytest.raises(ValueError):
                    direct.quote("a\x00b")


def test_a_pacing_block_is_one_round_trip(postgres):
    """PostgreSQL's pacing store (no Redis) reserves a block in one statement in autocommit
    (main: BEGIN, the statement, COMMIT: three round trips before a send)."""
    from bot.pacing import PostgresStore

    store = PostgresStore(postgres)
    with round_trips(postgres) as sent:
        first = store.reserve("t-direct", 0.01, 10)
    second = store.reserve("t-direct", 0.01, 10)
    assert len(sent) == 1 and sent[0].startswith("INSERT INTO rate_slots"), sent
    assert abs(first) < 0.05 and 0.05 < second - first < 0.15


def test_a_records_check_reads_what_sqlalchemy_reads(postgres, db, executed):
    """`models.pg_direct.rows` of the cached record's check (an expanding IN, a sealed column
    through its type) equals SQLAlchemy's rows, with no SQLAlchemy execution."""
    from handlers.producer.record_data import _CHECK
    from models import PendingChange
    from models.pg_direct import rows as direct_rows
    from tests.registry import factories as f

    with unit_of_work(db) as s:
        p = f.producer(s, "5001", products=1)
        s.add(PendingChange(entity="producer", entity_id=p.id, field="phone", old_value=None,
                            new_value="081 '100%'", producer_id=p.id, district_code="5001", requested_by=USER))
        pid = p.id
    values = {"producer_id": pid, "district_code": "5001", "scopes": ["", "5001", "50%'01", "__[POSTCOMPILE_scopes]"]}
    with unit_of_work(db) as s:
        expected = [tuple(r) for r in s.connection().execute(_CHECK, values).all()]
        executed.clear()
        got = direct_rows(s.connection(), _CHECK, values)
        assert executed == []
    assert [tuple(r) for r in got] == expected
    assert [r.sealed for r in got if r.kind == "pending"] == ["081 '100%'"]


def test_two_expanding_lists_are_written_in_one_pass(postgres):
    """A list's literals are never searched again for another list's place (a value that
    reads like one stays a value)."""
    from sqlalchemy import bindparam, column, literal, select

    from models.pg_direct import autocommit, prepared

    statement = select(literal("x").label("a")).where(
        column("v").in_(bindparam("one", expanding=True)), column("w").in_(bindparam("two", expanding=True))
    ).select_from(select(literal("__[POSTCOMPILE_two]").label("v"), literal("b").label("w")).subquery())
    with autocommit(postgres) as direct:
        sql = prepared(statement, postgres.dialect).render(direct, {"one": ["__[POSTCOMPILE_two]", "50%"], "two": ["b"]})
        assert direct.execute(sql).fetchall() == [("x",)]
