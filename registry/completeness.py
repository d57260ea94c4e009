"""Completeness of the registry: the rules, as data, and the one query layer over them.

A record is *incomplete* on a field when the field is missing (blank, or no row in a list
table) or *invalid* (present but wrong: a national ID whose check digit fails, a phone that
is not a Thai number; validity is stored by `registry.values`). ★ fields come first in every
listing. Only active records count: producers with status active, active products of active
producers, active ชวนชิม shops.

Chat, reports and reminders all call the functions here (`issues_for_record`,
`area_counts`, `child_area_counts`, `records_missing`); snapshots are in
`registry.snapshots`. Functions take the caller's session and never commit.

Rates (documented choice): `AreaCompleteness.starred_rate` is the share of producer and
product records with no ★ field missing or invalid (ชวนชิม has no ★ field and is left out);
`AreaCompleteness.field_rate` is the share of all field checks satisfied (records × fields).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import (ColumnElement, FromClause, Select, Table, and_, bindparam, case, false, func, literal, or_,
                        select, true)
from sqlalchemy.orm import Session

from models import (
    ChuanchimAward,
    ChuanchimItem,
    ChuanchimPhoto,
    ChuanchimShop,
    Producer,
    Product,
    ProductPhoto,
    ProductStandard,
    RegistrationStatus,
)
from registry import gazetteer
from registry.cache import cached
from registry.labels_th import FIELD_LABELS

Dataset = Literal["producers", "products", "chuanchim"]
DATASETS: tuple[Dataset, ...] = ("producers", "products", "chuanchim")

P: Table = Producer.__table__  # type: ignore[assignment]
PR: Table = Product.__table__  # type: ignore[assignment]
C: Table = ChuanchimShop.__table__  # type: ignore[assignment]


def _blank(col) -> ColumnElement[bool]:  # type: ignore[no-untyped-def]
    return or_(col.is_(None), func.trim(col) == "")


def _none_in(child: type, fk: str, parent: Table) -> ColumnElement[bool]:
    t = child.__table__  # type: ignore[attr-defined]
    return ~select(t.c.id).where(t.c[fk] == parent.c.id).exists()


_P2 = P.alias("same_id")
# A valid national ID that another active producer record also holds (one person, one ID):
# found by the keyed hash, never by the encrypted value. One probe per counted record on the
# (national_id_hash, status) index: a single-column index let PostgreSQL AND it with the
# status index (every active producer, per probe), and an uncorrelated GROUP BY of all the
# hashes cost ~0.3-0.4 s per district count.
_DUPLICATE_ID = and_(P.c.national_id_valid.is_(True), P.c.national_id_hash.is_not(None), select(_P2.c.id).where(
    _P2.c.national_id_hash == P.c.national_id_hash, _P2.c.status == RegistrationStatus.ACTIVE.value,
    _P2.c.id != P.c.id).exists())


@dataclass(frozen=True)
class FieldRule:
    """One completeness check: missing (and, for checked values, invalid) as SQL expressions."""

    key: str
    dataset: Dataset
    starred: bool
    missing: ColumnElement[bool]
    invalid: ColumnElement[bool] | None = None

    @property
    def label_th(self) -> str:
        return FIELD_LABELS[self.key]

    @property
    def issue(self) -> ColumnElement[bool]:
        return self.missing if self.invalid is None else or_(self.missing, self.invalid)


RULES: tuple[FieldRule, ...] = (
    FieldRule("producers.producer_type", "producers", True, P.c.producer_type.is_(None)),
    # national_id is encrypted (models.pii): tested by NULL and the stored validity flag only.
    FieldRule("producers.national_id", "producers", True, P.c.national_id.is_(None),
              and_(P.c.national_id.is_not(None), P.c.national_id_valid.is_not(True))),
    FieldRule("producers.national_id_duplicate", "producers", False, false(), _DUPLICATE_ID),
    FieldRule("producers.owner_name", "producers", False, _blank(P.c.owner_name)),
    FieldRule("producers.birth_date", "producers", False, P.c.birth_date.is_(None)),
    FieldRule("producers.address", "producers", False, _blank(P.c.address)),
    FieldRule("producers.phone", "producers", False, _blank(P.c.phone),
              and_(~_blank(P.c.phone), P.c.phone_valid.is_not(True))),
    FieldRule("products.category", "products", True, PR.c.category.is_(None)),
    FieldRule("products.quadrant", "products", True, PR.c.quadrant.is_(None)),
    FieldRule("products.standards", "products", False, _none_in(ProductStandard, "product_id", PR)),
    FieldRule("products.photos", "products", False, _none_in(ProductPhoto, "product_id", PR)),
    FieldRule("chuanchim.name", "chuanchim", False, _blank(C.c.name)),
    FieldRule("chuanchim.address", "chuanchim", False, _blank(C.c.address)),
    FieldRule("chuanchim.phone", "chuanchim", False, _blank(C.c.phone),
              and_(~_blank(C.c.phone), C.c.phone_valid.is_not(True))),
    FieldRule("chuanchim.items", "chuanchim", False, _none_in(ChuanchimItem, "shop_id", C)),
    FieldRule("chuanchim.awards", "chuanchim", False, _none_in(ChuanchimAward, "shop_id", C)),
    FieldRule("chuanchim.photos", "chuanchim", False, _none_in(ChuanchimPhoto, "shop_id", C)),
)
RULE_BY_KEY: dict[str, FieldRule] = {r.key: r for r in RULES}
STARRED_KEYS: tuple[str, ...] = tuple(r.key for r in RULES if r.starred)
STARRED_DATASETS: frozenset[str] = frozenset(r.dataset for r in RULES if r.starred)


@dataclass(frozen=True)
class DatasetSpec:
    """Where a dataset's records live and which of them count."""

    name: Dataset
    table: Table
    from_: FromClause
    active: ColumnElement[bool]


SPECS: dict[str, DatasetSpec] = {
    "producers": DatasetSpec("producers", P, P, P.c.status == RegistrationStatus.ACTIVE.value),
    "products": DatasetSpec(
        "products", PR, PR.join(P, PR.c.producer_id == P.c.id),
        and_(PR.c.active == true(), P.c.status == RegistrationStatus.ACTIVE.value),
    ),
    "chuanchim": DatasetSpec("chuanchim", C, C, C.c.active == true()),
}


def rules_for(dataset: str | None = None, field_key: str | None = None) -> list[FieldRule]:
    """The rules of one dataset (or all), or the one rule named; ★ first, then in table order."""
    if field_key is not None:
        if field_key not in RULE_BY_KEY:
            raise KeyError(f"unknown completeness field {field_key!r}")
        return [RULE_BY_KEY[field_key]]
    return list(_ordered_rules(dataset))


@functools.lru_cache(maxsize=None)
def _ordered_rules(dataset: str | None) -> tuple[FieldRule, ...]:
    """`rules_for(dataset)`, sorted once (the rules are constants; every record's issues are
    read in this order)."""
    chosen = [r for r in RULES if dataset is None or r.dataset == dataset]
    if dataset is not None and dataset not in SPECS:
        raise KeyError(f"unknown dataset {dataset!r}")
    return tuple(sorted(chosen, key=lambda r: (DATASETS.index(r.dataset), not r.starred, RULES.index(r))))


def area_filter(table: Table, area_code: str | None) -> ColumnElement[bool]:
    """Records of an area: None = national, 2/4/6-digit province/district/sub-district code.

    The province code is always given too, so the (province, district, sub-district) index
    serves every level.
    """
    if not area_code:
        return true()
    if len(area_code) not in (2, 4, 6) or not area_code.isdigit():
        raise ValueError(f"area code must have 2, 4 or 6 digits: {area_code!r}")
    cond = [table.c.province_code == area_code[:2]]
    if len(area_code) >= 4:
        cond.append(table.c.district_code == area_code[:4])
    if len(area_code) == 6:
        cond.append(table.c.subdistrict_code == area_code)
    return and_(*cond)


# ---------------------------------------------------------------- result types


@dataclass(frozen=True)
class FieldIssue:
    """One incomplete field of one record."""

    key: str
    label_th: str
    starred: bool
    kind: Literal["missing", "invalid"]


@dataclass
class FieldCount:
    """How many counted records of an area miss (or have an invalid) one field."""

    key: str
    label_th: str
    dataset: str
    starred: bool
    total: int = 0
    missing: int = 0
    invalid: int = 0

    @property
    def incomplete(self) -> int:
        return self.missing + self.invalid

    @property
    def rate(self) -> float:
        """Share of records where this field is fine (1.0 when there are no records)."""
        return 1.0 if not self.total else 1 - self.incomplete / self.total


@dataclass
class DatasetCount:
    dataset: str
    total: int = 0
    starred_incomplete: int = 0  # records with at least one ★ field missing or invalid


@dataclass
class AreaCompleteness:
    """Completeness of one area (None/"" = national), per field and per dataset."""

    area_code: str | None
    area_name: str | None
    fields: list[FieldCount] = field(default_factory=list)
    datasets: dict[str, DatasetCount] = field(default_factory=dict)

    def field(self, key: str) -> FieldCount:
        return next(f for f in self.fields if f.key == key)

    @property
    def starred_rate(self) -> float:
        """Share of producer + product records with no ★ field missing or invalid."""
        ds = [d for name, d in self.datasets.items() if name in STARRED_DATASETS]
        total = sum(d.total for d in ds)
        return 1.0 if not total else 1 - sum(d.starred_incomplete for d in ds) / total

    @property
    def field_rate(self) -> float:
        """Share of all field checks (records × fields) that are satisfied."""
        checks = sum(f.total for f in self.fields)
        return 1.0 if not checks else 1 - sum(f.incomplete for f in self.fields) / checks


# ---------------------------------------------------------------- counting


def _count_columns(spec: DatasetSpec, rules: Sequence[FieldRule]) -> list:  # type: ignore[type-arg]
    cols = [func.count().label("n")]
    for i, r in enumerate(rules):
        cols.append(func.sum(case((r.missing, 1), else_=0)).label(f"m{i}"))
        cols.append(func.sum(case((r.invalid, 1), else_=0)).label(f"i{i}") if r.invalid is not None
                    else literal(0).label(f"i{i}"))
    starred = [r.issue for r in rules_for(spec.name) if r.starred]
    star_expr = or_(*starred) if starred else false()
    cols.append(func.sum(case((star_expr, 1), else_=0)).label("star"))
    return cols


def _fill(result: AreaCompleteness, dataset: str, rules: Sequence[FieldRule], row) -> None:  # type: ignore[no-untyped-def]
    n = int(row.n or 0)
    result.datasets[dataset] = DatasetCount(dataset, n, int(row.star or 0))
    for i, r in enumerate(rules):
        result.fields.append(FieldCount(r.key, r.label_th, r.dataset, r.starred, n,
                                        int(getattr(row, f"m{i}") or 0), int(getattr(row, f"i{i}") or 0)))


def _area_name(code: str | None) -> str | None:
    if not code:
        return None
    place = gazetteer.by_code(code)
    return place.name_th if place else None


def area_counts(
    session: Session, area_code: str | None, dataset: str | None = None, field: str | None = None
) -> AreaCompleteness:
    """Per-field totals / missing / invalid and per-dataset totals for one area (a district's,
    a province's and the nation's from their counts held in the database: `registry.rollup`)."""
    if field is None and (not area_code or (len(area_code) in (2, 4) and area_code.isdigit())):
        from registry.area_parts import held_counts

        return held_counts(session, area_code or "", dataset)
    return _area_counts(session, area_code, dataset, field)


def copy_counts(counts: AreaCompleteness) -> AreaCompleteness:
    """A copy the caller may change (what the cache hands out; `copy.deepcopy` costs ~1 ms)."""
    return AreaCompleteness(
        counts.area_code, counts.area_name,
        [FieldCount(f.key, f.label_th, f.dataset, f.starred, f.total, f.missing, f.invalid) for f in counts.fields],
        {k: DatasetCount(d.dataset, d.total, d.starred_incomplete) for k, d in counts.datasets.items()})


@cached("completeness.area_counts", copy=copy_counts)
def _area_counts(
    session: Session, area_code: str | None, dataset: str | None = None, field: str | None = None
) -> AreaCompleteness:
    area_filter(SPECS[DATASETS[0]].table, area_code)  # checks the code
    result = AreaCompleteness(area_code or None, _area_name(area_code))
    rules = rules_for(dataset, field)
    code = area_code or ""
    params = {"province": code[:2], "district": code[:4], "subdistrict": code}
    for name in dict.fromkeys(r.dataset for r in rules) if field else ([dataset] if dataset else DATASETS):
        ds_rules = [r for r in rules if r.dataset == name]
        q = _count_statement(name, tuple(r.key for r in ds_rules), len(code))
        _fill(result, name, ds_rules, session.execute(q, params).one())
    return result


@functools.lru_cache(maxsize=256)
def _count_statement(dataset: str, rule_keys: tuple[str, ...], level: int) -> Select:  # type: ignore[type-arg]
    """The count query of one dataset's rules over one area, the area's codes bound as
    parameters (level: 0 national, 2/4/6 digits, as `area_filter`): built once, because
    building it costs more than running it for a district."""
    spec = SPECS[dataset]
    cond = [spec.active]
    for digits, column in ((2, "province_code"), (4, "district_code"), (6, "subdistrict_code")):
        if level >= digits:
            cond.append(spec.table.c[column] == bindparam(column.removesuffix("_code")))
    return select(*_count_columns(spec, [RULE_BY_KEY[k] for k in rule_keys])).select_from(spec.from_).where(*cond)


def child_area_counts(
    session: Session, parent_code: str | None, dataset: str | None = None
) -> list[AreaCompleteness]:
    """`area_counts` for every child area: provinces (national), districts (of a province)
    or sub-districts (of a district), in code order, areas without records included."""
    if not parent_code:
        level, children = "province_code", gazetteer.provinces()
    elif len(parent_code) == 2:
        level, children = "district_code", gazetteer.districts(parent_code)
    elif len(parent_code) == 4:
        level, children = "subdistrict_code", gazetteer.subdistricts(parent_code)
    else:
        raise ValueError(f"no child areas under {parent_code!r}")
    results = {p.code: AreaCompleteness(p.code, p.name_th) for p in children}
    rules = rules_for(dataset)
    for name in [dataset] if dataset else DATASETS:
        spec = SPECS[name]
        ds_rules = [r for r in rules if r.dataset == name]
        group = spec.table.c[level]
        q = (select(group.label("area"), *_count_columns(spec, ds_rules)).select_from(spec.from_)
             .where(spec.active, area_filter(spec.table, parent_code)).group_by(group))
        rows = {row.area: row for row in session.execute(q)}
        empty = _EmptyRow()
        for code, res in results.items():
            _fill(res, name, ds_rules, rows.get(code, empty))
    return [results[c] for c in sorted(results)]


class _EmptyRow:
    def __getattr__(self, name: str) -> int:
        return 0


def take_snapshot(session: Session, month: date) -> int:
    """Store the month-end counts of `month` (see registry.snapshots.take_snapshot)."""
    from registry import snapshots

    return snapshots.take_snapshot(session, month)


def previous_snapshot(session: Session, before: date, area_code: str | None = None) -> AreaCompleteness | None:
    """The latest snapshot before `before`'s month (see registry.snapshots.previous_snapshot)."""
    from registry import snapshots

    return snapshots.previous_snapshot(session, before, area_code)


def previous_month(session: Session, before: date) -> date | None:
    """The month of `previous_snapshot` (see registry.snapshots.previous_month)."""
    from registry import snapshots

    return snapshots.previous_month(session, before)


def snapshot_counts(session: Session, month: date, area_code: str | None = None) -> AreaCompleteness | None:
    """The stored snapshot of `month` (see registry.snapshots.snapshot_counts)."""
    from registry import snapshots

    return snapshots.snapshot_counts(session, month, area_code)


__all__ = [
    "AreaCompleteness", "DatasetCount", "FieldCount", "FieldIssue", "FieldRule", "MissingRecord",
    "RecordPage", "RULES", "RULE_BY_KEY", "STARRED_KEYS", "area_counts", "child_area_counts",
    "issues_for_record", "issues_for_records", "previous_month", "previous_snapshot", "records_missing", "rules_for", "snapshot_counts",
    "take_snapshot",
]


# The records behind a number live in their own module; re-exported as part of this layer.
from registry.completeness_records import (  # noqa: E402
    MissingRecord,
    RecordPage,
    issues_for_record,
    issues_for_records,
    records_missing,
)
