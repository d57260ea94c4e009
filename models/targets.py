"""Completeness targets a province officer sets for a district (issue 16)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class CompletenessTarget(Base):
    """"District D reaches P % complete by date X". The newest row of a district is in force;
    older rows stay as the history of what was asked."""

    __tablename__ = "completeness_targets"
    __table_args__ = (Index("ix_completeness_targets_district", "district_code", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(String(4))
    percent: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(64))  # the officer's LINE user id
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
