"""Reports: the department's province table and the monthly report, as plain data.

Report functions return rows (dicts keyed by the department's English column keys) so the
chat can show one row and the web can serve a file; `registry.report_files` writes them as
CSV or XLSX. Only active records are counted (see `registry.completeness`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from pythainlp.util import collate
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from models import Category, ProducerType, Quadrant, RegistrationStatus, StatusChange
from registry import cache, gazetteer
from registry.cache import cached
from registry.completeness import P, PR, RULES, SPECS, AreaCompleteness, area_counts, area_filter
from registry.labels_th import FIELD_LABELS, NATIONAL_TOTAL_TH
from registry.province_table import COUNT_COLUMNS, REPORT_COLUMNS
from registry.snapshots import month_start, snapshot_counts

Row = dict[str, Any]

_PRODUCER_COLUMNS = {"producers_group": P.c.producer_type == ProducerType.GROUP.value,
                     "producers_individual": P.c.producer_type == ProducerType.INDIVIDUAL.value,
                     "producers_sme": P.c.producer_type == ProducerType.SME.value,
                     "producers_type_blank": P.c.producer_type.is_(None)}
_PRODUCT_COLUMNS = {"products_food": PR.c.category == Category.FOOD.value,
                    "products_beverage": PR.c.category == Category.BEVERAGE.value,
                    "products_textile_apparel": PR.c.category == Category.TEXTILE.value,
                    "products_household_decor_souvenir": PR.c.category == Category.HOUSEHOLD.value,
                    "products_herbal_nonfood": PR.c.category == Category.HERBAL.value,
                    "products_category_blank": PR.c.category.is_(None),
                    "quadrant_a": PR.c.quadrant == Quadrant.A.value, "quadrant_b": PR.c.quadrant == Quadrant.B.value,
                    "quadrant_c": PR.c.quadrant == Quadrant.C.value, "quadrant_d": PR.c.quadrant == Quadrant.D.value}


@dataclass
class TableReport:
    """The department's table: one row per province (or per district of one province),
    then the total row. `level` names what the `province` column holds."""

    level: str  # "province" | "district"
    area_code: str | None
    rows: list[Row]
    total: Row

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, self.total]


def _sums(conditions: dict[str, Any]) -> list[Any]:
    return [func.sum(case((cond, 1), else_=0)).label(key) for key, cond in conditions.items()]


PRODUCER_SUMS = _sums(_PRODUCER_COLUMNS)  # the table's producer columns, to add to a count of producers
PRODUCT_SUMS = _sums(_PRODUCT_COLUMNS)


def report_row(producers: Row, products: Row, shops: Row) -> Row:
    """An area's row of the table from its grouped counts of each dataset (`n` and the sums)."""
    row = {key: int(producers.get(key) or products.get(key) or 0) for key in COUNT_COLUMNS}
    row.update(producers_total=int(producers.get("n") or 0), products_total=int(products.get("n") or 0),
               chuanchim_total=int(shops.get("n") or 0))
    return row


def _grouped(session: Session, dataset: str, level: str, area_code: str | None, columns: list[Any]) -> dict[str, Row]:
    spec = SPECS[dataset]
    group = spec.table.c[level]
    q = (select(group.label("area"), func.count().label("n"), *columns).select_from(spec.from_)
         .where(spec.active, area_filter(spec.table, area_code)).group_by(group))
    return {r.area: r._asdict() for r in session.execute(q)}


def province_table(session: Session, province_code: str | None = None) -> TableReport:
    """The table for the nation (rows = provinces with records, Thai alphabetical order) or
    for one province (rows = its districts with records); total row last.

    Assembled from per-district rows cached under each district's version: after a change in
    one district only that district is counted again; with many stale districts (a cold
    cache, a change of the whole registry) the area is counted in one grouped pass."""
    return cache.get_or_compute(session, ("reports.province_table", province_code or ""),
                                lambda: _from_district_rows(session, province_code), province_code, _copy)


def _copy(report: TableReport) -> TableReport:
    return TableReport(report.level, report.area_code, [dict(r) for r in report.rows], dict(report.total))


def _from_district_rows(session: Session, province_code: str | None) -> TableReport:
    """The table from the rows held in the database (`registry.rollup`): a province's
    districts, or the nation's provinces."""
    from registry import rollup

    codes = [d.code for d in gazetteer.districts(province_code)] if province_code else \
        [p.code for p in gazetteer.provinces()]
    payloads = rollup.load(session, codes)
    return _assemble(province_code, {c: row for c in codes if (row := rollup.report_row_of(payloads[c]))})


def _assemble(province_code: str | None, counts: dict[str, Row]) -> TableReport:
    """Rows (Thai alphabetical order, numbered) and the total row from counts per area."""
    names = {code: (gazetteer.by_code(code).name_th if gazetteer.by_code(code) else code) for code in counts}
    order = {name: i for i, name in enumerate(collate(list(names.values())))}
    rows = [{"area_code": code, "no": i, "province": names[code], **{k: counts[code][k] for k in COUNT_COLUMNS}}
            for i, code in enumerate(sorted(counts, key=lambda c: (order[names[c]], c)), 1)]
    total: Row = {"area_code": province_code or "", "no": "",
                  "province": names_of(province_code) if province_code else NATIONAL_TOTAL_TH}
    for key in COUNT_COLUMNS:
        total[key] = sum(row[key] for row in rows)
    return TableReport("district" if province_code else "province", province_code, rows, total)


def _table(session: Session, province_code: str | None) -> TableReport:
    """Counted afresh, per province (national) or per district of `province_code`."""
    return _assemble(province_code, _counts_by(session, "district_code" if province_code else "province_code",
                                               province_code))


def _counts_by(session: Session, level: str, area_code: str | None) -> dict[str, Row]:
    """The table's counts per `level` code within an area: three grouped queries."""
    producers = _grouped(session, "producers", level, area_code, PRODUCER_SUMS)
    products = _grouped(session, "products", level, area_code, PRODUCT_SUMS)
    shops = _grouped(session, "chuanchim", level, area_code, [])
    return {code: report_row(producers.get(code, {}), products.get(code, {}), shops.get(code, {}))
            for code in set(producers) | set(products) | set(shops)}


def names_of(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else NATIONAL_TOTAL_TH


# ---------------------------------------------------------------- monthly report


@dataclass
class MonthlyReport:
    """Movements of one month per child area, and ★ completeness at month end vs. before."""

    month: date
    area_code: str | None
    rows: list[Row]  # area_code, area, new_producers, new_products, closures, relocations
    total: Row
    completeness: list[Row]  # field, dataset, starred, label, total, incomplete_now, incomplete_before, change
    now_source: str  # "live" | "snapshot" | "none"
    before_source: str  # "snapshot" | "none"
    notes: list[str] = field(default_factory=list)


def _moves(session: Session, start: date, end: date, level: str, area_code: str | None) -> dict[str, Row]:
    """The month's new producers, new products, closures and relocations per `level` code."""
    counts: dict[str, Row] = {}

    def bump(key: str, q: Any) -> None:
        for area, n in session.execute(q):
            counts.setdefault(area, {})[key] = int(n)

    in_area = area_filter(P, area_code)
    bump("new_producers", select(P.c[level], func.count()).where(
        in_area, P.c.registered_on >= start, P.c.registered_on < end).group_by(P.c[level]))
    bump("new_products", select(PR.c[level], func.count()).where(
        area_filter(PR, area_code), PR.c.created_at >= _at(start), PR.c.created_at < _at(end)).group_by(PR.c[level]))
    sc = StatusChange.__table__
    for key, status in (("closures", RegistrationStatus.CLOSED), ("relocations", RegistrationStatus.MOVED)):
        bump(key, select(P.c[level], func.count()).select_from(sc.join(P, sc.c.producer_id == P.c.id)).where(
            in_area, sc.c.new_status == status.value, sc.c.at >= _at(start), sc.c.at < _at(end)).group_by(P.c[level]))
    return counts


MOVES = ("new_producers", "new_products", "closures", "relocations")


def month_moves(session: Session, month: date, area_code: str | None) -> dict[str, Row]:
    """The movements of `month` per district of an area (None: the nation)."""
    start, end = _month_bounds(month)
    return _moves(session, start, end, "district_code", area_code)


def _moves_by_area(session: Session, start: date, end: date, area_code: str | None) -> dict[str, Row]:
    """`_moves` per province (national) or per district: from the rows held in the database
    when they hold this month (`registry.rollup`: the month they were counted in), else
    assembled from per-district parts cached under each district's version (one grouped pass
    when many are stale)."""
    if area_code and len(area_code) > 4:
        return _moves(session, start, end, "district_code", area_code)
    from registry import rollup

    places = [gazetteer.by_code(area_code[:2])] if area_code else list(gazetteer.provinces())
    codes = [d.code for p in places if p for d in gazetteer.districts(p.code) if d.code.startswith(area_code or "")]
    if cache.usable(session):
        held = rollup.moves(session, codes if area_code else [p.code for p in places if p], start)
        if held is not None:
            return {c: m for c, m in held.items() if any(m.values())}
    parts = cache.parts(session, f"reports.moves.{start}", codes,
                        lambda d: _moves(session, start, end, "district_code", d).get(d),
                        lambda _missing: _moves(session, start, end, "district_code", area_code))
    if parts is None:
        return _moves(session, start, end, "district_code" if area_code else "province_code", area_code)
    if area_code:
        return {d: dict(r) for d, r in parts.items() if r}
    counts: dict[str, Row] = {}
    for d, r in parts.items():
        for key, n in (r or {}).items():
            into = counts.setdefault(d[:2], {})
            into[key] = into.get(key, 0) + n
    return counts


def _month_bounds(month: date) -> tuple[date, date]:
    start = month_start(month)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def _at(d: date) -> datetime:
    return datetime.combine(d, time(0), tzinfo=timezone.utc)


def monthly_report(session: Session, month: date, area_code: str | None = None,
                   today: date | None = None) -> MonthlyReport:
    """The report of `month` for the nation (rows per province) or a province (per district)."""
    return _monthly_report(session, month_start(month), area_code, today or date.today())


@cached("reports.monthly_report")
def _monthly_report(session: Session, month: date, area_code: str | None, today: date) -> MonthlyReport:
    start, end = _month_bounds(month)
    counts = _moves_by_area(session, start, end, area_code)
    keys = ("new_producers", "new_products", "closures", "relocations")
    names = {code: names_of(code) for code in counts}
    order = {n: i for i, n in enumerate(collate(list(names.values())))}
    rows = [{"area_code": code, "area": names[code], **{k: counts[code].get(k, 0) for k in keys}}
            for code in sorted(counts, key=lambda c: (order[names[c]], c))]
    total = {"area_code": area_code or "", "area": names_of(area_code), **{k: sum(r[k] for r in rows) for k in keys}}

    notes: list[str] = []
    if start <= today < end:
        now: AreaCompleteness | None = area_counts(session, area_code)
        now_source = "live"
    else:
        now = snapshot_counts(session, start, area_code)
        now_source = "snapshot" if now else "none"
        if now is None:
            notes.append(f"no completeness snapshot for {start:%Y-%m}")  # for logs, not shown
    before_month = (start - timedelta(days=1)).replace(day=1)
    before = snapshot_counts(session, before_month, area_code)
    if before is None:
        notes.append(f"no completeness snapshot for {before_month:%Y-%m}")
    completeness = []
    for rule in RULES:
        key = rule.key
        n = now.field(key) if now else None
        b = before.field(key) if before else None
        completeness.append({
            "field": key, "dataset": rule.dataset, "starred": rule.starred, "label": FIELD_LABELS[key],
            "total": n.total if n else None,
            "incomplete_now": n.incomplete if n else None, "incomplete_before": b.incomplete if b else None,
            "change": (n.incomplete - b.incomplete) if n and b else None,
        })
    return MonthlyReport(start, area_code, rows, total, completeness, now_source,
                         "snapshot" if before else "none", notes)


__all__ = ["MonthlyReport", "TableReport", "monthly_report", "names_of", "province_table", "REPORT_COLUMNS"]
