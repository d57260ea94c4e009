"""The three real-time datasets: producers, products and OTOP ชวนชิม shops.

Lists (projects, star rounds, channels, standards, photos...) are rows, not text blobs.
Area codes are kept on every record (products copy their producer's) so that counts per
province / district / sub-district are single indexed scans.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.pii import Sealed, SealedDate, blind_national_id


class ProducerType(enum.StrEnum):
    GROUP = "group"  # กลุ่ม
    INDIVIDUAL = "individual"  # รายเดี่ยว
    SME = "sme"  # SMEs


class Category(enum.StrEnum):
    FOOD = "food"  # อาหาร
    BEVERAGE = "beverage"  # เครื่องดื่ม
    TEXTILE = "textile"  # ผ้า เครื่องแต่งกาย
    HOUSEHOLD = "household"  # ของใช้ ของตกแต่ง ของที่ระลึก
    HERBAL = "herbal"  # สมุนไพรที่ไม่ใช่อาหาร


class Quadrant(enum.StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class RegistrationStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    MOVED = "moved"


class SalesChannelKind(enum.StrEnum):
    DOMESTIC = "domestic"
    EXPORT = "export"
    ONLINE = "online"


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class AreaMixin:
    """Business address and the official codes it resolves to."""

    address: Mapped[str | None] = mapped_column(Text)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    subdistrict_code: Mapped[str | None] = mapped_column(ForeignKey("subdistricts.code"))


class Producer(AreaMixin, Base):
    """ผู้ผลิต ผู้ประกอบการ OTOP: the 12 sections of the registration."""

    __tablename__ = "producers"
    __table_args__ = (
        Index("ix_producers_area", "province_code", "district_code", "subdistrict_code"),
        Index("ix_producers_national_id_hash", "national_id_hash", "status"),  # lookups, duplicates
        Index("ix_producers_phone", "phone"),
        Index("ix_producers_registered_on", "registered_on"),
        # Active producers of an area: without it SQLite (no ANALYZE statistics) counted a
        # province through the status index, i.e. every active producer of the country.
        Index("ix_producers_status_area", "status", "province_code", "district_code", "subdistrict_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # registry code (producer_id)
    # 1 general
    producer_type: Mapped[ProducerType | None] = mapped_column(_enum(ProducerType))
    name: Mapped[str | None] = mapped_column(String(300))
    registration_no: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
    # 3 establishment support, export sales
    establishment_support: Mapped[str | None] = mapped_column(Text)
    export_sales: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # 5 owner
    owner_name: Mapped[str | None] = mapped_column(String(300))
    # Personal fields are encrypted at rest (models.pii): read and written as plain values,
    # never compared in SQL. Lookups and duplicates go through national_id_hash (keyed hash
    # of a 13-digit ID, kept in step by registry.values and the importer).
    national_id: Mapped[str | None] = mapped_column(Sealed("producers.national_id"))
    national_id_hash: Mapped[str | None] = mapped_column(String(43))
    # Kept by registry code whenever national_id / phone is written, so that counts of
    # invalid values are plain indexed scans rather than checksums computed in SQL.
    national_id_valid: Mapped[bool | None] = mapped_column(Boolean)
    phone_valid: Mapped[bool | None] = mapped_column(Boolean)
    birth_date: Mapped[date | None] = mapped_column(SealedDate("producers.birth_date"))
    owner_address: Mapped[str | None] = mapped_column(Sealed("producers.owner_address"))
    owner_phone: Mapped[str | None] = mapped_column(Sealed("producers.owner_phone"))
    # 7 community linkage
    local_labour: Mapped[bool | None] = mapped_column(Boolean)
    local_raw_materials: Mapped[bool | None] = mapped_column(Boolean)
    # 9 management
    has_business_plan: Mapped[bool | None] = mapped_column(Boolean)
    has_accounts: Mapped[bool | None] = mapped_column(Boolean)
    logistics: Mapped[str | None] = mapped_column(Text)

    status: Mapped[RegistrationStatus] = mapped_column(
        _enum(RegistrationStatus), default=RegistrationStatus.ACTIVE
    )  # indexed by ix_producers_status_area (status first)
    registered_on: Mapped[date | None] = mapped_column(Date)
    # A relocated producer's new registration points at the old one (history kept).
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    products: Mapped[list[Product]] = relationship(back_populates="producer")
    projects: Mapped[list[ProducerProject]] = relationship(cascade="all, delete-orphan")
    star_ratings: Mapped[list[StarRating]] = relationship(
        cascade="all, delete-orphan", order_by="StarRating.year_be"
    )
    sales_channels: Mapped[list[SalesChannel]] = relationship(cascade="all, delete-orphan")
    funding_sources: Mapped[list[FundingSource]] = relationship(cascade="all, delete-orphan")
    government_support: Mapped[list[GovernmentSupport]] = relationship(cascade="all, delete-orphan")
    shipping_methods: Mapped[list[ShippingMethod]] = relationship(cascade="all, delete-orphan")
    status_history: Mapped[list[StatusChange]] = relationship(
        cascade="all, delete-orphan", order_by="StatusChange.at"
    )


class ProducerProject(Base):
    """Section 4: a project the producer joined."""

    __tablename__ = "producer_projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    project: Mapped[str] = mapped_column(String(300))
    year_be: Mapped[int | None] = mapped_column(SmallInteger)
    organiser: Mapped[str | None] = mapped_column(String(300))


class FundingSource(Base):
    """Section 6."""

    __tablename__ = "producer_funding_sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))


class StarRating(Base):
    """Section 8: one star-selection round (คัดสรรดาว)."""

    __tablename__ = "producer_star_ratings"
    __table_args__ = (
        UniqueConstraint("producer_id", "year_be"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    year_be: Mapped[int] = mapped_column(SmallInteger)
    stars: Mapped[int] = mapped_column(SmallInteger)


class GovernmentSupport(Base):
    """Section 10."""

    __tablename__ = "producer_government_support"
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(String(300))
    year_be: Mapped[int | None] = mapped_column(SmallInteger)


class SalesChannel(Base):
    """Section 11: a current sales channel."""

    __tablename__ = "producer_sales_channels"
    __table_args__ = (UniqueConstraint("producer_id", "channel"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[SalesChannelKind] = mapped_column(_enum(SalesChannelKind))
    detail: Mapped[str | None] = mapped_column(String(300))


class ShippingMethod(Base):
    """Section 12."""

    __tablename__ = "producer_shipping_methods"
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(200))


class StatusChange(Base):
    """History of a producer's registration status (active → closed / moved)."""

    __tablename__ = "producer_status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    old_status: Mapped[RegistrationStatus | None] = mapped_column(_enum(RegistrationStatus))
    new_status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))


class Product(Base):
    """ผลิตภัณฑ์ OTOP: the 14 sections."""

    __tablename__ = "products"
    __table_args__ = (
        Index("ix_products_area", "province_code", "district_code", "subdistrict_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    # 2 address: copied from the producer, kept in sync on relocation
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    subdistrict_code: Mapped[str | None] = mapped_column(ForeignKey("subdistricts.code"))
    # 3 product info
    name: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[Category | None] = mapped_column(_enum(Category))
    subcategory: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[str | None] = mapped_column(String(200))
    storage: Mapped[str | None] = mapped_column(String(300))
    # 4 highlights
    story: Mapped[str | None] = mapped_column(Text)
    usage: Mapped[str | None] = mapped_column(Text)
    # 6 quadrant
    quadrant: Mapped[Quadrant | None] = mapped_column(_enum(Quadrant))
    # 7 capacity
    capacity_per_day: Mapped[int | None] = mapped_column(Integer)
    capacity_per_month: Mapped[int | None] = mapped_column(Integer)
    capacity_per_year: Mapped[int | None] = mapped_column(Integer)
    # 8 packaging
    packaging_form: Mapped[str | None] = mapped_column(String(200))
    packaging_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    packaging_material: Mapped[str | None] = mapped_column(String(200))
    # 12 price
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    producer: Mapped[Producer] = relationship(back_populates="products")
    standards: Mapped[list[ProductStandard]] = relationship(cascade="all, delete-orphan")
    awards: Mapped[list[ProductAward]] = relationship(cascade="all, delete-orphan")
    projects: Mapped[list[ProductProject]] = relationship(cascade="all, delete-orphan")
    keywords: Mapped[list[ProductKeyword]] = relationship(cascade="all, delete-orphan")
    ip_registrations: Mapped[list[IntellectualProperty]] = relationship(cascade="all, delete-orphan")
    photos: Mapped[list[ProductPhoto]] = relationship(cascade="all, delete-orphan")


class ProductStandard(Base):
    """Section 5: a standard held (มผช., อย., GMP, ฮาลาล...)."""

    __tablename__ = "product_standards"
    __table_args__ = (UniqueConstraint("product_id", "scheme", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)


class ProductAward(Base):
    """Section 9."""

    __tablename__ = "product_awards"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    year_be: Mapped[int | None] = mapped_column(SmallInteger)
    giver: Mapped[str | None] = mapped_column(String(300))


class ProductProject(Base):
    """Section 10."""

    __tablename__ = "product_projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    project: Mapped[str] = mapped_column(String(300))
    year_be: Mapped[int | None] = mapped_column(SmallInteger)


class ProductKeyword(Base):
    """Section 11."""

    __tablename__ = "product_keywords"
    __table_args__ = (UniqueConstraint("product_id", "word"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    word: Mapped[str] = mapped_column(String(100))


class IntellectualProperty(Base):
    """Section 13."""

    __tablename__ = "product_ip_registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    number: Mapped[str | None] = mapped_column(String(60))


class ProductPhoto(Base):
    """Section 14: a stored photo file (under MEDIA_DIR) or an external URL from an import."""

    __tablename__ = "product_photos"
    __table_args__ = (UniqueConstraint("product_id", "location"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    location: Mapped[str] = mapped_column(String(500))  # path relative to MEDIA_DIR, or URL
    thumbnail: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChuanchimShop(AreaMixin, Base):
    """OTOP ชวนชิม: a food shop serving OTOP food."""

    __tablename__ = "chuanchim_shops"
    __table_args__ = (Index("ix_chuanchim_area", "province_code", "district_code", "subdistrict_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    owner_name: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_valid: Mapped[bool | None] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    items: Mapped[list[ChuanchimItem]] = relationship(cascade="all, delete-orphan")
    awards: Mapped[list[ChuanchimAward]] = relationship(cascade="all, delete-orphan")
    photos: Mapped[list[ChuanchimPhoto]] = relationship(cascade="all, delete-orphan")


class ChuanchimItem(Base):
    __tablename__ = "chuanchim_items"
    __table_args__ = (UniqueConstraint("shop_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("chuanchim_shops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))


class ChuanchimAward(Base):
    """Awards and standards of a ชวนชิม shop."""

    __tablename__ = "chuanchim_awards"
    __table_args__ = (UniqueConstraint("shop_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("chuanchim_shops.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))


class ChuanchimPhoto(Base):
    __tablename__ = "chuanchim_photos"
    __table_args__ = (UniqueConstraint("shop_id", "location"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("chuanchim_shops.id", ondelete="CASCADE"), index=True)
    location: Mapped[str] = mapped_column(String(500))
    thumbnail: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(Producer.national_id, "set")
def _hash_national_id(target: Producer, value: str | None, _old: object, _initiator: object) -> None:
    """The lookup hash follows the national ID on every ORM write (bulk writers set both)."""
    target.national_id_hash = blind_national_id(value)
