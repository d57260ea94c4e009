"""The audit log: every change to a record, who made it, through which channel, when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.pii import SealedUnlessPublic
from models.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))  # LINE user id, "import:<file>", "cli", "system"
    channel: Mapped[str] = mapped_column(String(20))  # chat | web | import | cli | system
    entity: Mapped[str] = mapped_column(String(40))  # producer | product | chuanchim | request | ...
    entity_id: Mapped[int] = mapped_column()
    field: Mapped[str] = mapped_column(String(60))
    # Sealed (models.pii) unless written as pii.Public: registry.audit seals the values of
    # personal fields (national ID, birth date, owner phone and address) and no others.
    old_value: Mapped[str | None] = mapped_column(SealedUnlessPublic("audit_log.value"))
    new_value: Mapped[str | None] = mapped_column(SealedUnlessPublic("audit_log.value"))
