"""Single-field forms of the producer's own registration.

Applied at once (audited, channel "chat", actor = the LINE user id): phone, owner's name,
birth date. Held for the district's confirmation (★ fields, `registry.pending`): producer type
and national ID.
"""

from __future__ import annotations

import re
from typing import Any

from handlers import dates
from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, clean_answer, register_flow, start
from handlers.producer import common
from handlers.producer.texts import COMMON, PROFILE as T
from handlers.registry import PRODUCERS, handler
from handlers.replies import Reply, Text
from models import ProducerType
from registry import audit, ids, values
from registry.labels_th import PRODUCER_TYPE_TH


def _saved(label: str, value: str) -> list[Reply]:
    return [Text(COMMON["saved"].format(field=label, value=value), quick=common.after_edit())]


def _unchanged() -> list[Reply]:
    return [Text(COMMON["unchanged"], quick=common.after_edit())]


# -- phone -----------------------------------------------------------------------------------

def check_phone(value: str, ctx: Ctx) -> Valid | Invalid:
    """A Thai mobile or landline number, kept as digits."""
    digits = ids.normalize_phone(value)
    return Valid(digits) if ids.phone_valid(digits) else Invalid(T["bad_phone"])


def save_phone(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    """Write the phone and its validity flag (audited)."""
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    changed = values.set_phone(ctx.session, producer, v["phone"], actor=ctx.user_id, channel=common.channel(ctx))
    return _saved(T["phone_label"], ids.format_phone(v["phone"])) if changed else _unchanged()


PHONE = register_flow(Flow(
    name="producer.update_phone", title_th="แก้เบอร์โทรศัพท์", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("phone", T["ask_phone"], validate=check_phone, label=T["phone_label"], show=ids.format_phone,
                example="081-234-5678")], on_done=save_phone,
    texts={"cancelled": COMMON["cancelled"]},
))


@handler("producer.update_phone", roles=PRODUCERS, example_slots={"phone": "0812345678"})
def update_phone(ctx: Ctx, slots: dict) -> list[Reply]:
    """Change the registration's phone number (the NLU may bring it along)."""
    return start(ctx, PHONE, phone=slots.get("phone"))


# -- owner's name and birth date -------------------------------------------------------------

def check_owner(value: str, ctx: Ctx) -> Valid | Invalid:
    name = " ".join(CORRECTION.sub("", value).split())
    return Valid(name) if len(name) >= 4 and not name.isdigit() else Invalid(T["bad_owner"])


CORRECTION = re.compile(r"^(?:ไม่ใช่|ผิด|แก้)(?:ค่ะ|คะ|ครับ|นะ)?\s*(?:เป็น|ชื่อ)?\s*")
# the new name said in the request or as a correction: "เปลี่ยนชื่อเจ้าของเป็น นางสมศรี ใจดี",
# "ผิดค่ะ นางสมศรี ใจงาม" (a title and at least two words, or two words after เป็น / ชื่อใหม่)
NEW_NAME = re.compile(r"(?:เป็น|ชื่อใหม่(?:คือ)?|:)\s*(\S+\s+\S+.*)$|((?:นางสาว|นาง|นาย|น\.ส\.)\s*\S+\s+\S+.*)$")


# Not a name: digits, a question, a reason or another clause ("ชื่อลูกสาว ได้ไหม", "ลูกสาวค่ะ เพราะ...").
NOT_A_NAME = re.compile(r"\d|ได้(?:ไหม|มั้ย)|ไหม|มั้ย|\?|เพราะ|เนื่องจาก|แล้ว|ด้วย|ค่ะ|ครับ|คะ|ชื่อ|เบอร์|ที่อยู่")


def owner_from(text: str, ctx: Ctx) -> dict[str, Any]:
    """The new name said in the message, only when it reads as a name (else it is asked)."""
    found = NEW_NAME.search(text.strip())
    if not found:
        return {}
    name = clean_answer(found.group(1) or found.group(2))
    return {} if NOT_A_NAME.search(name) or len(name.split()) > 4 else {"owner_name": name}


def save_owner(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    changed = audit.set_field(ctx.session, producer, "owner_name", v["owner_name"], actor=ctx.user_id,
                              channel=common.channel(ctx))
    return _saved(T["owner_label"], v["owner_name"]) if changed else _unchanged()


OWNER = register_flow(Flow(
    name="producer.update_owner", title_th="แก้ชื่อเจ้าของ", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("owner_name", T["ask_owner"], validate=check_owner, label=T["owner_label"],
                example="นางสมศรี ใจดี")], on_done=save_owner, extract=owner_from,
))


@handler("producer.update_owner", roles=PRODUCERS, example_slots={})
def update_owner(ctx: Ctx, slots: dict) -> list[Reply]:
    """Change the owner's name."""
    return start(ctx, OWNER)


def check_birth_date(value: str, ctx: Ctx) -> Valid | Invalid:
    """A plausible birth date (the owner is 15 to 110 years old)."""
    found = common.read_date(ctx, value)
    if found is None or not (ctx.today.year - 110 <= found.year <= ctx.today.year - 15):
        return Invalid(dates.refused(value, T["bad_birth_date"]))
    return Valid(found.isoformat())


def save_birth_date(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    born = ids.parse_date(v["birth_date"])
    changed = audit.set_field(ctx.session, producer, "birth_date", born, actor=ctx.user_id, channel=common.channel(ctx))
    return _saved(T["birth_label"], ids.format_date_th(born)) if changed else _unchanged()


BIRTH = register_flow(Flow(
    name="producer.update_birth_date", title_th="แก้วันเกิด", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("birth_date", T["ask_birth_date"], validate=check_birth_date, kind="date",
                label=T["birth_label"], example="5/6/2510")], on_done=save_birth_date,
))


@handler("producer.update_birth_date", roles=PRODUCERS, example_slots={})
def update_birth_date(ctx: Ctx, slots: dict) -> list[Reply]:
    """Change the owner's birth date."""
    return start(ctx, BIRTH)


# -- ★ producer type (pending) ---------------------------------------------------------------

TYPE_WORDS = {
    ProducerType.GROUP: ("กลุ่ม", "group", "วิสาหกิจชุมชน"),
    ProducerType.INDIVIDUAL: ("รายเดี่ยว", "เดี่ยว", "individual", "บุคคล"),
    ProducerType.SME: ("sme", "smes", "เอสเอ็มอี", "บริษัท"),
}


def check_type(value: str, ctx: Ctx) -> Valid | Invalid:
    text = value.strip().lower()
    for kind, words in TYPE_WORDS.items():
        if text == kind.value or any(w in text for w in words):
            return Valid(kind.value)
    return Invalid(T["bad_type"])


def type_choices(ctx: Ctx) -> list:
    return [common.answer(PRODUCER_TYPE_TH[k], k.value) for k in ProducerType]


def propose_type(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    old = PRODUCER_TYPE_TH.get(producer.producer_type, COMMON["unset"]) if producer.producer_type else COMMON["unset"]
    return common.propose(ctx, producer, "producer_type", v["producer_type"], label=T["type_label"],
                          old_shown=old, new_shown=PRODUCER_TYPE_TH[ProducerType(v["producer_type"])])


TYPE = register_flow(Flow(
    name="producer.update_type", title_th="แก้ประเภทผู้ผลิต", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("producer_type", T["ask_type"], validate=check_type, choices=type_choices, label=T["type_label"],
                show=lambda value: PRODUCER_TYPE_TH[ProducerType(value)])],
    on_done=propose_type,
))


@handler("producer.update_type", roles=PRODUCERS, example_slots={"producer_type": "group"})
def update_type(ctx: Ctx, slots: dict) -> list[Reply]:
    """Propose the producer type (★): the district confirms."""
    return start(ctx, TYPE, producer_type=slots.get("producer_type"))


# -- ★ national ID (pending) -----------------------------------------------------------------

def check_national_id(value: str, ctx: Ctx) -> Valid | Invalid:
    digits = ids.national_id_digits(value)
    if digits is None:
        return Invalid(T["bad_national_id_length"])
    if not ids.national_id_check_ok(digits):
        return Invalid(T["bad_national_id_check"])
    return Valid(digits)


def propose_national_id(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    old = ids.mask_national_id(producer.national_id) if producer.national_id else COMMON["unset"]
    return common.propose(ctx, producer, "national_id", v["national_id"], label=T["national_id_label"],
                          old_shown=old, new_shown=ids.mask_national_id(v["national_id"]))


NATIONAL_ID = register_flow(Flow(
    name="producer.update_national_id", title_th="แก้เลขบัตรประชาชน", roles=PRODUCERS, before_start=common.editable_guard,
    slots=[Slot("national_id", T["ask_national_id"], validate=check_national_id,
                label=T["national_id_label"], show=ids.mask_national_id)],
    on_done=propose_national_id,
))


@handler("producer.update_national_id", roles=PRODUCERS, example_slots={})
def update_national_id(ctx: Ctx, slots: dict) -> list[Reply]:
    """Propose the owner's national ID (★): the district confirms."""
    return start(ctx, NATIONAL_ID, national_id=slots.get("national_id"))
