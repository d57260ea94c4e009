"""Database helpers for tests (`from tests.dbutil import ...`)."""

from __future__ import annotations

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
