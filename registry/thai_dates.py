"""Dates as Thai readers write them: Buddhist Era years and Thai month names (one place).

Every date a user reads (chat, reports, charts, reminders) goes through here, so no
Gregorian year or ISO week ("2026-W49") reaches a person."""

from __future__ import annotations

from datetime import date, timedelta

MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
          "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
BE_OFFSET = 543


def be_year(d: date) -> int:
    return d.year + BE_OFFSET


def long_date(d: date) -> str:
    """15 มีนาคม 2569"""
    return f"{d.day} {MONTHS[d.month - 1]} {be_year(d)}"


def short_date(d: date) -> str:
    """15 มี.ค. 2569"""
    return f"{d.day} {MONTHS_SHORT[d.month - 1]} {be_year(d)}"


def month_year(d: date, short: bool = False) -> str:
    """มีนาคม 2569 (or มี.ค. 2569)"""
    return f"{(MONTHS_SHORT if short else MONTHS)[d.month - 1]} {be_year(d)}"


def date_range(first: date, last: date) -> str:
    """A span of days, its shared month and year written once: 1–7 ธ.ค. 2569,
    29 พ.ย. – 5 ธ.ค. 2569, 29 ธ.ค. 2569 – 4 ม.ค. 2570."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {MONTHS_SHORT[last.month - 1]} {be_year(last)}"
    if first.year == last.year:
        return f"{first.day} {MONTHS_SHORT[first.month - 1]} – {short_date(last)}"
    return f"{short_date(first)} – {short_date(last)}"


def iso_week_range(d: date) -> str:
    """The Monday-to-Sunday week holding `d`, as a Thai date range."""
    monday = d - timedelta(days=d.weekday())
    return date_range(monday, monday + timedelta(days=6))
