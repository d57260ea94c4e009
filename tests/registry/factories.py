"""Small builders for workflow tests: producers with child rows and products, actors, accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (AuditEntry, Category, FundingSource, GovernmentSupport, LineAccount, Producer,
                    ProducerProject, ProducerType, Product, ProductPhoto, ProductStandard, Quadrant,
                    RequestStep, Role, SalesChannel, SalesChannelKind, ShippingMethod, StarRating)
from registry.workflows import Actor

# Chiang Mai: Mueang (5001) and Chom Thong (5002); Chiang Rai: Mueang (5701).
CM, CM_MUEANG, CM_CHOMTHONG = "50", "5001", "5002"
CR, CR_MUEANG = "57", "5701"
SUB = {CM_MUEANG: "500101", CM_CHOMTHONG: "500203", CR_MUEANG: "570101"}

_seq = count(1)


def producer(session: Session, district_code: str = CM_MUEANG, *, products: int = 2,
             children: bool = True, national_id: str | None = None) -> Producer:
    """An active producer with child rows in every copied collection and `products` products."""
    n = next(_seq)
    p = Producer(code=f"P{n:05d}", name=f"กลุ่มทดสอบ {n}", producer_type=ProducerType.GROUP,
                 province_code=district_code[:2], district_code=district_code,
                 subdistrict_code=SUB[district_code], address="12 หมู่ 3", phone="0812345678",
                 owner_name="สมศรี ใจดี", national_id=national_id, export_sales=Decimal("1500.50"),
                 local_labour=True, registered_on=date(2015, 5, 1))
    if children:
        p.projects.append(ProducerProject(project="OTOP Select", year_be=2562, organiser="CDD"))
        p.star_ratings.extend([StarRating(year_be=2559, stars=3), StarRating(year_be=2562, stars=4)])
        p.sales_channels.append(SalesChannel(channel=SalesChannelKind.ONLINE, detail="Facebook"))
        p.funding_sources.append(FundingSource(source="กองทุนหมู่บ้าน", amount=Decimal("20000")))
        p.government_support.append(GovernmentSupport(description="อบรมบรรจุภัณฑ์", agency="พช.",
                                                      year_be=2563))
        p.shipping_methods.append(ShippingMethod(method="ไปรษณีย์"))
    session.add(p)
    session.flush()
    for i in range(products):
        product = Product(code=f"{p.code}-{i}", producer_id=p.id, province_code=p.province_code,
                          district_code=p.district_code, subdistrict_code=p.subdistrict_code,
                          name=f"ผ้าไหม {i}", category=Category.TEXTILE, quadrant=Quadrant.B)
        product.photos.append(ProductPhoto(location=f"photos/{p.code}-{i}.jpg"))
        product.standards.append(ProductStandard(scheme="มผช.", number=f"{i}/2565"))
        session.add(product)
    session.flush()
    return p


def producer_actor(p: Producer, user_id: str | None = None) -> Actor:
    return Actor(user_id or f"Uprod{p.id}", Role.PRODUCER, p.province_code, p.district_code, p.id)


def link_account(session: Session, p: Producer, user_id: str | None = None) -> LineAccount:
    account = LineAccount(user_id=user_id or f"Uprod{p.id}", role=Role.PRODUCER,
                          province_code=p.province_code, district_code=p.district_code,
                          producer_id=p.id)
    session.add(account)
    session.flush()
    return account


def district_officer(district_code: str = CM_MUEANG, n: int = 1) -> Actor:
    return Actor(f"Udist{district_code}_{n}", Role.DISTRICT, district_code[:2], district_code)


def province_officer(province_code: str = CM, n: int = 1) -> Actor:
    return Actor(f"Uprov{province_code}_{n}", Role.PROVINCE, province_code)


def central_admin() -> Actor:
    return Actor("Ucentral", Role.CENTRAL)


def steps_of(session: Session, request_id: int) -> list[tuple[str | None, str, str, str]]:
    """(from, to, action, actor) of every RequestStep of a request, in order."""
    rows = session.scalars(select(RequestStep).where(RequestStep.request_id == request_id)
                           .order_by(RequestStep.id))
    return [(r.from_step, r.to_step, r.action, r.actor) for r in rows]


def audit_of(session: Session, entity: str, entity_id: int) -> list[tuple[str, str | None, str | None, str]]:
    """(field, old, new, actor) of every audit row of a record, in order."""
    rows = session.scalars(select(AuditEntry).where(AuditEntry.entity == entity,
                                                    AuditEntry.entity_id == entity_id)
                           .order_by(AuditEntry.id))
    return [(r.field, r.old_value, r.new_value, r.actor) for r in rows]


def count_rows(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def events(notices) -> set[tuple[tuple[str, object], str]]:  # type: ignore[no-untyped-def]
    """The (audience, event) pairs of a list of notices."""
    return {(n.audience, n.event) for n in notices}
