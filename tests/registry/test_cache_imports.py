"""The registry cache after imports: imported new records, field and list changes, moves and
closures bump the districts they touch (and the other provinces' answers stay cached);
re-importing unchanged files bumps nothing. Split from test_cache.py (same fixtures)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Producer, Product, unit_of_work
from registry import cache, completeness, reports
from registry.exporter import export_registry
from registry.importer import import_files
from tests.registry import factories as f
from tests.registry.test_cache import CR, reg, versions_now  # noqa: F401 (reg: the fixture)


# ---------------------------------------------------------------- imports bump their districts

MONTH = date.today().replace(day=1)
AREAS = (None, "50", "57", "5001", "5002", CR)


@pytest.fixture
def areas(reg, tmp_path_factory):
    """`reg` (three producers in เมืองเชียงใหม่ 5001) plus one in จอมทอง (5002) and one in
    เมืองเชียงราย, and a ชวนชิม shop in each of 5002 and เมืองเชียงราย. The first producer of
    5001 also has a product registered in 5002 (a product's district need not be its producer's)."""
    with unit_of_work(reg) as s:
        f.producer(s, "5002", products=1)
        f.producer(s, CR, products=1)
        owner = s.scalars(select(Producer).where(Producer.district_code == "5001").order_by(Producer.id)).first()
        s.add(Product(code="STRAY", producer_id=owner.id, province_code="50", district_code="5002", name="ลำไยอบแห้ง"))
    shops = _csv(tmp_path_factory.mktemp("areas") / "chuanchim.csv", "chuanchim_id,name,district,province,items",
                 ["C-5002,ครัวจอมทอง,จอมทอง,เชียงใหม่,แกงฮังเล", "C-5701,ครัวเชียงราย,เมืองเชียงราย,เชียงราย,"])
    import_files(reg, [shops])
    return reg


def _csv(path: Path, header: str, lines: list[str]) -> Path:
    """A CSV file of the import format (recognised by its name)."""
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def answers(factory, areas=AREAS) -> dict:
    """Every cached kind of answer about `areas`, through the cache, by (kind, area)."""
    out: dict = {}
    with factory() as s:
        for a in areas:
            out["counts", a] = completeness.area_counts(s, a)
            out["product counts", a] = completeness.area_counts(s, a, "products")
            out["records missing", a] = completeness.records_missing(s, None, a)
            out["monthly", a] = reports.monthly_report(s, MONTH, a)
            if a is None or len(a) == 2:
                out["table", a] = reports.province_table(s, a)
    return out


def assert_fresh(factory, monkeypatch) -> dict:
    """The cached answers equal answers counted afresh with the cache off; returns them."""
    cached_answers = answers(factory)
    with monkeypatch.context() as m:
        m.setattr(cache, "enabled", False)
        assert cached_answers == answers(factory)
    return cached_answers


def imported(factory, monkeypatch, *files: Path) -> set[str]:
    """Import `files` into a registry whose answers are all cached (and right); the version
    rows the import gave new versions."""
    assert_fresh(factory, monkeypatch)
    before = versions_now(factory)
    report = import_files(factory, list(files))
    assert not report.rejects and not report.problems, report.lines()
    after = versions_now(factory)
    return {k for k in before.keys() | after.keys() if before.get(k, 0) != after.get(k, 0)}


def code_of(factory, model, district: str, n: int = 0) -> str:
    with factory() as s:
        return s.scalars(select(model.code).where(model.district_code == district).order_by(model.id)).all()[n]


def national_producers(factory) -> int:
    with factory() as s:
        return completeness.area_counts(s, None).datasets["producers"].total


def test_imported_new_records_bump_their_districts_only(areas, monkeypatch, tmp_path):
    owner = code_of(areas, Producer, "5001")
    producers = _csv(tmp_path / "producers.csv", "producer_id,name,district,province",
                     ["NEW-P,กลุ่มใหม่,จอมทอง,เชียงใหม่"])
    products = _csv(tmp_path / "products.csv", "product_id,producer_id,name,quadrant", [f"NEW-R,{owner},น้ำพริก,"])
    shops = _csv(tmp_path / "chuanchim.csv", "chuanchim_id,name,district,province",
                 ["NEW-C,ร้านใหม่,เมืองเชียงราย,เชียงราย"])
    assert imported(areas, monkeypatch, producers) == {"5002"}  # one batch per file: each seen alone
    after = assert_fresh(areas, monkeypatch)  # (stale cached answers would differ from fresh counts)
    assert after["counts", "5002"].datasets["producers"].total == 2
    assert imported(areas, monkeypatch, products) == {"5001"}
    after = assert_fresh(areas, monkeypatch)
    assert after["counts", "5001"].field("products.quadrant").missing == 1
    assert after["monthly", "50"].total["new_products"] == 9
    assert imported(areas, monkeypatch, shops) == {CR}
    assert assert_fresh(areas, monkeypatch)["table", None].total["chuanchim_total"] == 3


def test_an_import_in_one_province_keeps_the_other_provinces_cached(areas, monkeypatch, tmp_path):
    producer = code_of(areas, Producer, CR)
    producers = _csv(tmp_path / "producers.csv", "producer_id,name,producer_type,district,province",
                     [f"{producer},ชื่อใหม่,SME,เมืองเชียงราย,เชียงราย",  # changed
                      "CR-NEW,กลุ่มใหม่,กลุ่ม,เมืองเชียงราย,เชียงราย"])  # new
    products = _csv(tmp_path / "products.csv", "product_id,producer_id,name,category,quadrant",
                    ["CR-NEW-1,CR-NEW,น้ำผึ้ง,อาหาร,"])
    shops = _csv(tmp_path / "chuanchim.csv", "chuanchim_id,name,district,province",
                 ["C-5701,ครัวเชียงรายใหม่,เมืองเชียงราย,เชียงราย", "C-NEW,ร้านใหม่,เมืองเชียงราย,เชียงราย"])
    assert_fresh(areas, monkeypatch)
    answers(areas, ("50", "5001", "5002"))  # most recently used
    national_producers(areas)
    before = versions_now(areas)
    report = import_files(areas, [producers, products, shops])
    assert not report.rejects, report.lines()
    misses = cache.stats.misses
    answers(areas, ("50", "5001", "5002"))
    assert cache.stats.misses == misses  # nothing of เชียงใหม่ counted again
    assert national_producers(areas) == 6
    assert cache.stats.misses == misses + 1  # the national answer, read from its row (registry.rollup)
    after = assert_fresh(areas, monkeypatch)
    assert after["counts", "57"].datasets["producers"].total == 2
    now = versions_now(areas)
    assert {k for k in now if now[k] != before.get(k, 0)} == {CR}


def test_imported_field_and_list_changes_are_counted_where_they_are(areas, monkeypatch, tmp_path):
    product = code_of(areas, Product, "5001")
    with areas() as s:
        owner = s.scalar(select(Product).where(Product.code == product)).producer.code
    products = _csv(tmp_path / "products.csv", "product_id,producer_id,name,category,quadrant,photos,standards",
                    [f"{product},{owner},ผ้าไหมใหม่,ผ้า เครื่องแต่งกาย,,,มผช. 1/2566"])  # quadrant, photos blank
    shops = _csv(tmp_path / "chuanchim.csv", "chuanchim_id,items,awards",
                 ["C-5002,,รางวัลอร่อย", "C-5701,,"])  # items emptied (5002), C-5701 unchanged
    producer = code_of(areas, Producer, "5002")
    producers = _csv(tmp_path / "producers.csv", "producer_id,producer_type,sales_channels",
                     [f"{producer},SME,export"])
    assert imported(areas, monkeypatch, products) == {"5001"}
    after = assert_fresh(areas, monkeypatch)
    assert after["counts", "5001"].field("products.quadrant").missing == 1
    assert after["counts", "5001"].field("products.photos").missing == 1
    assert imported(areas, monkeypatch, shops) == {"5002"}
    after = assert_fresh(areas, monkeypatch)
    province = after["counts", "50"]
    assert (province.field("chuanchim.items").missing, province.field("chuanchim.awards").missing) == (1, 0)
    assert imported(areas, monkeypatch, producers) == {"5002"}
    assert assert_fresh(areas, monkeypatch)["table", "50"].total["producers_sme"] == 1


def test_an_imported_move_bumps_both_districts_and_the_products_follow(areas, monkeypatch, tmp_path):
    mover = code_of(areas, Producer, "5001")  # owns STRAY, in 5002
    product = code_of(areas, Product, "5001", 2)  # another producer's product, given to the 5002 producer
    owner_5002 = code_of(areas, Producer, "5002")
    producers = _csv(tmp_path / "producers.csv", "producer_id,district,province",
                     [f"{mover},เมืองเชียงราย,เชียงราย"])
    products = _csv(tmp_path / "products.csv", "product_id,producer_id", [f"{product},{owner_5002}"])
    shops = _csv(tmp_path / "chuanchim.csv", "chuanchim_id,district,province", ["C-5002,เมืองเชียงราย,เชียงราย"])
    assert imported(areas, monkeypatch, producers) == {"5001", "5002", CR}
    assert imported(areas, monkeypatch, products) == {"5001", "5002"}
    assert imported(areas, monkeypatch, shops) == {"5002", CR}
    after = assert_fresh(areas, monkeypatch)
    with areas() as s:
        assert s.scalar(select(Product.district_code).where(Product.code == "STRAY")) == CR
        assert s.scalar(select(Product.district_code).where(Product.code == product)) == "5002"
    totals = {ds: [after["counts", a].datasets[ds].total for a in ("5001", "5002", CR)]
              for ds in ("producers", "products", "chuanchim")}
    assert totals == {"producers": [2, 1, 2], "products": [3, 2, 4], "chuanchim": [0, 0, 2]}


def test_an_imported_closure_takes_the_products_out_wherever_they_are(areas, monkeypatch, tmp_path):
    before = answers(areas)
    closing = code_of(areas, Producer, "5001")  # two products in 5001, STRAY in 5002
    producers = _csv(tmp_path / "producers.csv", "producer_id,status", [f"{closing},closed"])
    assert imported(areas, monkeypatch, producers) == {"5001", "5002"}
    after = assert_fresh(areas, monkeypatch)
    for area, closed in (("5001", 2), ("5002", 1), (CR, 0)):
        key = ("counts", area)
        assert after[key].datasets["products"].total == before[key].datasets["products"].total - closed
    assert after["monthly", "50"].total["closures"] == 1


def test_reimporting_unchanged_files_bumps_nothing(areas, monkeypatch, tmp_path):
    with areas() as s:
        export_registry(s, tmp_path)  # a folder of its own (the fixture's file is elsewhere)
    files = sorted(tmp_path.glob("*.csv"))
    import_files(areas, files)  # the first time, the file's form of the records is taken
    before = assert_fresh(areas, monkeypatch)
    answers(areas, AREAS[1:])  # most recently used (the national answers' parts overflow the LRU)
    misses, versions_before = cache.stats.misses, versions_now(areas)
    report = import_files(areas, files)
    assert [c.unchanged for c in report.sheets.values()] == [5, 9, 2], report.lines()
    assert not any(c.created or c.updated or c.rejected for c in report.sheets.values()), report.lines()
    assert versions_now(areas) == versions_before
    answers(areas, AREAS[1:])
    assert cache.stats.misses == misses  # all from the cache
    assert assert_fresh(areas, monkeypatch) == before
