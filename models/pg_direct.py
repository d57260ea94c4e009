"""PostgreSQL (psycopg): the message path's fixed statements sent by psycopg itself, with none
of SQLAlchemy's execution around them, their values written into the SQL as literals: alone
in autocommit on a pooled connection (`autocommit`), or in a session's transaction (`on`;
`Prepared` for a SQLAlchemy statement built once, `rows`, `bot.pg_begin.first_row`).

The webhook's busy store (`bot.inbox.store_events`) and the outcome of a sent reply
(`bot.outcomes`) are one statement each, their own transaction. Through SQLAlchemy each paid
more client CPU than the statement's own work: a `Connection` built, the isolation level set
to AUTOCOMMIT and reset again at every checkout, the compiled statement looked up by its
cache key, every bound parameter processed, a result set up (~300 µs of CPU for the store's
one-row INSERT, ~195 µs sent as below). Here the pool's connection is checked out as is
(its checkout events run: tests trace it), put in autocommit for the one statement and back
(psycopg sets the attribute, no round trip), and the string is sent with no parameters and
`prepare=False` (psycopg neither scans it for placeholders nor counts it for preparing: one
simple query). The engine's `before_cursor_execute` listeners, when there are any (tests
counting statements), are called with it as SQLAlchemy calls them.

Values are never part of the SQL unquoted. On a connection with `standard_conforming_strings`
on and the client encoding UTF8 (PostgreSQL's defaults, read from the connection), a string
literal is the string between single quotes with each single quote doubled: the whole rule
then (a backslash is an ordinary character, and a Python string is valid Unicode); a NUL,
which no PostgreSQL text may hold, is refused. libpq's `PQescapeLiteral` checks each
character's encoding instead, and with the encoding and decoding around it cost ~150 µs for
a carousel's 15,000 characters (~10 µs this way). On any other connection libpq quotes."""

from __future__ import annotations

import math
import re
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

from psycopg.pq import Escaping
from sqlalchemy.engine import Connection, Engine


def literal(quote: Callable[[bytes], bytes], value: str | None) -> str:
    """A string (or NULL) as a quoted SQL literal, by `Escaping(pgconn).escape_literal`."""
    return "NULL" if value is None else quote(value.encode()).decode()


def _plain_quoting(pgconn: Any) -> bool:
    """Whether doubling single quotes is all the quoting a literal needs on this connection."""
    return (pgconn.parameter_status(b"standard_conforming_strings") == b"on"
            and pgconn.parameter_status(b"client_encoding") == b"UTF8")


def plain_literal(value: str) -> str:
    """`value` as a string literal for a connection where `_plain_quoting` holds."""
    if "\x00" in value:
        raise ValueError("PostgreSQL text cannot contain NUL (0x00) characters")
    return "'" + value.replace("'", "''") + "'"


class Direct:
    """Statements sent by psycopg on a pooled connection (`fairy`, SQLAlchemy's proxy of it):
    `execute(sql)` (psycopg's cursor, at the first result) and `quote(value)` (str, None,
    bool, int, finite float, aware datetime) for the SQL's literals."""

    def __init__(self, engine: Engine, fairy: Any) -> None:
        self.engine, self.fairy = engine, fairy
        self.cursor = fairy.driver_connection.cursor()
        pgconn = fairy.driver_connection.pgconn
        self._escape = Escaping(pgconn).escape_literal
        self._plain = _plain_quoting(pgconn)

    def quote(self, value: Any) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, str):
            return plain_literal(value) if self._plain else literal(self._escape, value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):  # (a negative number in brackets: "x -" + "-1" would begin a comment)
            return str(int(value)) if value >= 0 else f"({int(value)})"
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"no literal for {value}")
            return f"({value!r}::float8)"
        if isinstance(value, datetime):
            assert value.tzinfo is not None, "naive datetime"
            return self.quote(value.isoformat()) + "::timestamptz"
        raise TypeError(f"no literal for {type(value).__name__}")

    def execute(self, sql: str, begin: str = "") -> Any:
        """Send `sql` (after `begin`, a BEGIN in the same query string: `bot.pg_begin`, which
        listeners do not see, as they never saw psycopg's own BEGIN)."""
        if self.engine.dispatch.before_cursor_execute:  # listeners (tests counting statements) see it
            observed = Connection(self.engine, connection=self.fairy, _has_events=False)
            self.engine.dispatch.before_cursor_execute(observed, self.cursor, sql, {}, None, False)
        return self.cursor.execute(begin + sql, prepare=False)

    def close(self) -> None:
        self.cursor.close()


@contextmanager
def on(connection: Connection) -> Iterator[Direct]:
    """`Direct` on the connection of a SQLAlchemy `Connection` (a session's: its transaction
    as it stands; SQLAlchemy sees nothing of what is sent)."""
    direct = Direct(connection.engine, connection.connection)
    try:
        yield direct
    finally:
        direct.close()


@contextmanager
def autocommit(engine: Engine) -> Iterator[Direct]:
    """A pooled psycopg connection in autocommit (each statement its own transaction, durable
    when it returns), to `execute` statements on. The connection goes back to the pool out of
    autocommit; a broken one is dropped from the pool."""
    fairy = engine.raw_connection()
    try:
        conn = fairy.driver_connection
        conn.autocommit = True
        direct = Direct(engine, fairy)
        try:
            yield direct
        finally:
            direct.close()
            if not conn.closed:
                conn.autocommit = False
    except BaseException:
        if fairy.driver_connection is None or fairy.driver_connection.closed or fairy.driver_connection.broken:
            fairy.invalidate()
        raise
    finally:
        fairy.close()


class Prepared:
    """A SQLAlchemy statement for `Direct`: its SQL compiled once for the dialect; at each
    execution every bound value goes through its type's bind processor and is written as a
    literal (an expanding `IN` as the list of them), and every result column through its
    type's result processor, as SQLAlchemy would (a sealed column is sealed or opened, an enum
    read as the enum, ...); rows are named tuples of the statement's columns."""

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        assert self.sql.count("%") == self.sql.count("%(") and dialect.paramstyle == "pyformat", self.sql
        # By the names in the SQL (an anonymous one, a literal's, is named by the compiler).
        self.binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                      for bind, name in compiled.bind_names.items()}
        self.expanding = tuple({name for bind, name in compiled.bind_names.items() if bind.expanding})
        self._compiled = compiled
        self._constants: dict[str, Any] | None = None  # the anonymous ones' values
        columns = list(statement.selected_columns)
        self.results = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.Row = namedtuple("Row", [c.key for c in columns], rename=True)  # type: ignore[misc]

    def render(self, direct: Direct, values: dict[str, Any]) -> str:
        quote, binds = direct.quote, self.binds
        if self._constants is None:  # (SQLAlchemy's own reading of the parameters, once)
            self._constants = {k: v for k, v in self._compiled.construct_params(values).items() if k not in values}
        values = self._constants | values

        def one(name: str, value: Any) -> str:
            return quote(value if binds[name] is None else binds[name](value))

        sql = self.sql
        if self.expanding:  # in one pass (a list's text is never searched again), its "%" doubled for the `%` below
            assert all(values[name] for name in self.expanding), "an empty IN: SQLAlchemy renders it apart"
            sql = _POSTCOMPILE.sub(lambda m: ", ".join(one(m[1], v) for v in values[m[1]]).replace("%", "%%"), sql)
        return sql % {name: one(name, values[name]) for name in binds if name not in self.expanding}

    def row(self, values: tuple[Any, ...] | None) -> Any:
        if values is None:
            return None
        return self.Row(*[v if process is None else process(v) for v, process in zip(values, self.results)])


_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")


@cache
def prepared(statement: Any, dialect: Any) -> Prepared:
    """`Prepared(statement, dialect)`, once (for statements built once)."""
    return Prepared(statement, dialect)


def rows(connection: Connection, statement: Any, params: dict[str, Any]) -> list[Any]:
    """`connection.execute(statement, params).all()`, sent by psycopg alone on PostgreSQL in
    the connection's transaction (`Prepared`; elsewhere, or with an empty `IN`, by SQLAlchemy):
    for statements built once, on the message path."""
    if connection.dialect.driver != "psycopg" or not all(params[n] for n in prepared(statement, connection.dialect).expanding):
        return list(connection.execute(statement, params).all())
    p = prepared(statement, connection.dialect)
    with on(connection) as direct:
        return [p.row(values) for values in direct.execute(p.render(direct, params)).fetchall()]
