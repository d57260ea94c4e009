"""Reply values -> LINE messages (line-bot-sdk v3 models -> JSON), within LINE's limits.

One function, `render(replies)`, returns batches of at most 5 message dicts: the first batch
goes as the reply, further ones as pushes. Limits kept here: text <= 5,000 UTF-16 units
(split at line breaks), <= 13 quick replies with labels <= 20 characters, altText <= 1,500,
postback data <= 300 characters, a Flex carousel <= 12 bubbles (10 cards + "ดูเพิ่ม"),
bubble <= 30 KB and carousel <= 50 KB (lines are trimmed when a card is too large).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexImage,
    FlexMessage,
    FlexText,
    ImageMessage,
    Message,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TextMessage,
    URIAction,
)

from handlers.replies import Card, CardList, Choice, Image, Link, Reply, Text, encode_postback

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK = 13
MAX_LABEL = 20
MAX_ALT = 1500
MAX_CARDS = 10
MAX_BUTTONS = 3
MAX_BUBBLE = 30_000
MAX_CAROUSEL = 50_000
MORE_LABEL = "ดูเพิ่ม"


def render(replies: Sequence[Reply]) -> list[list[dict[str, Any]]]:
    """LINE message JSON for `replies`, in batches of <= 5 (first = reply, rest = pushes)."""
    messages: list[Message] = []
    quick: Sequence[Choice] = ()
    for reply in replies:
        messages.extend(_message(reply))
        if getattr(reply, "quick", ()):
            quick = reply.quick  # type: ignore[union-attr]
    if messages and quick:
        messages[-1].quick_reply = QuickReply(items=[QuickReplyItem(action=_action(c)) for c in quick[:MAX_QUICK]])
    dicts = [m.to_dict() for m in messages]
    return [dicts[i : i + MAX_MESSAGES] for i in range(0, len(dicts), MAX_MESSAGES)]


def label(text: str, limit: int = MAX_LABEL) -> str:
    """A label cut to LINE's limit (with an ellipsis)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` UTF-16 code units, cut at line breaks when possible."""
    pieces: list[str] = []
    rest = text or " "
    while _utf16(rest) > limit:
        cut = _prefix_len(rest, limit)
        newline = rest.rfind("\n", 0, cut)
        if newline > cut // 2:
            cut = newline + 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _prefix_len(text: str, units: int) -> int:
    """The number of characters whose UTF-16 length is at most `units`."""
    total = 0
    for i, ch in enumerate(text):
        total += 2 if ord(ch) > 0xFFFF else 1
        if total > units:
            return i
    return len(text)


def _action(choice: Choice | Link):  # type: ignore[no-untyped-def]
    if isinstance(choice, Link):
        return URIAction(label=label(choice.label), uri=choice.url)
    if choice.postback is not None:
        return PostbackAction(label=label(choice.label), data=encode_postback(choice.postback),
                              display_text=choice.label[:300])
    return MessageAction(label=label(choice.label), text=(choice.text or choice.label)[:300])


def _message(reply: Reply) -> list[Message]:
    if isinstance(reply, Text):
        return [TextMessage(text=piece) for piece in split_text(reply.text)]
    if isinstance(reply, Card):
        bubble = _bubble(reply)
        return [FlexMessage(alt_text=label(reply.title, MAX_ALT), contents=bubble)]
    if isinstance(reply, CardList):
        return [FlexMessage(alt_text=label(reply.alt_text, MAX_ALT), contents=_carousel(reply))]
    if isinstance(reply, Image):
        return [ImageMessage(original_content_url=reply.url, preview_image_url=reply.preview_url or reply.url)]
    raise TypeError(f"not a reply value: {reply!r}")


def _bubble(card: Card, max_lines: int = 20) -> FlexBubble:
    body = [FlexText(text=label(card.title, 200), weight="bold", size="md", wrap=True)]
    body += [FlexText(text=line[:500] or " ", size="sm", wrap=True, color="#555555") for line in card.lines[:max_lines]]
    bubble = FlexBubble(
        hero=FlexImage(url=card.image_url, size="full", aspect_ratio="20:13", aspect_mode="cover") if card.image_url else None,
        body=FlexBox(layout="vertical", spacing="sm", contents=body),
        footer=FlexBox(
            layout="vertical", spacing="sm",
            contents=[FlexButton(action=_action(b), style="link", height="sm") for b in card.buttons[:MAX_BUTTONS]],
        ) if card.buttons else None,
    )
    if _size(bubble) > MAX_BUBBLE and max_lines > 1:
        return _bubble(card, max_lines // 2)
    return bubble


def _carousel(cards: CardList) -> FlexCarousel:
    bubbles = [_bubble(c) for c in cards.cards[:MAX_CARDS]]
    if cards.more_postback is not None:
        shown = (cards.page - 1) * MAX_CARDS + len(bubbles)
        note = f"แสดง {shown} จาก {cards.total} รายการ" if cards.total else "ยังมีรายการต่อ"
        bubbles.append(FlexBubble(
            body=FlexBox(layout="vertical", spacing="md", contents=[FlexText(text=note, wrap=True, size="sm")]),
            footer=FlexBox(layout="vertical", contents=[
                FlexButton(action=_action(Choice(MORE_LABEL, postback=cards.more_postback)), style="primary", height="sm")
            ]),
        ))
    carousel = FlexCarousel(contents=bubbles)
    while _size(carousel) > MAX_CAROUSEL and len(carousel.contents) > 2:
        carousel.contents.pop(-2 if cards.more_postback is not None else -1)
    return carousel


def _size(model: Any) -> int:
    return len(json.dumps(model.to_dict(), ensure_ascii=False).encode())
