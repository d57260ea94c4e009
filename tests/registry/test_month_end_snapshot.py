"""The clock takes the month-end completeness snapshot itself, once per month."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from bot.remind import snapshot_if_due
from models import CompletenessSnapshot, unit_of_work
from registry.snapshots import month_end_due
from tests.registry import factories as f

UTC = timezone.utc


@pytest.mark.parametrize(
    "utc,month",
    [("2026-11-30T16:30", "2026-11-01"),  # 23:30 Bangkok on the last day
     ("2026-11-30T23:59", "2026-11-01"),  # 06:59 on the 1st: still due for November
     ("2026-11-30T15:59", None),  # 22:59 on the last day: not yet
     ("2026-12-01T01:00", None),  # 08:00 on the 1st: too late, counts have moved
     ("2026-11-15T16:30", None)],  # 23:30 mid-month
)
def test_when_the_snapshot_is_due(db, utc, month):
    with db() as s:
        due = month_end_due(s, datetime.fromisoformat(utc).replace(tzinfo=UTC))
    assert due == (date.fromisoformat(month) if month else None)


def test_clock_takes_it_once(db):
    with unit_of_work(db) as s:
        f.producer(s, "5001", products=2)
    night = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    said: list[str] = []
    assert snapshot_if_due(db, night, said.append) is True
    assert snapshot_if_due(db, night, said.append) is False
    with db() as s:
        months = set(s.scalars(select(CompletenessSnapshot.month)))
        rows = s.scalar(select(func.count()).select_from(CompletenessSnapshot))
    assert months == {date(2026, 11, 1)} and rows > 0 and len(said) == 1
