"""Completeness targets per district and their progress over the month-end snapshots.

A province officer sets "district D reaches P % by date X" (`set_target`); the weekly
digest and the monthly league table show each district's rate now, the gap to its target
and the trend over the stored month-end snapshots (`progress_lines`).

The measured rate (`all_fields_rate`) is the share of all field checks of producer and
product records that are satisfied, ★ or not: the ★ fields alone are nearly complete
everywhere, while photos and standards are the real gaps a target should move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CompletenessSnapshot, CompletenessTarget
from registry import thai_dates
from registry.completeness import AreaCompleteness, area_counts
from registry.snapshots import snapshot_counts

TREND_MONTHS = 3
TEXTS = {
    "measure": "ความครบถ้วนทุกช่อง (ผู้ผลิตและผลิตภัณฑ์)",
    "progress": "เป้าหมาย {target}% ภายใน {due}: ตอนนี้ {rate} {state}",
    "gap": "(ขาดอีก {points} จุด เหลือ {days} วัน)",
    "gap_late": "(ขาดอีก {points} จุด เลยกำหนดแล้ว)",
    "reached": "(ถึงเป้าแล้ว)",
    "trend": "แนวโน้มสิ้นเดือน: {points}",
    "trend_point": "{month} {rate}",
    "trend_now": "ตอนนี้ {rate}",
    "no_trend": "ยังไม่มีข้อมูลสิ้นเดือนให้ดูแนวโน้มค่ะ",
}


@dataclass(frozen=True)
class Progress:
    target: CompletenessTarget | None
    rate: float
    trend: list[tuple[date, float]]  # (month, rate) of the last stored month-end snapshots, oldest first


def all_fields_rate(counts: AreaCompleteness) -> float:
    """Share of producer and product field checks (records × fields) that are satisfied."""
    fields = [f for f in counts.fields if f.dataset in ("producers", "products")]
    checks = sum(f.total for f in fields)
    return 1.0 if not checks else 1 - sum(f.incomplete for f in fields) / checks


def set_target(session: Session, district_code: str, percent: int, due_on: date, set_by: str,
               now: datetime | None = None) -> CompletenessTarget:
    """Record a district's target (the newest one is in force); the caller commits."""
    target = CompletenessTarget(district_code=district_code, percent=percent, due_on=due_on, set_by=set_by)
    if now is not None:
        target.set_at = now
    session.add(target)
    session.flush()
    return target


def target_for(session: Session, district_code: str) -> CompletenessTarget | None:
    return session.scalars(select(CompletenessTarget).where(CompletenessTarget.district_code == district_code)
                           .order_by(CompletenessTarget.id.desc()).limit(1)).first()


def trend(session: Session, area_code: str, today: date, months: int = TREND_MONTHS) -> list[tuple[date, float]]:
    """The rate at the last `months` stored month-ends before today's month, oldest first."""
    stored = session.scalars(select(CompletenessSnapshot.month).where(
        CompletenessSnapshot.area_code == area_code, CompletenessSnapshot.month < today.replace(day=1))
        .distinct().order_by(CompletenessSnapshot.month.desc()).limit(months)).all()
    out = []
    for month in sorted(stored):
        counts = snapshot_counts(session, month, area_code)
        if counts is not None:
            out.append((month, all_fields_rate(counts)))
    return out


def progress(session: Session, district_code: str, today: date, counts: AreaCompleteness | None = None) -> Progress:
    counts = counts or area_counts(session, district_code)
    return Progress(target_for(session, district_code), all_fields_rate(counts), trend(session, district_code, today))


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def progress_lines(p: Progress, today: date) -> list[str]:
    """Thai lines: the target and the gap to it (when one is set), and the trend."""
    lines = []
    if p.target is not None:
        gap = p.target.percent / 100 - p.rate
        if gap <= 0:
            state = TEXTS["reached"]
        elif p.target.due_on < today:
            state = TEXTS["gap_late"].format(points=f"{gap * 100:.1f}")
        else:
            state = TEXTS["gap"].format(points=f"{gap * 100:.1f}", days=(p.target.due_on - today).days)
        lines.append(TEXTS["progress"].format(target=p.target.percent, due=thai_dates.short_date(p.target.due_on),
                                              rate=_pct(p.rate), state=state))
    points = [TEXTS["trend_point"].format(month=thai_dates.month_year(m, short=True), rate=_pct(r)) for m, r in p.trend]
    if points:
        lines.append(TEXTS["trend"].format(points=" → ".join([*points, TEXTS["trend_now"].format(rate=_pct(p.rate))])))
    else:
        lines.append(TEXTS["no_trend"])
    return lines
