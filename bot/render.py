"""Reply values -> LINE message JSON, within LINE's limits.

One function, `render(replies)`, returns batches of at most 5 message dicts: the first batch
goes as the reply, further ones as pushes. Limits kept here: text <= 5,000 UTF-16 units
(split at line breaks), <= 13 quick replies with labels <= 20 characters, altText <= 1,500,
postback data <= 300 characters, a Flex carousel <= 12 bubbles (10 cards + "ดูเพิ่ม"),
bubble <= 30 KB and carousel <= 50 KB (lines are trimmed when a card is too large).

The JSON is built directly, exactly as line-bot-sdk v3's models would serialise it (camelCase
keys, no nulls; tests/bot/test_render_sdk.py checks every shape against the SDK's model
round trip): building the pydantic models and calling to_dict() cost 10-20 ms per carousel.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from handlers.replies import Card, CardList, Choice, Image, Input, Link, Reply, Text, encode_postback

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK = 13
MAX_LABEL = 20
MAX_ALT = 1500
MAX_CARDS = 10
MAX_BUTTONS = 4
MAX_BUBBLE = 30_000
MAX_CAROUSEL = 50_000
MORE_LABEL = "ดูเพิ่ม"
WEB_NOTE = "ทำงานกับรายการยาว ๆ สะดวกกว่าบนหน้าเว็บ (เข้าสู่ระบบด้วย LINE)"


Json = dict[str, Any]


def render(replies: Sequence[Reply]) -> list[list[dict[str, Any]]]:
    """LINE message JSON for `replies`, in batches of <= 5 (first = reply, rest = pushes)."""
    messages: list[Json] = []
    quick: Sequence[Choice] = ()
    for reply in replies:
        messages.extend(_message(reply))
        if getattr(reply, "quick", ()):
            quick = reply.quick  # type: ignore[union-attr]
    if messages and quick:
        messages[-1]["quickReply"] = {"items": [{"type": "action", "action": _action(c)} for c in quick[:MAX_QUICK]]}
    return [messages[i : i + MAX_MESSAGES] for i in range(0, len(messages), MAX_MESSAGES)]


@functools.lru_cache(maxsize=4096)
def label(text: str, limit: int = MAX_LABEL) -> str:
    """A label within LINE's limit: cut at a word boundary (PyThaiNLP's newmm, offline) and
    ended with an ellipsis, never in the middle of a Thai word ("รูป: ชาใบหม่อน…", not
    "รูป: ชาใบหม่อน สายน…"). A single word longer than the limit is cut between letters,
    never before a vowel or tone mark that belongs to the letter before it."""
    if len(text) <= limit:
        return text
    from pythainlp.tokenize import word_tokenize

    kept = ""
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if len(kept) + len(token) > limit - 1:
            break
        kept += token
    kept = kept.rstrip(" :,-/·(")
    if not kept:  # one long word: cut at a letter, keeping its combining marks with it
        cut = limit - 1
        while cut > 0 and unicodedata.category(text[cut]) == "Mn":
            cut -= 1
        kept = text[:cut]
    return kept + "…"


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


def _action(choice: Choice | Link | Input) -> Json:
    if isinstance(choice, Input):
        return _input(choice)
    if isinstance(choice, Link):
        return {"type": "uri", "label": label(choice.label), "uri": choice.url}
    if choice.postback is not None:
        return {"type": "postback", "label": label(choice.label), "data": encode_postback(choice.postback),
                "displayText": choice.label[:300]}
    return {"type": "message", "label": label(choice.label), "text": (choice.text or choice.label)[:300]}


def _input(choice: Input) -> Json:
    """LINE's own inputs: the date picker (its answer is a postback with params.date), the
    camera, the camera roll, the location picker."""
    if choice.kind == "date":
        action: Json = {"type": "datetimepicker", "label": label(choice.label),
                        "data": encode_postback({"i": "flow.answer", "s": choice.slot}), "mode": "date"}
        action.update({k: v for k, v in (("initial", choice.initial), ("max", choice.max), ("min", choice.min)) if v})
        return action
    return {"type": choice.kind, "label": label(choice.label)}


def _message(reply: Reply) -> list[Json]:
    if isinstance(reply, Text):
        return [{"type": "text", "text": piece} for piece in split_text(reply.text)]
    if isinstance(reply, Card):
        return [{"type": "flex", "altText": label(reply.title, MAX_ALT), "contents": _bubble(reply)}]
    if isinstance(reply, CardList):
        return [{"type": "flex", "altText": label(reply.alt_text, MAX_ALT), "contents": _carousel(reply)}]
    if isinstance(reply, Image):
        return [{"type": "image", "originalContentUrl": reply.url, "previewImageUrl": reply.preview_url or reply.url}]
    raise TypeError(f"not a reply value: {reply!r}")


def _text(text: str, **style: Any) -> Json:
    return {"type": "text", "text": text, **style}


def _bubble(card: Card, max_lines: int = 20) -> Json:
    """The card as a bubble, its lines halved until it fits LINE's bubble size."""
    bubble = _measured(_bubble_as_is(card, max_lines))
    if _size(bubble) > MAX_BUBBLE and max_lines > 1:
        return _bubble(card, max_lines // 2)
    return bubble


def _bubble_as_is(card: Card, max_lines: int = 20) -> Json:
    body = [_text(label(card.title, 200), weight="bold", size="md", wrap=True)]
    body += [_text(line[:500] or " ", size="sm", wrap=True, color="#555555") for line in card.lines[:max_lines]]
    bubble: Json = {"type": "bubble"}
    if card.image_url:
        bubble["hero"] = {"type": "image", "url": card.image_url, "size": "full", "aspectRatio": "20:13",
                          "aspectMode": "cover", "animated": False}
    bubble["body"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body}
    if card.buttons:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "button", "action": _action(b), "style": "link", "height": "sm"} for b in card.buttons[:MAX_BUTTONS]]}
    return bubble


def _carousel(cards: CardList) -> Json:
    # Measured once as a whole: every bubble's JSON is a part of the carousel's, so when the
    # carousel is within the bubble limit no bubble needs measuring or shortening, and no
    # bubble needs dropping (one json.dumps instead of one per bubble and more).
    carousel = _measured(_carousel_of(cards, _bubble_as_is))
    if _size(carousel) <= MAX_BUBBLE:
        return carousel  # (its JSON kept: `encode` takes it as measured)
    carousel = _carousel_of(cards, _bubble)
    bubbles = carousel["contents"]
    tail = (cards.more_postback is not None) + (cards.web is not None)  # the "more" and "web" bubbles stay
    while _size(carousel) > MAX_CAROUSEL and len(bubbles) > 1 + tail:
        bubbles.pop(-1 - tail)
    return carousel


def _carousel_of(cards: CardList, bubble_of: Callable[[Card], Json]) -> Json:
    bubbles = [bubble_of(c) for c in cards.cards[:MAX_CARDS]]
    if cards.more_postback is not None:
        shown = (cards.page - 1) * MAX_CARDS + len(bubbles)
        note = f"แสดง {shown} จาก {cards.total} รายการ" if cards.total else "ยังมีรายการต่อ"
        bubbles.append({
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "spacing": "md",
                     "contents": [_text(note, wrap=True, size="sm")]},
            "footer": {"type": "box", "layout": "vertical", "contents": [
                {"type": "button", "action": _action(Choice(MORE_LABEL, postback=cards.more_postback)),
                 "style": "primary", "height": "sm"}]},
        })
    if cards.web is not None:
        bubbles.append({
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "contents": [_text(WEB_NOTE, wrap=True, size="sm")]},
            "footer": {"type": "box", "layout": "vertical", "contents": [
                {"type": "button", "action": _action(cards.web), "style": "secondary", "height": "sm"}]},
        })
    return {"type": "carousel", "contents": bubbles}


class Measured(dict):  # type: ignore[type-arg]
    """A bubble's or carousel's JSON object with its text as `_size` measured it
    (`json.dumps(..., ensure_ascii=False)`), so that `encode` does not build that text
    again. Not changed after it was measured (nothing in `render` changes it)."""

    __slots__ = ("text",)


def _measured(value: Json) -> Measured:
    measured = Measured(value)
    measured.text = json.dumps(value, ensure_ascii=False)
    return measured


def _size(value: Json) -> int:
    text = value.text if isinstance(value, Measured) else json.dumps(value, ensure_ascii=False)
    return len(text.encode())


def encode(messages: list[Json]) -> str:
    """`json.dumps(messages, ensure_ascii=False)`, the same JSON, with a flex message's
    contents taken as `render` measured them instead of encoded again (a ten-bubble
    carousel is ~20 KB of JSON, ~0.4 ms each time it is encoded): the outbox row's text and
    the HTTP body of the send are built from it (bot/outbox_write.py, bot/sender.py)."""
    parts = []
    for message in messages:
        contents = message.get("contents")
        if isinstance(contents, Measured):
            head = json.dumps({k: v for k, v in message.items() if k != "contents"}, ensure_ascii=False)
            parts.append(f'{head[:-1]}, "contents": {contents.text}}}')
        else:
            parts.append(json.dumps(message, ensure_ascii=False))
    return "[" + ", ".join(parts) + "]"
