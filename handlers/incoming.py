"""The one inbound type: every LINE event becomes an `Incoming` before any handler sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["text", "image", "postback", "location", "follow", "unfollow", "other"]


@dataclass(frozen=True)
class Incoming:
    """What a user did, without any LINE type.

    `text` is also the address of a shared location (kind "location"). `image` holds the picture's bytes (fetched by the bot layer before dispatch) and
    `image_path` where the bot layer stored them; `postback` is the decoded postback data
    (`i` = intent name, other keys = slots). `chat` is "user" for a 1:1 chat, else "group"
    or "room".
    """

    user_id: str
    kind: Kind
    text: str = ""
    postback: Mapping[str, str] = field(default_factory=dict)
    image: bytes | None = None
    image_path: str | None = None
    message_id: str | None = None
    timestamp: datetime | None = None
    redelivery: bool = False
    chat: str = "user"
