"""LINE webhook events (line-bot-sdk v3 models) -> `Incoming`, the handlers' one inbound type.

Image content is fetched here, from the data API (LINE_API_BASE_URL when set), and stored
under MEDIA_DIR/line/ before the handlers run: LINE keeps it only for a short time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from handlers.incoming import Incoming
from handlers.replies import decode_postback
from registry.ids import TEXT_LIMIT

log = logging.getLogger(__name__)
Fetch = Callable[[str], bytes]


def parse_event(payload: str | dict[str, Any]) -> Event | None:
    """A stored event's typed model; None for event types this SDK does not know."""
    data = json.loads(payload) if isinstance(payload, str) else payload
    try:
        return Event.from_dict(data)
    except ValueError:
        return None


def source_ids(event: Event) -> tuple[str | None, str]:
    """(user id, chat kind). In groups and rooms the user id may be missing."""
    source = event.source
    kind = getattr(source, "type", "user") or "user"
    return getattr(source, "user_id", None), kind


def to_incoming(event: Event, fetch: Fetch | None = None, media_dir: Path | None = None) -> Incoming | None:
    """The event as an `Incoming`, or None when it carries nothing for the handlers."""
    user_id, chat = source_ids(event)
    chat_id = user_id or getattr(event.source, "group_id", None) or getattr(event.source, "room_id", None)
    if chat_id is None:
        return None
    common: dict[str, Any] = {
        "user_id": chat_id,
        "chat": chat,
        "timestamp": datetime.fromtimestamp(event.timestamp / 1000, tz=timezone.utc) if event.timestamp else None,
        "redelivery": bool(getattr(event.delivery_context, "is_redelivery", False)),
    }
    if isinstance(event, FollowEvent):
        return Incoming(kind="follow", **common)
    if isinstance(event, UnfollowEvent):
        return Incoming(kind="unfollow", **common)
    if isinstance(event, PostbackEvent):
        data = decode_postback(event.postback.data)
        params = event.postback.params or {}
        data.update({k: str(v) for k, v in params.items() if isinstance(v, str)})
        return Incoming(kind="postback", postback=data, **common)
    if isinstance(event, MessageEvent):
        message = event.message
        if isinstance(message, TextMessageContent):
            # LINE's own limit is 5,000 characters; anything longer is not read past it.
            return Incoming(kind="text", text=message.text[:TEXT_LIMIT], message_id=message.id, **common)
        if isinstance(message, ImageMessageContent):
            image, path = _fetch_image(message, fetch, media_dir)
            return Incoming(kind="image", image=image, image_path=path, message_id=message.id, **common)
        if isinstance(message, LocationMessageContent):  # the address LINE gives, read as typed
            text = message.address or message.title or ""
            return Incoming(kind="location", text=text, message_id=message.id, **common)
        return Incoming(kind="other", message_id=getattr(message, "id", None), **common)
    return None  # join/leave/unsend/... : nothing to answer


def incoming_from_raw(raw: dict[str, Any]) -> Incoming | None:
    """`to_incoming` read straight from LINE's JSON, for every event but an image message
    (whose content is fetched with the SDK's model): building line-bot-sdk's pydantic models
    for each webhook event cost more than the rest of the webhook. The same `Incoming` as
    `to_incoming(Event.from_dict(raw))` (tests/bot/test_events.py compares them); None for
    what carries nothing for the handlers, and for an event of a shape LINE does not send."""
    try:
        return _from_raw(raw)
    except (AttributeError, TypeError, ValueError, KeyError):
        log.warning("event of an unexpected shape left unhandled: %.200s", raw)
        return None


def _from_raw(raw: dict[str, Any]) -> Incoming | None:
    kind = raw.get("type")
    if kind not in ("follow", "unfollow", "postback", "message"):
        return None  # join/leave/unsend/... and event types this bot does not know
    source = raw.get("source") or {}
    user_id = source.get("userId")
    chat_id = user_id or source.get("groupId") or source.get("roomId")
    if chat_id is None:
        return None
    stamp = raw.get("timestamp")
    common: dict[str, Any] = {
        "user_id": chat_id,
        "chat": source.get("type") or "user",
        "timestamp": datetime.fromtimestamp(stamp / 1000, tz=timezone.utc) if stamp else None,
        "redelivery": bool((raw.get("deliveryContext") or {}).get("isRedelivery", False)),
    }
    if kind in ("follow", "unfollow"):
        return Incoming(kind=kind, **common)
    if kind == "postback":
        postback = raw["postback"]
        data = decode_postback(postback["data"])
        params = postback.get("params") or {}
        data.update({k: str(v) for k, v in params.items() if isinstance(v, str)})
        return Incoming(kind="postback", postback=data, **common)
    message = raw["message"]
    message_type, message_id = message.get("type"), message.get("id")
    if message_type == "text":
        return Incoming(kind="text", text=message["text"][:TEXT_LIMIT], message_id=message_id, **common)
    if message_type == "image":
        raise ValueError("an image message is read with the SDK's model (to_incoming)")
    if message_type == "location":
        return Incoming(kind="location", text=message.get("address") or message.get("title") or "",
                        message_id=message_id, **common)
    return Incoming(kind="other", message_id=message_id, **common)


def _fetch_image(message: ImageMessageContent, fetch: Fetch | None, media_dir: Path | None) -> tuple[bytes | None, str | None]:
    provider = getattr(message.content_provider, "type", "line")
    if provider != "line" or fetch is None:
        url = getattr(message.content_provider, "original_content_url", None)
        return None, url
    try:
        data = bytes(fetch(message.id))
    except Exception as exc:  # the handler tells the user to send it again
        log.warning("image %s not fetched: %s", message.id, exc)
        return None, None
    path = None
    if media_dir is not None:
        folder = media_dir / "line"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{message.id}.jpg"
        target.write_bytes(data)
        path = str(target)
    return data, path
