"""Webhook events into `inbound_events`: the row that makes a redelivery a no-op, inserted
either with the event's handling (`bot.dispatch`) or alone for the event worker
(`store_events`). Light on purpose (no line-bot-sdk, no handlers): the starting web process
(`bot.starting`) stores events with it before the rest of the bot is loaded."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from models import InboundEvent, InboundStatus, unit_of_work, utcnow
from models.pg_direct import autocommit
from models.pii import Public
from registry.ids import redact_event


def signature_ok(body: str, signature: str, channel_secret: str) -> bool:
    """LINE's X-Line-Signature: base64 of the HMAC-SHA256 of the raw body with the channel
    secret (what the SDK's WebhookParser checks)."""
    digest = hmac.new(channel_secret.encode(), body.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), signature)


def event_id(event: dict[str, Any]) -> str:
    """The webhookEventId (or a hash of the event for bodies without one)."""
    return event.get("webhookEventId") or "sha-" + hashlib.sha256(
        json.dumps(event, sort_keys=True).encode()).hexdigest()[:40]


_INSERT_EVENT = {
    postgres: (pg_insert if postgres else sqlite_insert)(InboundEvent)
    .on_conflict_do_nothing(index_elements=["event_id"]).returning(InboundEvent.event_id)
    for postgres in (False, True)
}


def waiting(event: dict[str, Any]) -> str:
    """The payload of an event that waits for the event worker: as received, sealed by the
    column's type (`models.pii.SealedUnlessRedacted`), so that it is handled as typed."""
    return json.dumps(event, ensure_ascii=False)


def redacted(event: dict[str, Any]) -> Public:
    """The payload of a handled or failed event: its redacted JSON, stored in the clear."""
    return Public(json.dumps(redact_event(event), ensure_ascii=False))


def insert_event(session: Session, event: dict[str, Any], status: InboundStatus) -> bool:
    """Insert the event unless its id was seen before; False for a redelivery (or an event
    another request is handling right now: on PostgreSQL the insert waits for that one's
    commit, on SQLite writers queue anyway). Its payload is `waiting` or `redacted`."""
    stmt = _INSERT_EVENT[session.bind.dialect.name == "postgresql"]  # type: ignore[union-attr]
    return session.connection().execute(stmt, event_values(event, status)).scalar_one_or_none() is not None  # Core


def event_values(event: dict[str, Any], status: InboundStatus, now: datetime | None = None) -> dict[str, Any]:
    """The event's row in `inbound_events` (every column), received `now` (default: now)."""
    now = now or utcnow()
    return {"event_id": event_id(event), "user_id": (event.get("source") or {}).get("userId"),
            "payload": waiting(event) if status is InboundStatus.RECEIVED else redacted(event),
            "status": status, "received_at": now,
            "handled_at": now if status is InboundStatus.DONE else None, "error": None}


_PAYLOAD = InboundEvent.__table__.c.payload.type  # sealed unless `Public` (models.pii)
_STORE = ("INSERT INTO inbound_events (event_id, user_id, payload, status, received_at, handled_at, error) "
          "VALUES %s ON CONFLICT (event_id) DO NOTHING RETURNING event_id")


def _stored_row(quote, event: dict[str, Any], received_at: datetime) -> str:  # type: ignore[no-untyped-def]
    """The VALUES of a stored event's row (`event_values` with status RECEIVED), as literals."""
    values = event_values(event, InboundStatus.RECEIVED, received_at)
    return (f"({quote(values['event_id'])}, {quote(values['user_id'])}, "
            f"{quote(_PAYLOAD.process_bind_param(values['payload'], None))}, {quote(InboundStatus.RECEIVED.value)}, "
            f"{quote(received_at)}, NULL, NULL)")


def store_events(factory: sessionmaker[Session], events: list[dict[str, Any]]) -> list[str]:
    """Store events for the event worker (all or none); returns the ids that are new, in the
    body's order. On PostgreSQL one round trip: a single INSERT (every event's row) on a
    connection in autocommit, where a statement is its own transaction, durable when it
    returns; no BEGIN, no COMMIT (the webhook answers when busy after this alone), sent by
    psycopg without SQLAlchemy's execution (`models.pg_direct`)."""
    if not events:
        return []
    engine = factory.kw["bind"]
    if engine.dialect.name == "postgresql":
        # Received a microsecond apart, in the body's order: a user's stored events are
        # handled oldest first (by `received_at`), as when each row took its own round trip.
        now = utcnow()
        with autocommit(engine) as direct:  # psycopg's own execution (models/pg_direct.py)
            rows = ", ".join(_stored_row(direct.quote, e, now + timedelta(microseconds=i)) for i, e in enumerate(events))
            new = {eid for (eid,) in direct.execute(_STORE % rows).fetchall()}
        ids = []
        for e in events:  # a body that names an event twice stores it once
            if (eid := event_id(e)) in new:
                new.discard(eid)
                ids.append(eid)
        return ids
    with unit_of_work(factory) as session:
        return [event_id(e) for e in events if insert_event(session, e, InboundStatus.RECEIVED)]
