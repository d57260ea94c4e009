"""Producers' own edits waiting for an officer (registry.pending): the list with old → new,
confirm with one tap (the value is written and audited by the domain), or reject with a reason
(asked, then confirmed). The producer is told either way (send_notices)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.notices import send_notices
from handlers.officer import common
from handlers.registry import NO_AREA, OFFICERS, handler
from handlers.replies import PAGE_SIZE, Card, CardList, Choice, Reply, Text, postback
from models import Category, PendingChange, Producer, ProducerType, Product
from registry import pending
from registry import workflows as wf
from registry.ids import mask_national_id
from registry.labels_th import CATEGORY_TH, PRODUCER_TYPE_TH

T = {
    "none": "ไม่มีคำขอแก้ไขข้อมูลจากผู้ผลิตที่รอยืนยันค่ะ",
    "head": "คำขอแก้ไขข้อมูลจากผู้ผลิตรอยืนยัน {n} รายการ",
    "title": "#{id} {field}",
    "record": "{entity}: {name}",
    "old": "จาก: {v}",
    "new": "เป็น: {v}",
    "confirm": "ยืนยัน",
    "reject": "ไม่ยืนยัน",
    "confirmed": "ยืนยันแล้วค่ะ บันทึก{field}ของ {name} เป็น {new} และแจ้งผู้ผลิตแล้ว",
    "ask_note": "เหตุผลที่ไม่ยืนยันคืออะไรคะ (ผู้ผลิตจะได้รับแจ้ง)",
    "confirm_reject": "ยืนยันไม่รับการแก้ไข #{id} ({field}) เหตุผล: {note} ใช่ไหมคะ",
    "rejected": "บันทึกไม่ยืนยันแล้วค่ะ ผู้ผลิตจะได้รับแจ้งเหตุผล",
    "short": "กรุณาพิมพ์เหตุผลให้ชัดเจนอีกนิดค่ะ",
    "central": "การยืนยันการแก้ไขข้อมูลเป็นของเจ้าหน้าที่อำเภอและจังหวัดค่ะ",
    "duplicate_line": "⚠️ เลขนี้ผู้ประกอบการที่ยังดำเนินการอยู่ใช้แล้ว: {others}",
    "confirm_duplicate": ("⚠️ เลขประจำตัวประชาชน {nid} ที่ {name} ขอแก้ มีผู้ประกอบการที่ยังดำเนินการอยู่ใช้แล้ว: "
                          "{others}\nหากบันทึก ระบบจะนับเป็นเลขซ้ำจนกว่าจะแก้ไขรายใดรายหนึ่ง\n"
                          "ยืนยันบันทึกคำขอ #{id} ใช่ไหมคะ"),
    "list": "รายการรอยืนยัน",
    "blank": "ว่าง",
    "entity": {"producer": "ผู้ผลิต", "product": "ผลิตภัณฑ์"},
    "fields": {"producer_type": "ลักษณะผู้ประกอบการ", "national_id": "เลขประจำตัวประชาชน",
               "category": "ประเภทผลิตภัณฑ์", "quadrant": "Quadrant", "standard": "มาตรฐาน"},
}


def show(field: str, value: str | None) -> str:
    """A stored value as an officer reads it."""
    if not value:
        return T["blank"]
    if field == "producer_type":
        return PRODUCER_TYPE_TH.get(ProducerType(value), value)
    if field == "category":
        return CATEGORY_TH.get(Category(value), value)
    if field == "national_id":
        return mask_national_id(value)
    if field == "standard":
        data = json.loads(value)
        return " ".join(x for x in (data.get("scheme"), data.get("number"),
                                    f"หมดอายุ {data['expires_on']}" if data.get("expires_on") else None) if x)
    return value


def _record_name(ctx: Ctx, change: PendingChange) -> str:
    record = ctx.session.get(Producer if change.entity == "producer" else Product, change.entity_id)
    return (record.name or record.code) if record else str(change.entity_id)


def holder_codes(holders: Sequence[Any]) -> str:
    """The other records holding a national ID, as an officer reads them (codes)."""
    return ", ".join(h.code for h in holders[:5]) + (" ..." if len(holders) > 5 else "")


def change_card(change: pending.WaitingChange, holders: Sequence[Any] = ()) -> Card:
    """One waiting proposal: which record, old → new (a proposed national ID that another
    active record holds says which), confirm or reject."""
    field = T["fields"].get(change.field, change.field)
    name = change.record_name if change.record_name is not None else str(change.entity_id)
    return Card(title=T["title"].format(id=change.id, field=field), lines=[
        T["record"].format(entity=T["entity"].get(change.entity, change.entity), name=name),
        T["old"].format(v=show(change.field, change.old_value)), T["new"].format(v=show(change.field, change.new_value)),
        *([T["duplicate_line"].format(others=holder_codes(holders))] if holders else [])],
        buttons=[Choice(T["confirm"], postback=postback("officer.pending_changes", change_id=change.id, decision="confirm")),
                 Choice(T["reject"], postback=postback("officer.pending_changes", change_id=change.id, decision="reject"))])


def _reject(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    try:
        with ctx.session.begin_nested():
            outcome = pending.reject(ctx.session, common.actor(ctx), values["change_id"], values["note"], now=ctx.now)
    except wf.WorkflowError as err:
        return [Text(common.error_text(err))]
    send_notices(ctx, outcome.notices)
    return [Text(T["rejected"], quick=[Choice(T["list"], postback=postback("officer.pending_changes"))])]


def _note(value: str, ctx: Ctx) -> Valid | Invalid:
    return Valid(value.strip()) if len(value.strip()) >= 3 else Invalid(T["short"])


REJECT = register_flow(Flow(
    name="officer.pending_changes.reject", title_th="ไม่ยืนยันการแก้ไข",
    slots=[Slot("note", T["ask_note"], validate=_note, example="ข้อมูลไม่ตรงกับเอกสาร")],  # change_id, field: context
    on_done=_reject,
    confirm_th=lambda v: T["confirm_reject"].format(id=v["change_id"], field=v["field"], note=v["note"]),
    roles=OFFICERS))


def _confirm_duplicate(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    return _decide(ctx, values["change_id"], "confirm", accept_duplicate=True)


def _ask_duplicate(v: dict[str, Any]) -> str:
    return T["confirm_duplicate"].format(nid=v["nid"], name=v["name"], others=v["others"], id=v["change_id"])


# A producer's proposed national ID that other active records hold: the officer is shown them
# and confirms again (one person, one ID; registry.pending.DuplicateNationalId).
CONFIRM_DUPLICATE = register_flow(Flow(
    name="officer.pending_changes.confirm_duplicate", title_th="ยืนยันเลขประจำตัวประชาชนที่ซ้ำ",
    slots=[],  # change_id, nid, name, others: context
    on_done=_confirm_duplicate, confirm_th=_ask_duplicate, roles=OFFICERS))


def _decide(ctx: Ctx, change_id: int, decision: str, *, accept_duplicate: bool = False) -> list[Reply]:
    change = ctx.session.get(PendingChange, change_id)
    if change is None:
        return [Text(common.error_text(wf.NotFound()))]
    field = T["fields"].get(change.field, change.field)
    if decision == "reject":
        return start(ctx, REJECT, context={"change_id": change_id, "field": field})
    try:
        with ctx.session.begin_nested():
            outcome = pending.confirm(ctx.session, common.actor(ctx), change_id, now=ctx.now,
                                      accept_duplicate=accept_duplicate)
    except pending.DuplicateNationalId as dup:
        return start(ctx, CONFIRM_DUPLICATE, context={
            "change_id": change_id, "nid": show(change.field, change.new_value), "name": _record_name(ctx, change),
            "others": holder_codes(dup.data["holders"])})  # type: ignore[arg-type]
    except wf.WorkflowError as err:
        return [Text(common.error_text(err))]
    send_notices(ctx, outcome.notices)
    return [Text(T["confirmed"].format(field=field, name=_record_name(ctx, change),
                                       new=show(change.field, change.new_value)),
                 quick=[Choice(T["list"], postback=postback("officer.pending_changes"))])]


@handler("officer.pending_changes", roles=OFFICERS, area=NO_AREA)
def pending_changes(ctx: Ctx, slots: dict) -> list[Reply]:
    """Producers' edits waiting in the officer's area (old → new): confirm, or reject with a reason."""
    change_id = common.int_slot(slots, "change_id")
    if change_id is not None and slots.get("decision") in ("confirm", "reject"):
        return _decide(ctx, change_id, slots["decision"])
    area = ctx.scope.home_area
    if not area:
        return [Text(T["central"])]
    page = max(common.int_slot(slots, "page") or 1, 1)
    total, changes = pending.waiting_page(ctx.session, area, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    if not total:
        return [Text(T["none"])]
    head = T["head"].format(n=total)
    more = postback("officer.pending_changes", page=page + 1) if page * PAGE_SIZE < total else None
    return [Text(head), CardList([change_card(c, pending.holders_of(ctx.session, c)) for c in changes], page=page,
                                 total=total, more_postback=more, alt_text=head)]
