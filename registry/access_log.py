"""Recording and reading the access log (`models.AccessEntry`, PDPA): who saw which record's
personal fields, which lists of them, which files holding them were downloaded or refused.

Chat handlers call `record` in the event's transaction (the caller commits); the web writes
its entries in a short transaction of its own, so a refused download is logged although
nothing else is written. Entries are never updated; `python -m bot access-log` and the
province officer's "ใครดูข้อมูล" in chat read them through `entries` / `viewers`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AccessEntry, utcnow

CHANNELS = ("chat", "web", "cli")
ACTIONS = ("record", "list", "search", "download")
MAX_IDS = 200  # ids kept per entry (a page of a list holds 10)


def record(session: Session, *, user_id: str, role: object, channel: str, action: str, what: str,
           ids: Iterable[int] = (), area: str | None = None, outcome: str = "ok",
           at: datetime | None = None) -> AccessEntry:
    """Add one entry to the session (flushed with the caller's transaction)."""
    if channel not in CHANNELS or action not in ACTIONS:
        raise ValueError(f"unknown channel/action {channel!r}/{action!r}")
    listed = [str(int(i)) for i in ids][:MAX_IDS]
    entry = AccessEntry(at=at or utcnow(), user_id=(user_id or "anonymous")[:100],
                        role=getattr(role, "value", role) if role is not None else None, channel=channel,
                        action=action, what=what[:60], record_ids=",".join(listed) or None,
                        area_code=area or None, outcome=outcome[:40])
    session.add(entry)
    return entry


def _area_filter(stmt, area: str | None):  # type: ignore[no-untyped-def]
    """Entries about `area` or anything inside it (codes nest by prefix); None = all."""
    if not area:
        return stmt
    return stmt.where(AccessEntry.area_code.like(f"{area}%"))


def entries(session: Session, *, since: datetime | None = None, area: str | None = None,
            user_id: str | None = None, limit: int = 1000) -> list[AccessEntry]:
    """Newest first: entries since a time, about an area (prefix), by a user."""
    stmt = select(AccessEntry)
    if since is not None:
        stmt = stmt.where(AccessEntry.at >= since)
    if user_id:
        stmt = stmt.where(AccessEntry.user_id == user_id)
    stmt = _area_filter(stmt, area)
    return list(session.scalars(stmt.order_by(AccessEntry.at.desc(), AccessEntry.id.desc()).limit(limit)))


@dataclass(frozen=True)
class Viewer:
    """One person's views of an area's personal data over a period."""

    user_id: str
    role: str | None
    views: int
    refused: int
    last: datetime


def viewers(session: Session, area: str | None, since: datetime) -> list[Viewer]:
    """Who looked at (or tried to download) records of the area since a time, most active first."""
    refused = func.sum(func.cast(AccessEntry.outcome != "ok", AccessEntry.id.type))
    stmt = _area_filter(select(AccessEntry.user_id, func.max(AccessEntry.role), func.count(), refused,
                               func.max(AccessEntry.at)).where(AccessEntry.at >= since), area)
    rows = session.execute(stmt.group_by(AccessEntry.user_id).order_by(func.count().desc(), AccessEntry.user_id))
    return [Viewer(uid, role, n, int(bad or 0), last if last.tzinfo else last.replace(tzinfo=utcnow().tzinfo))
            for uid, role, n, bad, last in rows]


def as_line(e: AccessEntry) -> str:
    """One entry as a line of text (the CLI's output)."""
    ids = f" ids={e.record_ids}" if e.record_ids else ""
    return (f"{e.at.isoformat(timespec='seconds')}\t{e.channel}\t{e.user_id}\t{e.role or '-'}\t{e.action}\t"
            f"{e.what}\tarea={e.area_code or 'TH'}\t{e.outcome}{ids}")
