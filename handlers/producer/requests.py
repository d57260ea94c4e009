"""Where a closure or relocation request stands.

- producer.request_status: the producer's own requests (newest first), each with its history.
- request.view (any linked user; the workflow's own visibility check decides): one request.
  Officers also get the actions they may take now, as postbacks
  `i=request.act&request_id=N&action=A&step=S` (reject: `i=request.reject&request_id=N&step=S`),
  handled by the officer side; the producer gets "ถอนคำขอ" while no officer has acted.
- producer.withdraw_request: the producer withdraws (confirmed first).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import selectinload

from handlers.context import BANGKOK, Ctx
from handlers.engine import STOP, Flow, Invalid, Slot, Valid, register_flow, start
from handlers.notices import send_notices
from handlers.producer import common
from handlers.producer.texts import COMMON, REQUEST as T
from handlers.registry import LINKED, PRODUCERS, handler
from handlers.replies import Card, CardList, Choice, Reply, Text, postback
from models import Producer, Request, RequestStatus, Role
from registry import gazetteer, ids
from registry.completeness import FieldIssue
from registry import workflows as wf


def _date(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    return ids.format_date_th(aware.astimezone(BANGKOK).date())


def _place(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else "-"


def target_text(target: dict[str, Any] | None) -> str:
    if not target:
        return "-"
    sub = f"ต.{_place(target['subdistrict_code'])} " if target.get("subdistrict_code") else ""
    return f"{sub}อ.{_place(target['district_code'])} จ.{_place(target['province_code'])}"


def request_card(ctx: Ctx, view: wf.RequestView) -> Card:
    """A request as a card: kind, where it stands, every step so far, the next buttons."""
    lines = [T["kind"].format(kind=wf.KIND_LABELS[view.kind]),
             T["status"].format(step=wf.STEP_LABELS.get(view.step, view.step)),
             T["since"].format(date=_date(view.step_since))]
    request = ctx.session.get(Request, view.request_id)
    if request is not None and request.reason:
        lines.append(T["reason"].format(reason=request.reason))
    if request is not None and request.effective_on:
        lines.append(T["effective"].format(date=ids.format_date_th(request.effective_on)))
    if ctx.scope.is_officer:
        producer = ctx.session.get(Producer, view.producer_id)
        if producer is not None:
            lines.append(f"ผู้ประกอบการ: {producer.name or '-'} ({producer.code})")
            lines.append(missing_line(ctx, producer.id))
    if view.target:
        lines.append(T["target"].format(target=target_text(view.target)))
    lines.append(T["history_head"])
    for item in view.history:
        meeting = T["meeting"].format(date=ids.format_date_th(item.meeting_date)) if item.meeting_date else ""
        action = wf.ACTION_LABELS.get(item.action, item.action)
        lines.append(T["history_line"].format(date=_date(item.at), action=action, meeting=meeting))
    return Card(title=T["title"].format(request_id=view.request_id), lines=spelled_out(lines),
                buttons=action_choices(ctx, view)[:3])


def missing_line(ctx: Ctx, producer_id: int, issues: list[FieldIssue] | None = None) -> str:
    """The record's incomplete fields (★ first), for the officer deciding on the request
    (`issues`: already read with the request, else read here)."""
    from registry.completeness_records import issues_for_record

    if issues is None:
        issues = issues_for_record(ctx.session, "producers", producer_id)
    if not issues:
        return T["complete"]
    return T["missing"].format(fields=", ".join(("★" if i.starred else "") + i.label_th for i in issues[:8]))


def spelled_out(lines: list[str]) -> list[str]:
    """Each abbreviation written in full the first time it appears on the card."""
    out, done = [], set()
    for line in lines:
        for short, full in T["abbreviations"].items():
            if short not in done and short in line:
                line = " ".join(line.replace(short, full, 1).split())
                done.update(k for k in T["abbreviations"] if k in full or k == short)  # spelled out inside
        out.append(line)
    return out


def action_choices(ctx: Ctx, view: wf.RequestView) -> list[Choice]:
    """Buttons for what the viewer may do now (officer postbacks are handled by the officer side)."""
    out: list[Choice] = []
    for action in view.next_actions:
        label = wf.ACTION_LABELS.get(action, action)
        if ctx.scope.role is Role.PRODUCER:
            if action == "withdraw":
                out.append(Choice(T["btn_withdraw"], postback=postback("producer.withdraw_request",
                                                                        request_id=view.request_id)))
        elif action == "reject":
            out.append(Choice(label, postback=postback("request.reject", request_id=view.request_id, step=view.step)))
        else:
            out.append(Choice(label, postback=postback("request.act", request_id=view.request_id, action=action,
                                                       step=view.step)))
    out.append(Choice(T["btn_refresh"], postback=postback("request.view", request_id=view.request_id)))
    return out


# Built once, the producer as a parameter; with their steps (for the history) in one more
# statement however many requests there are (a lazy load per request before).
_MINE = (select(Request).where(or_(Request.producer_id == bindparam("pid"), Request.new_producer_id == bindparam("pid")))
         .order_by(Request.id.desc()))
_MINE_WITH_STEPS = _MINE.options(selectinload(Request.steps))


def my_requests(ctx: Ctx, with_steps: bool = False) -> list[Request]:
    """The caller's requests (as producer, old or new registration), newest first (`with_steps`:
    their steps loaded too)."""
    pid = ctx.scope.producer_id
    if ctx.scope.role is not Role.PRODUCER or not pid:
        return []
    return list(ctx.session.scalars(_MINE_WITH_STEPS if with_steps else _MINE, {"pid": pid}))


def request_buttons(request_id: int) -> list[Choice]:
    """The next steps after a request is named: see where it stands, or the menu."""
    return [Choice(T["btn_refresh"], postback=postback("request.view", request_id=request_id)),
            Choice(COMMON["btn_menu"], postback=postback("menu"))]


def open_request_guard(ctx: Ctx) -> list[Reply] | None:
    """Refuse a new filing while one is open (the domain allows one open request)."""
    open_one = next((r for r in my_requests(ctx) if r.status is RequestStatus.OPEN), None)
    if open_one is None:
        return None
    return [Text(T["open_exists"].format(request_id=open_one.id), quick=request_buttons(open_one.id))]


def filed(ctx: Ctx, outcome: Any, done_text: str) -> list[Reply]:
    """A request was filed: tell whom the workflow names, and say so with its number and step."""
    send_notices(ctx, outcome.notices)
    request = outcome.request
    return [Text(done_text.format(request_id=request.id, step=wf.STEP_LABELS[request.step]),
                 quick=request_buttons(request.id))]


@handler("producer.request_status", roles=PRODUCERS, example_slots={})
def request_status(ctx: Ctx, slots: dict) -> list[Reply]:
    """"คำขอถึงไหนแล้ว": the producer's requests and where each stands."""
    actor = common.actor(ctx)
    # Held while the cards are built: the session's identity map keeps its rows only while
    # they are referenced (each card's `session.get` was a statement of its own otherwise).
    requests = my_requests(ctx, with_steps=True)[:10]
    views = [wf.request_status(ctx.session, r.id, actor) for r in requests]
    if not views:
        return [Text(T["none"], quick=common.after_edit())]
    quick = [c for c in action_choices(ctx, views[0]) if c.postback and c.postback["i"] != "request.view"]
    return [CardList([request_card(ctx, v) for v in views], alt_text=T["list_alt"],
                     quick=[*quick, *common.after_edit()])]


@handler("request.view", roles=LINKED, example_slots={"request_id": "1"})
def view_request(ctx: Ctx, slots: dict) -> list[Reply]:
    """One request's status and history, if the workflow lets this user see it."""
    try:
        view = wf.request_status(ctx.session, int(slots.get("request_id") or 0), common.actor(ctx))
    except (TypeError, ValueError):
        return [Text(COMMON["error"].format(reason=wf.ERROR_MESSAGES["not_found"]))]
    except wf.WorkflowError as exc:
        return [Text(COMMON["error"].format(reason=wf.ERROR_MESSAGES.get(exc.code, wf.ERROR_MESSAGES["workflow_error"])))]
    return [CardList([request_card(ctx, view)], alt_text=T["title"].format(request_id=view.request_id),
                     quick=action_choices(ctx, view))]


# -- withdraw --------------------------------------------------------------------------------

def check_own_open(value: str, ctx: Ctx) -> Valid | Invalid:
    """One of the caller's own open requests (never someone else's, whatever the postback says)."""
    mine = {r.id: r for r in my_requests(ctx) if r.status is RequestStatus.OPEN}
    try:
        rid = int(str(value).strip())
    except ValueError:
        rid = 0
    return Valid(rid) if rid in mine else Invalid(T["not_open"])


def withdraw(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    try:
        outcome = wf.withdraw(ctx.session, common.actor(ctx), int(v["request_id"]), now=ctx.now)
    except wf.WorkflowError as exc:
        return common.error_reply(exc)
    send_notices(ctx, outcome.notices)
    return [Text(T["withdrawn"].format(request_id=outcome.request.id), quick=common.after_edit())]


def confirm_withdraw(v: dict[str, Any], ctx: Ctx) -> str:
    """The request to withdraw, named: a relocation with where it moves to, as its card says."""
    request = ctx.session.get(Request, int(v["request_id"]))
    about = ""
    if request is not None and request.target_district_code:
        about = T["withdraw_relocation"].format(target=target_text({
            "province_code": request.target_province_code, "district_code": request.target_district_code,
            "subdistrict_code": request.target_subdistrict_code}))
    return T["confirm_withdraw"].format(request_id=v["request_id"], about=about)


WITHDRAW = register_flow(Flow(
    name="producer.withdraw_request", title_th="ถอนคำขอ", roles=PRODUCERS,
    slots=[Slot("request_id", T["ask_confirm"], validate=check_own_open)], on_done=withdraw,
    confirm_th=confirm_withdraw,
    texts={"cancelled": T["withdraw_cancelled"], "no": STOP},
))


@handler("producer.withdraw_request", roles=PRODUCERS, example_slots={})
def withdraw_request(ctx: Ctx, slots: dict) -> list[Reply]:
    """Withdraw the producer's open request (before any officer acted), after confirming."""
    wanted = slots.get("request_id")
    open_ids = [r.id for r in my_requests(ctx) if r.status is RequestStatus.OPEN]
    if wanted in (None, ""):
        if not open_ids:
            return [Text(T["none"], quick=common.after_edit())]
        wanted = open_ids[0]
    if isinstance(check_own_open(str(wanted), ctx), Invalid):
        mine = {r.id for r in my_requests(ctx)}
        other = str(wanted).isdigit() and int(wanted) not in mine and ctx.session.get(Request, int(wanted))
        return common.refuse_other() if other else [Text(T["not_open"], quick=common.after_edit())]
    return start(ctx, WITHDRAW, request_id=wanted)
