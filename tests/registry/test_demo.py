"""Demo data: exact counts per province (small scale), determinism, refusal, realistic gaps."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Base, Producer, ProductStandard, RegistrationStatus, StatusChange
from registry.completeness import area_counts
from registry.demo import REGISTRY_TABLES, SMALL_PROVINCES, DemoDataRefused
from registry.province_table import COUNT_COLUMNS, read_province_table
from registry.reports import province_table
from registry_helpers import AS_OF, small_demo


def _content_hash(factory) -> str:
    digest = hashlib.sha256()
    with factory() as s:
        for name in REGISTRY_TABLES:
            t = Base.metadata.tables[name]
            for row in s.execute(select(t).order_by(t.c.id)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_small_scale_counts_equal_the_table_exactly(db):
    result = small_demo(db)
    want = {p.code: p for p in read_province_table() if p.code in SMALL_PROVINCES}
    assert len(want) == 2
    with db() as s:
        for code, expected in want.items():
            report = province_table(s, code)
            assert {k: report.total[k] for k in COUNT_COLUMNS} == expected.counts
        national = province_table(s)
    assert [r["area_code"] for r in national.rows] == sorted(want, key=lambda c: want[c].no)
    assert result.producers_active == sum(p.counts["producers_total"] for p in want.values())
    assert result.products == sum(p.counts["products_total"] for p in want.values())


def test_same_seed_same_database_and_refusal_without_replace(db):
    small_demo(db, seed=3)
    first = _content_hash(db)
    with pytest.raises(DemoDataRefused, match="--replace"):
        small_demo(db, seed=3)
    small_demo(db, seed=3, replace=True)
    assert _content_hash(db) == first
    small_demo(db, seed=4, replace=True)
    assert _content_hash(db) != first


def test_demo_has_realistic_gaps_and_history(db):
    small_demo(db)
    with db() as s:
        counts = area_counts(s, None)
        for key in ("producers.national_id", "producers.phone"):
            assert counts.field(key).missing > 0 and counts.field(key).invalid > 0
        for key in ("producers.birth_date", "products.standards", "products.photos", "chuanchim.awards"):
            assert 0 < counts.field(key).missing < counts.field(key).total
        soon = s.scalar(select(func.count()).select_from(ProductStandard).where(
            ProductStandard.expires_on.between(AS_OF, AS_OF + timedelta(days=90))))
        assert soon > 0
        month_start = AS_OF.replace(day=1)
        new = s.scalar(select(func.count()).select_from(Producer).where(Producer.registered_on >= month_start))
        assert new > 0
        closed = s.scalar(select(func.count()).select_from(StatusChange).where(
            StatusChange.new_status == RegistrationStatus.CLOSED))
        moved = s.scalar(select(func.count()).select_from(Producer).where(Producer.previous_id.is_not(None)))
        assert closed > 0 and moved > 0
        assert s.scalar(select(func.max(Producer.registered_on))) <= AS_OF
