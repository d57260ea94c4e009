"""Demo data for the local chat: a few producers in two districts, a demo district officer
and a demo producer already linked, plus a fresh user. Idempotent."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import LineAccount, Producer, ProducerType, RegistrationStatus, Role, utcnow
from registry.ids import national_id_check_digit


def demo_user_id(name: str) -> str:
    """A stable LINE-like user id (U + 32 hex) for a demo name."""
    return "U" + hashlib.md5(name.encode()).hexdigest()


DEMO_USERS = {
    "demo-officer": demo_user_id("demo-officer"),
    "demo-producer": demo_user_id("demo-producer"),
    "demo-new": demo_user_id("demo-new"),
}


def national_id(first12: str) -> str:
    return first12 + national_id_check_digit(first12)


DEMO_PRODUCERS = [
    # code, name, type, province, district, national id (first 12), phone
    ("OTOP-50-0001", "กลุ่มทอผ้าบ้านสันกำแพง", ProducerType.GROUP, "50", "5001", "350010000001", "0812345601"),
    ("OTOP-50-0002", "วิสาหกิจชุมชนน้ำพริกแม่ศรี", ProducerType.INDIVIDUAL, "50", "5001", "350010000002", "0812345602"),
    ("OTOP-50-0003", "กลุ่มจักสานไม้ไผ่", None, "50", "5001", "350010000003", "0812345603"),
    ("OTOP-50-0004", "ร้านเครื่องเงินวัวลาย", ProducerType.SME, "50", "5001", None, "053123456"),
    ("OTOP-10-0001", "กลุ่มขนมไทยบางกอกน้อย", ProducerType.GROUP, "10", "1020", "110200000001", "0898765401"),
]


def make_producer(session: Session, code: str, name: str, district_code: str, *, national_id_digits: str | None = None,
                  phone: str | None = None, producer_type: ProducerType | None = None,
                  status: RegistrationStatus = RegistrationStatus.ACTIVE) -> Producer:
    """A producer row with the fields the bot's spine needs (tests and demo)."""
    p = Producer(code=code, name=name, producer_type=producer_type, province_code=district_code[:2],
                 district_code=district_code, national_id=national_id_digits, phone=phone, status=status)
    session.add(p)
    session.flush()
    return p


def load_demo(session: Session) -> dict[str, str]:
    """Insert the demo producers and accounts when missing; returns name -> user id."""
    for code, name, kind, _prov, district, nid12, phone in DEMO_PRODUCERS:
        if session.scalar(select(Producer.id).where(Producer.code == code)) is None:
            make_producer(session, code, name, district, national_id_digits=national_id(nid12) if nid12 else None,
                          phone=phone, producer_type=kind)
    first = session.scalar(select(Producer).where(Producer.code == "OTOP-50-0001"))
    accounts = {
        "demo-officer": dict(role=Role.DISTRICT, province_code="50", district_code="5001",
                             display_name="พัฒนาการอำเภอ (ทดลอง)"),
        "demo-producer": dict(role=Role.PRODUCER, province_code="50", district_code="5001",
                              producer_id=first.id if first else None, display_name="ผู้ผลิต (ทดลอง)"),
    }
    for name, fields in accounts.items():
        if session.get(LineAccount, DEMO_USERS[name]) is None:
            session.add(LineAccount(user_id=DEMO_USERS[name], following=True, linked_at=utcnow(), **fields))
    session.flush()
    return dict(DEMO_USERS)


DEMO_TTL = timedelta(days=30)
