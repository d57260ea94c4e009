"""Reply values that handlers return; `bot.render` turns them into LINE messages.

Handlers never build LINE JSON: they return a list of `Text`, `Card`, `CardList` and `Image`.
Buttons and quick replies are `Choice` (sends a text or a postback) or `Link` (opens a URL).
Postback data is a small dict: `{"i": "<intent name>", "<slot>": "<value>", ...}`, built
with `postback(...)`; encoded it must stay within LINE's 300 characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote_plus

POSTBACK_MAX = 300


@dataclass(frozen=True)
class Choice:
    """A quick reply or button: sends `text` as if typed, or `postback` data silently."""

    label: str
    text: str | None = None
    postback: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.postback is None):
            raise ValueError("Choice needs exactly one of text= or postback=")


@dataclass(frozen=True)
class Input:
    """A quick reply that opens one of LINE's own inputs: `kind` "date" (the date picker; the
    chosen date comes back as a postback `i=flow.answer&s=<slot>` with `date=YYYY-MM-DD`),
    "camera", "cameraRoll" or "location" (quick replies only)."""

    label: str
    kind: str
    initial: str | None = None
    min: str | None = None
    max: str | None = None
    slot: str = ""


@dataclass(frozen=True)
class Link:
    """A button that opens a web page (reports, downloads)."""

    label: str
    url: str


@dataclass(frozen=True)
class Text:
    """A text message; `quick` are quick-reply choices (only the last message's show)."""

    text: str
    quick: Sequence[Choice | Input] = ()


@dataclass(frozen=True)
class Card:
    """One record as a card: title, a few lines, up to 4 buttons, optional picture."""

    title: str
    lines: Sequence[str] = ()
    buttons: Sequence[Choice | Link] = ()
    image_url: str | None = None


@dataclass(frozen=True)
class CardList:
    """A page of cards (a Flex carousel): up to 10 cards, then a "ดูเพิ่ม" bubble when
    `more_postback` is given. `page` counts from 1; `total` is the number of records. `web`:
    a last bubble with a button opening the same list in the officer console (a long task is
    easier at a desk: "เปิดในหน้าเว็บ")."""

    cards: Sequence[Card]
    page: int = 1
    total: int | None = None
    more_postback: Mapping[str, str] | None = None
    alt_text: str = "รายการ"
    quick: Sequence[Choice] = ()
    web: Link | None = None


@dataclass(frozen=True)
class Image:
    """A picture by URL (https in production); the preview defaults to the picture."""

    url: str
    preview_url: str | None = None


Reply = Text | Card | CardList | Image

PAGE_SIZE = 10


@dataclass(frozen=True)
class Push:
    """Messages to other users (or the sender, later), sent by push after the event commits.

    Handlers append these to `ctx.pushes`; the dispatcher writes them to the outbox in the
    event's own transaction. Pushes never go out in quiet hours (20:00-08:00 Bangkok): they
    are held until 08:00, unless `urgent`. `dedupe_key` makes a push unique (a second push
    with the same key is not written)."""

    user_ids: tuple[str, ...]
    replies: tuple[Reply, ...]
    purpose: str = "notice"
    dedupe_key: str | None = None
    urgent: bool = False


def postback(intent: str, **slots: object) -> dict[str, str]:
    """Postback data that routes to `intent` with `slots` (values become strings)."""
    data = {"i": intent}
    data.update({k: str(v) for k, v in slots.items() if v is not None})
    return data


# Characters urllib's quote_plus leaves as they are: a text made of them only is its own quoting.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")


def _quoted(value: object) -> str:
    text = str(value)
    return text if _PLAIN.fullmatch(text) else quote_plus(text)


def encode_postback(data: Mapping[str, str]) -> str:
    """`i=intent&k=v...` (what `urlencode` makes); raises ValueError beyond LINE's 300-character
    limit. Intent names, slot names and ids need no quoting: they skip quote_plus, which made
    encoding a page of cards' buttons cost ~0.2 ms."""
    encoded = "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in data.items())
    if len(encoded) > POSTBACK_MAX:
        raise ValueError(f"postback data longer than {POSTBACK_MAX} characters: {encoded[:60]}...")
    return encoded


def decode_postback(data: str) -> dict[str, str]:
    """The dict back from `encode_postback` (unknown formats give `{}` plus raw)."""
    pairs = parse_qsl(data or "", keep_blank_values=True)
    return dict(pairs)


def page_of(items: Sequence, page: int, size: int = PAGE_SIZE) -> Sequence:  # type: ignore[type-arg]
    """The items of a 1-based page."""
    start = (max(page, 1) - 1) * size
    return items[start : start + size]


@dataclass(frozen=True)
class Transcript:
    """Replies as plain text, for tests and logs (no LINE involved)."""

    replies: Sequence[Reply] = field(default_factory=tuple)

    def text(self) -> str:
        out: list[str] = []
        for r in self.replies:
            if isinstance(r, Text):
                out.append(r.text)
            elif isinstance(r, Card):
                out.append("\n".join([r.title, *r.lines]))
            elif isinstance(r, CardList):
                out.extend("\n".join([c.title, *c.lines]) for c in r.cards)
            elif isinstance(r, Image):
                out.append(f"[image {r.url}]")
        return "\n".join(out)
