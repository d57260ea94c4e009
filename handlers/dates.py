"""Dates as users say them, beyond what the NLU reads: month ends and starts ("สิ้นเดือนนี้",
"ต้นเดือนหน้า", "สิ้นปีนี้"), and examples for prompts that are never in the past."""

from __future__ import annotations

from datetime import date, timedelta

from registry.ids import format_date_th

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
    day = today + timedelta(days=days)
    return f"{day.day}/{day.month}/{day.year + 543}"


def example_th(today: date, days: int = 30) -> str:
    return format_date_th(today + timedelta(days=days))
