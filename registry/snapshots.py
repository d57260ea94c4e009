"""Month-end completeness snapshots, for "change since last month".

`take_snapshot` stores, for the nation (area ""), every province and every district, one
row per completeness field (total, missing, invalid) and one row per dataset
(`_records.<dataset>`: total records, records with a ★ field missing or invalid). Taking the
snapshot of a month again replaces it. The caller commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from models import CompletenessSnapshot, utcnow
from registry import gazetteer
from registry.area_parts import add_counts
from registry.cache import cached
from registry.completeness import AreaCompleteness, DatasetCount, FieldCount, RULE_BY_KEY, child_area_counts, copy_counts

RECORDS_PREFIX = "_records."


def month_start(d: date) -> date:
    return d.replace(day=1)


def _rows(month: date, area: AreaCompleteness, code: str) -> list[dict]:  # type: ignore[type-arg]
    at = utcnow()
    rows = [dict(month=month, area_code=code, field=f.key, total=f.total, missing=f.missing,
                 invalid=f.invalid, taken_at=at) for f in area.fields]
    rows += [dict(month=month, area_code=code, field=RECORDS_PREFIX + d.dataset, total=d.total,
                  missing=d.starred_incomplete, invalid=0, taken_at=at) for d in area.datasets.values()]
    return rows


def take_snapshot(session: Session, month: date) -> int:
    """Store the current counts as the snapshot of `month` (any day of it). Returns rows written.

    Districts are counted in one grouped query per province; provinces and the nation are
    sums of their districts, so the three levels always agree.
    """
    month = month_start(month)
    session.execute(delete(CompletenessSnapshot).where(CompletenessSnapshot.month == month))
    nation = AreaCompleteness(None, None)
    rows: list[dict] = []  # type: ignore[type-arg]
    for province in gazetteer.provinces():
        prov = AreaCompleteness(province.code, province.name_th)
        for district in child_area_counts(session, province.code):
            add_counts(prov, district)
            if any(d.total for d in district.datasets.values()):
                rows += _rows(month, district, district.area_code or "")
        add_counts(nation, prov)
        if any(d.total for d in prov.datasets.values()):
            rows += _rows(month, prov, province.code)
    rows += _rows(month, nation, "")
    session.execute(insert(CompletenessSnapshot), rows)
    return len(rows)


def _copy(counts: AreaCompleteness | None) -> AreaCompleteness | None:
    return None if counts is None else copy_counts(counts)


@cached("snapshots.snapshot_counts", area=None, copy=_copy)
def snapshot_counts(session: Session, month: date, area_code: str | None = None) -> AreaCompleteness | None:
    """The stored snapshot of `month` for an area, in the shape `area_counts` returns; None
    when no snapshot of that month exists (an area without records reads as all zeros)."""
    month = month_start(month)
    if session.scalar(select(func.count()).where(CompletenessSnapshot.month == month)) == 0:
        return None
    code = area_code or ""
    rows = session.scalars(select(CompletenessSnapshot).where(
        CompletenessSnapshot.month == month, CompletenessSnapshot.area_code == code)).all()
    place = gazetteer.by_code(code) if code else None
    result = AreaCompleteness(code or None, place.name_th if place else None)
    by_field = {r.field: r for r in rows}
    for key, rule in RULE_BY_KEY.items():
        r = by_field.get(key)
        result.fields.append(FieldCount(key, rule.label_th, rule.dataset, rule.starred,
                                        r.total if r else 0, r.missing if r else 0, r.invalid if r else 0))
    for ds in ("producers", "products", "chuanchim"):
        r = by_field.get(RECORDS_PREFIX + ds)
        result.datasets[ds] = DatasetCount(ds, r.total if r else 0, r.missing if r else 0)
    return result


@cached("snapshots.previous_month", area=None, copy=False)
def previous_month(session: Session, before: date) -> date | None:
    """The latest month earlier than `before`'s month that has a snapshot, or None."""
    return session.scalar(select(func.max(CompletenessSnapshot.month))
                          .where(CompletenessSnapshot.month < month_start(before)))


@cached("snapshots.previous_snapshot", area=None, copy=_copy)
def previous_snapshot(session: Session, before: date, area_code: str | None = None) -> AreaCompleteness | None:
    """The latest snapshot of a month earlier than `before`'s month (`previous_month`), or None."""
    month = previous_month(session, before)
    return snapshot_counts(session, month, area_code) if month else None


def month_end_due(session: Session, now) -> date | None:  # type: ignore[no-untyped-def]
    """The month whose month-end snapshot should be taken now, or None.

    Due from 23:00 Bangkok on a month's last day; if the clock was down then, still due until
    08:00 on the 1st (the counts have barely moved overnight). Never twice for one month.
    """
    from datetime import timedelta

    from registry.quiet_hours import BANGKOK

    local = now.astimezone(BANGKOK)
    today = local.date()
    if (today + timedelta(days=1)).day == 1 and local.hour >= 23:
        month = month_start(today)
    elif today.day == 1 and local.hour < 8:
        month = month_start(today - timedelta(days=1))
    else:
        return None
    taken = session.scalar(select(CompletenessSnapshot.id).where(CompletenessSnapshot.month == month).limit(1))
    return None if taken is not None else month
