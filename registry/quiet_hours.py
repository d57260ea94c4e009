"""When a push may go out: never 20:00–08:00 Asia/Bangkok (delayed, not dropped)."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

BANGKOK = timezone(timedelta(hours=7))
QUIET_START = time(20, 0)
QUIET_END = time(8, 0)


def is_quiet(at: datetime) -> bool:
    local = at.astimezone(BANGKOK).time()
    return local >= QUIET_START or local < QUIET_END


def next_allowed(at: datetime) -> datetime:
    """`at` itself outside quiet hours, else the next 08:00 Bangkok time (aware, UTC)."""
    if not is_quiet(at):
        return at
    local = at.astimezone(BANGKOK)
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=BANGKOK).astimezone(timezone.utc)
