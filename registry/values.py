"""Writing values whose validity is stored next to them (national ID, phones).

`Producer.national_id_valid`, `Producer.phone_valid` and `ChuanchimShop.phone_valid` are
flags kept in step with the value, so that completeness counts are plain column tests.
Every writer (importer, demo data, chat handlers) goes through these functions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry import ids
from registry.audit import Channel, set_field


def national_id_value(raw: str | None) -> tuple[str | None, bool | None]:
    """(stored value, valid flag) for a national ID as typed.

    13 digits (any spacing, dashes, Thai digits) are stored as digits and checked; anything
    else present is stored as typed (Thai digits converted) and flagged invalid; blank is
    (None, None) = missing.
    """
    if raw is None or not str(raw).strip():
        return None, None
    digits = ids.national_id_digits(str(raw))
    if digits is not None:
        return digits, ids.national_id_check_ok(digits)
    return ids.arabic_digits(str(raw).strip())[:20], False


def phone_value(raw: str | None) -> tuple[str | None, bool | None]:
    """(stored value, valid flag) for a phone number as typed (see `national_id_value`)."""
    if raw is None or not str(raw).strip():
        return None, None
    digits = ids.normalize_phone(str(raw))
    if digits is not None and ids.phone_valid(digits):
        return digits, True
    return (digits or ids.arabic_digits(str(raw).strip()))[:40], False


def set_national_id(session: Session, producer: Any, raw: str | None, *, actor: str, channel: Channel) -> bool:
    """Set a producer's national ID and its validity flag; audited. True when it changed."""
    value, valid = national_id_value(raw)
    changed = set_field(session, producer, "national_id", value, actor=actor, channel=channel)
    producer.national_id_valid = valid
    return changed


def set_phone(session: Session, record: Any, raw: str | None, *, actor: str, channel: Channel) -> bool:
    """Set the phone of a producer or ชวนชิม shop and its validity flag; audited."""
    value, valid = phone_value(raw)
    changed = set_field(session, record, "phone", value, actor=actor, channel=channel)
    record.phone_valid = valid
    return changed
