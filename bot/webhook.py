"""POST /callback: verify the signature over the raw body, parse with line-bot-sdk v3,
store each event once (its webhookEventId is the primary key), hand over, answer 200.
Nothing slow happens here: handling and sending run after the answer."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, abort, current_app, request
from linebot.v3.exceptions import InvalidSignatureError
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from models import InboundEvent, InboundStatus, unit_of_work, utcnow

bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback() -> tuple[str, int]:
    """LINE's webhook endpoint."""
    runtime = current_app.extensions["otop"]
    body = request.get_data(as_text=True)
    signature = request.headers.get("X-Line-Signature", "")
    try:
        runtime.webhook_parser.parse(body, signature)  # verifies, then parses (typed events)
    except InvalidSignatureError:
        abort(400, "invalid signature")
    except (ValueError, KeyError, TypeError):
        abort(400, "malformed body")
    events = json.loads(body).get("events", [])
    new_ids = store_events(runtime.factory, events)
    runtime.submit(new_ids)
    return "OK", 200


def event_id(event: dict) -> str:
    """The webhookEventId (or a hash of the event for bodies without one)."""
    return event.get("webhookEventId") or "sha-" + hashlib.sha256(
        json.dumps(event, sort_keys=True).encode()).hexdigest()[:40]


def store_events(factory, events: list[dict]) -> list[str]:  # type: ignore[no-untyped-def]
    """Insert events not seen before; returns the ids that are new (redeliveries are not)."""
    new: list[str] = []
    with unit_of_work(factory) as session:
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        for event in events:
            eid = event_id(event)
            stmt = insert(InboundEvent).values(
                event_id=eid, user_id=(event.get("source") or {}).get("userId"),
                payload=json.dumps(event, ensure_ascii=False), status=InboundStatus.RECEIVED,
                received_at=utcnow(),
            ).on_conflict_do_nothing(index_elements=["event_id"]).returning(InboundEvent.event_id)
            if session.execute(stmt).scalar_one_or_none() is not None:  # None: seen before
                new.append(eid)
    return new
