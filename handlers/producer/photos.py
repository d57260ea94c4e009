"""Product photos. Two ways, both ending in `registry.media.attach_to_product` (audited):

1. The producer sends a picture out of the blue (`image.received`): it is checked and stored
   under MEDIA_DIR with a thumbnail at once (the bot layer fetched the bytes from LINE's data
   API before dispatch), kept as a StoredMedia row of this user, and the bot asks which
   product it belongs to (buttons `product.photo_attach`).
2. The producer first chooses the product (`producer.send_photo`, or "รูปภาพ" on a product):
   the flow waits for the picture and attaches it as soon as it arrives.

Bytes that are not an image, or too large, are refused with a clear message.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from handlers import core
from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow
from handlers.producer import common
from handlers.producer.product_edit import PICK, start_for_product
from handlers.producer.texts import COMMON, PHOTO as T
from handlers.registry import ANYONE, PRODUCERS, handler
from handlers.replies import Choice, Reply, Text, postback
from models import ProductPhoto, Role, StoredMedia
from registry.media import MediaError, StoredImage, attach_to_product, store_image


def _store(ctx: Ctx) -> StoredImage | str:
    """The incoming picture stored under MEDIA_DIR, or the Thai reason it was refused."""
    inc = ctx.incoming
    if inc.kind != "image":
        return T["need_photo"]
    if inc.image is None:
        return T["failed"]
    try:
        return store_image(ctx.media_dir, inc.image)
    except MediaError as exc:
        return T.get(exc.code, T["not_image"])


def _attach(ctx: Ctx, product_id: Any, image: StoredImage) -> list[Reply]:
    product = common.own_product(ctx, product_id)
    if product is None:
        return common.refuse_other()
    name = product.name or product.code
    added = attach_to_product(ctx.session, product, image, actor=ctx.user_id, channel=common.channel(ctx))
    ctx.session.flush()
    count = ctx.session.scalar(select(func.count()).select_from(ProductPhoto)
                               .where(ProductPhoto.product_id == product.id)) or 0
    text = T["attached"].format(name=name, count=count) if added else T["already"].format(name=name)
    more = Choice(T["btn_more"], postback=postback("product.photo", product_id=product.id))
    return [Text(text, quick=[more, *common.after_edit()])]


# -- 2. product first, then the picture ------------------------------------------------------

def check_photo(value: str, ctx: Ctx) -> Valid | Invalid:
    """The message must be a picture that can be stored."""
    stored = _store(ctx)
    if isinstance(stored, str):
        return Invalid(stored)
    return Valid({"location": stored.location, "thumbnail": stored.thumbnail, "sha256": stored.sha256})


def save_photo(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    photo = v["photo"]
    return _attach(ctx, v["product_id"], StoredImage(photo["location"], photo["thumbnail"], photo["sha256"], 0, 0))


PHOTO_FLOW = register_flow(Flow(
    name="product.photo", roles=PRODUCERS, before_start=common.products_guard,
    slots=[PICK, Slot("photo", T["ask_photo"], validate=check_photo, kind="photo", label=T["photo_label"],
                        show=lambda photo: T["photo_shown"])], on_done=save_photo,
    title_th="ส่งรูปสินค้า",
))


@handler("product.photo", roles=PRODUCERS, example_slots={})
def product_photo(ctx: Ctx, slots: dict) -> list[Reply]:
    """Choose the product, then send its picture."""
    return start_for_product(ctx, PHOTO_FLOW, slots)


@handler("producer.send_photo", roles=PRODUCERS, example_slots={})
def send_photo(ctx: Ctx, slots: dict) -> list[Reply]:
    """"ส่งรูปสินค้า": the same as choosing "รูปภาพ" on a product."""
    return product_photo(ctx, slots)


# -- 1. the picture first, then the product --------------------------------------------------

@handler("image.received", roles=ANYONE, example_slots={}, replace=True)
def image_received(ctx: Ctx, slots: dict) -> list[Reply]:
    """A picture outside any conversation: producers keep it and pick its product; everyone
    else gets the built-in behaviour."""
    if ctx.scope.role is not Role.PRODUCER:
        return core.image_received(ctx, slots)
    refusal = common.editable_guard(ctx)
    if refusal:
        return refusal
    stored = _store(ctx)
    if isinstance(stored, str):
        return [Text(stored, quick=common.after_edit())]
    inc = ctx.incoming
    message_id = inc.message_id or stored.sha256
    media = ctx.session.scalar(select(StoredMedia).where(StoredMedia.message_id == message_id))
    if media is None:
        media = StoredMedia(user_id=ctx.user_id, message_id=message_id, location=stored.location,
                            thumbnail=stored.thumbnail, sha256=stored.sha256)
        ctx.session.add(media)
        ctx.session.flush()
    if not common.own_products(ctx):
        return [Text(T["no_products"], quick=common.after_edit())]
    choices = [Choice(p.name or p.code, postback=postback("product.photo_attach", media_id=media.id, product_id=p.id))
               for p in common.own_products(ctx)[:12]]
    return [Text(T["which_product"], quick=[*choices, Choice(COMMON["btn_menu"], postback=postback("menu"))])]


@handler("product.photo_attach", roles=PRODUCERS, example_slots={})
def photo_attach(ctx: Ctx, slots: dict) -> list[Reply]:
    """Attach a picture this user sent earlier to one of their products."""
    if not slots.get("product_id") or not slots.get("media_id"):
        return [Text(T["media_gone"], quick=common.after_edit())]
    product = common.own_product(ctx, slots.get("product_id"))
    if product is None:
        return common.refuse_other()
    try:
        media = ctx.session.get(StoredMedia, int(slots.get("media_id") or 0))
    except (TypeError, ValueError):
        media = None
    if media is None or media.user_id != ctx.user_id:  # someone else's upload: never attached
        return [Text(T["media_gone"], quick=common.after_edit())]
    return _attach(ctx, product.id, StoredImage(media.location, media.thumbnail or "", media.sha256, 0, 0))
