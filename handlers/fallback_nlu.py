"""A tiny keyword parser used only when the `nlu` package does not provide `parse` yet
(same contract: text + context -> intent with slots). Not the project's NLU."""

from __future__ import annotations

import re

from handlers.router import ParseContext, Parsed
from registry.ids import national_id_digits, normalize_phone

CODE = re.compile(r"(?<![A-Za-z0-9])([A-HJ-NP-Za-hj-np-z2-9]{4})[\s\-]?([A-HJ-NP-Za-hj-np-z2-9]{4})(?![A-Za-z0-9])")
KEYWORDS = [
    ("producer.link", ("ผูกบัญชี", "เชื่อมบัญชี", "ลงทะเบียนไลน์", "ยืนยันตัวตน")),
    ("account.redeem_code", ("รหัสเชิญ", "มีรหัส", "ใส่รหัส")),
    ("producer.my_record", ("ข้อมูลของฉัน", "ข้อมูลฉัน", "ข้อมูลของผม", "ข้อมูลของหนู")),
    ("officer.list_producers", ("รายชื่อผู้ผลิต", "ผู้ผลิตในพื้นที่")),
    ("thanks", ("ขอบคุณ", "ขอบใจ", "thank")),
    ("greeting", ("สวัสดี", "หวัดดี", "hello", "hi")),
]


def parse(text: str, ctx: ParseContext | None = None) -> Parsed:
    """Keyword rules: a one-time code anywhere, a national ID (+ phone), a few phrases."""
    raw = text.strip()
    match = CODE.search(raw)
    if match and (raw.upper() == raw or "-" in match.group(0) or any(c.isdigit() for c in match.group(0))):
        return Parsed("account.redeem_code", {"code": match.group(1) + match.group(2)})
    nid = next((national_id_digits(t) for t in re.findall(r"[\d๐-๙][\d๐-๙\-]{11,20}[\d๐-๙]", raw) if national_id_digits(t)), None)
    if nid:
        rest = raw.replace(next(t for t in re.findall(r"[\d๐-๙][\d๐-๙\-]{11,20}[\d๐-๙]", raw) if national_id_digits(t)), " ")
        phone = next((normalize_phone(t) for t in re.findall(r"[0๐+][\d๐-๙\s\-]{7,14}[\d๐-๙]", rest)), None)
        return Parsed("producer.link", {"national_id": nid, **({"phone": phone} if phone else {})})
    lowered = raw.lower()
    for name, words in KEYWORDS:
        if any(w in lowered for w in words):
            return Parsed(name, {})
    return Parsed("unknown", {}, 0.0)
