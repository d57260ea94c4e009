"""PostgreSQL (psycopg): a cursor whose `description` builds its `Column` objects only when
they are read.

psycopg builds the whole description (a `Column` per result column: its name decoded, its
type looked up in the connection's type registry) each time `cursor.description` is read,
and SQLAlchemy reads it after every statement that returns rows, only to see that there are
rows: a compiled statement's result columns are known from the statement (its cached result
metadata), and the description is then never looked at. An account's statement on the event
path returns ~20 columns: a quarter of its client CPU went into that list. Here the list is
built on first access (from the result the cursor held when `description` was read), so
textual statements and other readers get the same columns as before."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg import Column
from psycopg.pq import ExecStatus

_TUPLES = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, getattr(ExecStatus, "TUPLES_CHUNK", ExecStatus.TUPLES_OK))


class _Result:
    """What `psycopg.Column` reads of its cursor, kept as it was when `description` was read."""

    __slots__ = ("pgresult", "_encoding", "adapters")

    def __init__(self, cursor: Any) -> None:
        self.pgresult, self._encoding, self.adapters = cursor.pgresult, cursor._encoding, cursor.adapters


class Description(Sequence[Column]):
    """`cursor.description`, its columns built on first access."""

    __slots__ = ("_result", "_n", "_columns")

    def __init__(self, cursor: Any, n: int) -> None:
        self._result, self._n, self._columns = _Result(cursor), n, None

    def _all(self) -> list[Column]:
        if self._columns is None:
            self._columns = [Column(self._result, i) for i in range(self._n)]  # type: ignore[arg-type]
        return self._columns

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self._all()[index]

    def __iter__(self) -> Iterator[Column]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return repr(self._all())


class LazyDescription:
    """Mixin for psycopg cursor classes: `description` as above (same condition for None)."""

    @property
    def description(self) -> Description | None:
        res = self.pgresult  # type: ignore[attr-defined]
        if res and (res.nfields or res.status in _TUPLES):
            return Description(self, res.nfields)
        return None


class Cursor(LazyDescription, psycopg.Cursor):  # type: ignore[type-arg, misc]
    """The engine's cursor class on PostgreSQL (`models.base.make_engine`)."""
