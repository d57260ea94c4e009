"""LINE accounts, their roles and areas, one-time invite / link codes, failed-attempt log."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.registry import _enum


class Role(enum.StrEnum):
    PRODUCER = "producer"
    DISTRICT = "district"  # สพอ. officer
    PROVINCE = "province"  # สพจ. officer
    CENTRAL = "central"  # department (central admin)


OFFICER_ROLES = frozenset({Role.DISTRICT, Role.PROVINCE, Role.CENTRAL})


class LineAccount(Base):
    """A LINE user as the bot knows them. Identity always comes from the event's source."""

    __tablename__ = "line_accounts"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # LINE userId (U...)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role | None] = mapped_column(_enum(Role))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id"), index=True)
    following: Mapped[bool] = mapped_column(Boolean, default=True)  # False after unfollow (blocked)
    reminders_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    linked_at: Mapped[datetime | None] = mapped_column()


class InviteCode(Base):
    """A one-time code: officers join with it, or a producer links to a registration."""

    __tablename__ = "invite_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(100))  # LINE user id or "cli"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    used_by: Mapped[str | None] = mapped_column(String(64))


class LinkAttempt(Base):
    """A failed attempt to link or redeem a code; recent ones throttle further attempts."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index("ix_link_attempts_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # "national_id" | "code"
