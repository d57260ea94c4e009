"""Dates as users say them, beyond what the NLU reads: month ends and starts ("สิ้นเดือนนี้",
"ต้นเดือนหน้า", "สิ้นปีนี้"), and examples for prompts that are never in the past."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from nlu.dates import be_year
from registry.ids import BE_OFFSET, arabic_digits, format_date_th
from registry.thai_dates import MONTHS

T = {
    "no_month": "ไม่มีเดือนที่ {month} ค่ะ (เดือนมี 1 ถึง 12)",
    "no_day": "เดือน{month} {year} มีถึงวันที่ {last} เท่านั้นค่ะ",
    "no_year": "ปี {year} ไม่ใช่ปี พ.ศ. ที่ใช้ได้ค่ะ",
}
PLAUSIBLE_CE = (1900, 2299)  # a year typed outside these (once read as BE or CE) is not one anybody means
_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?!\d)")

_DAYS = {"วันนี้": 0, "พรุ่งนี้": 1, "มะรืนนี้": 2, "มะรืน": 2, "เมื่อวาน": -1, "เมื่อวานนี้": -1}


def relative_date(text: str, today: date) -> date | None:
    """"สิ้นเดือนนี้" -> the month's last day, "ต้นเดือนหน้า" -> the 1st of next month, "สิ้นปีนี้"
    -> 31 December, "พรุ่งนี้" / "เมื่อวาน"; None for anything else."""
    t = "".join((text or "").split())
    for word in sorted(_DAYS, key=len, reverse=True):
        if t.startswith(word) and len(t) <= len(word) + 4:
            return today + timedelta(days=_DAYS[word])
    from nlu.dates import month_edge

    return month_edge(t, today)


def example(today: date, days: int = 30) -> str:
    """A date `days` from today in the Thai short form (15/1/2570): examples are never past."""
    return format_date_th(today + timedelta(days=days))


def impossible(text: str) -> str | None:
    """Why a date typed as day/month/year does not exist ("31/2/2570": February has 28 days,
    "15/13/2569": no 13th month, "31/6/1500": no such year), in Thai; None when it is not such
    a date or it exists. Said before the usual "wrong date" answer, so the user sees what to
    fix. The year is read as the NLU reads it (`nlu.dates.be_year`)."""
    found = _DMY.search(arabic_digits(text or ""))
    if found is None:
        return None
    day, month, year = int(found[1]), int(found[2]), int(found[3])
    if not 1 <= month <= 12:
        return T["no_month"].format(month=month)
    be = be_year(year)
    if not PLAUSIBLE_CE[0] <= be - BE_OFFSET <= PLAUSIBLE_CE[1]:
        return T["no_year"].format(year=found[3])
    last = calendar.monthrange(be - BE_OFFSET, month)[1]
    if day > last:
        return T["no_day"].format(month=MONTHS[month - 1], year=be, last=last)
    return None


def refused(text: str, reason: str) -> str:
    """`reason` (the form's wrong-date answer), after why the date does not exist when it does not."""
    why = impossible(text)
    return f"{why} {reason}" if why else reason
