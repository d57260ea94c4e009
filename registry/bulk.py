"""Fast bulk inserts: COPY on PostgreSQL (psycopg 3), Core executemany elsewhere."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) in the session's transaction.

    On PostgreSQL the rows go through COPY, several times faster than INSERT batches for
    large imports; values must then be plain (enums are sent as their values, and no
    Python-side column defaults are applied: give every column you need).
    """
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    cols = ", ".join(f'"{c}"' for c in columns)
    with conn.connection.driver_connection.cursor() as cur:  # type: ignore[union-attr]
        with cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_plain(row[c]) for c in columns])
