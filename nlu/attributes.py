"""Product and producer attributes in a message: Quadrant, category, producer type, sales
channels, read by the `*_mentioned` readers only where the message names them as such.
Pure functions over the cleaned or `for_matching()` text; `nlu.slots` re-exports them."""

from __future__ import annotations

import re
from typing import Any

# ---- product and producer attributes -----------------------------------------------------

_QUADRANT = re.compile(
    r"(?:ควอดแรนต์|quadrant|กลุ่ม|จัดกลุ่ม|เป็น|เข้า|ระดับ|อยู่|ช่อง)\s*:?\s*([abcd])(?![a-z])"
    r"|(?<![a-z])q\s*([abcd])(?![a-z])"
    r"|คิว\s*(เอ|บี|ซี|ดี)"
    r"|(?:ควอดแรนต์|เป็น)\s*(ฟ|ิ|แ|ก)(?![ก-๙])"
    r"|(?:ควอดแรนต์|เป็น)\s*(เอ|บี|ซี|ดี)(?![ก-๙])",
    re.I,
)
_QUAD_TH = {"เอ": "A", "บี": "B", "ซี": "C", "ดี": "D", "ฟ": "A", "ิ": "B", "แ": "C", "ก": "D"}
_LONE_LETTER = re.compile(r"(?<![A-Za-z])([ABCDabcd])(?![A-Za-z])")


def quadrant(text: str) -> dict[str, Any]:
    """Quadrant A–D ("ควอดแรนต์ B", "QA", "คิวเอ", "กลุ่ม D")."""
    found = list(_QUADRANT.finditer(text))
    # "ยังเป็น D อยู่ อัปเกรดเป็น B", "จาก C เป็น B": the last "เป็น X" is the new value.
    m = next((f for f in reversed(found) if f[0].startswith("เป็น")), found[0] if found else None)
    if m:
        letter = next(g for g in m.groups() if g)
        return {"quadrant": _QUAD_TH.get(letter, letter.upper())}
    m = _LONE_LETTER.search(text)
    return {"quadrant": m[1].upper()} if m else {}


_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("herbal", re.compile(r"สมุนไพร(?:ที่)?ไม่ใช่อาหาร|สมุนไพร|herbal")),
    ("beverage", re.compile(r"เครื่องดื่ม|beverage|drink")),
    ("textile", re.compile(r"ผ้า|เครื่องแต่งกาย|textile|เสื้อผ้า")),
    ("household", re.compile(r"ของใช้|ของตกแต่ง|ของที่ระลึก|ของฝาก|household")),
    ("food", re.compile(r"อาหาร|food")),
)


# "ไม่ใช่ผ้า", "ไม่ได้เป็นกลุ่มแล้ว": the value said not to be it.
_NOT_VALUE = re.compile(r"(?:ไม่ใช่|มิใช่|ไม่ได้เป็น|ไม่ได้อยู่)\s*\S+")


def category(text: str) -> dict[str, Any]:
    """Product category; the one after "เป็น"/"หมวด" wins over words in a product name."""
    text = _NOT_VALUE.sub(" ", text)
    tail = re.split(r"เป็น|หมวด(?:หมู่)?|ประเภท(?:ผลิตภัณฑ์|สินค้า)?", text)
    for part in reversed(tail):
        for name, pattern in _CATEGORIES:
            if pattern.search(part):
                return {"category": name}
    return {}


_PRODUCER_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sme", re.compile(r"smes?|เอสเอ็มอี|วิสาหกิจขนาดกลาง", re.I)),
    ("individual", re.compile(r"รายเดี่ยว|เดี่ยว|รายเดียว|เจ้าของคนเดียว|รายบุคคล|บุคคล|individual", re.I)),
    ("group", re.compile(r"กลุ่ม|วิสาหกิจชุมชน|group", re.I)),
)


def producer_type(text: str) -> dict[str, Any]:
    """Producer type: กลุ่ม (group), รายเดี่ยว (individual), SMEs."""
    text = _NOT_VALUE.sub(" ", text)
    for name, pattern in _PRODUCER_TYPES:
        if pattern.search(text):
            return {"producer_type": name}
    return {}


_CHANNELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("domestic", re.compile(r"ในประเทศ|หน้าร้าน|ตลาด|domestic|ขายปลีก|ในจังหวัด", re.I)),
    ("export", re.compile(r"ส่งออก|ต่างประเทศ|export", re.I)),
    ("online", re.compile(r"ออนไลน์|online|เฟส|facebook|fb|shopee|ช้อปปี้|lazada|ลาซาด้า|tiktok|"
                          r"ติ๊กต็อก|ไลน์|เว็บ|อินเทอร์เน็ต|เน็ต", re.I)),
)


def channels(text: str) -> dict[str, Any]:
    """Sales channels mentioned: domestic / export / online."""
    found = [name for name, pattern in _CHANNELS if pattern.search(text)]
    return {"channels": found} if found else {}


# ---- attributes named in any message (stricter than the readers above) --------------------

_QUAD_WORD = re.compile(r"ควอดแรนต์|ควอด|quadrant|(?<![a-z])q(?:\s*[abcd])?(?![a-z&])|จัดเป็นกลุ่ม\s*[abcd](?![a-z])|(?:จัด|อยู่|ลง)\s*(?:ใน)?\s*(?:กลุ่ม|ช่อง)?\s*[abcd](?![a-z])|คิว\s*(?:เอ|บี|ซี|ดี)|จัดกลุ่ม", re.I)


def quadrant_mentioned(matching: str) -> dict[str, Any]:
    """Quadrant A–D when the message speaks of a Quadrant at all."""
    if not _QUAD_WORD.search(matching):
        return {}
    tail = re.split(r"ควอดแรนต์|ควอด|quadrant|จัดกลุ่ม|(?<![a-z])q(?![a-z])", matching, maxsplit=1, flags=re.I)
    return quadrant(tail[-1]) or quadrant(matching)


_CATEGORY_CUE = re.compile(r"หมวด|ประเภท(?:ผลิตภัณฑ์|สินค้า)|category|(?:เป็น|:|->|→|=|ประเภท)\s*(?:สินค้า)?(?:อาหาร|เครื่องดื่ม|ผ้า|เครื่องแต่งกาย|ของใช้|ของตกแต่ง|ของที่ระลึก|สมุนไพร)")


def category_mentioned(matching: str) -> dict[str, Any]:
    """A product category named as a category (not a word inside a product's name)."""
    m = _CATEGORY_CUE.search(matching)
    return category(matching[m.start():]) if m else {}


_TYPE_CUE = re.compile(r"smes?|เอสเอ็มอี|รายเดี่ยว|รายบุคคล|รายเดียว|individual|(?:ประเภท|ลักษณะ)(?:ผู้|ของผู้)|(?:เป็น|:|->|→)\s*(?:กลุ่ม(?!\s*[abcd](?![a-z]))|วิสาหกิจ)|วิสาหกิจชุมชน\s*$", re.I)


def producer_type_mentioned(matching: str) -> dict[str, Any]:
    """Producer type when named as one (SMEs, รายเดี่ยว, "เป็นกลุ่ม")."""
    m = _TYPE_CUE.search(matching)
    if not m:
        return {}
    tail = re.split(r"เป็น|->|→|:", matching[m.start():])[-1] or matching[m.start():]
    return producer_type(tail) or producer_type(matching[m.start():])
