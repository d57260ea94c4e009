"""National-scale demo data shaped exactly like the department's per-province table.

`generate` builds, for every province of the table (or two, at small scale), producers,
products and ชวนชิม shops whose *active* counts per province equal the table cell for cell
(type, blank type, category, blank category, Quadrant A-D, totals), spread over the real
districts and sub-districts (GeoThai), with realistic gaps. It adds a few closed and moved
registrations of the last year (not active, so not counted) for the monthly report.

Same seed and same `as_of` day give identical database content (explicit ids everywhere).
Rows go in with Core executemany, one transaction per province.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEntry, Base, CompletenessSnapshot, Producer
from registry import rollup
from registry.demo_rows import IdCounters, province_rows
from registry.province_table import ProvinceCounts, read_province_table

SMALL_PROVINCES = ("57", "56")  # เชียงราย and พะเยา

# Registry tables, parents first; the order of inserts and (reversed) of deletes.
REGISTRY_TABLES = (
    "producers", "producer_projects", "producer_funding_sources", "producer_star_ratings",
    "producer_government_support", "producer_sales_channels", "producer_shipping_methods",
    "producer_status_changes", "products", "product_standards", "product_awards", "product_projects",
    "product_keywords", "product_ip_registrations", "product_photos", "chuanchim_shops", "chuanchim_items",
    "chuanchim_awards", "chuanchim_photos",
)
# Workflow rows that point at producers: removed with them on --replace.
DEPENDENT_TABLES = ("pending_changes", "request_steps", "requests")


class DemoDataRefused(RuntimeError):
    """The database already has producers and replacing them was not asked for."""


@dataclass
class DemoResult:
    provinces: int
    producers_active: int
    producers_inactive: int
    products: int
    chuanchim: int
    rows: int
    seconds: float


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def wipe_registry(session: Session) -> None:
    """Delete every registry record and what points at it: rows of other tables whose
    reference to a producer cannot be empty (requests, pending edits) are deleted, nullable
    references (LINE accounts, invite codes) are cleared; registry audit rows and
    completeness snapshots go too."""
    session.execute(update(_table("producer_status_changes")).values(request_id=None))
    for name in DEPENDENT_TABLES:
        session.execute(delete(_table(name)))
    for table in Base.metadata.sorted_tables:
        if table.name in REGISTRY_TABLES or table.name in DEPENDENT_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name in ("producers", "products", "chuanchim_shops"):
                if fk.parent.nullable:
                    session.execute(update(table).values({fk.parent.name: None}))
                else:
                    session.execute(delete(table))
    session.execute(delete(AuditEntry).where(AuditEntry.entity.in_(("producer", "product", "chuanchim"))))
    session.execute(delete(CompletenessSnapshot))
    session.execute(update(Producer).values(previous_id=None))
    for name in reversed(REGISTRY_TABLES):
        session.execute(delete(_table(name)))


def select_provinces(scale: str, table: list[ProvinceCounts]) -> list[ProvinceCounts]:
    if scale == "full":
        return table
    if scale == "small":
        return [p for p in table if p.code in SMALL_PROVINCES]
    raise ValueError(f"scale must be 'full' or 'small', not {scale!r}")


def _reset_sequences(session: Session) -> None:
    """PostgreSQL: move each id sequence past the explicit ids we inserted."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in REGISTRY_TABLES:
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"))


def generate(
    factory: sessionmaker[Session],
    *,
    scale: str = "full",
    seed: int = 1,
    as_of: date | None = None,
    replace: bool = False,
    csv_path: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Fill the registry with demo data; commits once per province. See the module docstring."""
    started = time.perf_counter()
    as_of = as_of or date.today()
    provinces = select_provinces(scale, read_province_table(csv_path))
    with factory() as session, session.begin():
        have = session.scalar(select(func.count()).select_from(Producer)) or 0
        if have and not replace:
            raise DemoDataRefused(
                f"the database already has {have} producers; demo data is only added to an empty "
                "registry. Use --replace to wipe the registry tables first.")
        if have:
            wipe_registry(session)
    counters = IdCounters()
    totals = {"rows": 0, "active": 0, "inactive": 0, "products": 0, "chuanchim": 0}
    for pc in provinces:
        rows = province_rows(pc, seed, as_of, counters)
        producers = rows.tables.get("producers", [])
        # A relocated producer's new row points at its old one: insert the old ones first.
        producers.sort(key=lambda r: (r["previous_id"] is not None, r["id"]))
        with factory() as session, session.begin():
            session.info[rollup.DEFER] = True  # every district is counted once at the end
            for name in REGISTRY_TABLES:
                batch = rows.tables.get(name)
                if batch:
                    session.execute(_table(name).insert(), batch)
                    totals["rows"] += len(batch)
        active = sum(1 for r in producers if r["status"] == "active")
        totals["active"] += active
        totals["inactive"] += len(producers) - active
        totals["products"] += len(rows.tables.get("products", []))
        totals["chuanchim"] += len(rows.tables.get("chuanchim_shops", []))
        if progress:
            progress(f"{pc.province}: {active} producers, {len(rows.tables.get('products', []))} products")
    with factory() as session, session.begin():
        _reset_sequences(session)
        rollup.refresh(session)
    return DemoResult(len(provinces), totals["active"], totals["inactive"], totals["products"],
                      totals["chuanchim"], totals["rows"], time.perf_counter() - started)
