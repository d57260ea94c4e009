"""Officers correct records directly, within their area, every change audited: a product's
Quadrant, category and standards, a producer's type and national ID (check digit verified:
a wrong number changes nothing). Each edit is a declared flow: which record (an id from a
tapped card, or a name / code typed), the new value (with quick replies), a confirmation
showing old → new, then the write through `registry.audit` / `registry.values`."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.officer import common
from handlers.officer.search import best, search
from handlers.registry import OFFICERS, PRODUCER_FROM_SLOTS, handler
from handlers.replies import Choice, Reply, Text, postback
from models import Category, Producer, ProducerType, Product, ProductStandard, Quadrant
from registry import audit, duplicates, ids, values
from registry.ids import format_date_th, mask_national_id
from registry.labels_th import CATEGORY_TH, PRODUCER_TYPE_TH

T = {
    "ask_product": "ผลิตภัณฑ์ใดคะ พิมพ์ชื่อหรือรหัสผลิตภัณฑ์ได้เลยค่ะ",
    "ask_producer": "ผู้ประกอบการรายใดคะ พิมพ์ชื่อหรือรหัสได้เลยค่ะ",
    "ask_nid_producer": "ต้องการแก้เลขประจำตัวประชาชนของผู้ประกอบการรายใดคะ พิมพ์ชื่อหรือรหัสได้เลยค่ะ",
    "not_found": "ไม่พบรายการนี้ในพื้นที่ของท่านค่ะ",
    "not_found_q": "ไม่พบ \"{q}\" ในพื้นที่ของท่านค่ะ",
    "several": "พบหลายรายการค่ะ:\n{listing}\nพิมพ์รหัสของรายการที่ต้องการได้เลยค่ะ",
    "ask_quadrant": "ผลการจัดกลุ่ม (Quadrant) ใหม่คืออะไรคะ",
    "ask_category": "ประเภทผลิตภัณฑ์ใหม่คืออะไรคะ",
    "ask_type": "ลักษณะผู้ประกอบการใหม่คืออะไรคะ",
    "ask_nid": "เลขประจำตัวประชาชน 13 หลักของเจ้าของคืออะไรคะ",
    "ask_scheme": "มาตรฐานอะไรคะ (เช่น มผช. อย. GMP)",
    "ask_number": "เลขที่มาตรฐานคืออะไรคะ (เช่น 123/2565)",
    "ask_expiry": "มาตรฐานหมดอายุวันที่เท่าไรคะ แตะ \"เลือกวันที่\" หรือพิมพ์ เช่น {example} หากไม่มีวันหมดอายุ แตะ \"ข้าม\"",
    "bad_quadrant": "Quadrant ต้องเป็น A, B, C หรือ D ค่ะ",
    "bad_category": "ยังไม่เข้าใจประเภทนี้ค่ะ เลือกจากตัวเลือกได้เลยนะคะ",
    "bad_type": "ลักษณะต้องเป็น กลุ่ม รายเดี่ยว หรือ SMEs ค่ะ",
    "bad_nid": ("เลขประจำตัวประชาชนไม่ถูกต้องค่ะ ต้องมี 13 หลัก และหลักสุดท้ายต้องตรงกับเลขตรวจสอบ "
                "ยังไม่ได้แก้ไขข้อมูลใด ๆ ค่ะ"),
    "bad_text": "กรุณาพิมพ์อีกครั้งค่ะ",
    "confirm": "ยืนยันแก้{field}ของ {name}\nจาก: {old}\nเป็น: {new}\nใช่ไหมคะ",
    "confirm_std": "ยืนยันเพิ่มมาตรฐานให้ {name}\n{scheme} {number} หมดอายุ {expires} ใช่ไหมคะ",
    "done": "บันทึกแล้วค่ะ {field}ของ {name}: {new}",
    "nid_duplicate": "⚠️ เลขประจำตัวประชาชน {nid} นี้มีผู้ประกอบการที่ยังดำเนินการอยู่ใช้แล้ว: {others}\n"
                     "หากบันทึก ระบบจะนับเป็นเลขซ้ำจนกว่าจะแก้ไขรายใดรายหนึ่งค่ะ",
    "same": "ค่าเดิมเป็น {new} อยู่แล้วค่ะ ไม่มีการเปลี่ยนแปลง",
    "std_done": "เพิ่มมาตรฐาน {scheme} {number} ให้ {name} แล้วค่ะ",
    "std_updated": "ปรับวันหมดอายุของมาตรฐาน {scheme} {number} ของ {name} แล้วค่ะ",
    "unset": "ยังไม่ระบุ",
    "none": "ไม่มี",
    "open": "ดูข้อมูล",
}
SCHEMES = ("มผช.", "อย.", "GMP", "HACCP", "ฮาลาล")


@dataclass(frozen=True)
class Edit:
    """One editable field: its record type, how to read and show a value, how to write it."""

    intent: str
    model: type
    field_th: str
    slot: str  # the NLU slot with the value
    ask: str
    parse: Callable[[str], Any | None]
    invalid: str
    show: Callable[[Any], str]
    current: Callable[[Any], Any]
    write: Callable[[Ctx, Any, Any], bool]
    choices: Sequence[tuple[str, str]] = ()
    ask_record: str | None = None  # which record, when not the generic question
    note: Callable[[Ctx, dict[str, Any]], str | None] | None = None  # a warning above the confirmation


def _nlu(extract: Callable[[str], dict], key: str) -> Callable[[str], Any | None]:
    def parse(text: str) -> Any | None:
        return extract(text).get(key)
    return parse


def national_id_of(text: str) -> str | None:
    digits = ids.national_id_digits(text)
    return digits if digits and ids.national_id_check_ok(digits) else None


def _set(field: str, enum: type) -> Callable[[Ctx, Any, Any], bool]:
    def write(ctx: Ctx, record: Any, value: Any) -> bool:
        return audit.set_field(ctx.session, record, field, enum(value), actor=ctx.user_id, channel=ctx.channel)  # type: ignore[arg-type]
    return write


def _write_nid(ctx: Ctx, record: Any, value: Any) -> bool:
    return values.set_national_id(ctx.session, record, value, actor=ctx.user_id, channel=ctx.channel)  # type: ignore[arg-type]


def _nid_duplicates(ctx: Ctx, v: dict[str, Any]) -> str | None:
    """The warning before saving a national ID that other active records hold (their codes)."""
    found = duplicates.holders(ctx.session, v.get("value"), except_id=v["record"]["id"])
    if not found:
        return None
    return T["nid_duplicate"].format(nid=mask_national_id(v["value"]),
                                     others=", ".join(h.code for h in found[:5]))


def _enum_th(table: dict) -> Callable[[Any], str]:  # type: ignore[type-arg]
    return lambda v: table.get(type(next(iter(table)))(v), str(v)) if v else T["unset"]


def _slots():  # imported lazily: nlu pulls in the NLU models only when an edit starts
    from nlu import slots
    return slots


EDITS = {
    e.intent: e for e in (
        Edit("officer.set_quadrant", Product, "ผลการจัดกลุ่ม (Quadrant)", "quadrant", T["ask_quadrant"],
             lambda t: _slots().quadrant(t).get("quadrant"), T["bad_quadrant"],
             lambda v: str(v) if v else T["unset"], lambda r: r.quadrant and r.quadrant.value,
             _set("quadrant", Quadrant), [(q.value, q.value) for q in Quadrant]),
        Edit("officer.set_category", Product, "ประเภทผลิตภัณฑ์", "category", T["ask_category"],
             lambda t: _slots().category(t).get("category"), T["bad_category"],
             _enum_th(CATEGORY_TH), lambda r: r.category and r.category.value, _set("category", Category),
             [(("ของใช้/ของที่ระลึก" if c is Category.HOUSEHOLD else "สมุนไพร (ไม่ใช่อาหาร)"
                if c is Category.HERBAL else th), th) for c, th in CATEGORY_TH.items()]),
        Edit("officer.set_producer_type", Producer, "ลักษณะผู้ประกอบการ", "producer_type", T["ask_type"],
             lambda t: _slots().producer_type(t).get("producer_type"), T["bad_type"],
             _enum_th(PRODUCER_TYPE_TH), lambda r: r.producer_type and r.producer_type.value,
             _set("producer_type", ProducerType), [(th, th) for th in PRODUCER_TYPE_TH.values()]),
        Edit("officer.set_national_id", Producer, "เลขประจำตัวประชาชน", "national_id", T["ask_nid"], national_id_of,
             T["bad_nid"], lambda v: mask_national_id(v) if v else T["unset"], lambda r: r.national_id, _write_nid,
             ask_record=T["ask_nid_producer"], note=_nid_duplicates),
    )
}


def record_validator(model: type) -> Callable[[str, Ctx], Valid | Invalid]:
    kind = "products" if model is Product else "producers"

    def validate(value: str, ctx: Ctx) -> Valid | Invalid:
        """An id (from a tapped card: `common.tapped`), or what the officer typed: a code, a
        national ID, a phone or a clear name match, within the officer's area."""
        text = value.strip()
        record_id = common.tapped_id(text)
        if record_id is not None:
            record = ctx.session.get(model, record_id)
            if not common.in_scope(ctx, record):
                return Invalid(T["not_found"])
            return Valid({"id": record.id, "name": record.name or record.code})
        hits = search(ctx, text, (kind,))
        one = best(hits)
        if one is not None:
            return Valid({"id": one.id, "name": one.name or one.code})
        if not hits:
            return Invalid(T["not_found_q"].format(q=text))
        return Invalid(T["several"].format(listing="\n".join(f"• {h.name} ({h.code})" for h in hits[:5])))
    return validate


def _edit_flow(edit: Edit) -> Flow:
    def validate(value: str, ctx: Ctx) -> Valid | Invalid:
        parsed = edit.parse(value)
        return Valid(parsed) if parsed else Invalid(edit.invalid)

    def choices(ctx: Ctx) -> list[Choice]:
        return [Choice(label, text=text) for label, text in edit.choices]

    def confirm(v: dict[str, Any]) -> str:
        return T["confirm"].format(field=edit.field_th, name=v["record"]["name"],
                                   old=edit.show(v["record"].get("old")), new=edit.show(v["value"]))

    def done(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
        record = ctx.session.get(edit.model, v["record"]["id"])
        if not common.in_scope(ctx, record):
            return [Text(common.refuse_area(ctx))]
        changed = edit.write(ctx, record, v["value"])
        key = "done" if changed else "same"
        kind = "product_id" if edit.model is Product else "producer_id"
        card = "officer.product_card" if edit.model is Product else "officer.producer_card"
        return [Text(T[key].format(field=edit.field_th, name=v["record"]["name"], new=edit.show(v["value"])),
                     quick=[Choice(T["open"], postback=postback(card, **{kind: record.id}))])]

    ask = edit.ask_record or (T["ask_product"] if edit.model is Product else T["ask_producer"])
    return register_flow(Flow(
        name=edit.intent, title_th=f"แก้{edit.field_th}",
        slots=[Slot("record", ask, validate=_with_old(record_validator(edit.model), edit)),
               Slot("value", edit.ask, validate=validate, choices=choices)],
        on_done=done, confirm_th=confirm, roles=OFFICERS, confirm_note=edit.note))


def _with_old(validator: Callable[[str, Ctx], Valid | Invalid], edit: Edit) -> Callable[[str, Ctx], Valid | Invalid]:
    """Keep the record's current value with it, for the old → new confirmation."""
    def validate(value: str, ctx: Ctx) -> Valid | Invalid:
        result = validator(value, ctx)
        if isinstance(result, Valid):
            record = ctx.session.get(edit.model, result.value["id"])
            return Valid({**result.value, "old": edit.current(record)})
        return result
    return validate


FLOWS = {name: _edit_flow(edit) for name, edit in EDITS.items()}


def _start_edit(ctx: Ctx, slots: dict, name: str) -> list[Reply]:
    edit = EDITS[name]
    key = "product_id" if edit.model is Product else "producer_id"
    record = common.tapped(slots.get(key)) or slots.get("query")
    return start(ctx, FLOWS[name], record=str(record) if record else None, value=slots.get(edit.slot))


def _register(name: str, doc: str) -> None:
    def run(ctx: Ctx, slots: dict) -> list[Reply]:
        return _start_edit(ctx, slots, name)
    run.__doc__ = doc
    handler(name, roles=OFFICERS, area=PRODUCER_FROM_SLOTS, example_slots={"producer_id": "$producer"})(run)


_register("officer.set_quadrant", "Set a product's Quadrant (A-D), audited.")
_register("officer.set_category", "Set a product's category, audited.")
_register("officer.set_producer_type", "Set a producer's type (group / individual / SMEs), audited.")
_register("officer.set_national_id", "Set a producer's national ID (check digit verified), audited.")
