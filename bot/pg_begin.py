"""PostgreSQL (psycopg): a transaction's BEGIN sent in the same query string as its first
statement, one round trip instead of two. psycopg sends BEGIN as a query of its own before a
transaction's first statement (in pipeline mode too: it waits for its answer); the event
paths (`bot.dispatch`) begin with one statement that matters (`begin_event`, or the stored
event taken and the account locked), so that statement carries the BEGIN itself:
`BEGIN; SELECT ...` as one simple-protocol query, its values bound client-side by psycopg
(`ClientCursor`: quoted by its dumpers, never part of the SQL unquoted). PostgreSQL runs
the two in order and stops at the first error (the transaction is then aborted, and rolled
back as any other). The statement's own result is the second: the cursor moves to it, so
SQLAlchemy reads it as usual (and its `before_cursor_execute` hooks see the statement
without the BEGIN, which psycopg's own BEGIN never showed them either)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import ClientCursor
from psycopg.pq import TransactionStatus
from sqlalchemy.engine import Connection, CursorResult

from models.pg_cursor import LazyDescription
from models.pg_direct import on as direct_on
from models.pg_direct import prepared as direct_prepared

# Two of psycopg's private names are used (tested with psycopg 3.3): without them (another
# release), the BEGIN goes its own round trip as before, nothing else changes.
SUPPORTED = hasattr(psycopg.Connection, "_get_tx_start_command")


class _BeginFirst(LazyDescription, ClientCursor):  # type: ignore[type-arg, misc]
    def execute(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def, override]
        conn = self._conn
        begin = conn._get_tx_start_command().decode()  # what psycopg would send (BEGIN ISOLATION LEVEL ...)
        conn._autocommit = True  # psycopg adds no BEGIN of its own: the query string carries it
        try:
            super().execute(begin + "; " + query, params, **kwargs)
        finally:
            conn._autocommit = False
        self.nextset()
        return self


def first_row(connection: Connection, statement: Any, params: dict[str, Any]) -> Any:
    """`execute_first(connection, statement, params).first()` sent by psycopg alone on
    PostgreSQL (`models.pg_direct`: no SQLAlchemy execution; the values written as literals,
    the row's values processed by the columns' types as SQLAlchemy would), the BEGIN in the
    same query string when the connection is idle. Elsewhere (or another psycopg release):
    `execute_first`."""
    if connection.dialect.driver != "psycopg":
        return execute_first(connection, statement, params).first()
    driver = connection.connection.driver_connection
    if not SUPPORTED or not hasattr(driver, "_autocommit") or driver.autocommit:
        return execute_first(connection, statement, params).first()
    prepared = direct_prepared(statement, connection.dialect)
    with direct_on(connection) as direct:
        sql = prepared.render(direct, params)
        if driver.pgconn.transaction_status != TransactionStatus.IDLE:
            return prepared.row(direct.execute(sql).fetchone())
        begin = driver._get_tx_start_command().decode()  # what psycopg would send (BEGIN ISOLATION LEVEL ...)
        driver._autocommit = True  # psycopg adds no BEGIN of its own: the query string carries it
        try:
            cursor = direct.execute(sql, begin=begin + "; ")
        finally:
            driver._autocommit = False
        cursor.nextset()
        return prepared.row(cursor.fetchone())


def execute_first(connection: Connection, statement: Any, params: dict[str, Any]) -> CursorResult[Any]:
    """`connection.execute(statement, params)` as the transaction's first statement, with the
    BEGIN (as psycopg would send it: with the connection's isolation level) in the same round
    trip when the connection is psycopg's and idle (no transaction begun yet: else as usual)."""
    if connection.dialect.driver != "psycopg":
        return connection.execute(statement, params)
    driver = connection.connection.driver_connection
    if not SUPPORTED or not hasattr(driver, "_autocommit") \
            or driver.pgconn.transaction_status != TransactionStatus.IDLE or driver.autocommit:
        return connection.execute(statement, params)
    factory = driver.cursor_factory
    driver.cursor_factory = _BeginFirst
    try:
        return connection.execute(statement, params)
    finally:
        driver.cursor_factory = factory
