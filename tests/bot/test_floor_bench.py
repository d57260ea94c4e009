"""bench/floor.py's transaction runs against the real schema, on SQLite and PostgreSQL, and
writes what the bot itself writes for an event (its figures are only a floor if it does the
same work)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bench.floor import Store
from bot.testing import base_event
from models import InboundEvent, InboundStatus, OutboxMessage, OutboxStatus

USER = "U" + "f" * 32


@pytest.mark.parametrize("pipeline, one", [(False, False), (True, False), (False, True)])
def test_the_floor_stores_the_event_and_the_reply_row(db, database_url, pipeline, one):
    store = Store(database_url, pipeline, one)
    try:
        store.prepare(USER)
        event = base_event("message", USER, "reply-token-1")
        event["message"] = {"type": "text", "id": "1", "text": "สวัสดีค่ะ", "quoteToken": "q"}
        row_id = store.handle(event, "สวัสดีค่ะ")
        with db() as s:
            stored = s.get(InboundEvent, event["webhookEventId"])
            assert stored.status is InboundStatus.DONE and json.loads(stored.payload) == event
            row = s.get(OutboxMessage, row_id)
            assert (row.kind, row.user_id, row.reply_token, row.status) == ("reply", USER, "reply-token-1",
                                                                         OutboxStatus.SENDING)
            assert row.messages == [{"type": "text", "text": "สวัสดีค่ะ"}]
        store.sent(row_id)
        with db() as s:
            assert s.scalar(select(OutboxMessage.status).where(OutboxMessage.id == row_id)) is OutboxStatus.SENT
    finally:
        while not store.pool.empty():
            store.pool.get().close()
