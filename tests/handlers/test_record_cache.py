"""My record's cards are cached by the registry versions of the producer's district
(handlers/producer/record.py `record_parts`): an unchanged record is shown from one statement
of its own, and every way of changing it (an ORM change, a new list row, a statement through
the Session, a proposal waiting for the district, a move to another district) shows at once."""

from __future__ import annotations

from sqlalchemy import update

from bot.testing import texts
from models import PendingChange, Producer, Product, ProductKeyword, unit_of_work
from registry import cache
from tests.handlers.producer_world import PRODUCER, World, world  # noqa: F401
from tests.handlers.test_statement_counts import counter  # noqa: F401


def test_unchanged_record_is_one_statement_of_its_own(line_client, counter, world: World):  # noqa: F811
    line_client.say(PRODUCER, "สวัสดี")
    counter.counts.clear()
    first = line_client.say(PRODUCER, "ข้อมูลของฉัน")  # the versions (with the proposals), then the record's two
    again = line_client.say(PRODUCER, "ข้อมูลของฉัน")
    missing = line_client.say(PRODUCER, "ยังขาดอะไร")
    assert texts(again) == texts(first)
    cold, warm, missing_warm = (len(b) for b in counter.counts["event"])
    assert warm == cold - 2 and missing_warm == warm, counter.counts["event"]
    assert "ผ้าไหมทอมือ" in texts(missing)


def test_every_change_shows_at_once(line_client, db, world: World):  # noqa: F811
    def shown() -> str:
        return str(line_client.say(PRODUCER, "ข้อมูลของฉัน"))

    assert "นางสมศรี ใจดี" in shown() and "นางสมศรี ใจดี" in shown()  # cached now
    with unit_of_work(db) as s:  # an ORM change of the registration
        s.get(Producer, world.producer_id).owner_name = "นางสมใจ ใจงาม"
    assert "นางสมใจ ใจงาม" in shown()
    with unit_of_work(db) as s:  # a new list row of a product
        s.add(ProductKeyword(product_id=world.cotton_id, word="ย้อมครามแท้"))
    assert "ย้อมครามแท้" in shown()
    with unit_of_work(db) as s:  # a statement through the Session (bumps the whole registry)
        s.execute(update(Product).where(Product.id == world.silk_id).values(name="ผ้าไหมมัดหมี่"))
    assert "ผ้าไหมมัดหมี่" in shown()
    with unit_of_work(db) as s:  # a proposal waiting for the district: not a registry table
        s.add(PendingChange(entity="product", entity_id=world.silk_id, field="category", old_value=None,
                            new_value="textile", producer_id=world.producer_id, district_code="5001",
                            requested_by=PRODUCER))
    assert "รอเจ้าหน้าที่" in shown()
    with unit_of_work(db) as s:  # moved to another district (the account still says 5001)
        s.get(Producer, world.producer_id).district_code = "5007"
    after_move = shown()
    assert "รอเจ้าหน้าที่" not in after_move  # the proposal waits for 5001's officers, no longer his
    with unit_of_work(db) as s:
        s.get(Producer, world.producer_id).phone = "0811111111"
    assert "081-111-1111" in shown() or "0811111111" in shown()


def test_cache_off_reads_the_record(line_client, db, world: World, monkeypatch):  # noqa: F811
    monkeypatch.setattr(cache, "enabled", False)
    assert "นางสมศรี ใจดี" in str(line_client.say(PRODUCER, "ข้อมูลของฉัน"))
    with unit_of_work(db) as s:
        s.get(Producer, world.producer_id).owner_name = "นางสมใจ ใจงาม"
    assert "นางสมใจ ใจงาม" in str(line_client.say(PRODUCER, "ข้อมูลของฉัน"))


def test_a_product_added_in_another_district_shows_at_once(line_client, db, world: World):  # noqa: F811
    """Adding it bumps only its own district, one the record had nothing in (found in review)."""
    def shown() -> str:
        return str(line_client.say(PRODUCER, "ข้อมูลของฉัน"))

    assert "นางสมศรี ใจดี" in shown() and "นางสมศรี ใจดี" in shown()  # cached now
    with unit_of_work(db) as s:
        s.add(Product(code="PR-77", producer_id=world.producer_id, province_code="50", district_code="5007",
                      name="ร่มบ่อสร้างใหม่"))
    assert "ร่มบ่อสร้างใหม่" in shown()
