"""The audit log: who changed which field of which record, through which channel.

Every write to a registry record goes through `set_field` (one field) or, for bulk work
such as imports, through `audit_rows` + `insert_rows`, so the log is complete whatever the
channel. Functions add to the caller's session and never commit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models import AuditEntry, ChuanchimShop, Producer, Product, utcnow
from models.pii import Public, Sealed

Channel = Literal["chat", "web", "import", "cli", "system"]
CHANNELS: frozenset[str] = frozenset({"chat", "web", "import", "cli", "system"})

# Entity names used in the log, by model.
ENTITY_OF: dict[type, str] = {Producer: "producer", Product: "product", ChuanchimShop: "chuanchim"}


# Fields whose logged values are sealed (models.pii): the producers' sealed columns. Every
# other field's values are logged as they are (pii.Public): names, codes, statuses...
PERSONAL_FIELDS: frozenset[str] = frozenset(
    c.name for c in Producer.__table__.c if isinstance(c.type, Sealed))


def logged(field: str, value: Any) -> str | None:
    """A value as the log stores it (`as_text`), marked public unless the field is personal."""
    text = as_text(value)
    return text if text is None or field in PERSONAL_FIELDS else Public(text)


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
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"unknown audit channel {channel!r}; one of {sorted(CHANNELS)}")


def record(
    session: Session,
    *,
    actor: str,
    channel: Channel,
    entity: str,
    entity_id: int,
    field: str,
    old: Any,
    new: Any,
) -> AuditEntry:
    """Add one audit row to the session (no flush, no commit) and return it."""
    _check_channel(channel)
    entry = AuditEntry(
        actor=actor, channel=channel, entity=entity, entity_id=entity_id, field=field,
        old_value=logged(field, old), new_value=logged(field, new), at=utcnow(),
    )
    session.add(entry)
    return entry


def set_field(
    session: Session, obj: Any, field: str, value: Any, *, actor: str, channel: Channel
) -> bool:
    """Set `obj.field = value` and log it, only when the value really changes.

    Returns True when something changed. The object must have an id (flush a new object
    before auditing its fields, or log one "created" row with `record`).
    """
    old = getattr(obj, field)
    if as_text(old) == as_text(value):
        return False
    setattr(obj, field, value)
    record(
        session, actor=actor, channel=channel, entity=ENTITY_OF.get(type(obj), type(obj).__name__.lower()),
        entity_id=obj.id, field=field, old=old, new=value,
    )
    return True


def audit_row(
    *, actor: str, channel: Channel, entity: str, entity_id: int, field: str, old: Any, new: Any,
    at: datetime | None = None,
) -> dict[str, Any]:
    """One audit row as a plain dict, for bulk inserts (`insert_rows`)."""
    return {
        "at": at or utcnow(), "actor": actor, "channel": channel, "entity": entity,
        "entity_id": entity_id, "field": field, "old_value": logged(field, old),
        "new_value": logged(field, new),
    }


def diff_rows(
    *, actor: str, channel: Channel, entity: str, entity_id: int,
    old: Mapping[str, Any], new: Mapping[str, Any], at: datetime | None = None,
) -> list[dict[str, Any]]:
    """Audit rows for every key of `new` whose value differs from `old`."""
    at = at or utcnow()
    return [
        audit_row(actor=actor, channel=channel, entity=entity, entity_id=entity_id, field=key,
                  old=old.get(key), new=value, at=at)
        for key, value in new.items()
        if as_text(old.get(key)) != as_text(value)
    ]


def insert_rows(session: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert audit rows (Core executemany) in the caller's transaction."""
    rows = list(rows)
    for row in rows:
        _check_channel(row["channel"])
    if rows:
        session.execute(insert(AuditEntry.__table__), rows)
    return len(rows)
