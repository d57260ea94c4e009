"""A small registry for the producer conversation tests: a linked producer in อ.เมืองเชียงใหม่
with two products (one complete but for its photo, one missing its ★ fields), another producer
of the same district, district officers of the old and of a target district, a province
officer. Plus helpers to read what was stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.demo import make_producer, national_id
from models import (AuditEntry, Category, LineAccount, PendingChange, Product, Quadrant, Role,
                    unit_of_work, utcnow)

PRODUCER = "U" + "1" * 31 + "a"
OTHER_PRODUCER = "U" + "2" * 31 + "b"
OFFICER_A = "U" + "3" * 31 + "c"
OFFICER_B = "U" + "4" * 31 + "d"
PROVINCE_OFFICER = "U" + "5" * 31 + "e"
TARGET_OFFICER = "U" + "6" * 31 + "f"  # district officer of อ.แม่ริม (5007)
OUTSIDE_OFFICER = "U" + "7" * 31 + "0"  # district officer of another province
NID = national_id("310010000123")
OTHER_NID = national_id("310010000456")


@dataclass(frozen=True)
class World:
    producer_id: int
    other_id: int
    silk_id: int  # ผ้าไหมทอมือ: no category, no quadrant, no standard, no photo
    cotton_id: int  # ผ้าฝ้ายย้อมคราม: textile / B, no standard, no photo
    other_product_id: int


def make_world(db) -> World:  # type: ignore[no-untyped-def]
    with unit_of_work(db) as s:
        own = make_producer(s, "P-50-1", "กลุ่มทอผ้าบ้านสันกำแพง", "5001", national_id_digits=NID, phone="0812345678")
        own.national_id_valid, own.phone_valid, own.owner_name = True, True, "นางสมศรี ใจดี"
        other = make_producer(s, "P-50-2", "กลุ่มขนมลับเฉพาะ", "5001", national_id_digits=OTHER_NID, phone="0899999999")
        silk = Product(code="PR-1", producer_id=own.id, province_code="50", district_code="5001", name="ผ้าไหมทอมือ")
        cotton = Product(code="PR-2", producer_id=own.id, province_code="50", district_code="5001",
                         name="ผ้าฝ้ายย้อมคราม", category=Category.TEXTILE, quadrant=Quadrant.B, price=Decimal("350"))
        secret = Product(code="PR-9", producer_id=other.id, province_code="50", district_code="5001",
                         name="ขนมลับเฉพาะสูตรเด็ด")
        s.add_all([silk, cotton, secret])
        now = utcnow()
        s.add_all([
            LineAccount(user_id=PRODUCER, role=Role.PRODUCER, producer_id=own.id, province_code="50",
                        district_code="5001", following=True, linked_at=now),
            LineAccount(user_id=OTHER_PRODUCER, role=Role.PRODUCER, producer_id=other.id, province_code="50",
                        district_code="5001", following=True, linked_at=now),
            LineAccount(user_id=OFFICER_A, role=Role.DISTRICT, province_code="50", district_code="5001",
                        following=True, linked_at=now),
            LineAccount(user_id=OFFICER_B, role=Role.DISTRICT, province_code="50", district_code="5001",
                        following=True, linked_at=now),
            LineAccount(user_id=PROVINCE_OFFICER, role=Role.PROVINCE, province_code="50", following=True, linked_at=now),
            LineAccount(user_id=TARGET_OFFICER, role=Role.DISTRICT, province_code="50", district_code="5007",
                        following=True, linked_at=now),
            LineAccount(user_id=OUTSIDE_OFFICER, role=Role.DISTRICT, province_code="10", district_code="1020",
                        following=True, linked_at=now),
        ])
        s.flush()
        return World(own.id, other.id, silk.id, cotton.id, secret.id)


@pytest.fixture
def world(db, daytime) -> World:
    # Pushes are held in quiet hours (20:00-08:00 Bangkok; tested in tests/bot/test_push.py):
    # here they go at once (`daytime`) so that the tests do not depend on the time of day.
    return make_world(db)


def audits(db, entity: str, entity_id: int, field: str | None = None) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with db() as s:
        stmt = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        if field is not None:
            stmt = stmt.where(AuditEntry.field == field)
        return list(s.scalars(stmt.order_by(AuditEntry.id)))


def pending_changes(db) -> list[PendingChange]:  # type: ignore[no-untyped-def]
    with db() as s:
        return list(s.scalars(select(PendingChange).order_by(PendingChange.id)))


def received(fake_line, user_id: str) -> str:  # type: ignore[no-untyped-def]
    """All text a user received so far in this test (officers here only get pushes)."""
    from bot.testing import texts

    return texts(fake_line.delivered_to(user_id))
