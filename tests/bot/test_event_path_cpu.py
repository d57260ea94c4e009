"""Work the event path no longer does (issue 18, session 11): a reply's JSON encoded once
(the outbox row's text is the body that is sent), the account statement's constants written
into its SQL, and psycopg's column descriptions built only when something reads them."""

from __future__ import annotations

import json

import pytest

from bot.render import render
from handlers.registry import ANYONE, REGISTRY, handler
from handlers.replies import Card, CardList, Choice, Text, postback
from models import LineAccount, unit_of_work

USER = "U0000000000000000000000000000c011"


def _cards(n: int = 10) -> CardList:
    cards = [Card(f"ผู้ผลิต {i}", [f"บรรทัด {j} ของรายการ {i}" for j in range(6)],
                  [Choice("ดู", postback=postback("test.cards", page=i))]) for i in range(n)]
    return CardList(cards, page=1, total=25, more_postback={"i": "test.cards", "page": "2"}, alt_text="รายการ")


def _dumps_of_carousels(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Where json.dumps encoded a value holding a carousel, by the bot or the SDK (not by the
    fake LINE API's own checks)."""
    import sys

    seen: list[str] = []
    real = json.dumps

    def counting(value, *a, **kw):  # type: ignore[no-untyped-def]
        text = real(value, *a, **kw)
        caller = sys._getframe(1).f_code
        if '"carousel"' in text and not caller.co_filename.endswith(("lineschema.py", "fakeline.py")):
            seen.append(f"{caller.co_filename}:{caller.co_name}")
        return text

    monkeypatch.setattr(json, "dumps", counting)
    return seen


def test_encode_is_the_messages_json_with_the_carousel_measured_once(monkeypatch):
    from bot.render import encode

    seen = _dumps_of_carousels(monkeypatch)
    [batch] = render([Text("ก่อน"), _cards(), Card("การ์ด", ["หนึ่ง"])] )
    batch[-1]["quickReply"] = {"items": []}  # a key after "contents", as render adds quick replies
    text = encode(batch)
    assert json.loads(text) == json.loads(json.JSONEncoder(ensure_ascii=False).encode(batch))
    assert len(seen) == 1, seen  # render's measure only: encode takes the carousel's text as measured


@pytest.fixture
def cards_handler():
    @handler("test.cards", roles=ANYONE, replace=True)
    def cards(ctx, slots):
        """A carousel of ten cards."""
        return [_cards()]

    yield
    REGISTRY.pop("test.cards", None)


def test_the_sent_body_carries_the_outbox_rows_text(runtime, line_client, db, cards_handler, monkeypatch):
    """The reply is posted as UTF-8 JSON whose messages are the text written into the outbox
    row (PostgreSQL's folded INSERT): the carousel is encoded once, when render measures it,
    not again for the row and again for the HTTP body (the SDK's own json.dumps)."""
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=USER, role=None))
    pool = runtime.sender.api.client.rest_client.pool_manager
    bodies: list[bytes] = []
    real = pool.request

    def request(method, url, body=None, **kw):  # type: ignore[no-untyped-def]
        if url.endswith("/message/reply"):
            bodies.append(body)
        return real(method, url, body=body, **kw)

    monkeypatch.setattr(pool, "request", request)
    seen = _dumps_of_carousels(monkeypatch)
    messages = line_client.tap(USER, "i=test.cards")
    assert messages and messages[0]["contents"]["type"] == "carousel"
    [body] = bodies
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    assert json.loads(text)["messages"] == messages and "\\u0e" not in text  # UTF-8, not escaped
    if runtime.engine.dialect.name == "postgresql":
        assert len(seen) == 1, seen  # measured by render; the row and the body reuse that text


def test_the_account_statement_binds_only_its_values():
    """Its constants (statuses, purposes, LIMIT 1) are in its SQL: the statement had fourteen
    bound parameters, an expanding one among them, each processed at every execution."""
    from sqlalchemy.dialects import postgresql

    from bot.dispatch_queries import ACCOUNT_CORE
    from bot.outbox_queries import WAITS

    for quiet in (False, True):
        values = {"user_id", "row_id"} | ({"now"} if not quiet else set())
        compiled = ACCOUNT_CORE[quiet].compile(dialect=postgresql.dialect())
        assert set(compiled.binds) == values, compiled.binds
        assert "POSTCOMPILE" not in str(compiled) and "IN ('pending', 'sending')" in str(compiled)
        assert set(WAITS[quiet].compile(dialect=postgresql.dialect()).binds) == values


def test_a_compiled_statement_builds_no_column_description(runtime, monkeypatch):
    """PostgreSQL: SQLAlchemy reads `cursor.description` after each statement that returns
    rows; for a compiled statement it uses its cached result columns, so psycopg's Column
    objects are built only for what reads them (a textual statement's names, here)."""
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's cursor")
    import psycopg

    from bot.dispatch_queries import ACCOUNT_CORE
    from bot.sender import NEWEST
    from models import utcnow

    built: list[int] = []
    real = psycopg.Column.__init__

    def init(self, cursor, index):  # type: ignore[no-untyped-def]
        built.append(index)
        real(self, cursor, index)

    monkeypatch.setattr(psycopg.Column, "__init__", init)
    with runtime.engine.connect() as connection:
        connection.execute(ACCOUNT_CORE[False], {"user_id": USER, "row_id": NEWEST, "now": utcnow()}).first()
        warm = len(built)  # the statement's first run may build its result metadata from them
        connection.execute(ACCOUNT_CORE[False], {"user_id": USER, "row_id": NEWEST, "now": utcnow()}).first()
        assert len(built) == warm, built
        row = connection.exec_driver_sql("SELECT 1 AS one, 'x' AS two").mappings().one()
        assert dict(row) == {"one": 1, "two": "x"}
        cursor = connection.connection.driver_connection.execute("SELECT 1 AS a, 2 AS b")
        assert [c.name for c in cursor.description] == ["a", "b"] and len(cursor.description) == 2
        assert cursor.description[-1].name == "b" and [c.name for c in cursor.description[:1]] == ["a"]
