"""`incoming_from_raw` (the webhook's reading of LINE's JSON) gives what the SDK's typed models
gave (`to_incoming(Event.from_dict(...))`) for every recorded sample but image messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.events import incoming_from_raw, parse_event, to_incoming

SAMPLES = Path(__file__).resolve().parent / "webhook-samples"  # from line-bot-sdk-python, Apache-2.0


def _events() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(SAMPLES.glob("*.json")):
        for i, event in enumerate(json.loads(path.read_text())["events"]):
            if not (event.get("type") == "message" and event["message"].get("type") == "image"):
                found.append((f"{path.stem}[{i}]", event))
    return found


EXTRA = [
    {"type": "message", "timestamp": 1462629479859, "mode": "active", "webhookEventId": "e1", "replyToken": "r",
     "deliveryContext": {"isRedelivery": False}, "source": {"type": "user", "userId": "U" + "1" * 32},
     "message": {"id": "1", "type": "location", "address": "ตำบลสุเทพ เชียงใหม่", "latitude": 18.8, "longitude": 98.9}},
    {"type": "message", "timestamp": 1462629479859, "mode": "active", "webhookEventId": "e2", "replyToken": "r",
     "deliveryContext": {"isRedelivery": True}, "source": {"type": "room", "roomId": "R" + "2" * 32},
     "message": {"id": "2", "type": "text", "text": "ก" * 6000, "quoteToken": "q"}},
    {"type": "postback", "timestamp": 1462629479859, "mode": "active", "webhookEventId": "e3", "replyToken": "r",
     "deliveryContext": {"isRedelivery": False}, "source": {"type": "user", "userId": "U" + "3" * 32},
     "postback": {"data": "i=menu&v=%E0%B8%81"}},
    {"type": "join", "timestamp": 1462629479859, "mode": "active", "webhookEventId": "e4", "replyToken": "r",
     "deliveryContext": {"isRedelivery": False}, "source": {"type": "group", "groupId": "C" + "4" * 32}},
    {"type": "message", "timestamp": 1462629479859, "mode": "active", "webhookEventId": "e5", "replyToken": "r",
     "deliveryContext": {"isRedelivery": False}, "source": {"type": "user", "userId": "U" + "5" * 32},
     "message": {"id": "5", "type": "sticker", "packageId": "1", "stickerId": "2", "stickerResourceType": "STATIC", "quoteToken": "q"}},
]


@pytest.mark.parametrize("name,event", _events() + [(f"extra{i}", e) for i, e in enumerate(EXTRA)])
def test_the_raw_reading_equals_the_sdk_models(name, event):
    assert len(_events()) >= 10
    typed = parse_event(event)
    assert incoming_from_raw(event) == (None if typed is None else to_incoming(typed))


def test_an_event_of_a_shape_line_does_not_send_is_left_unhandled_not_raised():
    assert incoming_from_raw({"type": "message", "source": {"userId": "U1"}, "message": "not a dict"}) is None
    assert incoming_from_raw({"type": "postback", "source": {"userId": "U1"}}) is None
