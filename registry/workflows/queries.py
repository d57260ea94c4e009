"""Read-only views: an officer's pending list, overdue requests, where a request stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from models import Producer, Request, RequestStatus, Role, utcnow

from registry.workflows.actions import available_actions
from registry.workflows.errors import NotAllowed, NotFound, OutOfArea
from registry.workflows.machine import MACHINES, Actor, Area

# Steps acted on by the relocation's target district rather than the request's own district.
TARGET_STEPS = sorted({step for m in MACHINES.values() for step, actions in m.steps.items()
                       if any(t.area is Area.TARGET for t in actions.values())})

_acting_province = case((Request.step.in_(TARGET_STEPS), Request.target_province_code),
                        else_=Request.province_code)
_acting_district = case((Request.step.in_(TARGET_STEPS), Request.target_district_code),
                        else_=Request.district_code)


@dataclass(frozen=True)
class RequestSummary:
    """One line of an officer's list."""

    request_id: int
    kind: str
    step: str
    producer_id: int
    producer_code: str
    producer_name: str | None
    province_code: str  # whose turn it is: the acting area
    district_code: str
    created_at: datetime
    step_since: datetime
    days_at_step: int  # what "overdue" measures
    days_open: int


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    action: str
    from_step: str | None
    to_step: str
    actor: str
    meeting_date: date | None
    note: str | None


@dataclass(frozen=True)
class RequestView:
    """Where a request stands, for "what happened to my request"."""

    request_id: int
    kind: str
    status: str
    step: str
    step_since: datetime
    created_at: datetime
    producer_id: int
    new_producer_id: int | None
    target: dict[str, Any] | None
    history: list[HistoryItem]
    next_actions: list[str]  # what the asking actor may do now (empty when not given)


def _in_area(stmt: Select[Any], area_code: str | None) -> Select[Any]:
    """Filter on the acting area: a province (2 digits) or district (4 digits) code; None = all."""
    if area_code is None:
        return stmt
    column = _acting_province if len(area_code) == 2 else _acting_district
    return stmt.where(column == area_code)


def _summaries(session: Session, stmt: Select[Any], now: datetime) -> list[RequestSummary]:
    rows = session.execute(stmt.order_by(Request.step_since, Request.id)).all()
    return [
        RequestSummary(r.id, r.kind.value, r.step, r.producer_id, code, name, prov, dist,
                       r.created_at, r.step_since, (now - r.step_since).days,
                       (now - r.created_at).days)
        for r, code, name, prov, dist in rows
    ]


def _open() -> Select[Any]:
    return (select(Request, Producer.code, Producer.name, _acting_province, _acting_district)
            .join(Producer, Producer.id == Request.producer_id)
            .where(Request.status == RequestStatus.OPEN))


def pending_requests(session: Session, scope_area_code: str | None, *,
                     now: datetime | None = None) -> list[RequestSummary]:
    """Open requests waiting on an area's officers (None: everywhere), oldest step first."""
    now = now or utcnow()
    return _summaries(session, _in_area(_open(), scope_area_code), now)


def overdue_requests(session: Session, *, older_than_days: int, area_code: str | None = None,
                     now: datetime | None = None) -> list[RequestSummary]:
    """Open requests that have waited at their current step for more than `older_than_days`."""
    now = now or utcnow()
    stmt = _in_area(_open(), area_code).where(Request.step_since < now - timedelta(days=older_than_days))
    return _summaries(session, stmt, now)


def _view_error(request: Request, actor: Actor) -> Exception | None:
    if actor.role is Role.CENTRAL:
        return None
    if actor.role is Role.PRODUCER:
        mine = actor.producer_id is not None and actor.producer_id in (
            request.producer_id, request.new_producer_id)
        return None if mine else NotAllowed("not this producer's request")
    provinces = {request.province_code, request.target_province_code}
    districts = {request.district_code, request.target_district_code}
    if actor.role is Role.PROVINCE and actor.province_code in provinces:
        return None
    if actor.role is Role.DISTRICT and actor.district_code in districts:
        return None
    return OutOfArea("request outside the officer's area")


def request_status(session: Session, request_id: int, actor: Actor | None = None) -> RequestView:
    """The request's current step and history; with `actor`, checks they may see it."""
    request = session.get(Request, request_id)
    if request is None:
        raise NotFound(f"no request {request_id}")
    if actor is not None and (error := _view_error(request, actor)):
        raise error
    target = None
    if request.target_district_code:
        target = {"province_code": request.target_province_code,
                  "district_code": request.target_district_code,
                  "subdistrict_code": request.target_subdistrict_code}
    history = [HistoryItem(s.at, s.action, s.from_step, s.to_step, s.actor, s.meeting_date, s.note)
               for s in request.steps]
    return RequestView(request.id, request.kind.value, request.status.value, request.step,
                       request.step_since, request.created_at, request.producer_id,
                       request.new_producer_id, target, history,
                       available_actions(request, actor) if actor else [])
