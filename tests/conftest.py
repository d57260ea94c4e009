"""Shared fixtures: a throw-away database (SQLite file, or PostgreSQL when TEST_DATABASE_URL
is set), migrated with Alembic once per session and emptied between tests."""

from __future__ import annotations

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

import pytest
from sqlalchemy import text

from bot.db import upgrade
from models import Base, make_engine, make_session_factory

REFERENCE_TABLES = {"provinces", "districts", "subdistricts", "alembic_version"}


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def engine(database_url):
    eng = make_engine(database_url)
    upgrade(database_url, eng)
    yield eng
    eng.dispose()


def empty_tables(engine) -> None:
    """Delete every row but the gazetteer's, children first."""
    with engine.begin() as conn:
        tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())


@pytest.fixture
def db(engine):
    """A session factory on an empty registry (places loaded)."""
    empty_tables(engine)
    return make_session_factory(engine)
