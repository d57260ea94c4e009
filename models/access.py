"""The access log (PDPA): every view of a record's personal fields, every list that shows
them and every download of a file that holds them, allowed or refused; who, in which role,
what, in which area, when, through which channel. `audit_log` records changes; this table
records reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class AccessEntry(Base):
    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_area_at", "area_code", "at"),
                      Index("ix_access_log_user_at", "user_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[str] = mapped_column(String(100))  # LINE user id, "cli:<login>", "anonymous"
    role: Mapped[str | None] = mapped_column(String(20))  # models.Role value at the time; None = unlinked
    channel: Mapped[str] = mapped_column(String(10))  # chat | web | cli
    action: Mapped[str] = mapped_column(String(20))  # record | list | search | download
    what: Mapped[str] = mapped_column(String(60))  # producer | chuanchim | producers.national_id | registry ...
    record_ids: Mapped[str | None] = mapped_column(Text)  # database ids shown, comma-separated
    area_code: Mapped[str | None] = mapped_column(String(6))  # the records' (or file's) area; None = country
    outcome: Mapped[str] = mapped_column(String(40), default="ok")  # ok | refused:<reason>
