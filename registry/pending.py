"""Producers' own edits of ★ fields and standards, held until a district officer confirms.

A producer proposes (`propose`): a PendingChange keeps the old and the new value. An officer of
the producer's district (or of its province) confirms it (`confirm`: the value is written
with an audit row) or rejects it (`reject`); the producer is told. Deciding is a
compare-and-set UPDATE on the row's status, so two officers confirming the same change at
once apply it once; the loser gets `AlreadyDone`. Functions never commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, select, update
from sqlalchemy.orm import Session

from models import (Category, PendingChange, PendingChangeStatus, Producer, ProducerType, Product,
                    ProductStandard, Quadrant, RegistrationStatus, Role, utcnow)
from registry import audit, duplicates, ids, values
from registry.workflows.actions import officer_error
from registry.workflows.errors import (AlreadyDone, NotAllowed, NotFound, OwnRequest,
                                       ValidationError)
from registry.workflows.machine import LOCAL_OFFICERS, Actor, Notice
from registry.workflows.queries import waiting_changes_in


@dataclass(frozen=True)
class ChangeOutcome:
    """The pending change as now stored and the notices to send after commit."""

    change: PendingChange
    notices: list[Notice]
    duplicates: list[duplicates.Holder] = field(default_factory=list)  # other active holders of a proposed ID


class DuplicateNationalId(ValidationError):
    """Confirming would give a national ID that other active records hold: the officer must
    accept it knowingly (`confirm(..., accept_duplicate=True)`); `data["holders"]` names them."""


def _enum_value(cls: type) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = str(raw or "").strip()
        for member in cls:  # type: ignore[attr-defined]
            if text.lower() == member.value.lower():
                return member.value
        raise ValidationError(f"{text!r} is not one of {[m.value for m in cls]}", field="new_value")  # type: ignore[attr-defined]
    return parse


def _quadrant(raw: Any) -> str:
    text = str(raw or "").strip().upper()
    return _enum_value(Quadrant)(text[1:] if len(text) == 2 and text[0] == "Q" else text)


def _national_id(raw: Any) -> str:
    digits = ids.national_id_digits(str(raw or ""))
    if digits is None or not ids.national_id_check_ok(digits):
        raise ValidationError("a national ID is 13 digits with a valid check digit", field="new_value")
    return digits


def _standard(raw: Any) -> str:
    """{scheme, number, issued_on, expires_on} (dict or JSON text) → canonical JSON text."""
    try:
        data = json.loads(raw) if isinstance(raw, str) else dict(raw)
        scheme, number = str(data.get("scheme") or "").strip(), str(data.get("number") or "").strip()
        issued, expires = ids.parse_date(data.get("issued_on")), ids.parse_date(data.get("expires_on"))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(f"bad standard: {exc}", field="new_value") from exc
    if not scheme or not number:
        raise ValidationError("a standard needs a scheme and a number", field="new_value")
    if issued and expires and expires < issued:
        raise ValidationError("a standard cannot expire before it is issued", field="new_value")
    return json.dumps({"scheme": scheme, "number": number, "issued_on": audit.as_text(issued),
                       "expires_on": audit.as_text(expires)}, ensure_ascii=False, sort_keys=True)


# (entity, field) → parser of the proposed value into its stored text form.
FIELDS: dict[tuple[str, str], Callable[[Any], str]] = {
    ("producer", "producer_type"): _enum_value(ProducerType),
    ("producer", "national_id"): _national_id,
    ("product", "category"): _enum_value(Category),
    ("product", "quadrant"): _quadrant,
    ("product", "standard"): _standard,
}
MULTI = {("product", "standard")}  # several proposals may wait side by side


def _owner(session: Session, entity: str, entity_id: int) -> tuple[Producer, Producer | Product]:
    record: Producer | Product | None = session.get(Producer if entity == "producer" else Product, entity_id)
    if record is None:
        raise NotFound(f"no {entity} {entity_id}")
    return (record if isinstance(record, Producer) else record.producer), record


def propose(session: Session, actor: Actor, entity: str, entity_id: int, field: str,
            new_value: Any, *, now: datetime | None = None) -> ChangeOutcome:
    """A producer proposes a new value for a ★ field (or a new standard) of their own records."""
    now = now or utcnow()
    parse = FIELDS.get((entity, field))
    if parse is None:
        raise ValidationError(f"{entity}.{field} is not open to producers' proposals", field="field")
    producer, record = _owner(session, entity, entity_id)
    if actor.role is not Role.PRODUCER or actor.producer_id != producer.id:
        raise NotAllowed("only the producer proposes changes to their own records")
    if producer.status is not RegistrationStatus.ACTIVE:
        raise ValidationError(f"producer {producer.code} is {producer.status}", field="producer")
    new = parse(new_value)
    old = None if (entity, field) in MULTI else audit.as_text(getattr(record, field))
    if new == old:
        raise ValidationError("the proposed value is the current value", field="new_value")
    change = PendingChange(entity=entity, entity_id=entity_id, field=field, old_value=old,
                           new_value=new, producer_id=producer.id, district_code=producer.district_code,
                           requested_by=actor.actor_id, requested_at=now)
    session.add(change)
    session.flush()
    if (entity, field) not in MULTI:  # a newer proposal replaces a waiting one
        session.execute(
            update(PendingChange)
            .where(PendingChange.entity == entity, PendingChange.entity_id == entity_id,
                   PendingChange.field == field, PendingChange.id != change.id,
                   PendingChange.status == PendingChangeStatus.PENDING)
            .values(status=PendingChangeStatus.REJECTED, decided_by=actor.actor_id, decided_at=now,
                    note=f"superseded by #{change.id}")
            .execution_options(synchronize_session=False))
    holders = holders_of(session, change)
    data = {**_data(change), "duplicates": [h.code for h in holders]}
    return ChangeOutcome(change, [Notice(("district", producer.district_code), "change_proposed", None, data)],
                         holders)


def holders_of(session: Session, change: PendingChange | WaitingChange) -> list[duplicates.Holder]:
    """For a proposed national ID: the other active producer records that hold it (one
    person, one ID: the officer confirms knowingly). Empty for any other field."""
    if change.field != "national_id" or change.entity != "producer":
        return []
    return duplicates.holders(session, change.new_value, except_id=change.entity_id)


def _waiting_page(whole_province: bool) -> Select[Any]:
    is_producer = PendingChange.entity == "producer"
    name = case((is_producer, func.coalesce(func.nullif(Producer.name, ""), Producer.code)),
                else_=func.coalesce(func.nullif(Product.name, ""), Product.code))
    return (select(PendingChange.id, PendingChange.entity, PendingChange.entity_id, PendingChange.field,
                   PendingChange.old_value, PendingChange.new_value, name, func.count().over())
            .outerjoin(Producer, and_(is_producer, Producer.id == PendingChange.entity_id))
            .outerjoin(Product, and_(~is_producer, Product.id == PendingChange.entity_id))
            .where(waiting_changes_in(whole_province))
            .order_by(PendingChange.requested_at, PendingChange.id)
            .offset(bindparam("offset")).limit(bindparam("limit")))


# Built once per area kind (key: a whole province?), the area as a parameter: building a
# select and its cache key on every call cost more than running these small queries.
_PENDING = {p: select(PendingChange).where(waiting_changes_in(p)).order_by(PendingChange.requested_at, PendingChange.id)
            for p in (False, True)}
_COUNT = {p: select(func.count()).select_from(PendingChange).where(waiting_changes_in(p)) for p in (False, True)}
_PAGE = {p: _waiting_page(p) for p in (False, True)}


def pending_for_area(session: Session, area_code: str) -> list[PendingChange]:
    """Waiting proposals of a district (4-digit code) or a whole province (2 digits), oldest first."""
    return list(session.scalars(_PENDING[len(area_code) == 2], {"area": area_code}))


def count_for_area(session: Session, area_code: str) -> int:
    """How many proposals wait in the area (the length of `pending_for_area`, counted by SQL)."""
    return session.scalar(_COUNT[len(area_code) == 2], {"area": area_code}) or 0


@dataclass(frozen=True)
class WaitingChange:
    """One waiting proposal as an officer's list shows it, with its record's name or code
    (None when the record is gone)."""

    id: int
    entity: str
    entity_id: int
    field: str
    old_value: str | None
    new_value: str | None
    record_name: str | None


def waiting_page(session: Session, area_code: str, *, offset: int, limit: int) -> tuple[int, list[WaitingChange]]:
    """The area's waiting proposals in `pending_for_area` order, `limit` of them from `offset`,
    and how many wait in all. One statement (the total is a window count, taken before LIMIT)
    with the record's name joined in, instead of entity rows and one lookup per record."""
    rows = session.execute(_PAGE[len(area_code) == 2], {"area": area_code, "offset": offset, "limit": limit}).all()
    if not rows:  # a page past the end has no row to carry the total
        return (count_for_area(session, area_code) if offset else 0), []
    return rows[0][-1], [WaitingChange(*row[:-1]) for row in rows]


def _data(change: PendingChange) -> dict[str, Any]:
    return {"change_id": change.id, "entity": change.entity, "entity_id": change.entity_id,
            "field": change.field, "old_value": change.old_value, "new_value": change.new_value,
            "note": change.note}


def _decide(session: Session, actor: Actor, change_id: int, status: PendingChangeStatus,
            note: str | None, now: datetime,
            check: Callable[[PendingChange], None] = lambda _change: None) -> PendingChange:
    """Check who decides (and `check` the change), then move the change out of PENDING
    exactly once (compare-and-set)."""
    change = session.get(PendingChange, change_id)
    if change is None:
        raise NotFound(f"no pending change {change_id}")
    if change.requested_by == actor.actor_id:
        raise OwnRequest("the proposer cannot decide on their own change")
    if error := officer_error(actor, LOCAL_OFFICERS, change.district_code[:2], change.district_code):
        raise error
    if change.status is PendingChangeStatus.PENDING:
        check(change)
    result = session.execute(
        update(PendingChange)
        .where(PendingChange.id == change_id, PendingChange.status == PendingChangeStatus.PENDING)
        .values(status=status, decided_by=actor.actor_id, decided_at=now, note=note)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyDone(f"pending change {change_id} was already decided")
    session.refresh(change)
    return change


def _apply(session: Session, actor: Actor, change: PendingChange) -> None:
    """Write the confirmed value to its record, with audit rows."""
    who = {"actor": actor.actor_id, "channel": actor.channel}
    producer, record = _owner(session, change.entity, change.entity_id)
    value = change.new_value
    if change.field == "national_id":
        values.set_national_id(session, record, value, **who)
    elif change.field == "standard":
        data = json.loads(value or "{}")
        row = session.scalar(select(ProductStandard).where(
            ProductStandard.product_id == record.id, ProductStandard.scheme == data["scheme"],
            ProductStandard.number == data["number"]))
        old = None
        if row is None:
            row = ProductStandard(product_id=record.id, scheme=data["scheme"], number=data["number"])
            session.add(row)
        else:
            old = _standard({"scheme": row.scheme, "number": row.number, "issued_on": row.issued_on,
                             "expires_on": row.expires_on})
        row.issued_on = ids.parse_date(data["issued_on"])
        row.expires_on = ids.parse_date(data["expires_on"])
        audit.record(session, **who, entity="product", entity_id=record.id, field="standard",
                     old=old, new=value)
    else:
        enum_of = {"producer_type": ProducerType, "category": Category, "quadrant": Quadrant}
        audit.set_field(session, record, change.field, enum_of[change.field](value), **who)


def confirm(session: Session, actor: Actor, change_id: int, *, now: datetime | None = None,
            accept_duplicate: bool = False) -> ChangeOutcome:
    """An officer of the producer's district (or province) confirms: the value is written. A
    national ID that other active records hold is refused (`DuplicateNationalId`, nothing
    changed) unless `accept_duplicate`: the officer has been shown them and confirms again."""
    def no_duplicate(change: PendingChange) -> None:
        if not accept_duplicate and (holders := holders_of(session, change)):
            raise DuplicateNationalId(f"national ID also held by {', '.join(h.code for h in holders)}",
                                      field="new_value", holders=holders)

    change = _decide(session, actor, change_id, PendingChangeStatus.CONFIRMED, None, now or utcnow(), no_duplicate)
    _apply(session, actor, change)
    session.flush()
    return ChangeOutcome(change, [Notice(("producer", change.producer_id), "change_confirmed", None,
                                         _data(change))])


def reject(session: Session, actor: Actor, change_id: int, note: str, *,
           now: datetime | None = None) -> ChangeOutcome:
    """An officer refuses the proposal, saying why; nothing is written to the record."""
    if not note or not note.strip():
        raise ValidationError("a reason is required", field="note")
    change = _decide(session, actor, change_id, PendingChangeStatus.REJECTED, note.strip(), now or utcnow())
    return ChangeOutcome(change, [Notice(("producer", change.producer_id), "change_rejected", None,
                                         _data(change))])
