"""Fast bulk inserts: COPY on PostgreSQL (psycopg 3), driver-level executemany elsewhere.

Both paths skip SQLAlchemy's per-row statement machinery (parameter dicts, per-row type
processing), which dominated large imports. Values are converted exactly as SQLAlchemy
would convert them: through the column type's own bind processor (enums to their value,
UTC datetimes to the stored form, ...), computed once per column and, for a value that
repeats from row to row (a batch's timestamp), once per value.

Neither path bumps the registry versions (`registry.epoch`): a caller inserting into a registry
table bumps the districts it writes to itself, in the same transaction (as the importer does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import json

from sqlalchemy import ColumnElement, Table, any_, bindparam, func, insert, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from registry.epoch import CALLER_BUMPS

_PROCESSORS: dict[tuple[str, str, tuple[str, ...]], list[Callable[[Any], Any] | None]] = {}


def _processors(dialect: Dialect, table: Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    key = (dialect.name, table.name, tuple(columns))
    procs = _PROCESSORS.get(key)
    if procs is None:
        procs = [table.c[c].type._cached_bind_processor(dialect) for c in columns]  # noqa: SLF001
        _PROCESSORS[key] = procs
    return procs


def _memo(proc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`proc` remembering its last argument (by identity): a batch's shared timestamp is
    converted once, not once per row."""
    last: list[Any] = [object(), None]

    def run(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, proc(value)
        return last[1]

    return run


def insert_tuples(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows given as value sequences in `columns` order, in the session's transaction.

    On PostgreSQL the rows go through COPY; elsewhere through the driver's executemany.
    Values are converted by the columns' bind processors, as SQLAlchemy converts them (enums
    to their value, ...). No Python-side column defaults are applied: give every column you need.
    No registry version is bumped: the caller bumps the districts of the rows (module doc).
    """
    conn = session.connection()
    dialect = conn.dialect
    copy_ = dialect.name == "postgresql"
    if not copy_ and dialect.paramstyle not in ("qmark", "format"):
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows],
                        execution_options={CALLER_BUMPS: True})
        return
    params = _converted(dialect, table, columns, rows)
    if not params:
        return
    cols = ", ".join(f'"{c}"' for c in columns)
    if copy_:
        with conn.connection.driver_connection.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                write = copy.write_row
                for row in params:
                    write(row)
        return
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in columns)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})', params)


def _converted(dialect: Dialect, table: Table, columns: Sequence[str],
               rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows as tuples of driver values: each column through its type's bind processor."""
    procs = [_memo(p) if p is not None else None for p in _processors(dialect, table, columns)]
    active = [(i, p) for i, p in enumerate(procs) if p is not None]
    if not active:
        return [tuple(r) for r in rows]
    params: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        for i, p in active:
            v = values[i]
            if v is not None:
                values[i] = p(v)
        params.append(tuple(values))
    return params


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) in the session's transaction (see `insert_tuples`)."""
    if not rows:
        return
    columns = list(rows[0])
    insert_tuples(session, table, columns, ([row[c] for c in columns] for row in rows))


def in_values(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values` as one bound parameter (an array on PostgreSQL, a JSON array read
    with json_each on SQLite) instead of one parameter per value, which SQLAlchemy and the
    driver render and parse anew for every statement of a large import."""
    values = list(values)
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type), unique=True))
    if name == "sqlite":
        return column.in_(select(literal_column("value")).select_from(func.json_each(json.dumps(values))))
    return column.in_(values)
