"""What a transition does to the registry: close, mark moved, register anew, reinstate.

Each effect takes (session, request, actor, now), writes audit rows for every record it
changes, and returns extra data for the notices. They run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from models import LineAccount, Producer, RegistrationStatus, Request, StatusChange

from registry import audit
from registry.workflows.errors import InvalidTransition
from registry.workflows.machine import Actor

Effect = Callable[[Session, Request, Actor, datetime], dict[str, Any]]

# Child collections of a producer copied to its new registration on relocation.
COPIED_CHILDREN = ("projects", "star_ratings", "sales_channels", "funding_sources",
                   "government_support", "shipping_methods")
# Producer columns not copied: identity, area, status and bookkeeping.
NOT_COPIED = {"id", "code", "status", "previous_id", "created_at", "updated_at", "registered_on",
              "address", "province_code", "district_code", "subdistrict_code"}


def named(producer: Producer) -> dict[str, Any]:
    """How notices name the producer: its code, and its name (what officers know it by)."""
    return {"producer_code": producer.code, "producer_name": producer.name}


def _producer(session: Session, request: Request) -> Producer:
    producer = session.get(Producer, request.producer_id, with_for_update=True)
    assert producer is not None  # FK
    return producer


def _set_status(session: Session, producer: Producer, new: RegistrationStatus, request: Request,
                actor: Actor, now: datetime, reason: str | None) -> None:
    """Change the status with its StatusChange row (what the monthly report counts) and audit."""
    old = producer.status
    audit.set_field(session, producer, "status", new, actor=actor.actor_id, channel=actor.channel)
    session.add(StatusChange(producer_id=producer.id, old_status=old, new_status=new, at=now,
                             reason=reason, request_id=request.id))


def close_registration(session: Session, request: Request, actor: Actor, now: datetime) -> dict[str, Any]:
    """Closure: producer → closed, its products deactivated."""
    producer = _producer(session, request)
    if producer.status != RegistrationStatus.ACTIVE:
        raise InvalidTransition(f"producer {producer.code} is {producer.status}, not active")
    _set_status(session, producer, RegistrationStatus.CLOSED, request, actor, now, request.reason)
    for product in producer.products:
        audit.set_field(session, product, "active", False, actor=actor.actor_id, channel=actor.channel)
    return named(producer)


def mark_moved(session: Session, request: Request, actor: Actor, now: datetime) -> dict[str, Any]:
    """Relocation, old district: producer → moved. Products stay until the new registration."""
    producer = _producer(session, request)
    if producer.status != RegistrationStatus.ACTIVE:
        raise InvalidTransition(f"producer {producer.code} is {producer.status}, not active")
    _set_status(session, producer, RegistrationStatus.MOVED, request, actor, now,
                f"relocation to {request.target_district_code}")
    return named(producer)


def reinstate(session: Session, request: Request, actor: Actor, now: datetime) -> dict[str, Any]:
    """Relocation refused by the new district: the old registration becomes active again."""
    producer = _producer(session, request)
    if producer.status == RegistrationStatus.MOVED:
        _set_status(session, producer, RegistrationStatus.ACTIVE, request, actor, now,
                    "relocation refused by the new district")
    return named(producer)


def _new_code(session: Session, old: Producer, district_code: str) -> str:
    """A registry code for the new registration: old code + new district, unique."""
    base = f"{old.code}-{district_code}"[:36]
    code, n = base, 1
    while session.scalar(select(Producer.id).where(Producer.code == code)) is not None:
        n += 1
        code = f"{base}-{n}"
    return code


def _copy_row(row: Any, **overrides: Any) -> Any:
    """A new instance of the row's class with the same column values, minus id and overrides."""
    mapper = inspect(type(row))
    values = {c.key: getattr(row, c.key) for c in mapper.column_attrs if c.key != "id"}
    values.update(overrides)
    return type(row)(**values)


def register_relocated(session: Session, request: Request, actor: Actor, now: datetime) -> dict[str, Any]:
    """Relocation, new district: a new Producer in the target area, copied from the old one.

    Child rows (projects, stars, channels, funding, support, shipping) are copied; products
    are MOVED (same rows, new producer and area codes), so photos, standards, awards and
    keywords follow without copying and product ids stay stable; the old area is in the audit
    log. The producer's LINE accounts are relinked to the new registration.
    """
    old = _producer(session, request)
    if old.status != RegistrationStatus.MOVED:
        raise InvalidTransition(f"producer {old.code} is {old.status}, not moved")
    assert request.target_province_code and request.target_district_code
    values = {c.key: getattr(old, c.key) for c in inspect(Producer).column_attrs if c.key not in NOT_COPIED}
    new = Producer(**values, code=_new_code(session, old, request.target_district_code),
                   status=RegistrationStatus.ACTIVE, previous_id=old.id, registered_on=now.date(),
                   province_code=request.target_province_code,
                   district_code=request.target_district_code,
                   subdistrict_code=request.target_subdistrict_code, created_at=now, updated_at=now)
    for name in COPIED_CHILDREN:
        getattr(new, name).extend(_copy_row(child, producer_id=None) for child in getattr(old, name))
    session.add(new)
    session.flush()  # new.id for the audit rows and FKs
    who = {"actor": actor.actor_id, "channel": actor.channel}
    audit.record(session, **who, entity="producer", entity_id=new.id, field="previous_id",
                  old=None, new=old.id)
    session.add(StatusChange(producer_id=new.id, old_status=None, new_status=RegistrationStatus.ACTIVE,
                             at=now, reason=f"relocated from {old.code}", request_id=request.id))
    for product in list(old.products):
        for name, value in (("producer_id", new.id), ("province_code", new.province_code),
                            ("district_code", new.district_code),
                            ("subdistrict_code", new.subdistrict_code)):
            audit.set_field(session, product, name, value, **who)
    session.expire(old, ["products"])
    for account in session.scalars(select(LineAccount).where(LineAccount.producer_id == old.id)):
        account.producer_id = new.id
        audit.record(session, **who, entity="producer", entity_id=new.id, field="line_account",
                      old=None, new=account.user_id)
    request.new_producer_id = new.id
    return {"new_producer_id": new.id, "new_producer_code": new.code, **named(old)}


EFFECTS: dict[str, Effect] = {
    "close_registration": close_registration,
    "mark_moved": mark_moved,
    "reinstate": reinstate,
    "register_relocated": register_relocated,
}
