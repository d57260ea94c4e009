"""Database helpers for tests (`from tests.dbutil import ...`)."""

from __future__ import annotations

import contextlib
import secrets

from sqlalchemy import text

from models import Base

REFERENCE_TABLES = {"provinces", "districts", "subdistricts", "alembic_version", "registry_epoch"}


def empty_tables(engine) -> None:  # type: ignore[no-untyped-def]
    """Delete every row but the gazetteer's, children first."""
    with engine.begin() as conn:
        tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())
        # The registry changed behind the Session's back: give it a new version (cached answers
        # of the previous test are never found again).
        conn.execute(text("UPDATE registry_epoch SET version = :v"), {"v": secrets.randbits(62) or 1})


def write_meanwhile(database_url: str, event_id: str) -> None:
    """What a webhook does meanwhile: a short write transaction of its own, which gives up
    after 0.3 s if the database stays locked (a webhook waits up to 30 s)."""
    from datetime import datetime, timezone

    from models import InboundEvent, InboundStatus, make_engine, make_session_factory, unit_of_work

    engine = make_engine(database_url, connect_args={"timeout": 0.3} if database_url.startswith("sqlite") else {})
    if database_url.startswith("sqlite"):
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _short_wait(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.execute("PRAGMA busy_timeout=300")  # after make_engine's own 30 s
    try:
        with unit_of_work(make_session_factory(engine)) as s:
            s.add(InboundEvent(event_id=event_id, user_id="U1", payload="{}", status=InboundStatus.DONE,
                               received_at=datetime.now(timezone.utc)))
    finally:
        engine.dispose()


@contextlib.contextmanager
def round_trips(engine):  # type: ignore[no-untyped-def]
    """PostgreSQL: what this thread's connections send, from libpq's trace: yields a list that
    gets each round trip's query (a simple query, or an extended query's Sync), on exit."""
    import tempfile
    import threading

    import psycopg
    from sqlalchemy import event as sa_event

    me, files, sent = threading.get_ident(), [], []

    def checkout(dbapi_conn, record, proxy):  # type: ignore[no-untyped-def]
        if threading.get_ident() == me:
            f = tempfile.TemporaryFile()
            files.append((dbapi_conn, f))
            dbapi_conn.pgconn.trace(f.fileno())
            dbapi_conn.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)

    sa_event.listen(engine, "checkout", checkout)
    try:
        yield sent
    finally:
        sa_event.remove(engine, "checkout", checkout)
        for dbapi_conn, f in files:
            dbapi_conn.pgconn.untrace()
            f.seek(0)
            for line in f.read().decode().splitlines():
                parts = line.split("\t")
                if parts[0] == "F" and parts[2] == "Query":
                    sent.append(parts[3].strip().strip('"'))
                elif parts[0] == "F" and parts[2] == "Sync":
                    sent.append("(extended query)")
