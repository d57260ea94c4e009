"""The registry cache answers from the registry as it is: every way of changing a record (ORM,
Core statements, the importer, snapshots, demo data) gives the registry a new version, and
the next answer reflects the change; rolled-back writes never leave answers behind. Changes
of known districts (ORM, imports) leave the other districts' cached answers in use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from models import Producer, Product, ProductPhoto, Quadrant, RegistrationStatus, unit_of_work
from models.epoch import RegistryEpoch
from registry import cache, completeness, epoch, reports, rollup, snapshots
from registry.importer import import_files
from tests.registry import factories as f


@pytest.fixture
def reg(db):
    with unit_of_work(db) as s:
        for _ in range(3):
            f.producer(s, "5001", products=2)
    return db


def quadrant_missing(factory, area: str = "5001") -> int:
    with factory() as s:
        return completeness.area_counts(s, area).field("products.quadrant").missing


def version(factory) -> tuple[int, ...] | None:
    with factory() as s:
        return epoch.versions(s, None)


def versions_now(factory) -> dict[str, int]:
    with factory() as s:
        return epoch.rows(s, None)


def test_repeated_answers_come_from_the_cache(reg):
    first = quadrant_missing(reg)
    hits = cache.stats.hits
    assert quadrant_missing(reg) == first
    assert cache.stats.hits == hits + 1
    with reg() as s:  # handed-out values are copies: changing one does not change the cache
        completeness.area_counts(s, "5001").fields.clear()
    assert quadrant_missing(reg) == first


def test_orm_change_is_seen_at_once(reg):
    before = quadrant_missing(reg)
    v = version(reg)
    with unit_of_work(reg) as s:
        pr = s.scalars(select(Product).where(Product.quadrant.is_not(None))).first()
        pr.quadrant = None
    assert version(reg) != v
    assert quadrant_missing(reg) == before + 1


def test_core_update_and_delete_are_seen(reg):
    before = quadrant_missing(reg)
    with unit_of_work(reg) as s:
        s.execute(update(Product).values(quadrant=Quadrant.A))
    assert quadrant_missing(reg) == 0 != before or before == 0
    with reg() as s:
        total = completeness.area_counts(s, "5001").datasets["products"].total
    with unit_of_work(reg) as s:
        pid = s.scalars(select(Product.id)).first()
        s.execute(update(Product).where(Product.id == pid).values(active=False))
    with reg() as s:
        assert completeness.area_counts(s, "5001").datasets["products"].total == total - 1


def test_rolled_back_writes_leave_nothing_behind(reg):
    before = quadrant_missing(reg)
    with reg() as s:
        s.execute(update(Product).values(quadrant=None))
        # the writer sees its own change, and it is not cached
        assert completeness.area_counts(s, "5001").field("products.quadrant").missing > before
        s.rollback()
    assert quadrant_missing(reg) == before


def test_savepoint_rollback_then_write_still_bumps(reg):
    before = quadrant_missing(reg)
    v = version(reg)
    with unit_of_work(reg) as s:
        with s.begin_nested() as sp:
            s.execute(update(Product).values(category=None))
            sp.rollback()
        pr = s.scalars(select(Product).where(Product.quadrant.is_not(None))).first()
        pr.quadrant = None
    assert version(reg) != v
    assert quadrant_missing(reg) == before + 1


def test_province_table_and_monthly_report_follow_changes(reg):
    with reg() as s:
        a = reports.province_table(s, "50").total["quadrant_a"]
    with unit_of_work(reg) as s:
        s.execute(update(Product).values(quadrant=Quadrant.A))
    with reg() as s:
        assert reports.province_table(s, "50").total["quadrant_a"] == 6 != a or a == 6
    month = date.today().replace(day=1)
    with reg() as s:
        assert reports.monthly_report(s, month, "50").total["new_producers"] >= 0
        assert snapshots.snapshot_counts(s, month, "50") is None
    with unit_of_work(reg) as s:
        snapshots.take_snapshot(s, month)
    with reg() as s:
        assert snapshots.snapshot_counts(s, month, "50") is not None


def test_import_changes_are_seen(reg, tmp_path: Path):
    with reg() as s:
        code = s.scalars(select(Product.code).where(Product.quadrant.is_not(None))).first()
        owner = s.scalar(select(Product).where(Product.code == code)).producer.code
    before = quadrant_missing(reg)
    path = tmp_path / "products.csv"
    path.write_text("product_id,producer_id,name,ประเภทผลิตภัณฑ์,quadrant\n"
                    f"{code},{owner},ชื่อใหม่,อาหาร,\n"
                    f"NEW-1,{owner},สินค้าใหม่,อาหาร,\n", encoding="utf-8")
    report = import_files(reg, [path])
    assert report.sheets["products"].created == 1, report.lines()
    assert quadrant_missing(reg) >= before + 1  # the new product lacks a Quadrant


def test_import_of_new_rows_only_bumps_their_district(reg, tmp_path: Path):
    """On PostgreSQL new rows go in by COPY, which the Session does not see: the importer
    bumps their district's version itself (and nothing else)."""
    with reg() as s:
        owner = s.scalars(select(Product)).first().producer.code
    before = versions_now(reg)
    path = tmp_path / "products.csv"
    path.write_text(f"product_id,producer_id,name,ประเภทผลิตภัณฑ์,quadrant\nNEW-2,{owner},ใหม่,อาหาร,A\n",
                    encoding="utf-8")
    import_files(reg, [path])
    after = versions_now(reg)
    assert {k for k in after if after[k] != before.get(k, 0)} == {"5001"}


def test_missing_epoch_row_means_no_caching(reg):
    with unit_of_work(reg) as s:
        s.execute(RegistryEpoch.__table__.delete())
    misses, bypassed = cache.stats.misses, cache.stats.bypassed
    quadrant_missing(reg)
    assert cache.stats.misses == misses and cache.stats.bypassed == bypassed + 1
    with unit_of_work(reg) as s:  # a province's change does not bring it back ...
        s.scalars(select(Product)).first().quadrant = Quadrant.B
    assert version(reg) is None
    with unit_of_work(reg) as s:  # ... a change of the whole registry does
        s.execute(update(Product).values(quadrant=Quadrant.C))
    assert version(reg) is not None


# ---------------------------------------------------------------- per-province versions

CR = "5701"  # เมืองเชียงราย: another province


def counts(factory, area: str):
    with factory() as s:
        return completeness.area_counts(s, area)


def test_a_change_elsewhere_keeps_the_province_cached_and_a_change_here_does_not(reg, monkeypatch):
    counted: list[list[str] | None] = []  # the districts counted from the registry (writer at commit, or reader)
    count = rollup.count

    def spy(session, codes):
        counted.append(codes)
        return count(session, codes)

    monkeypatch.setattr(rollup, "count", spy)
    with unit_of_work(reg) as s:
        f.producer(s, CR, products=1)
    counts(reg, "50")
    misses, hits = cache.stats.misses, cache.stats.hits
    assert counts(reg, "50") == counts(reg, "50")
    assert (cache.stats.misses, cache.stats.hits) == (misses, hits + 2)  # the province's sum, as it was
    counted.clear()
    with unit_of_work(reg) as s:  # a change in เชียงราย
        s.scalar(select(Product).where(Product.district_code == CR)).quadrant = None
    assert counted == [[CR]]  # counted again by the writer, before its commit
    counted.clear()
    misses = cache.stats.misses
    counts(reg, "50")
    assert counted == [] and cache.stats.misses == misses  # nothing of เชียงใหม่ counted again
    assert counts(reg, "57").field("products.quadrant").missing == 1
    assert counted == []  # เชียงราย's answer is the sum of rows held in the database
    with unit_of_work(reg) as s:  # a change in เมืองเชียงใหม่
        s.scalars(select(Product).where(Product.district_code == "5001")).first().quadrant = None
    assert counted == [["5001"]]  # only that district counted again, by the writer
    counted.clear()
    assert counts(reg, "50").field("products.quadrant").missing == 1
    assert counted == []  # the reader took its row (and redid the province's sum)
    with reg() as s:
        assert counts(reg, "50") == completeness._area_counts.uncached(s, "50")
    with reg() as s:  # handed-out sums are copies: changing one does not change the cache
        completeness.area_counts(s, "50").fields.clear()
    assert counts(reg, "50").field("products.quadrant").missing == 1


def test_list_rows_find_their_province_through_the_parent(reg):
    photos = counts(reg, "5001").field("products.photos").missing
    with unit_of_work(reg) as s:  # by foreign key
        pid = s.scalars(select(Product.id).where(Product.district_code == "5001")).first()
        s.execute(ProductPhoto.__table__.delete().where(ProductPhoto.product_id == pid))
    assert counts(reg, "5001").field("products.photos").missing == photos + 1
    with unit_of_work(reg) as s:
        s.add(ProductPhoto(product_id=pid, location="photos/new.jpg"))
    assert counts(reg, "5001").field("products.photos").missing == photos
    with unit_of_work(reg) as s:  # through the parent's collection
        product = s.get(Product, pid)
        product.photos.clear()
    assert counts(reg, "5001").field("products.photos").missing == photos + 1
    with unit_of_work(reg) as s:
        product = s.get(Product, pid)
        product.photos.append(ProductPhoto(location="photos/again.jpg"))
    assert counts(reg, "5001").field("products.photos").missing == photos


def test_a_producer_moved_to_another_province_leaves_both_right(reg):
    assert counts(reg, "57").datasets["producers"].total == 0
    before = counts(reg, "50").datasets["producers"].total
    with unit_of_work(reg) as s:
        p = s.scalars(select(Producer).where(Producer.district_code == "5001")).first()
        p.province_code, p.district_code, p.subdistrict_code = "57", CR, None
    assert counts(reg, "57").datasets["producers"].total == 1
    assert counts(reg, "50").datasets["producers"].total == before - 1


def test_a_closed_producer_takes_its_products_out_of_the_counts(reg):
    before = counts(reg, "50").datasets["products"].total
    with unit_of_work(reg) as s:
        s.scalars(select(Producer)).first().status = RegistrationStatus.CLOSED
    assert counts(reg, "50").datasets["products"].total == before - 2


def test_the_national_table_is_recounted_only_where_it_changed_and_stays_exact(reg):
    with unit_of_work(reg) as s:
        f.producer(s, CR, products=1)
    with reg() as s:
        reports.province_table(s, None)
        assert reports.province_table(s, None) == reports._table(s, None)  # all from the cache
    with unit_of_work(reg) as s:
        s.scalar(select(Product).where(Product.district_code == CR)).quadrant = Quadrant.A
    with reg() as s:
        composed = reports.province_table(s, None)
        assert composed == reports._table(s, None)
        assert next(r for r in composed.rows if r["area_code"] == "57")["quadrant_a"] == 1
    with unit_of_work(reg) as s:  # the whole registry: one grouped pass
        s.execute(update(Product).values(quadrant=Quadrant.D))
    with reg() as s:
        assert reports.province_table(s, None) == reports._table(s, None)
        assert reports.province_table(s, None).total["quadrant_d"] == 7


def test_monthly_movements_follow_changes_per_district(reg):
    month = date.today().replace(day=1)
    with reg() as s:
        assert reports.monthly_report(s, month, "50").total["new_products"] == 6
        assert reports.monthly_report(s, month, None).total["new_products"] == 6
    with unit_of_work(reg) as s:
        f.producer(s, "5002", products=1)
        f.producer(s, CR, products=2)
    with reg() as s:
        province = reports.monthly_report(s, month, "50")
        assert province.total["new_products"] == 7
        assert {r["area_code"]: r["new_products"] for r in province.rows} == {"5001": 6, "5002": 1}
        nation = reports.monthly_report(s, month, None)
        assert {r["area_code"]: r["new_products"] for r in nation.rows} == {"50": 7, "57": 2}
        assert reports.monthly_report(s, month, "5002").total["new_products"] == 1


def test_national_counts_are_assembled_from_districts_and_stay_exact(reg):
    with unit_of_work(reg) as s:
        f.producer(s, CR, products=1)
    with reg() as s:
        assert completeness.area_counts(s, None) == completeness._area_counts.uncached(s, None)
        assert completeness.area_counts(s, None, "products") == completeness._area_counts.uncached(s, None, "products")
    misses = cache.stats.misses
    with unit_of_work(reg) as s:
        s.scalar(select(Product).where(Product.district_code == CR)).quadrant = None
    with reg() as s:
        counts_now = completeness.area_counts(s, None)
        assert counts_now == completeness._area_counts.uncached(s, None)
        assert counts_now.field("products.quadrant").missing == 1
    assert cache.stats.misses == misses + 1  # the national answer, read from its row (registry.rollup)


def test_previous_snapshot_month_follows_snapshots_taken_and_removed(reg):
    """The month shown beside "change since" is cached like the snapshot itself: a snapshot
    taken or deleted gives the registry a new version, and the next answer follows."""
    from models import CompletenessSnapshot

    today = date(2024, 5, 15)
    with reg() as s:
        assert snapshots.previous_month(s, today) is None
        assert snapshots.previous_month(s, today) is None  # from the cache
    for month in (date(2024, 3, 1), date(2024, 4, 1), date(2024, 5, 1)):
        with unit_of_work(reg) as s:
            snapshots.take_snapshot(s, month)
    with reg() as s:
        assert snapshots.previous_month(s, today) == date(2024, 4, 1)  # May is not before May
        assert snapshots.previous_snapshot(s, today, "5001") is not None
    with unit_of_work(reg) as s:
        s.execute(CompletenessSnapshot.__table__.delete().where(CompletenessSnapshot.month == date(2024, 4, 1)))
    with reg() as s:
        assert snapshots.previous_month(s, today) == date(2024, 3, 1)
        assert completeness.previous_month(s, today) == date(2024, 3, 1)


@pytest.fixture
def version_reads(reg):  # type: ignore[no-untyped-def]
    """The statements that read registry_epoch, recorded on the engine while the test runs."""
    from sqlalchemy import event

    seen: list[str] = []
    engine = reg.kw["bind"]

    def record(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "registry_epoch" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_versions_are_read_once_per_transaction_and_again_after_a_bump_or_commit(reg, version_reads):
    reads = version_reads
    with reg() as s:
        first = epoch.rows(s, "500101")
        assert epoch.rows(s, "5001") is first  # the same district, read once
        assert epoch.current(s) == first[epoch.WHOLE]  # the "" row came with it
        assert len(reads) == 1
        epoch.rows(s, "50")  # another area is read
        assert len(reads) == 2
        s.commit()
        with unit_of_work(reg) as other:  # a change committed elsewhere
            epoch.bump(other, ["5001"])
        assert len(reads) == 3  # its writer read them to store the district's counts (registry.rollup)
        again = epoch.rows(s, "5001")  # the next transaction reads again and sees it
        assert len(reads) == 4 and again["5001"] != first.get("5001")
        epoch.bump(s, ["5001"])  # this transaction's own bump is seen too
        mine = epoch.rows(s, "5001")
        assert len(reads) == 5 and mine["5001"] != again["5001"]
        s.rollback()


def test_current_alone_is_read_once_per_transaction(reg, version_reads):
    reads = version_reads
    with reg() as s:
        v = epoch.current(s)
        assert epoch.current(s) == v and len(reads) == 1
        assert epoch.rows(s, None)[epoch.WHOLE] == v  # the nation's rows are still read
        assert len(reads) == 2
