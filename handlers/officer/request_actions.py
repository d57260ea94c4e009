"""Acting on a committee request from chat: `request.act` (approve a step, record the fact
check, cancel in the system, register a relocated producer) and `request.reject` (with a
reason). Each is a declared flow: the postback carries the request, the action and the step
the officer saw; the flow asks what the step needs (meeting date, note), confirms, then calls
`registry.workflows` with `expected_step`, so two officers tapping the same card make one
transition and the second is told plainly. Notices go out with `send_notices`."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers import dates
from handlers.context import Ctx
from handlers.engine import STOP, Flow, Invalid, Slot, Valid, register_flow, start
from handlers.notices import send_notices
from handlers.officer import common
from handlers.registry import NO_AREA, OFFICERS, handler
from handlers.replies import Choice, Reply, Text, postback
from models import Producer, Request, RequestStatus
from registry import workflows as wf
from registry.ids import format_date_th
from registry.workflows.actions import step_error

T = {
    "ask_meeting": "ที่ประชุม{body}มีมติเมื่อวันที่เท่าไรคะ แตะ \"เลือกวันที่\" หรือพิมพ์ วัน/เดือน/ปี พ.ศ. เช่น {example}",
    "ask_fact_date": "ตรวจสอบข้อเท็จจริงเมื่อวันที่เท่าไรคะ แตะ \"เลือกวันที่\" หรือพิมพ์ วัน/เดือน/ปี พ.ศ. เช่น {example}",
    "ask_note": "สรุปผลการตรวจสอบข้อเท็จจริงสั้น ๆ ค่ะ",
    "ask_reason": "เหตุผลที่ไม่อนุมัติคืออะไรคะ (ผู้ประกอบการจะได้รับแจ้งเหตุผลนี้)",
    "short": "กรุณาพิมพ์ให้ยาวกว่านี้อีกนิดค่ะ",
    "hidden": "ข้อมูลคำขอไม่ครบ กรุณาเริ่มจากรายการคำขออีกครั้งค่ะ",
    "confirm": "ยืนยัน{action} คำขอเลขที่ {id} ({producer}) ใช่ไหมคะ",
    "confirm_meeting": "\nวันที่ประชุม: {date}",
    "confirm_fact_date": "\nวันที่ตรวจสอบข้อเท็จจริง: {date}",
    "confirm_note": "\nผลการตรวจสอบ: {note}",
    "confirm_reason": "\nเหตุผลของคำขอ: {reason}",
    "confirm_effective": "\nขอให้มีผลตั้งแต่: {date}",
    "confirm_reject": "ยืนยันไม่อนุมัติคำขอเลขที่ {id} ({producer}) ใช่ไหมคะ\nเหตุผล: {reason}",
    "done": "{action}แล้วค่ะ คำขอเลขที่ {id}\nสถานะตอนนี้: {step}",
    "rejected": "บันทึกไม่อนุมัติแล้วค่ะ คำขอเลขที่ {id} ผู้ประกอบการจะได้รับแจ้งเหตุผล",
    "now_at": "\nสถานะล่าสุด: {step}",
    "view": "ดูคำขอ",
    "list": "คำขอรออนุมัติ",
    "committee": {"district_subcommittee": "คณะอนุกรรมการ นตผ. อำเภอ",
                  "network_committee": "คณะกรรมการเครือข่าย OTOP ระดับอำเภอ"},
    "cancelled": "ไม่ได้ดำเนินการต่อค่ะ ยังไม่ได้บันทึกรายการนี้ คำขอยังอยู่ที่ขั้นตอนเดิม",
    "before_earlier": "วันที่นี้อยู่ก่อนขั้นตอนก่อนหน้า ({date}) ค่ะ ขั้นตอนต้องเรียงตามลำดับ กรุณาตรวจสอบวันที่อีกครั้ง",
}


def _earliest(ctx: Ctx, request_id: int) -> date | None:
    """The latest meeting or fact-check date of the request's earlier steps: a later step's
    date may not lie before it (steps happen in order)."""
    request = ctx.session.get(Request, request_id)
    dates = [s.meeting_date for s in (request.steps if request is not None else []) if s.meeting_date]
    return max(dates) if dates else None


def meeting_date_of(value: str, ctx: Ctx, values: dict[str, Any]) -> Valid | Invalid:
    day = common.parse_day(value, ctx.today)
    if day is None:
        return Invalid(dates.refused(value, common.T["bad_date"]))
    if day > ctx.today:
        return Invalid(common.T["future_date"])
    earliest = _earliest(ctx, values["request_id"])
    if earliest is not None and day < earliest:
        return Invalid(T["before_earlier"].format(date=format_date_th(earliest)))
    return Valid(day.isoformat())


def text_of(value: str, ctx: Ctx) -> Valid | Invalid:
    return Valid(value.strip()) if len(value.strip()) >= 3 else Invalid(T["short"])


def _day_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(common.T["today"], text=common.T["today"]), Choice(common.T["yesterday"], text=common.T["yesterday"])]


def _ask_date(ctx: Ctx, values: dict[str, Any]) -> str:
    """Each step's own wording: the fact check's date, or the meeting of the step's committee."""
    example = dates.example(ctx.today, 0)  # a meeting has taken place: today, in this Buddhist year
    if "note" in values.get("needs", ()):
        return T["ask_fact_date"].format(example=example)
    return T["ask_meeting"].format(body=T["committee"].get(values.get("step", ""), ""), example=example)


def _confirm(values: dict[str, Any]) -> str:
    text = T["confirm"].format(action=wf.ACTION_LABELS.get(values["action"], values["action"]),
                               id=values["request_id"], producer=values["producer"])
    if values.get("request_reason"):  # what the producer asked, seen before deciding
        text += T["confirm_reason"].format(reason=values["request_reason"])
    if values.get("request_effective"):
        text += T["confirm_effective"].format(date=format_date_th(date.fromisoformat(values["request_effective"])))
    if values.get("note"):
        text += T["confirm_note"].format(note=values["note"])
    if values.get("meeting_date"):
        line = T["confirm_fact_date"] if values.get("note") else T["confirm_meeting"]
        text += line.format(date=format_date_th(date.fromisoformat(values["meeting_date"])))
    return text


def _stale_reply(ctx: Ctx, err: wf.WorkflowError, request_id: int) -> list[Reply]:
    text = common.error_text(err)
    step = err.data.get("step") if isinstance(err, wf.StaleStep) else None
    if step:
        text += T["now_at"].format(step=wf.STEP_LABELS.get(str(step), step))
    return [Text(text, quick=[Choice(T["view"], postback=postback("request.view", request_id=request_id)),
                              Choice(T["list"], postback=postback("officer.pending_requests"))])]


def _act(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    """Take the confirmed action; one savepoint, so a refusal leaves the event's work intact."""
    meeting = date.fromisoformat(values["meeting_date"]) if values.get("meeting_date") else None
    try:
        with ctx.session.begin_nested():
            outcome = wf.act(ctx.session, common.actor(ctx), values["request_id"], values["action"],
                             expected_step=values["step"], meeting_date=meeting, note=values.get("note"),
                             now=ctx.now)
    except wf.WorkflowError as err:
        return _stale_reply(ctx, err, values["request_id"])
    send_notices(ctx, outcome.notices)
    label = wf.ACTION_LABELS.get(values["action"], values["action"])
    return [Text(T["done"].format(action=label if label.startswith("บันทึก") else f"บันทึก{label}",
                                  id=outcome.request.id, step=wf.STEP_LABELS.get(outcome.request.step)),
                 quick=[Choice(T["list"], postback=postback("officer.pending_requests"))])]


# One flow for every action: the request, action, step and what the step needs travel as the
# flow's context payload; the step's own questions are asked only when it needs them.
ACT = register_flow(Flow(
    name="request.act", roles=OFFICERS, title_th="บันทึกขั้นตอนคำขอ", texts={"cancelled": T["cancelled"], "no": STOP},
    slots=[Slot("note", T["ask_note"], validate=text_of, when=lambda v: "note" in v.get("needs", ()),
                example="ตรวจแล้ว ผู้ผลิตเลิกกิจการจริง"),
           Slot("meeting_date", _ask_date, validate=meeting_date_of, choices=_day_choices, kind="date",
                when=lambda v: "meeting_date" in v.get("needs", ()), example="วันนี้")],
    fills={"date": "meeting_date"}, on_done=_act, confirm_th=_confirm,
))


def _reject(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    try:
        with ctx.session.begin_nested():
            outcome = wf.reject(ctx.session, common.actor(ctx), values["request_id"], values["reason"],
                                expected_step=values["step"], now=ctx.now)
    except wf.WorkflowError as err:
        return _stale_reply(ctx, err, values["request_id"])
    send_notices(ctx, outcome.notices)
    return [Text(T["rejected"].format(id=outcome.request.id),
                 quick=[Choice(T["list"], postback=postback("officer.pending_requests"))])]


REJECT = register_flow(Flow(
    name="request.reject", title_th="ไม่อนุมัติคำขอ",
    slots=[Slot("reason", T["ask_reason"], validate=text_of, example="เอกสารไม่ครบถ้วน")],
    fills={"reason": "reason"},
    on_done=_reject,
    confirm_th=lambda v: T["confirm_reject"].format(id=v["request_id"], producer=v["producer"], reason=v["reason"]),
    roles=OFFICERS, texts={"cancelled": T["cancelled"], "no": STOP},
))


def precheck(ctx: Ctx, request_id: int | None, action: str | None, step: str | None) -> tuple[Request | None, list[Reply] | None]:
    """The request, when this officer may take `action` (or reject) at `step` now; else why not."""
    request = ctx.session.get(Request, request_id) if request_id else None
    if request is None:
        return None, [Text(common.error_text(wf.NotFound()))]
    actor = common.actor(ctx)
    try:
        wf.request_status(ctx.session, request.id, actor)
    except wf.WorkflowError as err:
        return None, [Text(common.error_text(err))]
    if request.status is not RequestStatus.OPEN:
        return None, _stale_reply(ctx, wf.AlreadyDone(step=request.step), request.id)
    if step and request.step != step:
        return None, _stale_reply(ctx, wf.StaleStep(step=request.step), request.id)
    transitions = wf.MACHINES[request.kind].steps.get(request.step, {})
    if action and action != "reject" and action not in transitions:
        return None, [Text(common.error_text(wf.InvalidTransition()))]
    chosen = [transitions[action]] if action in transitions else list(transitions.values())
    errors = [step_error(request, actor, t) for t in chosen]
    if errors and all(errors):
        return None, [Text(common.error_text(errors[0]))]  # type: ignore[arg-type]
    return request, None


def start_act(ctx: Ctx, request_id: int | None, action: str | None, step: str | None,
              **prefill: Any) -> list[Reply]:
    """Begin the act flow for `action` at `step` (the flow asks only what the step needs)."""
    request, refusal = precheck(ctx, request_id, action, step)
    if refusal:
        return refusal
    assert request is not None and action
    transition = wf.MACHINES[request.kind].transition(request.step, action)
    assert transition is not None
    producer = ctx.session.get(Producer, request.producer_id)
    context = {"request_id": request.id, "action": action, "step": request.step, "needs": sorted(transition.needs),
               "producer": (producer.name or producer.code) if producer else str(request.producer_id),
               "request_reason": request.reason,
               "request_effective": request.effective_on.isoformat() if request.effective_on else None}
    return start(ctx, ACT, context=context, **prefill)


@handler("request.act", roles=OFFICERS, area=NO_AREA,
         example_slots={"request_id": "1", "action": "approve", "step": "district_subcommittee"})
def request_act(ctx: Ctx, slots: dict) -> list[Reply]:
    """Take a step's action on a request (asks the meeting date when needed, confirms)."""
    return start_act(ctx, common.int_slot(slots, "request_id"), slots.get("action"), slots.get("step"),
                     meeting_date=slots.get("date") or slots.get("meeting_date"), note=slots.get("note"))


@handler("request.reject", roles=OFFICERS, area=NO_AREA,
         example_slots={"request_id": "1", "step": "district_subcommittee"})
def request_reject(ctx: Ctx, slots: dict) -> list[Reply]:
    """Reject a request at its current step, with a reason (confirms first)."""
    request, refusal = precheck(ctx, common.int_slot(slots, "request_id"), "reject", slots.get("step"))
    if refusal:
        return refusal
    assert request is not None
    producer = ctx.session.get(Producer, request.producer_id)
    return start(ctx, REJECT, reason=slots.get("reason"), context={
        "request_id": request.id, "step": request.step,
        "producer": (producer.name or producer.code) if producer else str(request.producer_id)})
