"""Stand-in for the shared `registry.audit` (being written on the `registry` branch).

Same signatures as the shared module (`record`, `set_field`, `as_text`), so that switching is
one import line in `registry.workflows` and `registry.pending`. Adds to the session, never
commits.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from models import AuditEntry, ChuanchimShop, Producer, Product, utcnow

ENTITY_OF: dict[type, str] = {Producer: "producer", Product: "product", ChuanchimShop: "chuanchim"}


def as_text(value: Any) -> str | None:
    """A value as the log stores it: None stays None, dates ISO, enums their value."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def record(
    session: Session, *, actor: str, channel: str, entity: str, entity_id: int,
    field: str, old: Any, new: Any,
) -> AuditEntry:
    """Add one audit row to the session (no flush, no commit) and return it."""
    entry = AuditEntry(
        actor=actor, channel=channel, entity=entity, entity_id=entity_id, field=field,
        old_value=as_text(old), new_value=as_text(new), at=utcnow(),
    )
    session.add(entry)
    return entry


def set_field(
    session: Session, obj: Any, field: str, value: Any, *, actor: str, channel: str
) -> bool:
    """Set `obj.field = value` and log it when the value really changes; True if it changed."""
    old = getattr(obj, field)
    if as_text(old) == as_text(value):
        return False
    setattr(obj, field, value)
    record(session, actor=actor, channel=channel, entity=ENTITY_OF[type(obj)], entity_id=obj.id,
           field=field, old=old, new=value)
    return True
