"""Issue 16: cards that tell the truth: missing vs invalid vs expired, the headline rate
with the non-★ fields beside the ★ rate, and producer lists with all producers and a filter."""

from __future__ import annotations

from datetime import date

import pytest

from bot.testing import texts
from models import Producer, Product, ProductPhoto, ProductStandard, unit_of_work
from tests.handlers.officer.helpers import DIST, data_of, officers
from tests.registry import factories as f


@pytest.fixture
def records(db):
    officers(db)
    with unit_of_work(db) as s:
        bad = f.producer(s, "5001", products=1, national_id="1101700203452")  # check digit fails
        bad.national_id_valid = False
        bad.birth_date = date(1970, 1, 1)
        old = f.producer(s, "5001", products=1, national_id="1101700203468")
        old.national_id_valid, old.phone_valid, old.birth_date = True, True, date(1970, 1, 1)
        std = s.query(ProductStandard).join(Product).filter(Product.producer_id == old.id).one()
        std.expires_on = date(2020, 1, 31)
        fine = f.producer(s, "5001", products=1, national_id="1101700203476")
        fine.national_id_valid, fine.phone_valid, fine.birth_date = True, True, date(1970, 1, 1)
        nophoto = f.producer(s, "5001", products=1, national_id="1101700203484")
        nophoto.national_id_valid, nophoto.phone_valid, nophoto.birth_date = True, True, date(1970, 1, 1)
        s.query(ProductPhoto).filter(ProductPhoto.product_id.in_(
            s.query(Product.id).filter(Product.producer_id == nophoto.id))).delete(synchronize_session=False)
        ids = {"bad": bad.id, "old": old.id, "fine": fine.id, "nophoto": nophoto.id,
               "old_product": std.product_id}
    db.ids = ids
    return db


def test_an_invalid_id_is_called_invalid_not_missing(line_client, records):
    text = texts(line_client.tap(DIST, f"i=officer.producer_card&producer_id={records.ids['bad']}"))
    assert "⚠️ไม่ถูกต้อง: ★เลขประจำตัวประชาชน" in text
    assert "ยังขาด: ★เลขประจำตัวประชาชน" not in text
    assert "(ไม่ถูกต้อง)" in text.split("เลขบัตร:")[1].split("\n")[0]  # the masked number is flagged


def test_an_expired_standard_is_flagged(line_client, records):
    text = texts(line_client.tap(DIST, f"i=officer.product_card&product_id={records.ids['old_product']}"))
    assert "⏰มาตรฐานหมดอายุแล้ว: มผช. 0/2565 (หมดอายุแล้ว 31/1/2563)" in text


def test_the_headline_shows_every_field_beside_the_starred_rate(line_client, records):
    text = texts(line_client.tap(DIST, "i=officer.incomplete"))
    assert "ข้อมูลสำคัญ ★ ครบ" in text and "ทุกช่อง รวมรูปภาพและมาตรฐาน ครบ" in text


def test_producer_list_has_everyone_and_a_filter_for_the_incomplete(line_client, records):
    got = line_client.tap(DIST, "i=officer.list_producers")
    text = texts(got)
    assert "ทั้งหมด 4 ราย" in text
    for name in ("กลุ่มทดสอบ",):
        assert text.count(name) >= 4
    only = line_client.tap(DIST, data_of(got, "เฉพาะที่ยังไม่ครบ"))
    text = texts(only)
    assert "ที่ข้อมูลยังไม่ครบหรือไม่ถูกต้อง 2 ราย (จากทั้งหมด 4 ราย)" in text  # invalid ID, no photo
    assert data_of(only, "ผู้ผลิตทั้งหมด")


def test_producer_list_statements_are_built_once_per_officer_and_page(line_client, records, monkeypatch):
    """Built once (the page's ~30 completeness columns and SQLAlchemy's cache key of them cost
    more than running it), reused for the same officer, area, filter and page; the answer is
    read afresh each time (a producer added in between is counted)."""
    from handlers.accounts import officer
    from registry import completeness_records

    built: list[str] = []
    real = completeness_records.issue_columns
    monkeypatch.setattr(completeness_records, "issue_columns", lambda dataset: built.append(dataset) or real(dataset))
    if hasattr(officer, "_listing"):
        officer._listing.cache_clear()
    assert "ทั้งหมด 4 ราย" in texts(line_client.tap(DIST, "i=officer.list_producers"))
    with unit_of_work(records) as s:
        f.producer(s, "5001", products=1)
    assert "ทั้งหมด 5 ราย" in texts(line_client.tap(DIST, "i=officer.list_producers"))
    assert "ทั้งหมด 5 ราย" in texts(line_client.tap(DIST, "i=officer.list_producers&district_code=5001"))
    assert built == ["producers", "producers"]  # main: once per message
