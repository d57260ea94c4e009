"""Shared helpers for registry tests: small demo data and plain counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models import AuditEntry, Base
from registry.demo import REGISTRY_TABLES, generate

AS_OF = date(2024, 1, 26)


def small_demo(factory, seed: int = 7, as_of: date = AS_OF, replace: bool = False):
    return generate(factory, scale="small", seed=seed, as_of=as_of, replace=replace)


def table_counts(factory) -> dict[str, int]:
    with factory() as s:
        counts = {name: s.scalar(select(func.count()).select_from(Base.metadata.tables[name]))
                  for name in REGISTRY_TABLES}
        counts["audit_log"] = s.scalar(select(func.count()).select_from(AuditEntry))
        return counts


def max_updated_at(factory):
    with factory() as s:
        return tuple(s.scalar(select(func.max(Base.metadata.tables[t].c.updated_at)))
                     for t in ("producers", "products", "chuanchim_shops"))
