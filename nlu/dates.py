"""Dates as Thai users write them: 15/3/2567, 15 มี.ค. 67, ISO, "เมื่อ 27/11", วันนี้/พรุ่งนี้,
months ("เดือนที่แล้ว", "ก.พ.67", "ตุลา 66"), relative dates ("สิ้นเดือนนี้", "ต้นเดือนหน้า",
"อีก 7 วัน", "สัปดาห์หน้า") and a standard's expiry. Pure functions of the text and today."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from registry.ids import BE_OFFSET


def be_year(value: int) -> int:
    """A year as typed (2565, 2022, 65) as a Buddhist-era year."""
    if value < 100:
        return 2500 + value
    if 1900 <= value < 2400:
        return value + BE_OFFSET
    return value


_MONTHS = {
    "ม.ค.": 1, "ก.พ.": 2, "มี.ค.": 3, "เม.ย.": 4, "พ.ค.": 5, "มิ.ย.": 6,
    "ก.ค.": 7, "ส.ค.": 8, "ก.ย.": 9, "ต.ค.": 10, "พ.ย.": 11, "ธ.ค.": 12,
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
    # as said ("10 ธันวา", "28 กุมภา")
    "มกรา": 1, "กุมภา": 2, "มีนา": 3, "เมษา": 4, "พฤษภา": 5, "มิถุนา": 6,
    "กรกฎา": 7, "สิงหา": 8, "กันยา": 9, "ตุลา": 10, "พฤศจิกา": 11, "ธันวา": 12,
}
_MONTH_ALT = "|".join(sorted((re.escape(k).replace(r"\.", r"\.?") for k in _MONTHS), key=len, reverse=True))
_DATE_ISO = re.compile(r"(?<!\d)(20\d{2}|25\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
_DAY_MONTH = re.compile(r"(?:วันที่|เมื่อ|date)\s*(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)")
_DATE_WORDS = re.compile(rf"(?<!\d)(\d{{1,2}})\s*({_MONTH_ALT})\s*(\d{{4}}|\d{{2}})?(?!\d)")
_RELATIVE = {"วันนี้": 0, "พรุ่งนี้": 1, "มะรืน": 2, "เมื่อวานซืน": -2, "เมื่อวาน": -1}


def _month_number(token: str) -> int:
    key = token if token in _MONTHS else next(k for k in _MONTHS if k.replace(".", "") == token.replace(".", ""))
    return _MONTHS[key]


def _ce_year(y: int | None, today: date) -> int:
    if y is None:
        return today.year
    return be_year(y) - BE_OFFSET if y < 100 or y > 2400 else y


def when(text: str, today: date) -> dict[str, Any]:
    """A date: 15/3/2567, 15 มี.ค. 67, วันนี้, พรุ่งนี้ (BE or CE years)."""
    try:
        if m := _DATE_ISO.search(text):
            return {"date": date(int(m[1]), int(m[2]), int(m[3]))}
        if m := _DATE_NUMERIC.search(text):
            return {"date": date(_ce_year(int(m[3]), today), int(m[2]), int(m[1]))}
        if m := _DAY_MONTH.search(text):  # "เมื่อ 27/11": this year
            return {"date": date(today.year, int(m[2]), int(m[1]))}
        if m := _DATE_WORDS.search(text):
            y = int(m[3]) if m[3] else None
            return {"date": date(_ce_year(y, today), _month_number(m[2]), int(m[1]))}
    except ValueError:
        return {}
    for word, days in _RELATIVE.items():
        if word in text:
            return {"date": today + timedelta(days=days)}
    return {}


# ---- months, relative dates, expiry --------------------------------------------------------

_MONTH_WORDS: tuple[tuple[str, int], ...] = tuple(
    (w, i) for i, words in enumerate((
        "มกราคม|มกรา|ม\\.?ค\\.?|jan(?:uary)?", "กุมภาพันธ์|กุมภา|ก\\.?พ\\.?|feb(?:ruary)?",
        "มีนาคม|มีนา|มี\\.?ค\\.?|mar(?:ch)?", "เมษายน|เมษา|เม\\.?ย\\.?|apr(?:il)?",
        "พฤษภาคม|พฤษภา|พ\\.?ค\\.?|may", "มิถุนายน|มิถุนา|มิ\\.?ย\\.?|jun(?:e)?",
        "กรกฎาคม|กรกฎา|ก\\.?ค\\.?|jul(?:y)?", "สิงหาคม|สิงหา|ส\\.?ค\\.?|aug(?:ust)?",
        "กันยายน|กันยา|ก\\.?ย\\.?|sep(?:tember)?", "ตุลาคม|ตุลา|ต\\.?ค\\.?|oct(?:ober)?",
        "พฤศจิกายน|พฤศจิกา|พ\\.?ย\\.?|nov(?:ember)?", "ธันวาคม|ธันวา|ธ\\.?ค\\.?|dec(?:ember)?"), 1)
    for w in [words]
)
_MONTH_NAME = re.compile(
    r"(?:(?<=เดือน)|(?<![ก-๙a-z]))(?:" + "|".join(f"(?P<m{i}>{w})" for w, i in _MONTH_WORDS) + r")(?!(?!ครับ|คับ|ค่ะ|คะ|จ้า|จ้ะ|จ๊ะ|นะ|หน่อย|ด้วย|นี้|ปี|พ\.ศ|ค\.ศ|ของ|เจ้า|เด้อ|ที่ผ่าน|ที่แล้ว|ละ|เลย)[ก-๙a-z])"
    r"(?:\s*(?:ปี|พ\.?ศ\.?|ค\.?ศ\.?)?\s*(?P<y>(?:25|20)\d{2}|\d{2})(?![\d/]))?", re.I)
_RELATIVE_MONTH = (
    (re.compile(r"เดือน(?:ที่แล้ว|ก่อน|ที่ผ่านมา|ล่าสุดที่ปิด)|last month|previous month"), -1),
    (re.compile(r"เดือน(?:หน้า|ถัดไป)|next month"), 1),
    (re.compile(r"เดือนนี้|this month|เดือนปัจจุบัน"), 0),
)


def _shift_month(d: date, k: int) -> tuple[int, int]:
    n = d.year * 12 + d.month - 1 + k
    return n // 12, n % 12 + 1


def month(text: str, today: date) -> dict[str, Any]:
    """A month ("YYYY-MM"): this/last/next month, a Thai or English month name with an
    optional 2- or 4-digit BE/CE year ("ก.พ.67", "ตุลา 66"); without a year, its latest
    occurrence not after today. The month named first is the one meant ("สิงหาคม 69 เพิ่มขึ้น
    จากเดือนก่อนไหม" is August)."""
    relative = min(((m.start(), k) for pattern, k in _RELATIVE_MONTH if (m := pattern.search(text))), default=None)
    named = _named_month(text, today, before=relative[0] if relative else len(text))
    if named:
        return named
    if relative:
        y, m = _shift_month(today, relative[1])
        return {"month": f"{y:04d}-{m:02d}", "month_relative": relative[1]}
    return {}


def _named_month(text: str, today: date, before: int) -> dict[str, Any]:
    """The first month named by its name before position `before`."""
    for mt in _MONTH_NAME.finditer(text, 0, before):
        token = mt.group(0)
        num = next(int(k[1:]) for k, v in mt.groupdict().items() if v and k.startswith("m"))
        # ต.ค./พ.ค. are month abbreviations, but "ต." alone is a sub-district prefix: need both dots
        # or a year when written with one letter pair.
        if re.fullmatch(r"[ก-๙]\.?[ก-๙]\.?", token) and not (token.count(".") == 2 or mt["y"]):
            continue
        if re.fullmatch(r"(?:may|mar|jun)", token, re.I) and not mt["y"]:
            continue
        if mt["y"]:
            y = _ce_year(int(mt["y"]), today)
        else:
            y = today.year if num <= today.month else today.year - 1
        return {"month": f"{y:04d}-{num:02d}"}
    return {}


_EDGE = re.compile(r"(สิ้น|ปลาย|ท้าย|ต้น)\s*(เดือน|ปี)\s*(นี้|หน้า)?|(end|start) of (?:the |this |next )?(month|year)")
_IN_DAYS = re.compile(r"(?:อีก|ในอีก)\s*(\d{1,3})\s*(วัน|สัปดาห์|อาทิตย์|เดือน)")


def month_edge(text: str, today: date) -> date | None:
    """The first or last day of this or next month or year ("สิ้นเดือนนี้", "ต้นเดือนหน้า",
    "ปลายปีนี้", "end of month"); None when the text names none."""
    m = _EDGE.search(text)
    if m is None:
        return None
    end = (m[1] or m[4]) not in ("ต้น", "start")
    unit = m[2] or m[5]
    following = m[3] == "หน้า" or "next" in m[0]
    if unit in ("ปี", "year"):
        y = today.year + following
        return date(y, 12, 31) if end else date(y, 1, 1)
    y, mo = _shift_month(today, 1 if following else 0)
    return date(y, mo, calendar.monthrange(y, mo)[1]) if end else date(y, mo, 1)


def relative_date(text: str, today: date) -> dict[str, Any]:
    """Relative dates: สิ้นเดือนนี้, ต้นเดือนหน้า, สิ้นปี, อีก 7 วัน, สัปดาห์หน้า, วันนี้, พรุ่งนี้, เมื่อวาน."""
    if edge := month_edge(text, today):
        return {"date": edge}
    if m := _IN_DAYS.search(text):
        n = int(m[1])
        days = {"วัน": 1, "สัปดาห์": 7, "อาทิตย์": 7}.get(m[2])
        if days:
            return {"date": today + timedelta(days=n * days)}
        y, mo = _shift_month(today, n)
        return {"date": date(y, mo, min(today.day, calendar.monthrange(y, mo)[1]))}
    if re.search(r"(?:สัปดาห์|อาทิตย์)หน้า|next week", text):
        return {"date": today + timedelta(days=7)}
    for word, days in _RELATIVE.items():
        if word in text:
            return {"date": today + timedelta(days=days)}
    return {}


_EXPIRY = re.compile(r"(?:หมดอายุ|หมด|exp(?:ire[sd]?|iry)?\.?|ถึง(?:วันที่)?|ใช้ได้ถึง|valid until)\s*:?\s*(.{0,30})", re.I)


def expiry(text: str, today: date) -> dict[str, Any]:
    """The expiry of a standard ("หมดอายุ 31/12/2569", "exp 12/2570" = end of that month)."""
    m = _EXPIRY.search(text)
    if not m:
        return {}
    tail = m[1]
    found = when(tail, today) or relative_date(tail, today)
    if found:
        return {"expiry": found["date"]}
    mm = re.match(r"\s*(\d{1,2})\s*/\s*(\d{4}|\d{2})(?!\d)", tail)
    if mm and 1 <= int(mm[1]) <= 12:
        y = _ce_year(int(mm[2]), today)
        return {"expiry": date(y, int(mm[1]), calendar.monthrange(y, int(mm[1]))[1])}
    mo = month(tail, today)
    if mo:
        y, n = map(int, mo["month"].split("-"))
        return {"expiry": date(y, n, calendar.monthrange(y, n)[1])}
    return {}
