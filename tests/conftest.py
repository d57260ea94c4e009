"""Shared fixtures: a throw-away database (SQLite file, or PostgreSQL when TEST_DATABASE_URL
is set), migrated with Alembic once per session and emptied between tests."""

from __future__ import annotations

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PII_DEV_KEYS", "1")  # the public development keys (models/pii.py)

import pytest
from sqlalchemy import text

from bot.db import upgrade
from tests.dbutil import empty_tables
from models import make_engine, make_session_factory



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


@pytest.fixture
def db(engine):
    """A session factory on an empty registry (places loaded)."""
    empty_tables(engine)
    return make_session_factory(engine)


@pytest.fixture
def daytime(monkeypatch):
    """Pushes go at once whatever the hour the suite runs: quiet hours (20:00-08:00 Bangkok)
    would hold notices both when queued and at send time. Quiet hours themselves are tested
    with fixed clocks (tests/bot/test_push.py, tests/bot/test_remind.py)."""
    monkeypatch.setattr("bot.outbox_write.next_allowed", lambda now: now)  # enqueue_push
    monkeypatch.setattr("bot.sender.is_quiet", lambda now: False)
    monkeypatch.setattr("bot.outbox_queries.is_quiet", lambda now: False)  # held(): scheduled pushes at send time
