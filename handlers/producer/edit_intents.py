"""Typed requests for every edit a button offers reach that edit (issue 14): the NLU's
`producer.edit_record` names the field ("ขอแก้เลขบัตรประชาชนค่ะ" -> field national_id) and
this table opens its form, with whatever else the message said (e.g. "เปลี่ยนประเภทผู้ผลิต
เป็นกลุ่ม" fills the type). Without a field it is the edit menu, as tapping "แก้ไขข้อมูล"."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.registry import PRODUCERS, REGISTRY, handler
from handlers.replies import Reply

FIELD_INTENTS = {
    "phone": "producer.update_phone", "address": "producer.update_address",
    "subdistrict": "producer.update_address", "birth_date": "producer.update_birth_date",
    "projects": "producer.update_projects", "producer_type": "producer.update_type",
    "national_id": "producer.update_national_id", "owner_name": "producer.update_owner",
    "name": "producer.update_owner", "sales_channels": "producer.update_sales_channels",
    "channels": "producer.update_sales_channels", "stars": "producer.add_star",
    "standard": "product.standard", "category": "product.category", "quadrant": "product.quadrant",
    "price": "product.price", "keywords": "product.keywords", "photo": "product.photo",
    "location": "producer.request_relocation",
}


@handler("producer.edit_record", roles=PRODUCERS, example_slots={"field": "phone"})
def edit_record(ctx: Ctx, slots: dict) -> list[Reply]:
    """Open the form of the field named (or the edit menu when none is)."""
    from handlers.router import run_intent

    name = FIELD_INTENTS.get(str(slots.get("field") or ""), "producer.edit_menu")
    if name not in REGISTRY:
        name = "producer.edit_menu"
    rest = {k: v for k, v in slots.items() if k != "field"}
    return run_intent(ctx, name, rest)
