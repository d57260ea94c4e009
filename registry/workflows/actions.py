"""Filing, acting on, rejecting and withdrawing requests: the state tables applied.

Every function takes the caller's Session and never commits. Concurrency: the request row is
read with SELECT ... FOR UPDATE (PostgreSQL blocks the second officer until the first
commits, then shows them the new step; SQLite's BEGIN IMMEDIATE serialises writers the same
way) and written under the `Request.version` optimistic lock, so two officers acting on the
same step make one transition and the other gets `StaleStep`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import (District, Producer, Province, RegistrationStatus, Request, RequestKind,
                    RequestStatus, RequestStep, Role, Subdistrict, utcnow)

from registry.workflows.effects import EFFECTS, named
from registry.workflows.errors import (AlreadyDone, InvalidTransition, NotAllowed, NotFound,
                                       OutOfArea, OwnRequest, StaleStep, ValidationError,
                                       WorkflowError)
from registry.workflows.machine import (CANCELLED, MACHINES, REJECTED, TERMINAL, Actor, Area,
                                        Machine, Notice, Transition)

BANGKOK = timedelta(hours=7)


@dataclass(frozen=True)
class Outcome:
    """What a call did: the request (as now stored) and the notices to send after commit."""

    request: Request
    notices: list[Notice]


# -- permissions -----------------------------------------------------------------------------

def _area(request: Request, area: Area) -> tuple[str, str]:
    if area is Area.TARGET:
        assert request.target_province_code and request.target_district_code
        return request.target_province_code, request.target_district_code
    return request.province_code, request.district_code


def officer_error(actor: Actor, who: frozenset[Role], province: str, district: str) -> WorkflowError | None:
    """Why this actor may not act for the area (province, district), or None if they may."""
    if actor.role is Role.PRODUCER:
        return NotAllowed("producers cannot act on committee or office steps")
    if actor.role not in who:
        return NotAllowed(f"role {actor.role} cannot act here (central admins view only)")
    if actor.role is Role.DISTRICT and actor.district_code != district:
        return OutOfArea(f"district officer of {actor.district_code}, step belongs to {district}")
    if actor.role is Role.PROVINCE and actor.province_code != province:
        return OutOfArea(f"province officer of {actor.province_code}, step belongs to {province}")
    return None


def step_error(request: Request, actor: Actor, transition: Transition) -> WorkflowError | None:
    """Why the actor may not take this transition of this request, or None."""
    if actor.role is not Role.PRODUCER and actor.actor_id == request.created_by:
        return OwnRequest("the filer of a request cannot decide on it")
    return officer_error(actor, transition.who, *_area(request, transition.area))


def _withdraw_error(request: Request, actor: Actor) -> WorkflowError | None:
    is_filer = actor.actor_id == request.created_by
    is_producer = actor.role is Role.PRODUCER and actor.producer_id == request.producer_id
    if not (is_filer or is_producer):
        return NotAllowed("only the filer or the producer can withdraw a request")
    if any(s.action != "submit" for s in request.steps):
        return InvalidTransition("an officer has already acted on this request")
    return None


def available_actions(request: Request, actor: Actor) -> list[str]:
    """The actions this actor may take on the request now (for buttons)."""
    if request.status is not RequestStatus.OPEN:
        return []
    machine = MACHINES[request.kind]
    actions = [a for a, t in machine.steps.get(request.step, {}).items()
               if step_error(request, actor, t) is None]
    if actions:
        actions.append("reject")
    if _withdraw_error(request, actor) is None:
        actions.append("withdraw")
    return actions


# -- helpers ---------------------------------------------------------------------------------

def _bangkok_today(now: datetime) -> date:
    return (now + BANGKOK).date()


def _text(value: str | None, name: str) -> str:
    if value is None or not value.strip():
        raise ValidationError(f"{name} is required", field=name)
    return value.strip()


def _lock(session: Session, request_id: int) -> Request:
    """The request row, locked for update and re-read from the database."""
    stmt = (select(Request).where(Request.id == request_id).with_for_update()
            .execution_options(populate_existing=True))
    request = session.scalars(stmt).one_or_none()
    if request is None:
        raise NotFound(f"no request {request_id}")
    return request


def _check_open(request: Request, expected_step: str | None) -> None:
    if request.status is not RequestStatus.OPEN:
        raise AlreadyDone(f"request {request.id} is {request.status}", step=request.step)
    if expected_step is not None and request.step != expected_step:
        raise StaleStep(f"request {request.id} is at {request.step}, not {expected_step}",
                        step=request.step)


def _audience(request: Request, kind: str) -> tuple[str, Any]:
    return {
        "producer": ("producer", request.new_producer_id or request.producer_id),
        "district": ("district", request.district_code),
        "province": ("province", request.province_code),
        "target_district": ("district", request.target_district_code),
        "target_province": ("province", request.target_province_code),
    }[kind]


def _notices(request: Request, pairs: tuple[tuple[str, str], ...], data: dict[str, Any]) -> list[Notice]:
    base = {"kind": request.kind.value, "step": request.step, "producer_id": request.producer_id}
    return [Notice(_audience(request, kind), event, request.id, {**base, **data}) for kind, event in pairs]


def _move(session: Session, request: Request, actor: Actor, action: str, to: str, now: datetime,
          meeting_date: date | None = None, note: str | None = None) -> RequestStep:
    """Record the transition and move the request; flush under the version lock."""
    request_id = request.id
    row = RequestStep(from_step=request.step, to_step=to, action=action, actor=actor.actor_id,
                      at=now, meeting_date=meeting_date, note=note)
    request.steps.append(row)
    request.step = to
    request.step_since = now
    if to in TERMINAL:
        request.status = RequestStatus(to)
    try:
        session.flush()
    except StaleDataError as exc:  # someone else moved it between our read and write
        raise StaleStep(f"request {request_id} changed concurrently") from exc
    return row


# -- filing ----------------------------------------------------------------------------------

def _file(session: Session, actor: Actor, machine: Machine, producer_id: int, now: datetime | None,
          **fields: Any) -> Outcome:
    now = now or utcnow()
    producer = session.get(Producer, producer_id, with_for_update=True, populate_existing=True)
    if producer is None:
        raise NotFound(f"no producer {producer_id}")
    if actor.role not in machine.filed_by:
        raise NotAllowed(f"role {actor.role} cannot file a {machine.kind} request")
    if actor.role is Role.PRODUCER:
        if actor.producer_id != producer.id:
            raise NotAllowed("a producer can file only for their own registration")
    elif error := officer_error(actor, machine.filed_by, producer.province_code, producer.district_code):
        raise error
    if producer.status is not RegistrationStatus.ACTIVE:
        raise ValidationError(f"producer {producer.code} is {producer.status}", field="producer")
    open_id = session.scalar(select(Request.id).where(
        Request.producer_id == producer.id, Request.status == RequestStatus.OPEN))
    if open_id is not None:
        raise ValidationError(f"producer {producer.code} already has open request {open_id}",
                              field="producer", request_id=open_id)
    request = Request(kind=machine.kind, producer_id=producer.id, province_code=producer.province_code,
                      district_code=producer.district_code, step=machine.start,
                      status=RequestStatus.OPEN, created_by=actor.actor_id, created_at=now,
                      updated_at=now, step_since=now, **fields)
    session.add(request)
    request.steps.append(RequestStep(from_step=None, to_step=machine.start, action="submit",
                                     actor=actor.actor_id, at=now, note=fields.get("reason")))
    session.flush()
    pairs: tuple[tuple[str, str], ...] = (("district", "submitted"),)
    if actor.role is not Role.PRODUCER:  # filed on the producer's behalf: tell them
        pairs += (("producer", "submitted"),)
    return Outcome(request, _notices(request, pairs, named(producer)))


def submit_closure(session: Session, actor: Actor, producer_id: int, reason: str,
                   effective_on: date, *, now: datetime | None = None) -> Outcome:
    """Closure case 1: the producer (or an officer on their behalf) files the cancellation form."""
    if not isinstance(effective_on, date):
        raise ValidationError("effective_on (a date) is required", field="effective_on")
    return _file(session, actor, MACHINES[RequestKind.CLOSURE_PRESENT], producer_id, now,
                 reason=_text(reason, "reason"), effective_on=effective_on)


def start_absent_closure(session: Session, actor: Actor, producer_id: int, reason: str, *,
                         now: datetime | None = None) -> Outcome:
    """Closure case 2: a district (or province) officer starts it for a producer who is gone."""
    return _file(session, actor, MACHINES[RequestKind.CLOSURE_ABSENT], producer_id, now,
                 reason=_text(reason, "reason"))


def submit_relocation(session: Session, actor: Actor, producer_id: int, target_province_code: str,
                      target_district_code: str, target_subdistrict_code: str | None = None,
                      reason: str | None = None, *, now: datetime | None = None) -> Outcome:
    """Relocation: the producer asks to move to another district (of this or another province)."""
    district = session.get(District, target_district_code or "")
    if session.get(Province, target_province_code or "") is None or district is None:
        raise ValidationError("unknown target province or district", field="target")
    if district.province_code != target_province_code:
        raise ValidationError("target district is not in the target province", field="target")
    if target_subdistrict_code is not None:
        sub = session.get(Subdistrict, target_subdistrict_code)
        if sub is None or sub.district_code != target_district_code:
            raise ValidationError("target sub-district is not in the target district", field="target")
    producer = session.get(Producer, producer_id)
    if producer is not None and producer.district_code == target_district_code:
        raise ValidationError("the target is the producer's current district", field="target")
    return _file(session, actor, MACHINES[RequestKind.RELOCATION], producer_id, now,
                 target_province_code=target_province_code, target_district_code=target_district_code,
                 target_subdistrict_code=target_subdistrict_code,
                 reason=reason.strip() if reason and reason.strip() else None)


# -- acting ----------------------------------------------------------------------------------

def act(session: Session, actor: Actor, request_id: int, action: str, *,
        expected_step: str | None = None, meeting_date: date | None = None,
        note: str | None = None, now: datetime | None = None) -> Outcome:
    """Take `action` at the request's current step (approve, record_fact_check, cancel_in_system,
    register). `expected_step` is the step the officer saw; the chat layer should always pass it.
    """
    now = now or utcnow()
    request = _lock(session, request_id)
    _check_open(request, expected_step)
    machine = MACHINES[request.kind]
    transition = machine.transition(request.step, action)
    if transition is None:
        raise InvalidTransition(f"no action {action!r} at step {request.step}", step=request.step)
    if error := step_error(request, actor, transition):
        raise error
    if "meeting_date" in transition.needs:
        if not isinstance(meeting_date, date):
            raise ValidationError("meeting_date is required", field="meeting_date")
        if meeting_date > _bangkok_today(now):
            raise ValidationError("meeting_date is in the future", field="meeting_date")
    if "note" in transition.needs:
        note = _text(note, "note")
    data: dict[str, Any] = {"from_step": request.step, "action": action}
    if transition.effect:
        data |= EFFECTS[transition.effect](session, request, actor, now)
    _move(session, request, actor, action, transition.to, now, meeting_date, note)
    return Outcome(request, _notices(request, transition.notify, data))


def reject(session: Session, actor: Actor, request_id: int, reason: str, *,
           expected_step: str | None = None, now: datetime | None = None) -> Outcome:
    """Reject the request at its current step, with a reason; whoever may act there may reject."""
    now = now or utcnow()
    request = _lock(session, request_id)
    _check_open(request, expected_step)
    machine = MACHINES[request.kind]
    transitions = machine.steps[request.step].values()
    errors = [step_error(request, actor, t) for t in transitions]
    if all(errors):
        raise errors[0]  # type: ignore[misc]
    reason = _text(reason, "reason")
    data: dict[str, Any] = {"from_step": request.step, "action": "reject", "reason": reason}
    pairs: tuple[tuple[str, str], ...] = (("producer", "rejected"), ("district", "rejected"))
    if effect := machine.on_reject.get(request.step):
        data |= EFFECTS[effect](session, request, actor, now)
    _move(session, request, actor, "reject", REJECTED, now, note=reason)
    return Outcome(request, _notices(request, pairs, data))


def withdraw(session: Session, actor: Actor, request_id: int, reason: str | None = None, *,
             now: datetime | None = None) -> Outcome:
    """The filer (or the producer concerned) withdraws an open request before any officer acted."""
    now = now or utcnow()
    request = _lock(session, request_id)
    _check_open(request, None)
    if error := _withdraw_error(request, actor):
        raise error
    data = {"from_step": request.step, "action": "withdraw", "reason": reason}
    _move(session, request, actor, "withdraw", CANCELLED, now, note=reason)
    pairs: tuple[tuple[str, str], ...] = (("district", "withdrawn"),)
    if actor.role is not Role.PRODUCER:
        pairs += (("producer", "withdrawn"),)
    return Outcome(request, _notices(request, pairs, data))
