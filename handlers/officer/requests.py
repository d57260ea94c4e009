"""Committee requests waiting on the officer: the list (age, overdue flagged, one card per
request with the actions this officer may take), approve / reject / record a step by text,
and starting a case-2 closure for a producer who is gone."""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.engine import STOP, Flow, Invalid, Slot, Valid, register_flow, start
from handlers.notices import send_notices
from handlers.officer import common, links, records
from handlers.officer.search import best, search
from handlers.officer.request_actions import start_act
from handlers.registry import OFFICERS, PRODUCER_FROM_SLOTS, NO_AREA, handler
from handlers.replies import PAGE_SIZE, Card, CardList, Choice, Reply, Text, postback
from models import Producer, Request, Role
from registry import pending
from registry.completeness import FieldIssue
from registry import workflows as wf
from registry.ids import format_date_th



def overdue_days() -> int:
    """Days at one step after which a request is flagged: the same setting the overdue
    alerts use (REMIND_OVERDUE_DAYS, default 14)."""
    from registry.reminders.base import ReminderConfig

    return ReminderConfig.from_env().overdue_days

T = {
    "none": "ตอนนี้ไม่มีคำขอที่รอท่านดำเนินการค่ะ",
    "head": "คำขอที่รอดำเนินการ {n} รายการ{overdue}",
    "overdue_part": " (เกิน {days} วัน {n} รายการ ⚠️)",
    "card_title": "#{id} {kind}",
    "producer": "ผู้ประกอบการ: {name}",
    "step": "ขั้นตอน: {step}",
    "age": "รอที่ขั้นตอนนี้ {days} วัน (ยื่นมาแล้ว {open} วัน)",
    "overdue": "⚠️ เกินกำหนด {limit} วัน",
    "view": "ดูคำขอ",
    "changes": "มีคำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน {n} รายการค่ะ",
    "changes_button": "คำขอแก้ไขข้อมูล",
    "which": "คำขอเลขที่เท่าไรคะ เลือกจากรายการด้านล่างได้เลยค่ะ",
    "no_action": "ท่านไม่มีขั้นตอนที่ต้องทำกับคำขอนี้ตอนนี้ค่ะ",
    "closure_ask_producer": "ผู้ประกอบการรายใดคะ พิมพ์ชื่อหรือรหัสได้เลยค่ะ",
    "closure_ask_reason": "เหตุผลที่ต้องยกเลิกทะเบียนคืออะไรคะ (เช่น ไม่อยู่ในพื้นที่แล้ว / เลิกดำเนินการ)",
    "closure_cancelled": "ไม่ได้เริ่มเรื่องยกเลิกทะเบียนค่ะ ทะเบียนของผู้ประกอบการยังอยู่ตามเดิม",
    "closure_confirm": ("ยืนยันเริ่มเรื่องยกเลิกทะเบียน (ผู้ประกอบการไม่อยู่/เลิกดำเนินการ) ของ {producer} ใช่ไหมคะ\n"
                        "เหตุผล: {reason}\nขั้นตอนถัดไป: ตรวจสอบข้อเท็จจริง โดยเจ้าหน้าที่อีกท่าน"),
    "closure_done": "เริ่มเรื่องแล้วค่ะ คำขอเลขที่ {id}\nสถานะ: {step}\nขั้นตอนต่อไปต้องให้เจ้าหน้าที่ท่านอื่นบันทึกค่ะ",
    "short": "กรุณาพิมพ์เหตุผลให้ชัดเจนอีกนิดค่ะ",
    "producer_not_found": "ไม่พบผู้ประกอบการนี้ในพื้นที่ของท่านค่ะ",
    "several": "พบหลายรายการค่ะ:\n{listing}\nพิมพ์รหัสของรายที่ต้องการได้เลยค่ะ",
    "central_only_view": "ส่วนกลางดูคำขอได้ทุกพื้นที่ แต่การอนุมัติเป็นของคณะกรรมการในพื้นที่ค่ะ",
}
PRIMARY_ACTIONS = ("record_fact_check", "approve", "cancel_in_system", "register")


def _area(ctx: Ctx) -> str | None:
    return ctx.scope.home_area or None


def request_card(ctx: Ctx, summary: wf.RequestSummary, request: Request, actor: wf.Actor, limit: int,
                 issues: list[FieldIssue] | None = None) -> Card:
    """One waiting request: who, which step, how long (flagged past `limit` days), the
    producer's reason and effective date, the record's missing fields (what the officer
    decides on, before the buttons); abbreviations spelled out once; the actions this officer
    may take."""
    from handlers.producer.requests import missing_line, spelled_out
    from handlers.producer.texts import REQUEST as PT

    lines = [T["producer"].format(name=summary.producer_name or summary.producer_code),
             T["step"].format(step=wf.STEP_LABELS.get(summary.step, summary.step)),
             T["age"].format(days=summary.days_at_step, open=summary.days_open)]
    if summary.days_at_step > limit:
        lines.append(T["overdue"].format(limit=limit))
    if request.reason:
        lines.append(PT["reason"].format(reason=request.reason))
    if request.effective_on:
        lines.append(PT["effective"].format(date=format_date_th(request.effective_on)))
    lines.append(missing_line(ctx, request.producer_id, issues))
    lines = spelled_out(lines)
    actions = wf.available_actions(request, actor)
    buttons: list[Choice] = [Choice(wf.ACTION_LABELS[a], postback=postback(
        "request.act", request_id=summary.request_id, action=a, step=summary.step))
        for a in actions if a in PRIMARY_ACTIONS][:1]
    if "reject" in actions:
        buttons.append(Choice(wf.ACTION_LABELS["reject"], postback=postback(
            "request.reject", request_id=summary.request_id, step=summary.step)))
    buttons.append(Choice(T["view"], postback=postback("request.view", request_id=summary.request_id)))
    return Card(title=T["card_title"].format(id=summary.request_id, kind=wf.KIND_LABELS.get(summary.kind, summary.kind)),
                lines=lines, buttons=buttons)


@handler("officer.pending_requests", roles=OFFICERS, area=NO_AREA)
def pending_requests(ctx: Ctx, slots: dict) -> list[Reply]:
    """Requests waiting on the officer's area, oldest first, overdue ones flagged."""
    page = max(common.int_slot(slots, "page") or 1, 1)
    limit = overdue_days()
    listed = wf.pending_page(ctx.session, _area(ctx), now=ctx.now, offset=(page - 1) * PAGE_SIZE,
                             limit=PAGE_SIZE, overdue_days=limit)
    quick: list[Choice] = []
    notes: list[Reply] = []
    if ctx.scope.role in (Role.DISTRICT, Role.PROVINCE):
        n_changes = listed.changes if listed.changes is not None else pending.count_for_area(ctx.session, _area(ctx) or "")
        if n_changes:
            quick = [Choice(T["changes_button"], postback=postback("officer.pending_changes"))]
            notes = [Text(T["changes"].format(n=n_changes), quick=quick)]
    if not listed.total:
        return [Text(T["none"])] + notes
    overdue = T["overdue_part"].format(days=limit, n=listed.overdue) if listed.overdue else ""
    head = T["head"].format(n=listed.total, overdue=overdue)
    actor = common.actor(ctx)
    more = postback("officer.pending_requests", page=page + 1) if page * PAGE_SIZE < listed.total else None
    cards = [request_card(ctx, summary, request, actor, limit, listed.issues.get(summary.request_id))
             for summary, request in listed.items]
    replies: list[Reply] = [Text(head), CardList(cards, page=page, total=listed.total, more_postback=more,
                                                 alt_text=head, quick=quick, web=links.console(ctx, "requests"))]
    if ctx.scope.role is Role.CENTRAL:
        replies.insert(1, Text(T["central_only_view"]))
    return replies + notes


def _by_text(ctx: Ctx, slots: dict, kinds: tuple[str, ...]) -> list[Reply]:
    """approve / record_step said in words: the request's own next action, or the list."""
    request_id = common.int_slot(slots, "request_id")
    if request_id is None:
        return [Text(T["which"])] + pending_requests(ctx, {})
    request = ctx.session.get(Request, request_id)
    if request is None:
        return [Text(common.error_text(wf.NotFound()))]
    actions = [a for a in wf.MACHINES[request.kind].steps.get(request.step, {}) if a in kinds] or \
        list(wf.MACHINES[request.kind].steps.get(request.step, {}))
    if not actions:
        return [Text(common.error_text(wf.AlreadyDone()))]
    return start_act(ctx, request_id, actions[0], request.step, meeting_date=slots.get("date"),
                     note=slots.get("note"))


@handler("officer.approve", roles=OFFICERS, area=NO_AREA, example_slots={"request_id": "1"})
def approve(ctx: Ctx, slots: dict) -> list[Reply]:
    """Approve (or take the step's action on) a request given by number."""
    return _by_text(ctx, slots, ("approve", "cancel_in_system", "register"))


@handler("officer.record_step", roles=OFFICERS, area=NO_AREA, example_slots={"request_id": "1"})
def record_step(ctx: Ctx, slots: dict) -> list[Reply]:
    """Record a committee or office step (fact check, meeting result) on a request."""
    return _by_text(ctx, slots, ("record_fact_check", "approve"))


@handler("officer.reject", roles=OFFICERS, area=NO_AREA, example_slots={"request_id": "1", "reason": "เอกสารไม่ครบ"})
def reject(ctx: Ctx, slots: dict) -> list[Reply]:
    """Reject a request given by number, with a reason (always confirmed)."""
    from handlers.officer.request_actions import request_reject

    request_id = common.int_slot(slots, "request_id")
    if request_id is None:
        return [Text(T["which"])] + pending_requests(ctx, {})
    request = ctx.session.get(Request, request_id)
    return request_reject(ctx, {"request_id": request_id, "step": request.step if request else None,
                                "reason": slots.get("reason")})


# ---------------------------------------------------------------- closure, case 2


def _producer(value: str, ctx: Ctx) -> Valid | Invalid:
    """A producer in the officer's area: a tapped card's id, or a typed code or clear name (a
    typed number is a registry code, never a database id)."""
    text = value.strip()
    if (record_id := common.tapped_id(text)) is not None:
        p = ctx.session.get(Producer, record_id)
        return Valid({"id": p.id, "name": p.name or p.code}) if common.in_scope(ctx, p) else Invalid(T["producer_not_found"])
    hits = search(ctx, text, ("producers",))
    one = best(hits)
    if one is not None:
        return Valid({"id": one.id, "name": one.name or one.code})
    if not hits:
        return Invalid(T["producer_not_found"])
    listing = "\n".join(f"• {h.name} ({h.code})" for h in hits[:5])
    return Invalid(T["several"].format(listing=listing))


def _reason(value: str, ctx: Ctx) -> Valid | Invalid:
    return Valid(value.strip()) if len(value.strip()) >= 3 else Invalid(T["short"])


def _start_closure(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    try:
        with ctx.session.begin_nested():
            outcome = wf.start_absent_closure(ctx.session, common.actor(ctx), values["producer"]["id"],
                                              values["reason"], now=ctx.now)
    except wf.WorkflowError as err:
        return [Text(common.error_text(err))]
    send_notices(ctx, outcome.notices)
    return [Text(T["closure_done"].format(id=outcome.request.id, step=wf.STEP_LABELS[outcome.request.step]))]


CLOSURE = register_flow(Flow(
    name="officer.start_closure", title_th="เริ่มเรื่องยกเลิกทะเบียน",
    slots=[Slot("producer", T["closure_ask_producer"], validate=_producer),
           Slot("reason", T["closure_ask_reason"], validate=_reason, example="ย้ายไปต่างจังหวัด ไม่อยู่ในพื้นที่แล้ว")],
    on_done=_start_closure,
    confirm_th=lambda v: T["closure_confirm"].format(producer=v["producer"]["name"], reason=v["reason"]),
    roles=OFFICERS, texts={"cancelled": T["closure_cancelled"], "no": STOP},
))


@handler("officer.start_closure", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
         example_slots={"producer_id": "$producer", "reason": "ไม่อยู่ในพื้นที่"})
def start_closure(ctx: Ctx, slots: dict) -> list[Reply]:
    """Start closure case 2 for a producer who is gone (asks what is missing, confirms)."""
    producer_id = common.int_slot(slots, "producer_id")
    query = slots.get("query")
    if producer_id is None and query:  # a name: one clear match, or a picker to tap
        record, replies = records.resolve(ctx, Producer, None, query, "officer.start_closure")
        if replies:
            return replies
        producer_id = record.id if record else None  # type: ignore[union-attr]
    return start(ctx, CLOSURE, producer=common.tapped(producer_id), reason=slots.get("reason"))
