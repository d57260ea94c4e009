"""Product names in a message, found by a CRF tagger over PyThaiNLP's words.

A product's name is whatever the producer calls it ("น้ำพริกนรกแม่บุญ", "ผ้าไหม มัดหมี่ลายนาค"),
so no word list can hold them; what surrounds a name is regular ("เพิ่ม มผช. ให้ ... เลข",
"รูป ... ค่ะ"). The tagger (python-crfsuite, the library PyThaiNLP itself uses for its CRF
models) labels each word B / I / O from the word, its neighbours and a few shapes; it is
trained by `python -m nlu.train_spans` on the product-name spans the phrase writers marked in
`nlu/data/phrases.jsonl` and written to `nlu/data/product_span.crfsuite`.

`product_name(text)` returns the first tagged span, as typed, without particles.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "data" / "product_span.crfsuite"

# Words that lead to a product's name and words that end it (shapes, not the names).
_LEADS = frozenset({
    "รูป", "รูปภาพ", "ภาพ", "สินค้า", "ผลิตภัณฑ์", "ตัว", "ให้", "ของ", "มาตรฐาน", "มผช", "มผช.", "ผช.",
    "อย.", "อย", "photo", "for", "ชื่อ", "ทำ", "ผลิต", "เมนู", "ร้าน",
})
_PARTICLE = re.compile(r"^(?:ค่ะ|คะ|ครับ|คับ|ครัช|จ้า|จ้ะ|จ้ะ|นะ|น้า|เด้อ|เน้อ|จ๊ะ|ฮะ|หนา|เจ้า|นะคะ|นะครับ|จ้ะ|ด้วย|หน่อย)$")
_HEAD = re.compile(
    r"^(?:ผ้า|น้ำ|ข้าว|ขนม|กล้วย|แหนม|หมู|ไส้|ปลา|กุ้ง|เครื่อง|สบู่|แชมพู|ยา|ชา|กาแฟ|ไวน์|สุรา|ตะกร้า|กระเป๋า"
    r"|หมวก|ร่ม|เสื่อ|จักสาน|ไม้|เทียน|พริก|กะปิ|แจ่ว|หมี่|ถั่ว|มะ|ส้ม|ครีม|โลชั่น|ลูกประคบ|ยาดม|ยาหม่อง"
    r"|น้ำผึ้ง|ทองม้วน|คุกกี้|เค้ก|โคม|ตุ๊กตา|พวงกุญแจ|เสื้อ|ไข่|เห็ด|หน่อไม้|เซรามิก|ไม้กวาด|สมุนไพร|แคบ|หมอน)")


_DIGITS = re.compile(r"[0-9๐-๙]+")
_DIGIT = re.compile(r"[0-9๐-๙]")
_LATIN = re.compile(r"[A-Za-z.]+")
_THAI = re.compile(r"[ก-๙.]+")


def _shape(w: str) -> str:
    if w.isspace():
        return "space"
    if _DIGITS.fullmatch(w):
        return "digit"
    if _DIGIT.search(w):
        return "hasdigit"
    if _LATIN.fullmatch(w):
        return "latin"
    if _THAI.fullmatch(w):
        return "thai"
    return "other"


def _word_features(w: str, prefix: str) -> list[str]:
    low = w.lower()
    out = [f"{prefix}w={low}", f"{prefix}shape={_shape(w)}"]
    if _PARTICLE.match(w):
        out.append(f"{prefix}particle")
    if low in _LEADS:
        out.append(f"{prefix}lead")
    if _HEAD.match(w):
        out.append(f"{prefix}head")
    return out


def features(words: list[str]) -> list[list[str]]:
    """Each word's features: itself, two words either side, shapes and cue words."""
    rows = []
    n = len(words)
    for i, w in enumerate(words):
        f = ["bias", f"len={min(len(w), 6)}", f"pre2={w[:2]}", f"suf2={w[-2:]}"]
        f += _word_features(w, "")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f += _word_features(words[j], f"{d}:")
            else:
                f.append(f"{d}:edge")
        if i > 0:
            f.append(f"bi=-1:{words[i - 1].lower()}|{w.lower()}")
        if i == 0:
            f.append("first")
        if i == n - 1:
            f.append("last")
        rows.append(f)
    return rows


def words(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, engine="newmm", keep_whitespace=True)


def labels_for(text: str, span: str, ws: list[str]) -> list[str] | None:
    """B/I/O per word for a marked span; None when the span does not sit on word edges."""
    start = text.find(span)
    if start < 0:
        return None
    end = start + len(span)
    out, pos, inside = [], 0, False
    for w in ws:
        a, b = pos, pos + len(w)
        pos = b
        if b <= start or a >= end:
            out.append("O")
            continue
        if a < start or b > end:
            return None  # the name starts or ends inside a word
        out.append("I" if inside else "B")
        inside = True
    return out if inside else None


@lru_cache(maxsize=1)
def _tagger():  # type: ignore[no-untyped-def]
    import pycrfsuite

    if not MODEL_PATH.exists():
        return None
    t = pycrfsuite.Tagger()
    t.open(str(MODEL_PATH))
    return t


def tag(ws: list[str]) -> list[str]:
    t = _tagger()
    if t is None or not ws:
        return ["O"] * len(ws)
    return list(t.tag(features(ws)))


def span_of(ws: list[str], tags: list[str]) -> str | None:
    """The first run of B/I words, as typed, without particles around it."""
    start = next((i for i, t in enumerate(tags) if t != "O"), None)
    if start is None:
        return None
    end = start + 1
    while end < len(tags) and tags[end] == "I":
        end += 1
    while end > start and (ws[end - 1].isspace() or _PARTICLE.match(ws[end - 1])):
        end -= 1
    name = "".join(ws[start:end]).strip(" .,:\"'“”()")
    return name if len(name) >= 2 else None


def product_name(text: str) -> str | None:
    ws = words(text)
    return span_of(ws, tag(ws))
