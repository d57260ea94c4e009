"""The per-district counts held in the database (registry.rollup) equal a recount after
imports, edits (through the ORM and as statements), closures and relocations; they are stored
by the writers, so answers read them instead of counting; a row whose versions are no longer
current is never used."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from models import AreaRollup, Producer, Product, Quadrant, unit_of_work
from registry import cache, completeness, epoch, reports, rollup
from registry.demo import generate
from registry.importer import import_files
from tests.registry import factories as f

NOW = datetime.now(timezone.utc)  # this month's closures and relocations are in the rows too
CM_MUEANG, CM_CHOMTHONG, CR_MUEANG = "5001", "5002", "5701"


def stored(factory) -> dict[str, dict]:
    """The rows held in the database whose versions are current (what readers use)."""
    with factory() as s:
        found = epoch.rows(s, None)
        return rollup._current_rows(s, list(s.scalars(select(AreaRollup.area_code))), found)


def assert_rollup_is_a_recount(factory) -> None:
    """Every district with records (and every district the writers touched), its province and
    the nation have a current row equal to a recount, and the answers built on them equal
    answers counted with no cache."""
    with factory() as s:
        recount = rollup.count(s, None)
        with_records = {d for d, p in recount.items() if p["r"] is not None}
    for area in {d[:2] for d in with_records} | {""}:
        recount[area] = rollup._sum(recount[d] for d in rollup._districts(area))
    rows = stored(factory)
    wanted = with_records | {d[:2] for d in with_records} | {""}
    assert wanted <= set(rows), sorted(wanted - set(rows))  # stored by the writers
    assert {d: rows[d] for d in rows if d in recount} == {d: recount[d] for d in rows if d in recount}
    cache.clear()
    with factory() as s:
        for area in (None, "50", "57", CM_MUEANG, CM_CHOMTHONG, CR_MUEANG):
            assert completeness.area_counts(s, area) == completeness._area_counts.uncached(s, area), area
            assert completeness.area_counts(s, area, "products") == \
                completeness._area_counts.uncached(s, area, "products"), area
        for area in (None, "50"):
            assert reports.province_table(s, area) == reports._table(s, area), area
        month = date.today().replace(day=1)
        for area in (None, "50", "57"):
            held = reports.monthly_report(s, month, area)
            cache.enabled = False
            try:
                counted = reports.monthly_report(s, month, area)
            finally:
                cache.enabled = True
            assert (held.rows, held.total, held.completeness) == (counted.rows, counted.total, counted.completeness)


@pytest.fixture
def world(db):
    with unit_of_work(db) as s:
        for district in (CM_MUEANG, CM_MUEANG, CM_CHOMTHONG, CR_MUEANG):
            f.producer(s, district, products=2)
    return db


def test_every_kind_of_write_keeps_the_rows_equal_to_a_recount(world, tmp_path: Path):
    from registry import workflows as wf

    assert_rollup_is_a_recount(world)
    with unit_of_work(world) as s:  # an edit through the ORM (one district)
        s.scalars(select(Product).where(Product.district_code == CM_MUEANG)).first().quadrant = None
    assert_rollup_is_a_recount(world)
    with unit_of_work(world) as s:  # a statement (the whole registry's version)
        s.execute(update(Product).where(Product.district_code == CR_MUEANG).values(quadrant=Quadrant.D))
    assert_rollup_is_a_recount(world)
    with world() as s:
        code = s.scalars(select(Producer.code).where(Producer.district_code == CM_CHOMTHONG)).first()
    (tmp_path / "producers.csv").write_text(f"producer_id,producer_type,phone\n{code},SME,\n", encoding="utf-8")
    report = import_files(world, [tmp_path / "producers.csv"])  # an import (batches counted at the end)
    assert not report.rejects and not report.problems, report.lines()
    assert_rollup_is_a_recount(world)
    with unit_of_work(world) as s:  # a closure, all the way
        p = s.scalars(select(Producer).where(Producer.district_code == CM_MUEANG)).first()
        rid = wf.submit_closure(s, f.producer_actor(p), p.id, "เลิกผลิต", NOW.date(), now=NOW).request.id
    for n, action in ((1, "approve"), (2, "cancel_in_system")):
        with unit_of_work(world) as s:
            kw = {"meeting_date": NOW.date()} if action == "approve" else {}
            wf.act(s, f.district_officer(n=n), rid, action, now=NOW, **kw)
    assert_rollup_is_a_recount(world)
    with unit_of_work(world) as s:  # a relocation to another province
        p = s.scalars(select(Producer).where(Producer.district_code == CM_CHOMTHONG)).first()
        rid = wf.submit_relocation(s, f.producer_actor(p), p.id, "57", CR_MUEANG, f.SUB[CR_MUEANG], "ย้ายบ้าน",
                                   now=NOW).request.id
    with unit_of_work(world) as s:
        wf.act(s, f.district_officer(CM_CHOMTHONG), rid, "cancel_in_system", now=NOW)
    with unit_of_work(world) as s:
        wf.act(s, f.district_officer(CR_MUEANG), rid, "register", now=NOW)
    assert_rollup_is_a_recount(world)


def test_answers_read_the_rows_instead_of_counting(world, monkeypatch):
    counted: list = []
    count = rollup.count
    monkeypatch.setattr(rollup, "count", lambda s, codes: counted.append(codes) or count(s, codes))
    with unit_of_work(world) as s:  # a change of the whole registry: counted by its writer
        s.execute(update(Product).values(quadrant=Quadrant.C))
    assert counted == [None]
    with unit_of_work(world) as s:  # counted again: every district, province and the nation written at this version
        assert rollup.refresh(s) == len(rollup.every_district()) + len(rollup._children("")) + 1
    counted.clear()
    cache.clear()  # another process: nothing cached
    with world() as s:
        national = completeness.area_counts(s, None)
        table = reports.province_table(s, None)
        district = completeness.area_counts(s, CM_MUEANG)
    assert counted == []
    assert national.field("products.quadrant").missing == 0 and table.total["quadrant_c"] == 8
    assert district.datasets["products"].total == 4


def test_a_row_of_other_versions_is_never_used(world):
    """A writer outside the bot changes a district and bumps its version without counting it:
    the stored row no longer matches, so the answer is counted (and stored again)."""
    with world() as s:
        assert completeness.area_counts(s, CR_MUEANG).datasets["products"].total == 2
    with unit_of_work(world) as s:
        s.info[rollup.DEFER] = True  # as a program that does not know about the rows
        s.connection().execute(text("UPDATE products SET active = false WHERE district_code = :d"), {"d": CR_MUEANG})
        epoch.bump(s, [CR_MUEANG])
    cache.clear()
    with world() as s:
        assert completeness.area_counts(s, CR_MUEANG).datasets["products"].total == 0
        assert completeness.area_counts(s, None) == completeness._area_counts.uncached(s, None)
        s.commit()  # the reader's recount is stored for the next one
    assert stored(world)[CR_MUEANG]["d"][1][0] == 0


def test_demo_data_leaves_every_district_counted(db):
    generate(db, scale="small", seed=7, as_of=date(2024, 1, 26))
    assert_rollup_is_a_recount(db)
    assert set(stored(db)) == {*rollup.every_district(), *rollup._PROVINCES(), ""}


def test_rows_added_to_a_new_records_lists_bump_only_its_district(world):
    """A new record with rows in its lists (a relocation's registration copies them) changes its
    district only: its writer counts one district, not the whole registry."""
    with world() as s:
        before = dict(epoch.rows(s, None))
    with unit_of_work(world) as s:
        f.producer(s, CR_MUEANG, products=2)  # projects, ratings, ... and products with their lists
    with world() as s:
        after = dict(epoch.rows(s, None))
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {CR_MUEANG}


def test_snapshot_answers_outlive_registry_changes_and_follow_new_snapshots(world):
    """Snapshots have their own version ("S"): a change of the whole registry leaves the
    snapshot answers cached; a snapshot taken again changes them, and every area's answers."""
    from registry import snapshots

    month = date(2024, 1, 1)
    with unit_of_work(world) as s:
        snapshots.take_snapshot(s, month)
    with world() as s:
        first = snapshots.snapshot_counts(s, month, "50")
        report = reports.monthly_report(s, month, "50")
    with unit_of_work(world) as s:  # a statement: the whole registry's version
        s.execute(update(Product).values(quadrant=None))
    hits = cache.stats.hits
    with world() as s:
        assert snapshots.snapshot_counts(s, month, "50") == first
    assert cache.stats.hits == hits + 1  # from the cache
    with unit_of_work(world) as s:
        snapshots.take_snapshot(s, month)
    with world() as s:
        again = snapshots.snapshot_counts(s, month, "50")
        assert again.field("products.quadrant").missing == 6 != first.field("products.quadrant").missing
        assert reports.monthly_report(s, month, "50").completeness != report.completeness


def test_a_whole_registry_change_left_uncounted_makes_every_row_stale(world):
    """The mark of a full check is for one whole-registry version: after a change of the whole
    registry that nobody counted, no row is current, and answers are counted."""
    with unit_of_work(world) as s:
        rollup.refresh(s)  # every area checked (the mark written)
    with world() as s:
        assert completeness.area_counts(s, None).field("products.quadrant").missing == 0
    with unit_of_work(world) as s:
        s.info[rollup.DEFER] = True
        s.execute(update(Product).values(quadrant=None))
    assert stored(world) == {}
    cache.clear()
    with world() as s:
        assert completeness.area_counts(s, None).field("products.quadrant").missing == 8


def test_a_reader_that_counted_before_a_whole_registry_change_never_leaves_a_stale_row(db):
    """A reader counts a district that has no current row and stores it when it commits; a
    whole-registry change commits in between. Its row must not be used afterwards (a full
    refresh used to write only the rows that changed plus a mark that every row was checked,
    which made the reader's older counts current: 0 missing Quadrants answered for 2)."""
    if db.kw["bind"].dialect.name != "postgresql":  # the factory's engine
        pytest.skip("SQLite's writers queue for the whole transaction: no such interleaving")
    with unit_of_work(db) as s:
        f.producer(s, CR_MUEANG, products=2)
    with db() as s, s.begin():  # a writer that bumps the district without counting it
        s.info[rollup.DEFER] = True
        epoch.bump(s, [CR_MUEANG])
    reader = db()
    assert rollup.load(reader, [CR_MUEANG])[CR_MUEANG]["f"]  # counted, stored at its commit
    with unit_of_work(db) as s:  # a statement over the whole registry, committed meanwhile
        s.execute(update(Product).where(Product.district_code == CR_MUEANG).values(quadrant=None))
    reader.commit()
    reader.close()
    cache.clear()
    with db() as s:
        assert completeness.area_counts(s, CR_MUEANG).field("products.quadrant").missing == 2
        assert CR_MUEANG not in stored(db)  # the reader's row is there, but not current: recounted
