"""Read-only views: an officer's pending list, overdue requests, where a request stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from models import PendingChange, PendingChangeStatus, Producer, Request, RequestStatus, Role, utcnow
from registry.completeness import FieldIssue
from registry.completeness_records import issue_columns, read_issues

from registry.workflows.actions import available_actions
from registry.workflows.errors import NotAllowed, NotFound, OutOfArea
from registry.workflows.machine import MACHINES, Actor, Area

# Steps acted on by the relocation's target district rather than the request's own district.
TARGET_STEPS = sorted({step for m in MACHINES.values() for step, actions in m.steps.items()
                       if any(t.area is Area.TARGET for t in actions.values())})

# Plain comparisons rather than `in_(TARGET_STEPS)`: an IN list is expanded on every execution
# of the (otherwise cached) statement, which cost ~0.05 ms per query.
_at_target = or_(*(Request.step == step for step in TARGET_STEPS))
_acting_province = case((_at_target, Request.target_province_code), else_=Request.province_code)
_acting_district = case((_at_target, Request.target_district_code), else_=Request.district_code)


def waiting_changes_in(whole_province: bool) -> ColumnElement[bool]:
    """Proposals waiting in the district given as the parameter `area` (4-digit code), or in
    the whole province (2 digits) with `whole_province` (`registry.pending`'s lists and
    counts, and the count the request queue's page carries)."""
    area = bindparam("area", type_=String)
    where = PendingChange.district_code.startswith(area) if whole_province else PendingChange.district_code == area
    return and_(where, PendingChange.status == PendingChangeStatus.PENDING)


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


def _open(stmt: Select[Any], area_kind: int | None) -> Select[Any]:
    """`stmt` limited to open requests (joined to their producer) whose acting province
    (area_kind 2) or district (4) is the parameter `area`; None: everywhere. Oldest step first."""
    stmt = stmt.join(Producer, Producer.id == Request.producer_id).where(Request.status == RequestStatus.OPEN)
    if area_kind is not None:
        stmt = stmt.where((_acting_province if area_kind == 2 else _acting_district) == bindparam("area"))
    return stmt.order_by(Request.step_since, Request.id)


# Columns, not Request entities: a summary needs ten values, and loading whole ORM rows
# (identity map, every column converted) cost several times as much per request.
_SUMMARY = (Request.id, Request.kind, Request.step, Request.producer_id, Producer.code, Producer.name,
            _acting_province, _acting_district, Request.created_at, Request.step_since)
_AREA_KINDS = (None, 2, 4)

# Statements built once, the area and dates as parameters: building a select (and its cache
# key) on every call cost more than SQLite takes to run it (about 0.2 ms of a 0.4 ms query).
_OPEN = {kind: _open(select(*_SUMMARY), kind) for kind in _AREA_KINDS}
_OVERDUE = {kind: _open(select(*_SUMMARY).where(Request.step_since < bindparam("before")), kind)
            for kind in _AREA_KINDS}
# One page of the list as Request entities (their actions are worked out from them), with the
# whole list's size and how many of it are overdue as window aggregates (taken before LIMIT),
# and each producer's completeness flags (the card shows what the record misses): the page's
# cards need nothing more, so the queue costs one statement however many cards it shows.
_ISSUES = issue_columns("producers")
# An area's page also carries how many proposals wait in the area (the queue offers them
# beside the requests): one statement for both.
_CHANGES = {2: select(func.count()).select_from(PendingChange).where(waiting_changes_in(True)),
            4: select(func.count()).select_from(PendingChange).where(waiting_changes_in(False))}
_PAGE = {kind: _open(select(Request, Producer.code, Producer.name, _acting_province, _acting_district,
                            func.count().over().label("total"),
                            func.count(case((Request.step_since <= bindparam("overdue_since"), Request.id)))
                            .over().label("overdue"), *_ISSUES,
                            *([_CHANGES[kind].scalar_subquery().label("changes")] if kind else [])),
                     kind).offset(bindparam("offset")).limit(bindparam("limit"))
         for kind in _AREA_KINDS}


def _area_params(area_code: str | None) -> tuple[int | None, dict[str, Any]]:
    """The statement key and parameters for an area: a province (2 digits) or district (any
    other length); None = all."""
    if area_code is None:
        return None, {}
    return (2 if len(area_code) == 2 else 4), {"area": area_code}


def _summaries(session: Session, area_code: str | None, now: datetime,
               before: datetime | None = None) -> list[RequestSummary]:
    """The open requests whose acting area is `area_code`. With `before`: only those at their
    step since before it."""
    area_kind, params = _area_params(area_code)
    if before is None:
        rows = session.execute(_OPEN[area_kind], params).all()
    else:
        rows = session.execute(_OVERDUE[area_kind], {**params, "before": before}).all()
    return [
        RequestSummary(id_, kind.value, step, producer_id, code, name, prov, dist, created_at,
                       step_since, (now - step_since).days, (now - created_at).days)
        for id_, kind, step, producer_id, code, name, prov, dist, created_at, step_since in rows
    ]


@dataclass(frozen=True)
class PendingPage:
    """One page of `pending_requests`, each summary with its request, and the whole list's
    size and count of those more than `overdue_days` at their step."""

    total: int
    overdue: int
    items: list[tuple[RequestSummary, Request]]
    issues: dict[int, list[FieldIssue]] = field(default_factory=dict)  # request id -> its producer's issues
    changes: int | None = None  # proposals waiting in the area (None: not read, for a page without rows or no area)


def pending_page(session: Session, scope_area_code: str | None, *, now: datetime, offset: int,
                 limit: int, overdue_days: int) -> PendingPage:
    """`pending_requests(...)[offset:offset + limit]` with their Request rows, its length, and
    how many of it have `days_at_step > overdue_days`: one statement instead of the whole list."""
    kind, params = _area_params(scope_area_code)
    # days_at_step = (now - step_since).days > overdue_days  <=>  now - step_since >= overdue_days + 1 days
    params["overdue_since"] = now - timedelta(days=overdue_days + 1)
    rows = session.execute(_PAGE[kind], {**params, "offset": offset, "limit": limit}).all()
    # A page past the end has no row to carry the counts: take them from the first row.
    counts = rows or (session.execute(_PAGE[kind], {**params, "offset": 0, "limit": 1}).all() if offset else [])
    total, overdue = (counts[0].total, counts[0].overdue) if counts else (0, 0)
    items = [(RequestSummary(r.id, r.kind.value, r.step, r.producer_id, code, name, prov, dist, r.created_at,
                             r.step_since, (now - r.step_since).days, (now - r.created_at).days), r)
             for r, code, name, prov, dist, *_rest in rows]
    changes = rows[0].changes if rows and kind else None
    return PendingPage(total, overdue, items, {row[0].id: read_issues(row, "producers") for row in rows}, changes)


def pending_requests(session: Session, scope_area_code: str | None, *,
                     now: datetime | None = None) -> list[RequestSummary]:
    """Open requests waiting on an area's officers (None: everywhere), oldest step first."""
    now = now or utcnow()
    return _summaries(session, scope_area_code, now)


def overdue_requests(session: Session, *, older_than_days: int, area_code: str | None = None,
                     now: datetime | None = None) -> list[RequestSummary]:
    """Open requests that have waited at their current step for more than `older_than_days`."""
    now = now or utcnow()
    return _summaries(session, area_code, now, before=now - timedelta(days=older_than_days))


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
