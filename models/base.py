"""Declarative base, engine and unit-of-work helpers (SQLAlchemy 2.0)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use models.base.utcnow()")
        return value.astimezone(timezone.utc) if dialect.name == "postgresql" else (
            value.astimezone(timezone.utc).replace(tzinfo=None)
        )

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON(), list: JSON()}


# Execution option of a transaction that only reads (`session.connection(execution_options=
# {READ_ONLY: True})` before its first statement): on SQLite it begins without the write lock.
READ_ONLY = "otop_read_only"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


POOL_SIZE = 16


def make_engine(url: str, **kwargs) -> Engine:  # type: ignore[no-untyped-def]
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    elif url.startswith("postgresql+psycopg://"):
        from models.pg_cursor import Cursor  # its description built only when read

        kwargs.setdefault("connect_args", {"cursor_factory": Cursor})
    if "poolclass" not in kwargs and not url.startswith("sqlite:///:memory:") and url != "sqlite://":
        # Connections kept open: a web process has up to POOL_SIZE threads on the database at
        # once (request, event and reply threads, the sender). With SQLAlchemy's default of
        # 5, the others opened and closed a connection each time (on PostgreSQL a new server
        # process: 13 % of the messages under load paid for one).
        kwargs.setdefault("pool_size", POOL_SIZE)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # let SQLAlchemy issue BEGIN itself
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # IMMEDIATE: take the write lock at BEGIN, so two writers queue instead of
            # failing with "database is locked" on upgrade from a read lock. A transaction
            # declared read-only (READ_ONLY) only reads a snapshot: no lock, nobody waits.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def read_only(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that only reads, for reports, exports and downloads: one snapshot of the
    database for all its statements (SQLite: a deferred transaction, which takes no write lock,
    so a 40 s national export does not keep webhooks waiting for it; PostgreSQL: REPEATABLE
    READ, READ ONLY, which refuses writes). Rolled back at the end."""
    session = factory()
    try:
        options: dict[str, object] = {READ_ONLY: True}
        if session.get_bind().dialect.name == "postgresql":
            options |= {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        session.connection(execution_options=options)
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error. The caller owns it."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
