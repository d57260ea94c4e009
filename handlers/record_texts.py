"""How a record's problems read on a card, for officers and producers alike: a missing field,
an invalid one (present but wrong) and an expired standard are each worded and marked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from registry.completeness import FieldIssue
from registry.ids import format_date_th

T = {
    "missing": "❗ยังขาด: {fields}",
    "invalid": "⚠️ไม่ถูกต้อง: {fields}",
    "expired": "⏰มาตรฐานหมดอายุแล้ว: {standards}",
    "complete": "✅ข้อมูลครบทุกช่องแล้ว",
    "standard": "{scheme} {number}",
    "until": " (หมดอายุ {date})",
    "expired_on": " (หมดอายุแล้ว {date})",
    "invalid_value": "{value} (ไม่ถูกต้อง)",
    "star": "★",
}


def issue_lines(issues: Sequence[FieldIssue], standards: Iterable[Any] = (), today: date | None = None) -> list[str]:
    """One line for missing fields, one for invalid ones, one for expired standards (★ first)."""
    missing = [i for i in issues if i.kind == "missing"]
    invalid = [i for i in issues if i.kind == "invalid"]
    expired = [s for s in standards if is_expired(s, today)]
    lines = []
    if missing:
        lines.append(T["missing"].format(fields=_fields(missing)))
    if invalid:
        lines.append(T["invalid"].format(fields=_fields(invalid)))
    if expired:
        lines.append(T["expired"].format(standards=", ".join(standard_text(s, today) for s in expired)))
    return lines or [T["complete"]]


def _fields(issues: Sequence[FieldIssue]) -> str:
    ordered = sorted(issues, key=lambda i: not i.starred)
    return ", ".join((T["star"] if i.starred else "") + i.label_th for i in ordered)


def is_expired(standard: Any, today: date | None) -> bool:
    return bool(standard.expires_on and standard.expires_on < (today or date.today()))


def standard_text(standard: Any, today: date | None = None) -> str:
    """มผช. 123/2565 (หมดอายุ 1/3/2570), or (หมดอายุแล้ว ...) when past."""
    text = T["standard"].format(scheme=standard.scheme, number=standard.number)
    if standard.expires_on:
        key = "expired_on" if is_expired(standard, today) else "until"
        text += T[key].format(date=format_date_th(standard.expires_on))
    return text


def value_text(value: str, valid: bool | None) -> str:  # validity None = not checked: not trusted
    """A shown value, flagged when it is present but wrong (a national ID failing its check)."""
    return T["invalid_value"].format(value=value) if value and value != "-" and valid is not True else value
