"""Reminders to officers: the district's weekly digest, the province's monthly league table
of its districts, and an alert when a request waits past its deadline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import literal, or_, select
from sqlalchemy.orm import Session

from models import Role
from registry import gazetteer, targets, thai_dates
from registry.completeness import (DATASETS, SPECS, AreaCompleteness, FieldIssue, area_counts, area_filter,
                                   child_area_counts, issues_for_records, rules_for)
from registry.reminders.base import (Button, Plan, ReminderConfig, existing_keys, local_date, month_label, officers_by_area,
                                     pct, signed_points, week_label)
from registry.reminders.texts import TEXTS
from registry.snapshots import previous_snapshot
from registry.workflows import KIND_LABELS, STEP_LABELS, overdue_requests, pending_requests

MAX_PENDING_LINES = 10
MAX_NEWLY_LINES = 10


@dataclass(frozen=True)
class NewlyIncomplete:
    dataset: str
    record_id: int
    code: str
    name: str | None
    issues: list[FieldIssue]


def newly_incomplete(session: Session, area_code: str, since: datetime) -> list[NewlyIncomplete]:
    """Counted records of an area added or changed since `since` that are incomplete now.

    (The registry keeps no per-record completeness history: a record edited this week that
    was already incomplete before is listed too; see docs/REMINDERS.md.)"""
    out: list[NewlyIncomplete] = []
    for name in DATASETS:
        spec, t = SPECS[name], SPECS[name].table
        any_issue = or_(*[r.issue for r in rules_for(name)])
        rows = session.execute(
            select(literal(name), t.c.id, t.c.code, t.c.name).select_from(spec.from_)
            .where(spec.active, area_filter(t, area_code), any_issue,
                   or_(t.c.created_at >= since, t.c.updated_at >= since))
            .order_by(t.c.code)).all()
        flags = issues_for_records(session, name, [r.id for r in rows])
        out += [NewlyIncomplete(name, r.id, r.code, r.name, flags.get(r.id, [])) for r in rows]
    return out


def _rate_lines(now_counts: AreaCompleteness, before: AreaCompleteness | None) -> list[str]:
    records = sum(d.total for k, d in now_counts.datasets.items() if k != "chuanchim")
    lines = [TEXTS["digest_rate"].format(rate=pct(now_counts.starred_rate), records=f"{records:,}"),
             TEXTS["digest_rate_all"].format(rate=pct(targets.all_fields_rate(now_counts)))]
    if before is None:
        lines.append(TEXTS["digest_no_change_base"])
    else:
        lines.append(TEXTS["digest_change"].format(change=signed_points(now_counts.starred_rate - before.starred_rate)))
    return lines


def district_digest_text(session: Session, district: str, now: datetime) -> str:
    """The weekly digest of one district: pending requests and their age, completeness and
    its change since the last month-end snapshot, records newly gone incomplete."""
    place = gazetteer.by_code(district)
    today = local_date(now)
    lines = [TEXTS["digest_title"].format(area=place.name_th if place else district,
                                          week=thai_dates.iso_week_range(today)), ""]
    pending = pending_requests(session, district, now=now)
    if pending:
        lines.append(TEXTS["digest_pending"].format(n=len(pending)))
        for r in pending[:MAX_PENDING_LINES]:
            lines.append(TEXTS["digest_pending_line"].format(id=r.request_id, kind=KIND_LABELS.get(r.kind, r.kind),
                                                             producer=r.producer_name or r.producer_code,
                                                             days=r.days_at_step))
        if len(pending) > MAX_PENDING_LINES:
            lines.append(TEXTS["digest_pending_more"].format(n=len(pending) - MAX_PENDING_LINES))
    else:
        lines.append(TEXTS["digest_none_pending"])
    lines.append("")
    counts = area_counts(session, district)
    lines += _rate_lines(counts, previous_snapshot(session, today, district))
    lines += targets.progress_lines(targets.progress(session, district, today, counts), today)
    lines.append("")
    newly = newly_incomplete(session, district, now - timedelta(days=7))
    if newly:
        lines.append(TEXTS["digest_newly"].format(verb=TEXTS["digest_newly_verb"], n=len(newly)))
        for rec in newly[:MAX_NEWLY_LINES]:
            fields = ", ".join(i.label_th for i in rec.issues)
            lines.append(TEXTS["digest_newly_line"].format(code=rec.code, name=rec.name or "", fields=fields))
        if len(newly) > MAX_NEWLY_LINES:
            lines.append(TEXTS["digest_pending_more"].format(n=len(newly) - MAX_NEWLY_LINES))
    else:
        lines.append(TEXTS["digest_newly_none"])
    return "\n".join(lines)


def district_digest_plans(session: Session, now: datetime, config: ReminderConfig) -> list[Plan]:
    """From the digest weekday on, once per ISO week, to each district's reachable officers."""
    if local_date(now).weekday() < config.digest_weekday:
        return []
    officers = officers_by_area(session, Role.DISTRICT)
    keys = {d: f"digest:weekly:{d}:{week_label(now)}" for d in officers}
    done = existing_keys(session, list(keys.values()))
    return [
        Plan("digest", tuple(ids), keys[d], district_digest_text(session, d, now),
             (Button(TEXTS["btn_pending"], "officer.pending_requests"),
              Button(TEXTS["btn_incomplete"], "officer.incomplete", {"district_code": d})))
        for d, ids in sorted(officers.items()) if keys[d] not in done
    ]


def province_league_text(session: Session, province: str, now: datetime, config: ReminderConfig) -> str:
    """Districts of a province ranked by ★ completeness, with the change over the last month
    (against the snapshot before last month's), pending and overdue requests."""
    today = local_date(now)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    pending = Counter(r.district_code for r in pending_requests(session, province, now=now))
    overdue = Counter(r.district_code for r in overdue_requests(session, older_than_days=config.overdue_days,
                                                                 area_code=province, now=now))
    rows, empty = [], 0
    for district in child_area_counts(session, province):
        if not any(d.total for d in district.datasets.values()):
            empty += 1
            continue
        before = previous_snapshot(session, last_month, district.area_code)
        change = f" ({signed_points(district.starred_rate - before.starred_rate)})" if before else ""
        rows.append((district.starred_rate, district.area_name or district.area_code or "", change,
                     district.area_code or "", district))
    rows.sort(key=lambda r: (-r[0], r[3]))
    place = gazetteer.by_code(province)
    lines = [TEXTS["league_title"].format(area=place.name_th if place else province,
                                          month=thai_dates.month_year(today)), ""]
    for rank, (rate, name, change, code, counts) in enumerate(rows, 1):
        late = TEXTS["league_overdue"].format(n=overdue[code]) if overdue[code] else ""
        lines.append(TEXTS["league_line"].format(rank=rank, name=name, rate=pct(rate), change=change,
                                                 pending=pending[code], overdue=late))
        lines += ["   " + line for line in targets.progress_lines(targets.progress(session, code, today, counts), today)]
    if empty:
        lines += ["", TEXTS["league_footer"].format(n=empty)]
    return "\n".join(lines)


def province_league_plans(session: Session, now: datetime, config: ReminderConfig) -> list[Plan]:
    """From the league day on, once per month, to each province's reachable officers."""
    if local_date(now).day < config.league_day:
        return []
    officers = officers_by_area(session, Role.PROVINCE)
    keys = {p: f"league:monthly:{p}:{month_label(now)}" for p in officers}
    done = existing_keys(session, list(keys.values()))
    return [
        Plan("league", tuple(ids), keys[p], province_league_text(session, p, now, config),
             (Button(TEXTS["btn_pending"], "officer.pending_requests"),))
        for p, ids in sorted(officers.items()) if keys[p] not in done
    ]


def overdue_plans(session: Session, now: datetime, config: ReminderConfig) -> list[Plan]:
    """One alert per request and step once it has waited more than `overdue_days`: to the
    acting district's officers, or the province's when the district has none reachable."""
    late = overdue_requests(session, older_than_days=config.overdue_days, now=now)
    if not late:
        return []
    districts = officers_by_area(session, Role.DISTRICT)
    provinces = officers_by_area(session, Role.PROVINCE)
    keys = [f"overdue:{r.request_id}:{r.step}:{r.step_since:%Y%m%d}" for r in late]
    done = existing_keys(session, keys)
    plans = []
    for r, key in zip(late, keys, strict=True):
        ids = districts.get(r.district_code) or provinces.get(r.province_code)
        if not ids or key in done:
            continue
        text = "\n".join([TEXTS["overdue_title"].format(
            id=r.request_id, kind=KIND_LABELS.get(r.kind, r.kind), producer=r.producer_name or r.producer_code,
            step=STEP_LABELS.get(r.step, r.step), days=r.days_at_step, limit=config.overdue_days),
            TEXTS["overdue_footer"]])
        plans.append(Plan("overdue", tuple(ids), key, text,
                          (Button(TEXTS["btn_request"], "request.view", {"request_id": str(r.request_id)}),)))
    return plans
