"""Global words understood in every state of a conversation: cancel, help, menu, back and
"talk to an officer", in any phrasing ("ยกเลิกค่ะ ไม่แก้แล้ว", "งงค่ะ ช่วยด้วย ต้องพิมพ์ยังไง",
"พอก่อน", "ขอคุยกับเจ้าหน้าที่").

Pure: `global_command(text)` returns "cancel" | "help" | "menu" | "back" | "officer" | None;
`non_answer(text)` reads what is not an answer to a closed choice ("ไม่ใช่ค่ะ", "อันไหนก็ได้",
"555"): "no" | "any" | "chat" | None.

A message is a command only when ALL of it is made of command phrases, polite particles and
filler words (read greedily, longest phrase first, spaces optional). So a real answer that
merely contains a command word is never taken for one: "ยกเลิกคำขอเลิกกิจการ" (a withdrawal),
"หยุดส่งแจ้งเตือน" (stopping reminders), a project or place name, an address.
"""

from __future__ import annotations

import re
import unicodedata

COMMANDS = ("cancel", "help", "menu", "back", "officer")

PHRASES: dict[str, tuple[str, ...]] = {
    "cancel": (
        "ยกเลิก", "cancel", "stop", "quit", "หยุด", "หยุดก่อน", "เลิกทำ", "ไม่ทำแล้ว", "ไม่ทำต่อ",
        "ไม่เอาแล้ว", "ไม่เอา", "ไม่แก้แล้ว", "ไม่แก้", "ไม่ต้องแล้ว",
        # "not ... any more" with the verb of the form being filled: moving, closing, sending, asking
        "ไม่ย้ายแล้ว", "ไม่ย้าย", "ไม่เลิกแล้ว", "ไม่ปิดแล้ว", "ไม่ส่งแล้ว", "ไม่ขอแล้ว", "ไม่แจ้งแล้ว",
        "ไม่ยื่นแล้ว", "ไม่เปลี่ยนแล้ว", "ไม่เพิ่มแล้ว", "ไม่ใส่แล้ว", "ไม่กรอกแล้ว", "ไม่ต้องทำ", "พอก่อน", "พอแล้ว",
        "พอดีกว่า", "ไว้ก่อน", "ไว้ทีหลัง", "ไว้วันหลัง", "ยังไม่ทำ", "เปลี่ยนใจ", "ออก", "ออกจากตรงนี้",
    ),
    "help": (
        "ช่วยเหลือ", "ช่วยด้วย", "ช่วยที", "ช่วยหน่อย", "ช่วย", "help", "วิธีใช้", "งง", "งงมาก", "ไม่เข้าใจ", "ไม่รู้",
        "พิมพ์ยังไง", "พิมพ์ไง", "พิมพ์อะไร", "พิมพ์แบบไหน", "ตอบยังไง", "ตอบอะไร", "ทำยังไง", "ทำไง",
        "ใช้ยังไง", "กรอกยังไง", "กรอกอะไร", "ใส่อะไร", "ใส่ยังไง", "หมายถึงอะไร", "ถามอะไร", "อะไรนะ",
        "?", "？",
    ),
    "menu": ("เมนู", "เมนูหลัก", "menu", "หน้าหลัก", "กลับเมนู", "กลับไปเมนู", "กลับหน้าหลัก", "ดูเมนู",
             "เปิดเมนู", "ไปเมนู", "ไปที่เมนู", "main menu"),
    "back": ("กลับ", "ย้อนกลับ", "ย้อน", "ถอยกลับ", "back", "ข้อก่อนหน้า", "ข้อที่แล้ว", "ข้อเมื่อกี้",
             "แก้ข้อก่อนหน้า", "แก้ข้อที่แล้ว", "กลับไปข้อก่อนหน้า", "กลับไปแก้", "ย้อนไปแก้", "ย้อนไป",
             "กลับไป"),
    "officer": ("คุยกับเจ้าหน้าที่", "ติดต่อเจ้าหน้าที่", "สายเจ้าหน้าที่", "เจ้าหน้าที่", "คุยกับคน",
                "คุยกับคนจริง", "คนจริง", "ติดต่อพัฒนาการ", "ติดต่อพัฒนาการอำเภอ", "ติดต่อพัฒนาชุมชน",
                "ติดต่อคน", "ขอสายเจ้าหน้าที่", "ให้เจ้าหน้าที่ติดต่อกลับ", "ติดต่อกลับ", "officer",
                "talk to officer", "คุยกับพัฒนาการ"),
}
# Words that may surround a command without changing it: particles, please, now, first...
FILLERS = (
    "ค่ะ", "คะ", "ค่า", "คับ", "ครับ", "ครับผม", "คร้าบ", "ค๊ะ", "จ้า", "จ้ะ", "จ๊ะ", "จ่ะ", "นะ", "น่ะ",
    "นะคะ", "นะครับ", "ฮะ", "อ่ะ", "อะ", "เอ่อ", "อืม", "ขอ", "หน่อย", "ด้วย", "เลย", "ก่อน", "แล้ว", "ดีกว่า",
    "ได้ไหม", "ได้มั้ย", "ได้มั๊ย", "ได้ป่าว", "ได้", "ไหม", "มั้ย", "มั๊ย", "ที", "ทีค่ะ", "ต้อง", "อยาก",
    "ไป", "ที่", "ให้", "กับ", "ตรงนี้", "อันนี้", "ค่ะพี่", "พี่", "หนู", "ฉัน", "ผม", "เรา", "จะ", "ยังไง",
    "คือ", "เอ่อค่ะ", "ๆ", "please", "pls",
)

_VOCAB = sorted(
    [(p, kind) for kind, phrases in PHRASES.items() for p in phrases] + [(f, "") for f in FILLERS],
    key=lambda pair: -len(pair[0]),
)
_PUNCT = re.compile(r"[\s!.,;:…~'\"“”‘’()\[\]{}*/\\|_\-–—]+")
# Which command wins when one message holds several ("งง ยกเลิกดีกว่า" stops the form).
_PRIORITY = {"cancel": 0, "officer": 1, "menu": 2, "back": 3, "help": 4}


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFC", text or "").lower()
    t = t.replace("\u200b", "")
    t = re.sub(r"([ะ-ู่-์])\1+", r"\1", t)  # "ค่ะะะ", "งงงง" typed long
    t = re.sub(r"ง{3,}", "งง", t)  # "งงงง"
    t = re.sub(r"[?？]+", " ? ", t)
    return _PUNCT.sub(" ", t).strip()


# Replies to a closed choice that choose nothing (asked again with the choices, never stored).
NON_ANSWERS: dict[str, tuple[str, ...]] = {
    "no": ("ไม่ใช่", "ไม่ใช่เลย", "ไม่ใช่ทั้งหมด", "ไม่มีสักอัน", "ไม่มีเลย", "ผิด", "ผิดหมด", "ไม่ถูก", "ไม่",
           "no", "nope"),
    "any": ("อันไหนก็ได้", "อะไรก็ได้", "แล้วแต่", "ตามสบาย", "ก็ได้", "ได้หมด", "ทั้งหมด", "ทุกอัน", "whatever",
            "any", "สุ่ม", "เลือกให้", "เลือกให้หน่อย"),
    "chat": ("555", "5555", "55555", "ฮ่า", "ฮ่าฮ่า", "ฮ่าๆ", "ฮา", "lol", "haha", "เหอะ", "อิอิ", "คิคิ",
             "ขอบคุณ", "ขอบใจ", "โอเค", "ok", "สวัสดี", "หวัดดี", "จ้า", "ค่ะ", "ครับ"),
}
_NON_VOCAB = sorted([(p, kind) for kind, phrases in NON_ANSWERS.items() for p in phrases]
                    + [(f, "") for f in FILLERS], key=lambda pair: -len(pair[0]))


def _read(chunk: str, vocab: list[tuple[str, str]] | None = None) -> list[str] | None:
    """The command kinds read from `chunk` when all of it is vocabulary, else None (longest
    phrase first, backtracking: "กลับเมนูหลัก" is กลับ + เมนูหลัก, not กลับเมนู + หลัก)."""
    memo: dict[int, list[str] | None] = {}

    def from_(i: int) -> list[str] | None:
        if i == len(chunk):
            return []
        if i in memo:
            return memo[i]
        memo[i] = None
        for phrase, kind in (vocab or _VOCAB):
            end = i + len(phrase)
            if not chunk.startswith(phrase, i):
                continue
            # a Latin word must end at a word boundary ("menuitem" is not "menu")
            if phrase.isascii() and phrase.isalpha() and end < len(chunk) and chunk[end].isalpha():
                continue
            rest = from_(end)
            if rest is not None:
                memo[i] = ([kind] if kind else []) + rest
                break
        return memo[i]

    return from_(0)


def global_command(text: str) -> str | None:
    """The global command `text` means, or None when it is (or may be) a real answer."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > 80:
        return None
    kinds: list[str] = []
    for chunk in cleaned.split(" "):
        read = _read(chunk)
        if read is None:
            return None
        kinds.extend(read)
    if not kinds:
        return None
    return min(kinds, key=_PRIORITY.__getitem__)


def non_answer(text: str) -> str | None:
    """What a reply to a closed choice means when it chooses nothing: "no" (none of these),
    "any" (whichever), "chat" (laughter, thanks, a greeting); None when it may be an answer.
    Laughter typed long ("55555555") counts; digits that are not all 5 do not."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > 60:
        return None
    cleaned = re.sub(r"(?<!\d)5{3,}(?!\d)", "555", cleaned)
    kinds: list[str] = []
    for chunk in cleaned.split(" "):
        read = _read(chunk, _NON_VOCAB)
        if read is None:
            return None
        kinds.extend(read)
    if not kinds:
        return None
    return next(kind for kind in ("no", "any", "chat") if kind in kinds)
