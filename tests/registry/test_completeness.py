"""Completeness counts against an independent plain-Python count over the ORM objects."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import ChuanchimShop, Producer, Product, RegistrationStatus
from registry import ids
from registry.completeness import (
    RULES,
    area_counts,
    child_area_counts,
    issues_for_record,
    records_missing,
)
from registry.values import set_national_id, set_phone

from registry_helpers import small_demo


def _blank(v) -> bool:
    return v is None or not str(v).strip()


def _plain_issues(obj) -> dict[str, str]:
    """The rules written again in plain Python, independently of the SQL."""
    out: dict[str, str] = {}
    if isinstance(obj, Producer):
        if obj.producer_type is None:
            out["producers.producer_type"] = "missing"
        if _blank(obj.national_id):
            out["producers.national_id"] = "missing"
        elif not (ids.national_id_digits(obj.national_id) and ids.national_id_check_ok(obj.national_id)):
            out["producers.national_id"] = "invalid"
        for key, value in (("owner_name", obj.owner_name), ("birth_date", obj.birth_date), ("address", obj.address)):
            if _blank(value):
                out[f"producers.{key}"] = "missing"
        if _blank(obj.phone):
            out["producers.phone"] = "missing"
        elif not ids.phone_valid(obj.phone):
            out["producers.phone"] = "invalid"
    elif isinstance(obj, Product):
        for key, bad in (("category", obj.category is None), ("quadrant", obj.quadrant is None),
                         ("standards", not obj.standards), ("photos", not obj.photos)):
            if bad:
                out[f"products.{key}"] = "missing"
    else:
        for key, bad in (("name", _blank(obj.name)), ("address", _blank(obj.address)),
                         ("items", not obj.items), ("awards", not obj.awards), ("photos", not obj.photos)):
            if bad:
                out[f"chuanchim.{key}"] = "missing"
        if _blank(obj.phone):
            out["chuanchim.phone"] = "missing"
        elif not ids.phone_valid(obj.phone):
            out["chuanchim.phone"] = "invalid"
    return out


def _plain_counts(session, area: str | None):
    def inside(o) -> bool:
        return area is None or (o.subdistrict_code or o.district_code).startswith(area) or o.district_code.startswith(area)

    counts: Counter = Counter()
    totals: Counter = Counter()
    star_bad: Counter = Counter()
    producers = session.scalars(select(Producer)).all()
    products = session.scalars(select(Product).options(
        selectinload(Product.standards), selectinload(Product.photos), selectinload(Product.producer))).all()
    shops = session.scalars(select(ChuanchimShop).options(
        selectinload(ChuanchimShop.items), selectinload(ChuanchimShop.awards), selectinload(ChuanchimShop.photos))).all()
    active = ([("producers", p) for p in producers if p.status == RegistrationStatus.ACTIVE]
              + [("products", p) for p in products if p.active and p.producer.status == RegistrationStatus.ACTIVE]
              + [("chuanchim", s) for s in shops if s.active])
    starred = {r.key for r in RULES if r.starred}
    for dataset, obj in active:
        if not inside(obj):
            continue
        totals[dataset] += 1
        issues = _plain_issues(obj)
        for key, kind in issues.items():
            counts[(key, kind)] += 1
        if starred & issues.keys():
            star_bad[dataset] += 1
    return counts, totals, star_bad


def test_area_counts_equal_a_plain_count(db):
    small_demo(db)
    with db() as s:
        # Something the demo does not make: an inactive product of an active producer.
        product = s.scalars(select(Product).order_by(Product.id)).first()
        product.active = False
        s.commit()
        for area in (None, "57", "5701", "570101"):
            _check_area(s, area)


def _check_area(s, area):
    counts, totals, star_bad = _plain_counts(s, area)
    result = area_counts(s, area)
    assert sum(totals.values()) > 0
    for fc in result.fields:
        assert fc.total == totals[fc.dataset], fc.key
        assert fc.missing == counts[(fc.key, "missing")], fc.key
        assert fc.invalid == counts[(fc.key, "invalid")], fc.key
    for name, d in result.datasets.items():
        assert (d.total, d.starred_incomplete) == (totals[name], star_bad[name])


def test_child_areas_add_up_to_the_parent(db):
    small_demo(db)
    with db() as s:
        parent = area_counts(s, "57")
        children = child_area_counts(s, "57")
        nation = child_area_counts(s, None)
    assert {c.area_code for c in children} >= {"5701", "5709"}
    for f in parent.fields:
        assert sum(c.field(f.key).missing for c in children) == f.missing
        assert sum(c.field(f.key).invalid for c in children) == f.invalid
    assert sum(c.datasets["producers"].total for c in nation) == sum(
        c.datasets["producers"].total for c in nation if c.area_code in ("56", "57"))
    assert len(nation) == 77


def test_rates_are_defined_as_documented(db):
    small_demo(db)
    with db() as s:
        a = area_counts(s, "56")
    recs = a.datasets["producers"].total + a.datasets["products"].total
    bad = a.datasets["producers"].starred_incomplete + a.datasets["products"].starred_incomplete
    assert a.starred_rate == pytest.approx(1 - bad / recs)
    checks = sum(f.total for f in a.fields)
    assert a.field_rate == pytest.approx(1 - sum(f.missing + f.invalid for f in a.fields) / checks)


def test_issues_for_record_missing_invalid_and_starred_first(db):
    with db() as s:
        p = Producer(code="T1", province_code="57", district_code="5701", address="1 หมู่ 2",
                     owner_name="สมชาย ใจดี")
        s.add(p)
        s.flush()
        set_national_id(s, p, "1101700207031", actor="test", channel="system")  # bad check digit
        set_phone(s, p, "๐๘๑-๒๓๔-๕๖๗๘", actor="test", channel="system")
        s.flush()
        issues = issues_for_record(s, "producers", p.id)
        assert [(i.key, i.kind) for i in issues] == [
            ("producers.producer_type", "missing"), ("producers.national_id", "invalid"),
            ("producers.birth_date", "missing")]
        assert issues[0].starred and not issues[-1].starred and issues[0].label_th
        assert p.phone == "0812345678" and p.phone_valid is True and p.national_id_valid is False
        set_national_id(s, p, "1-1017-00207-03-0", actor="test", channel="system")
        s.flush()
        assert [i.key for i in issues_for_record(s, "producers", p.id)] == [
            "producers.producer_type", "producers.birth_date"]


def test_records_missing_pages_most_incomplete_first(db):
    small_demo(db)
    with db() as s:
        total = area_counts(s, "5701", field="products.photos").field("products.photos").missing
        first = records_missing(s, "products.photos", "5701", page=1, page_size=7)
        second = records_missing(s, "products.photos", "5701", page=2, page_size=7)
        assert first.total == total > 14
        items = first.items + second.items
        assert len({i.record_id for i in items}) == 14
        keys = [(-len(i.issues), i.code) for i in items]
        assert keys == sorted(keys)
        assert all("products.photos" in [x.key for x in i.issues] for i in items)
        anything = records_missing(s, None, "5701", page=1, page_size=50)
        assert {i.dataset for i in anything.items} <= {"producers", "products", "chuanchim"}
        assert [len(i.issues) for i in anything.items] == sorted((len(i.issues) for i in anything.items), reverse=True)
        assert all(i.issues for i in anything.items)
