"""Answers the chat takes from the registry cache change as soon as the registry does: a
Quadrant set through the chat, a name changed in the registry, a national report after a
producer is added."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.demo import make_producer
from bot.testing import texts
from models import Product, unit_of_work
from registry import cache
from tests.handlers.officer.helpers import CENTRAL, DIST, PROV, officers

INCOMPLETE = "อะไรยังไม่ครบในอำเภอเมืองเชียงใหม่"


@pytest.fixture
def records(db):
    officers(db)
    with unit_of_work(db) as s:
        chili = make_producer(s, "OTOP-50-0102", "วิสาหกิจชุมชนน้ำพริกแม่ศรี", "5001", phone="0812345602")
        s.add(Product(code="PR-0101", producer_id=chili.id, province_code="50", district_code="5001",
                      name="น้ำพริกหนุ่มแม่ศรี"))
    return db


def _quadrant_line(text: str) -> str | None:
    return next((ln for ln in text.splitlines() if ln.lstrip("★ ").startswith("ผลการจัดกลุ่ม (Quadrant):")), None)


def test_quadrant_set_in_chat_shows_in_the_next_count(line_client, records):
    assert _quadrant_line(texts(line_client.say(DIST, INCOMPLETE))) is not None
    hits = cache.stats.hits
    assert _quadrant_line(texts(line_client.say(DIST, INCOMPLETE))) is not None
    assert cache.stats.hits > hits  # the second answer came from the cache
    line_client.say(DIST, "ตั้ง quadrant น้ำพริกหนุ่มแม่ศรี เป็น A")
    assert "บันทึกแล้ว" in texts(line_client.say(DIST, "ยืนยัน"))
    assert _quadrant_line(texts(line_client.say(DIST, INCOMPLETE))) is None


def test_renamed_record_is_found_by_its_new_name(line_client, records):
    assert "น้ำพริกหนุ่มแม่ศรี" in texts(line_client.say(DIST, "ค้นหา น้ำพริกหนุ่ม"))
    with unit_of_work(records) as s:
        s.scalar(select(Product).where(Product.code == "PR-0101")).name = "แคบหมูแม่ศรี"
    got = texts(line_client.say(DIST, "ค้นหา แคบหมู"))
    assert "แคบหมูแม่ศรี" in got
    assert "น้ำพริกหนุ่มแม่ศรี" not in texts(line_client.say(DIST, "ค้นหา น้ำพริกหนุ่ม"))


def test_the_same_search_again_is_scored_once(line_client, records, monkeypatch):
    from handlers.officer import search

    first = texts(line_client.say(DIST, "ค้นหา น้ำพริกหนุ่ม"))
    scored = []
    monkeypatch.setattr(search, "_scores", lambda *a: scored.append(a) or pytest.fail("scored again"))
    assert texts(line_client.say(DIST, "ค้นหา น้ำพริกหนุ่ม")) == first and not scored
    assert "น้ำพริกหนุ่มแม่ศรี" in first


def test_national_report_counts_a_new_producer(line_client, records):
    before = texts(line_client.say(CENTRAL, "รายงานทั้งประเทศ"))
    assert "ผู้ผลิต ผู้ประกอบการ 1 ราย" in before
    with unit_of_work(records) as s:
        make_producer(s, "OTOP-50-0103", "กลุ่มใหม่", "5002", phone="0812345603")
    assert "ผู้ผลิต ผู้ประกอบการ 2 ราย" in texts(line_client.say(CENTRAL, "รายงานทั้งประเทศ"))
    assert "ผู้ผลิต ผู้ประกอบการ 2 ราย" in texts(line_client.say(PROV, "รายงานจังหวัด"))
