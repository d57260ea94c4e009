"""The rendered JSON is exactly what line-bot-sdk v3's models produce for the same message:
every shape the renderer builds survives the SDK's from_dict / to_dict round trip unchanged."""

from __future__ import annotations

from linebot.v3.messaging import Message

from bot.render import MAX_CAROUSEL, render
from handlers.replies import Card, CardList, Choice, Image, Link, Text


def _round_trip(message: dict) -> dict:
    return Message.from_dict(message).to_dict()


def test_every_shape_equals_the_sdk_serialisation():
    card = Card("ชื่อการ์ดที่ยาวมาก" * 20, lines=["บรรทัดหนึ่ง", "", "สาม"], image_url="https://x.example/a.jpg",
                buttons=[Choice("ดูข้อมูลเพิ่มเติมทั้งหมดเลย", postback={"i": "officer.find", "q": "น้ำพริก"}),
                         Link("ดาวน์โหลด", "https://x.example/f.xlsx"), Choice("ยืนยัน", text="ยืนยัน")])
    replies = [
        Text("ก" * 6000, quick=[Choice("ถัดไป", postback={"i": "x"}), Choice("พิมพ์", text="พิมพ์ข้อความ")]),
        card,
        CardList([card, Card("ไม่มีปุ่ม")], page=2, total=40, more_postback={"i": "officer.list_records", "page": "3"},
                 alt_text="รายการ", quick=[Choice("เมนู", text="เมนู")]),
        CardList([Card("หนึ่ง")], total=1),
        Image("https://x.example/c.png"),
        Image("https://x.example/c.png", "https://x.example/p.png"),
    ]
    batches = render(replies)
    messages = [m for batch in batches for m in batch]
    assert len(messages) == 7 and len(batches) == 2
    for message in messages:
        assert _round_trip(message) == message
    assert "quickReply" in messages[-1] or any("quickReply" in m for m in messages)


def test_large_carousels_are_trimmed_within_limits():
    lines = ["ข้อมูล " * 60] * 20
    cards = [Card(f"การ์ด {i}", lines=lines, buttons=[Choice("เปิด", postback={"i": "x", "n": str(i)})])
             for i in range(10)]
    (message,), = render([CardList(cards, total=30, more_postback={"i": "more"})])
    import json

    assert len(json.dumps(message["contents"], ensure_ascii=False).encode()) <= MAX_CAROUSEL
    assert message["contents"]["contents"][-1]["footer"]["contents"][0]["action"]["data"]
    assert _round_trip(message) == message
