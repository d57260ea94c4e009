"""An officer updates a product's photo: choose the product (card button, or "อัปเดตรูป <name>"),
then send the picture; or send the picture first and then say which product. The flow's state
(in the database) is what routes the officer's next image here; an officer's image with no
flow under way comes to `officer_image` through the small role branch in `image.received`."""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.officer import common
from handlers.officer.updates import record_validator
from handlers.registry import OFFICERS, PRODUCER_FROM_SLOTS, handler
from handlers.replies import Choice, Reply, Text, postback
from models import Product
from registry.media import MediaError, StoredImage, attach_to_product, store_image

T = {
    "ask_product": "รูปนี้เป็นของผลิตภัณฑ์ใดคะ พิมพ์ชื่อหรือรหัสผลิตภัณฑ์ได้เลยค่ะ",
    "ask_photo": "ส่งรูปผลิตภัณฑ์เข้ามาในแชตได้เลยค่ะ (ถ่ายใหม่หรือเลือกจากอัลบั้ม)",
    "not_image": "ขออภัยค่ะ ไฟล์นี้ไม่ใช่รูปภาพ หรือรูปใหญ่เกินไป กรุณาส่งรูปใหม่ค่ะ",
    "need_image": "ขั้นตอนนี้รอรูปภาพค่ะ",
    "done": "บันทึกรูปของ {name} แล้วค่ะ",
    "again": "รูปนี้มีอยู่ในข้อมูลของ {name} แล้วค่ะ",
    "open": "ดูข้อมูล",
    "product_label": "ผลิตภัณฑ์",
    "photo_label": "รูป",
    "photo_shown": "รูปที่ส่งมา 1 รูป",
}


def _photo(value: str, ctx: Ctx) -> Valid | Invalid:
    """The image the officer just sent, verified and stored (content-addressed, so a retry
    stores nothing twice)."""
    inc = ctx.incoming
    if inc.kind != "image" or inc.image is None:
        return Invalid(T["need_image"])
    try:
        stored = store_image(ctx.media_dir, inc.image)
    except MediaError:
        return Invalid(T["not_image"])
    return Valid(stored.__dict__)


def _done(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    product = ctx.session.get(Product, values["record"]["id"])
    if not common.in_scope(ctx, product):
        return [Text(common.refuse_area(ctx))]
    added = attach_to_product(ctx.session, product, StoredImage(**values["photo"]), actor=ctx.user_id, channel="chat")
    ctx.session.flush()
    return [Text(T["done" if added else "again"].format(name=values["record"]["name"]),
                 quick=[Choice(T["open"], postback=postback("officer.product_card", product_id=product.id))])]


PHOTO = register_flow(Flow(
    name="officer.update_photo", title_th="เพิ่มรูปสินค้า",
    slots=[Slot("record", T["ask_product"], validate=record_validator(Product), label=T["product_label"],
                show=lambda record: record["name"]),
           Slot("photo", T["ask_photo"], validate=_photo, kind="photo", label=T["photo_label"],
                show=lambda photo: T["photo_shown"])],
    on_done=_done, roles=OFFICERS))


@handler("officer.update_photo", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
         example_slots={"producer_id": "$producer"})
def update_photo(ctx: Ctx, slots: dict) -> list[Reply]:
    """Choose a product, then its new photo is the next image the officer sends."""
    record = common.tapped(slots.get("product_id")) or slots.get("query")
    replies = start(ctx, PHOTO, record=str(record) if record else None)
    return replies


def officer_image(ctx: Ctx) -> list[Reply]:
    """An officer's image with no product chosen yet: keep it and ask which product."""
    return start(ctx, PHOTO, photo="image")  # the photo slot reads the image itself; asks the product
