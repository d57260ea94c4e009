"""PostgreSQL (psycopg): one statement in autocommit on a pooled connection, sent by psycopg
itself, its values written into the SQL as literals quoted by libpq.

The webhook's busy store (`bot.inbox.store_events`) and the outcome of a sent reply
(`bot.outcomes`) are one statement each, their own transaction. Through SQLAlchemy each paid
more client CPU than the statement's own work: a `Connection` built, the isolation level set
to AUTOCOMMIT and reset again at every checkout, the compiled statement looked up by its
cache key, every bound parameter processed, a result set up (~300 µs of CPU for the store's
one-row INSERT, ~195 µs sent as below). Here the pool's connection is checked out as is
(its checkout events run: tests trace it), put in autocommit for the one statement and back
(psycopg sets the attribute, no round trip), and the string is sent with no parameters and
`prepare=False` (psycopg neither scans it for placeholders nor counts it for preparing: one
simple query). Values are quoted by libpq
(`PQescapeLiteral`, aware of the connection's encoding), never part of the SQL unquoted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from psycopg.pq import Escaping
from sqlalchemy.engine import Engine

Quote = Callable[[Any], str]


def literal(quote: Callable[[bytes], bytes], value: str | None) -> str:
    """A string (or NULL) as a quoted SQL literal, by `Escaping(pgconn).escape_literal`."""
    return "NULL" if value is None else quote(value.encode()).decode()


@contextmanager
def autocommit(engine: Engine) -> Iterator[tuple[Any, Quote]]:
    """A cursor of a pooled psycopg connection in autocommit (each statement its own
    transaction, durable when it returns), and a function quoting a value for its SQL
    (str, None, bool, int, datetime). The connection goes back to the pool out of
    autocommit; a broken one is dropped from the pool."""
    fairy = engine.raw_connection()
    try:
        conn = fairy.driver_connection
        conn.autocommit = True
        escape = Escaping(conn.pgconn).escape_literal

        def quote(value: Any) -> str:
            if value is None or isinstance(value, str):
                return literal(escape, value)
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, int):
                return str(int(value))
            if isinstance(value, datetime):
                assert value.tzinfo is not None, "naive datetime"
                return literal(escape, value.isoformat()) + "::timestamptz"
            raise TypeError(f"no literal for {type(value).__name__}")

        try:
            with conn.cursor() as cursor:
                yield cursor, quote
        finally:
            if not conn.closed:
                conn.autocommit = False
    except BaseException:
        if fairy.driver_connection is None or fairy.driver_connection.closed or fairy.driver_connection.broken:
            fairy.invalidate()
        raise
    finally:
        fairy.close()

