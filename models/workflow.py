"""Closure and relocation requests, their committee steps, and producers' pending edits."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.pii import Sealed
from models.base import Base, utcnow
from models.registry import _enum


class RequestKind(enum.StrEnum):
    CLOSURE_PRESENT = "closure_present"  # case 1: producer files the form
    CLOSURE_ABSENT = "closure_absent"  # case 2: officer starts it, producer gone
    RELOCATION = "relocation"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Request(Base):
    """A closure or relocation request moving through its committee steps.

    `step` names the state of the workflow's state machine (registry.workflows), and
    `version` is bumped on every transition so that two officers acting on the same step
    at once produce one transition (optimistic concurrency).
    """

    __tablename__ = "requests"
    __table_args__ = (Index("ix_requests_area_status", "province_code", "district_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(_enum(RequestKind))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    # relocation target
    target_province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    target_district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))
    target_subdistrict_code: Mapped[str | None] = mapped_column(ForeignKey("subdistricts.code"))
    new_producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[date | None] = mapped_column(Date)
    step: Mapped[str] = mapped_column(String(40))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.OPEN)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    step_since: Mapped[datetime] = mapped_column(default=utcnow)

    steps: Mapped[list[RequestStep]] = relationship(
        cascade="all, delete-orphan", order_by="RequestStep.id"
    )

    __mapper_args__ = {"version_id_col": version}


class RequestStep(Base):
    """One transition of a request: who did what, when, with which meeting date or reason."""

    __tablename__ = "request_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    from_step: Mapped[str | None] = mapped_column(String(40))
    to_step: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))  # submit | approve | reject | cancel ...
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class PendingChangeStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class PendingChange(Base):
    """A producer's own edit of a ★ field or a standard, held until a district officer confirms."""

    __tablename__ = "pending_changes"
    __table_args__ = (Index("ix_pending_area_status", "district_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))  # producer | product
    entity_id: Mapped[int] = mapped_column()
    field: Mapped[str] = mapped_column(String(60))
    # Sealed (models.pii): old and new values may be personal (national ID, birth date...).
    old_value: Mapped[str | None] = mapped_column(Sealed("pending_changes.value"))
    new_value: Mapped[str | None] = mapped_column(Sealed("pending_changes.value"))  # JSON for structured values (standards)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("districts.code"))
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[PendingChangeStatus] = mapped_column(
        _enum(PendingChangeStatus), default=PendingChangeStatus.PENDING
    )
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
