"""Slot extractors: each reads a `normalize.clean()` string and returns what it found.

Pure functions over text; `extract()` runs the ones that make sense for an intent.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from registry.ids import BE_OFFSET, national_id_check_ok, normalize_phone, phone_valid

from .attributes import (  # noqa: F401  (read here too)
    category, category_mentioned, channels, producer_type, producer_type_mentioned, quadrant, quadrant_mentioned,
)

# ---- identifiers -------------------------------------------------------------------------

NATIONAL_ID = re.compile(r"(?<![\d])\d(?:[ \-.]?\d){12}(?![\d])")
_PHONE = re.compile(r"(?<![\d+])(?:\+66[ \-]?|0)\d(?:[ \-]?\d){6,9}(?![\d])")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODE = re.compile(
    rf"(?<![A-Za-z0-9])([{_CODE_ALPHABET}{_CODE_ALPHABET.lower()}]{{4}})(-?)"
    rf"([{_CODE_ALPHABET}{_CODE_ALPHABET.lower()}]{{4}})(?![A-Za-z0-9])"
)
RECORD_ID = re.compile(r"(?<![A-Za-z0-9])[Pp][Dd]?\d{4,8}(?![0-9])")


def national_id(text: str) -> dict[str, Any]:
    """A 13-digit national ID in any grouping, with its checksum verdict."""
    m = NATIONAL_ID.search(text)
    if not m:
        return {}
    digits = re.sub(r"\D", "", m[0])
    return {"national_id": digits, "national_id_valid": national_id_check_ok(digits)}


def phone(text: str) -> dict[str, Any]:
    """A Thai phone number (mobile, landline, +66), normalised to digits."""
    for m in _PHONE.finditer(text):
        digits = normalize_phone(m[0])
        if digits and 9 <= len(digits) <= 10:
            return {"phone": digits, "phone_valid": phone_valid(digits)}
    return {}


def code(text: str) -> dict[str, Any]:
    """A one-time invite/link code (8 characters, optionally XXXX-XXXX)."""
    for m in _CODE.finditer(text):
        raw = m[1] + m[3]
        # An ordinary 8-letter word ("quadrant") is not a code: codes carry a digit, a dash,
        # or are typed in capitals.
        if any(ch.isdigit() for ch in raw) or m[2] or raw.isupper():
            return {"code": raw.upper()}
    return {}


# ---- standards ---------------------------------------------------------------------------

_SCHEMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("มผช.", re.compile(r"มผช\.?|ม\.ผ\.ช\.?|มาตรฐานผลิตภัณฑ์ชุมชน")),
    # "อย" only as a word: it occurs inside ขอยกเลิก, ค่อย, น้อย...
    ("อย.", re.compile(r"(?:(?<![ก-๙])|(?<=เลข))อ\.?ย\.?(?![ก-๙])|fda|สารบบอาหาร|เลขทะเบียนอาหาร")),
    ("GMP", re.compile(r"gmp|จีเอ็มพี", re.I)),
    ("ฮาลาล", re.compile(r"ฮาลาล|halal", re.I)),
    ("Organic Thailand", re.compile(r"organic|ออร์แกนิ[คก]|ออแกนิ[คก]|เกษตรอินทรีย์", re.I)),
    ("มกอช.", re.compile(r"มกอช\.?|acfs", re.I)),
)
_MPC_NUMBER = re.compile(r"(?<!\d)(\d{1,4})\s*/\s*(\d{4}|\d{2})(?![\d/])")
_FDA_NUMBER = re.compile(r"(?<!\d)\d(?:[ \-]?\d){12}(?!\d)")


def standard(text: str) -> dict[str, Any]:
    """Standard scheme (มผช., อย., GMP, ...) and number (97/2565, XX-X-XXXXX-X-XXXX)."""
    out: dict[str, Any] = {}
    for scheme, pattern in _SCHEMES:
        m = pattern.search(text)
        if m:
            out["standard_scheme"] = scheme
            break
    else:
        if re.search(r"มาตรฐานอื่น", text):
            out["standard_scheme"] = "อื่นๆ"
        return out
    rest = text[m.end():]
    if out["standard_scheme"] == "มผช.":
        n = _MPC_NUMBER.search(rest)
        if n:
            year = int(n[2])
            year = 2500 + year if year < 100 else year
            out["standard_number"] = f"{int(n[1])}/{year}"
    elif out["standard_scheme"] == "อย.":
        n = _FDA_NUMBER.search(rest)
        if n:
            d = re.sub(r"\D", "", n[0])
            out["standard_number"] = f"{d[:2]}-{d[2]}-{d[3:8]}-{d[8]}-{d[9:]}"
    return out


# ---- numbers, years, dates ---------------------------------------------------------------

_STARS = re.compile(r"(?<!\d)([1-5])\s*ดาว|ดาว\s*(?:ที่\s*)?([1-5])(?!\d)")
_YEAR = re.compile(r"(?:ปี(?:งบ(?:ประมาณ)?)?|พ\.?ศ\.?|ค\.?ศ\.?)\s*(\d{4}|\d{2})(?!\d)|(?<![\d/])((?:25|19|20)\d{2})(?![\d/])")


from .dates import be_year, expiry, month, relative_date, when  # noqa: E402,F401  (read here too)


def stars(text: str) -> dict[str, Any]:
    """Star count (1–5) of a selection result; `text` already has number words as digits."""
    m = _STARS.search(text)
    return {"stars": int(m[1] or m[2])} if m else {}


# "ปีนี้", "ปีที่แล้ว", "ปีงบหน้า": a year named from today.
_COUNTED = re.compile(r"(?:\d|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|หลาย|ทุก)\s*$")
_RELATIVE_YEAR = re.compile(r"ปี(งบ(?:ประมาณ)?)?\s*(นี้|ที่แล้ว|ก่อน(?!หน้า)|กลาย|หน้า)")


def year(text: str, today: date | None = None) -> dict[str, Any]:
    """A BE year ("ปี 66", "ปีงบ 69", "2565", "2024" → 2567; "ปีนี้", "ปีที่แล้ว" from `today`;
    a fiscal year ("ปีงบนี้") starts on 1 October)."""
    m = _YEAR.search(text)
    if m:
        return {"year_be": be_year(int(m[1] or m[2]))}
    r = _RELATIVE_YEAR.search(text)
    if r is None or today is None or _COUNTED.search(text, 0, r.start()):
        return {}  # "5 ปีก่อน", "สองปีก่อน", "ทุกปีนี้": not the year before this one
    shift = {"นี้": 0, "หน้า": 1}.get(r[2], -1)
    fiscal = 1 if r[1] and today.month >= 10 else 0
    return {"year_be": today.year + BE_OFFSET + shift + fiscal}


_REQUEST_ID = re.compile(
    r"#\s*(\d{1,7})(?!\d)"
    r"|(?:คำขอ|คำร้อง|เรื่อง|request|req)\s*(?:ที่|เลขที่|เลข|no\.?)?\s*(\d{1,7})(?![\d/])"
    r"|(?:อนุมัติ|approve|reject|ปฏิเสธ|ตีกลับ|ไม่ผ่าน)\s*(?:คำขอ|คำร้อง)?\s*(?:ที่|เลขที่)?\s*(\d{1,7})(?![\d/])",
    re.I,
)


def request_id(text: str) -> dict[str, Any]:
    """A request number ("คำขอ 12", "#12", "อนุมัติ 12")."""
    m = _REQUEST_ID.search(text)
    return {"request_id": int(next(g for g in m.groups() if g))} if m else {}


_REASON = re.compile(r"(?:เพราะว่า|เพราะ|เนื่องจาก|เหตุผล(?:คือ)?|สาเหตุ(?:คือ)?)\s*:?\s*(.+)$")


# Without a marker, a later clause that tells why ("ขอยกเลิกทะเบียน ไม่ได้ผลิตแล้ว",
# "ปิดทะเบียนกลุ่ม... ติดต่อไม่ได้เกิน 2 ปีแล้ว").
_REASON_CLAUSE = re.compile(
    r"\s((?:ไม่ได้|ไม่ไหว|ไม่มี(?!อะไร)|ทำต่อไม่|เลิกทำ|ย้ายไป|ย้ายหนี|เสียชีวิต|ป่วย|แก่แล้ว|อายุมาก|อายุเยอะ|ขายไม่|หายไป|ติดต่อไม่|ปิดไป|ยุบ|กลุ่มยุบ)\S*.*)$")


def reason(text: str) -> dict[str, Any]:
    """Free text after เพราะ / เนื่องจาก / เหตุผล, or a later clause that tells why."""
    from .normalize import strip_particles

    m = _REASON.search(text) or _REASON_CLAUSE.search(text)
    if not m:
        return {}
    value = strip_particles(m[1]).strip(" .,:")
    return {"reason": value} if value else {}


# ---- free text for a name search ---------------------------------------------------------

_QUERY_LEAD = re.compile(
    r"^(?:เริ่ม|ขอ(?!ง)|ช่วย|ค้นหา|ค้น|หา|search|find|ดูข้อมูล|ข้อมูล|ดู|อัปเดต|อัพเดท|อัพเดต|อัปเดท|update|photo|"
    r"แก้ไข|แก้|เปลี่ยน|ลง|ใส่|เพิ่ม|ตั้ง(?:ค่า)?|ปรับ|set|บันทึก|สร้าง|ออก|gen|ส่ง|รูปภาพ|รูป|ภาพ|ใหม่|"
    r"ผลิตภัณฑ์|สินค้า|ผู้ผลิต|ผู้ประกอบการ|ผปก\.?|ร้าน(?:อาหาร)?ชวนชิม|ชวนชิม|ร้าน|ชื่อ|"
    r"รหัส(?:เชิญ|เชื่อม(?:ต่อ|บัญชี|ไลน์)?)?|โค้ด|code|ผูก(?:บัญชี|ไลน์)?|เลิกกิจการ|ปิดกิจการ|"
    r"ยกเลิกทะเบียน|ปิดทะเบียน|หน่อย|ด้วย|ให้|ของ|ที่|นี้|ควอดแรน[ทต]์|quadrant|มาตรฐาน|หมวด(?:หมู่)?|ประเภท|"
    r"ผลการจัดกลุ่ม|จัดกลุ่ม|เลข(?:บัตร\S*|ปชช\.?|ประจำตัว\S*|13หลัก))\s*",
    re.I,
)
_QUERY_CLAUSE = re.compile(
    r"\s+(?=(?:ย้าย|เลิก|ปิด(?!ทอง)|หาย|ติดต่อ|ไม่|ยังไม่|ตั้งแต่|เมื่อ|ได้(?!แก่)|หมดอายุ|เสียชีวิต|ตาย|บ่|ทำไม|ผิด|ขาย(?:ไม่|มา)"
    r"|เลขที่|เลข\s|ใส่|เปลี่ยน|จัด|ใช้|เขา|แก(?!้)|ตอนนี้|จด|เดี๋ยว|อยู่ใน|ที่ถูก|=))"
    # glued to the name: "นายประยูรต้องเป็น...", "...บ้านนาตอนนี้เป็นบริษัท", "...แม่บัวเขียวปิดกิจการ"
    r"|(?<=\S)(?=(?:ต้องเป็น|ตอนนี้|ปิดกิจการ|ปิดไปแล้ว|เลิกกิจการ|เสียชีวิต|หายไป|ยังว่าง|ผิดหลัก|ทำ(?:ขนม|ไม้|ผ้า|น้ำ)))")
# "หมูยอของกลุ่มแม่บ้าน...", "ผ้าขาวม้า กลุ่มทอผ้า...": the producer, not the product, is searched.
_OWNER_AFTER = re.compile(r"(?:ของ\s*|\s+)((?:กลุ่ม|ร้าน|วิสาหกิจ|นาย|นาง|น\.ส\.|ป้า|ลุง|ยาย|บริษัท|หจก|สหกรณ์)\S.*)$")
_QUERY_TAIL = re.compile(r"\s*(?:อยู่ไหน|อยู่ที่ไหน|อยู่อำเภอไหน|หน่อย|ด้วย|ที|นะ|ให้หน่อย|บ้าง)$")


def query(text: str, strip: list[str]) -> dict[str, Any]:
    """What is left of the message to search a name with (or a record id like P004512)."""
    from .normalize import strip_particles

    rid = RECORD_ID.search(text)
    if rid:
        return {"query": rid[0].upper()}
    s = text
    for piece in strip:
        if piece:
            s = s.replace(piece, " ")
    s = re.split(r"เพราะ|เนื่องจาก|เหตุผล", s)[0]
    # "กลุ่มแม่บ้านบ้านหนองแวง เลิกทำไปตั้งแต่ปีที่แล้ว": a clause after the name is its story.
    name = _QUERY_CLAUSE.split(s, maxsplit=1)[0]
    s = name if len(name.strip()) >= 2 else s
    # "…ให้ผ้าปักชาวเขา": the target follows ให้.
    m = re.search(r"ให้(?:กับ)?\s*([^\s].*)$", s)
    if m and len(strip_particles(m[1]).strip()) >= 2:
        s = m[1]
    # "ร่มบ่อสร้าง ปรับเป็น ..." / "...เป็นกลุ่ม": what follows เป็น is the new value.
    if re.search(r"\S\s*(?:ปรับ|เปลี่ยน|แก้|ตั้ง)?\S{0,10}เป็น", s):
        s = re.sub(r"(?:\s+|^)(?:ปรับ|เปลี่ยน|แก้|ตั้ง)\S{0,10}เป็น.*$|\s*เป็น.*$", "", s)
    s = s.strip()
    for _ in range(8):
        new = _QUERY_LEAD.sub("", s, count=1).strip()
        if new == s:
            break
        s = new
    for _ in range(3):
        s = _QUERY_TAIL.sub("", strip_particles(s)).strip(" .,:-")
    s = re.sub(r"\s+", " ", s)
    owner = _OWNER_AFTER.search(s)
    if owner and owner.start() >= 2:
        s = owner[1]
    return {"query": s} if len(s) >= 2 else {}


# ---- registry codes and product names ----------------------------------------------------

REGISTRY_CODE = re.compile(r"(?<![A-Za-z0-9])((?:otop|OTOP|Otop|[A-Za-z]{1,4})[-_]?\d{4,10})(?![0-9])")


def registry_code(text: str) -> dict[str, Any]:
    """A record's code as typed (OTOP0012345, P004512), upper-cased."""
    m = REGISTRY_CODE.search(text)
    if not m:
        return {}
    return {"registry_code": m[1].upper()}


_PRODUCT_LEAD = re.compile(
    r"(?:รูป(?:ภาพ)?|ภาพ|สินค้า|ผลิตภัณฑ์|ตัว|ให้(?:กับ)?(?:สินค้า|ผลิตภัณฑ์)?|ของ(?:สินค้า|ผลิตภัณฑ์)?|มาตรฐาน|มผช\.?|อย(?:\.|(?=\s))|photo(?: of)?|for)\s*")
_PRODUCT_STOP = re.compile(
    r"\s*(?:มผช|ม\.ผ\.ช|อย\.|เลขที่|เลขอย|หมดอายุ|ค่ะ|คะ|ครับ|คับ|หน่อย|ด้วย|ใน(?:ระบบ|อำเภอ|ตำบล)|อำเภอ|ตำบล|จังหวัด|อ\.|ต\.|จ\.|gmp|ฮาลาล|organic"
    r"|เพราะ|เนื่องจาก|\d|ของ|ป้า|ลุง|ยาย|แหน่|ได้(?=\s|\d|[A-Za-z]|มาตรฐาน|รับ|เลข|ดาว|สาม|สี่|ห้า|ใบ)|อยู่|ให้(?=\s|$)|ใส่ผิด|จัดหมวด|ย้ายไป|หมวด|ใน(?=\s)|อายุ|\s(?:ยัง|อัปเกรด)|เป็น(?:มาตรฐาน|เลข|ประเภท|หมวด)|ได้(?:มาตรฐาน|รับ|เลข)|จ้า|จ้ะ|เด้อ)"
    r"|\s+(?:อย|เลข|เป็น|นะ|ที่|ใน|ของ|ได้|แล้ว|ให้|ใหม่|ปี|ไม่|ยัง|มี|ถ่าย|ส่ง|แนบ|ตอน|แก้|เปลี่ยน|ลง|อัปเดต|ขอ|รูป|ภาพ|จาก|กับ|และ|เลย|อยู่|ไป|มา|ก่อน|ทีหลัง|สวย|ชัด|เก่า|หมด|ครบ|ช่วย|ทำ|ติดต่อ|เลิก|ยุบ|หาย)")
_PRODUCT_HEAD = re.compile(
    r"(?:ผ้า|น้ำ(?!หนัก)|ข้าว|ขนม|กล้วย|ทุเรียน|มะม่วง|แหนม|หมู|ไส้|ปลา|กุ้ง|เครื่อง|สบู่|แชมพู|ยา(?!ย)|ชา|กาแฟ|ไวน์|สุรา|เหล้า|ตะกร้า|กระเป๋า|หมวก|ร่ม|เสื่อ|จักสาน|เครื่องจักสาน|ไม้|เทียน"
    r"|ลูก(?!สาว|ชาย|หลาน|ค้า|ๆ|\s)|พริก|กะปิ|ปลาร้า|แจ่ว|แกง|หมี่|เส้น|ถั่ว|งา(?!น)|มะ|ส้ม|ลำไย|ลิ้นจี่|สับปะรด|ครีม|โลชั่น|ลูกประคบ|ยาดม|ยาหม่อง|เซรั่ม|น้ำผึ้ง|น้ำพริก|ทองม้วน|คุกกี้|เค้ก|ขนมปัง|หัตถกรรม|โคม|ตุ๊กตา|พวงกุญแจ|เสื้อ|กางเกง|ผ้าไหม|ผ้าฝ้าย|ผ้าทอ|ผ้าขาวม้า|ไข่|เห็ด|หน่อไม้|มัน(?![ก-๙]?\s|$|ไป|ก็)|เผือก|ข้าวเกรียบ|กระยาสารท|ทอฟฟี่|แยม|ซอส|น้ำปลา|เกลือ|ดอก|เครื่องปั้น|ปั้น|โอ่ง|เซรามิก|ไม้กวาด|น้ำมัน|สมุนไพร)")


def _regex_product_name(text: str) -> str | None:
    """The hand-written reader: the words after a lead word up to a stop word."""
    from .normalize import strip_particles

    candidates: list[tuple[int, str]] = []
    for m in _PRODUCT_LEAD.finditer(text):
        rest = text[m.end():]
        cut = _PRODUCT_STOP.search(rest, 1) if rest else None
        span = rest[:cut.start()] if cut else rest
        span = strip_particles(span.strip(" .,:\"'“”()")).strip(" .,:")
        if len(span) >= 3 and re.search(r"[ก-๙A-Za-z]{3}", span) and not re.fullmatch(r"[A-Za-z]+", span):
            candidates.append((0 if _PRODUCT_HEAD.match(span) else 1, span))
    if not candidates:
        for m in _PRODUCT_HEAD.finditer(text):
            rest = text[m.start():]
            cut = _PRODUCT_STOP.search(rest, len(m[0]))
            span = strip_particles((rest[:cut.start()] if cut else rest).strip()).strip(" .,:")
            if len(span) >= 3:
                candidates.append((2, span))
                break
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def product_name(text: str) -> dict[str, Any]:
    """A product named in the message by the hand-written reader (every message; the parser
    asks the tagger of nlu/product_span.py instead where the intent reads a product)."""
    found = _regex_product_name(text)
    return {"product_name": found} if found else {}


_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d)?)\s*(?:%|เปอร์เซ็นต์|เปอร์เซ็น|เปอเซ็น|percent|ร้อยละ)|ร้อยละ\s*(\d{1,3})")


def percent(text: str) -> dict[str, Any]:
    """A percentage ("90%", "ร้อยละ 95", "95 เปอร์เซ็นต์"), 1–100."""
    m = _PERCENT.search(text)
    if not m:
        return {}
    value = float(m[1] or m[2])
    return {"percent": int(value) if value.is_integer() else value} if 0 < value <= 100 else {}
