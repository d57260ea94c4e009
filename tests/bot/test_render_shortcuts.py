"""The renderer's shortcuts give what the plain way gives: a carousel measured once as a whole
(not bubble by bubble) and postback data encoded without quote_plus for plain words."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from bot import render as r
from handlers.replies import Card, CardList, Choice, Link, encode_postback


def _size(value: dict) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def _reference_bubble(card: Card, max_lines: int = 20) -> dict:
    """Every bubble measured, lines halved until it fits (the renderer before the shortcut)."""
    bubble = r._bubble_as_is(card, max_lines)
    if _size(bubble) > r.MAX_BUBBLE and max_lines > 1:
        return _reference_bubble(card, max_lines // 2)
    return bubble


def _reference_carousel(cards: CardList) -> dict:
    carousel = r._carousel_of(cards, _reference_bubble)
    bubbles = carousel["contents"]
    while _size(carousel) > r.MAX_CAROUSEL and len(bubbles) > 2:
        bubbles.pop(-2 if cards.more_postback is not None else -1)
    return carousel


def _cards(n: int, lines: int, width: int) -> list[Card]:
    return [Card(f"การ์ด {i}", lines=[f"บรรทัด {j} " + "ข้อมูล" * width for j in range(lines)],
                 buttons=[Choice("เปิด", postback={"i": "officer.find", "n": str(i)}), Link("ดู", "https://x.example/a")])
            for i in range(n)]


@pytest.mark.parametrize("n,lines,width", [
    (1, 1, 1), (10, 3, 5),      # the usual page: far within the limits
    (10, 5, 30),                # the carousel over the bubble limit, every bubble within it
    (10, 8, 60),                # the carousel over 50 KB, every bubble within 30 KB
    (10, 20, 80),               # bubbles over 30 KB: lines halved
    (10, 20, 40),               # the carousel over 50 KB: bubbles dropped
    (3, 20, 200),               # few bubbles, each too large
])
@pytest.mark.parametrize("more", [None, {"i": "officer.list_records", "page": "2"}])
def test_carousel_measured_once_equals_every_bubble_measured(n, lines, width, more):
    cards = CardList(_cards(n, lines, width), page=1, total=40, more_postback=more)
    assert r._carousel(cards) == _reference_carousel(cards)
    assert _size(r._carousel(cards)) <= r.MAX_CAROUSEL


@pytest.mark.parametrize("data", [
    {"i": "officer.pending_requests", "page": "2"},
    {"i": "request.act", "request_id": "12", "action": "record_fact_check", "step": "fact_check"},
    {"i": "officer.find", "q": "น้ำพริก แม่ศรี", "x": "a b+c&d=e/f?g~h_i.j-k"},
    {"i": "x", "t": "", "u": "๑๒๓", "v": "Ａ", "w": "%20", "z": "é\n'\""},
    {"i": 1, "n": 2.5, "none": "None"},
])
def test_postback_encoding_equals_urlencode(data):
    assert encode_postback(data) == urlencode(list(data.items()))
