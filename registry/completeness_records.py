"""The records behind a completeness number: which records miss which fields, most-missing
first, and the issues of given records. Part of the completeness layer (its rules live in
registry.completeness, which re-exports everything here)."""

from __future__ import annotations

import functools

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from registry.cache import cached
from registry.completeness import (
    DATASETS,
    RULE_BY_KEY,
    SPECS,
    FieldIssue,
    FieldRule,
    area_filter,
    rules_for,
)


@dataclass
class MissingRecord:
    dataset: str
    record_id: int
    code: str
    name: str | None
    district_code: str
    issues: list[FieldIssue] = field(default_factory=list)


@dataclass
class RecordPage:
    total: int
    page: int
    page_size: int
    items: list[MissingRecord]


def _issue_count(rules: Sequence[FieldRule]) -> ColumnElement[int]:
    expr = None
    for r in rules:
        term = case((r.issue, 1), else_=0)
        expr = term if expr is None else expr + term
    return expr if expr is not None else literal(0)


@cached("completeness.records_missing")
def records_missing(
    session: Session, field_key: str | None, area_code: str | None, page: int = 1,
    page_size: int = 20, dataset: str | None = None,
) -> RecordPage:
    """The counted records of an area that miss `field_key` (or any field when None),
    most-incomplete first (issue count desc, then code); `page` starts at 1."""
    if field_key is not None:
        datasets = [RULE_BY_KEY[field_key].dataset]
    else:
        datasets = [dataset] if dataset else list(DATASETS)
    parts = []
    for name in datasets:
        spec = SPECS[name]
        t = spec.table
        n = _issue_count(rules_for(name))
        cond = RULE_BY_KEY[field_key].issue if field_key else n > 0
        parts.append(
            select(literal(name).label("dataset"), t.c.id.label("record_id"), t.c.code.label("code"),
                   t.c.name.label("name"), t.c.district_code.label("district_code"), n.label("n"))
            .select_from(spec.from_).where(spec.active, area_filter(t, area_code), cond))
    sub = (parts[0] if len(parts) == 1 else parts[0].union_all(*parts[1:])).subquery()
    total = session.scalar(select(func.count()).select_from(sub)) or 0
    rows = session.execute(
        select(sub).order_by(sub.c.n.desc(), sub.c.code, sub.c.dataset)
        .offset(max(page - 1, 0) * page_size).limit(page_size)).all()
    items = [MissingRecord(r.dataset, r.record_id, r.code, r.name, r.district_code) for r in rows]
    for name in datasets:
        ids = [i.record_id for i in items if i.dataset == name]
        flags = _issues(session, name, ids)
        for item in items:
            if item.dataset == name:
                item.issues = flags.get(item.record_id, [])
    return RecordPage(total, page, page_size, items)


def issue_columns(dataset: str) -> list[ColumnElement[int]]:
    """The columns that flag each rule of `dataset` as missing / invalid, labelled
    `<dataset>_m<i>` / `<dataset>_i<i>`: to add to any statement over the dataset's table
    (`read_issues` turns a row of them into the record's issues)."""
    cols: list[ColumnElement[int]] = []
    for i, r in enumerate(rules_for(dataset)):
        cols.append(case((r.missing, 1), else_=0).label(f"{dataset}_m{i}"))
        cols.append((case((r.invalid, 1), else_=0) if r.invalid is not None else literal(0)).label(f"{dataset}_i{i}"))
    return cols


def read_issues(row: Any, dataset: str) -> list[FieldIssue]:
    """The issues flagged by `issue_columns(dataset)` in a result row (★ first)."""
    issues = []
    for missing_col, invalid_col, missing, invalid in _flags(dataset):
        if getattr(row, missing_col):
            issues.append(missing)
        elif getattr(row, invalid_col):
            issues.append(invalid)
    return issues


@functools.lru_cache(maxsize=None)
def _flags(dataset: str) -> tuple[tuple[str, str, FieldIssue, FieldIssue], ...]:
    """Per rule of `dataset`, in `issue_columns` order: its two column labels and the issue
    each flags (built once: the rules are constants, issues are frozen and shared)."""
    return tuple((f"{dataset}_m{i}", f"{dataset}_i{i}", FieldIssue(r.key, r.label_th, r.starred, "missing"),
                  FieldIssue(r.key, r.label_th, r.starred, "invalid")) for i, r in enumerate(rules_for(dataset)))


def _issues(session: Session, dataset: str, ids: Sequence[int]) -> dict[int, list[FieldIssue]]:
    if not ids:
        return {}
    spec = SPECS[dataset]
    stmt = select(spec.table.c.id, *issue_columns(dataset)).select_from(spec.from_).where(spec.table.c.id.in_(ids))
    return {row.id: read_issues(row, dataset) for row in session.execute(stmt)}


def issues_for_records(session: Session, dataset: str, ids: Sequence[int]) -> dict[int, list[FieldIssue]]:
    """`issues_for_record` for many records in one query (record id -> issues; complete
    records map to [])."""
    return _issues(session, dataset, list(ids))


def issues_for_record(session: Session, dataset: str, record_id: int) -> list[FieldIssue]:
    """The incomplete fields of one record (★ first), whatever its status."""
    return _issues(session, dataset, [record_id]).get(record_id, [])


# Snapshots live in registry.snapshots (which builds on this module); these forwarders let
# callers find the whole query layer here.
