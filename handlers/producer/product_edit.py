"""Forms for the producer's own products. Each starts by picking the product (skipped when a
button already named it, or when there is only one); a product id from a postback is honoured
only for the caller's own products.

Held for the district's confirmation (`registry.pending`): category ★, quadrant ★, standards.
Applied at once (audited): search keywords, price.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.producer import common
from handlers.producer.texts import COMMON, PRODUCT as T
from handlers.registry import PRODUCERS, handler
from handlers.replies import Reply, Text
from models import Category, Product, ProductKeyword, Quadrant
from registry import audit, ids
from registry.labels_th import CATEGORY_TH

PRODUCT_LABEL = T["product_label"]
PICK = Slot("product_id", COMMON["pick_product"], validate=common.check_product, choices=common.product_choices,
            label=PRODUCT_LABEL, show=lambda pid, ctx: common.product_name(ctx, pid),
            example=lambda ctx, v: common.product_name(ctx, common.own_products(ctx)[0].id))


def start_for_product(ctx: Ctx, flow: Flow, slots: dict, **prefilled: Any) -> list[Reply]:
    """Start a product form: refuse another producer's product, skip the pick when obvious
    (one product, or the first message named it); the NLU's slots go through `flow.fills`."""
    if str(slots.get("product_name", "")).strip().lower() in common.GENERIC_PRODUCT_WORDS:
        slots = {k: v for k, v in slots.items() if k != "product_name"}
    wanted = slots.get("product_id")
    if wanted not in (None, "") and common.own_product(ctx, wanted) is None:
        return common.refuse_other()
    if wanted in (None, ""):
        products = common.own_products(ctx)
        wanted = products[0].id if len(products) == 1 else None
    return start(ctx, flow, slots, product_id=wanted, **prefilled)


def _product(ctx: Ctx, v: dict[str, Any]) -> Product | None:
    """The product of a finished form, checked again (the conversation may be a day old)."""
    return common.own_product(ctx, v.get("product_id"))


# -- ★ category (pending) --------------------------------------------------------------------

# Word matching order: "สมุนไพรที่ไม่ใช่อาหาร" must not be read as food.
CATEGORY_ORDER = (Category.HERBAL, Category.BEVERAGE, Category.TEXTILE, Category.HOUSEHOLD, Category.FOOD)


def check_category(value: str, ctx: Ctx) -> Valid | Invalid:
    """A category by button value, by its Thai name, or by a word of it (ผ้า, ของใช้...)."""
    text = value.strip().lower()
    for cat in CATEGORY_ORDER:
        if text in (cat.value, CATEGORY_TH[cat].lower()):
            return Valid(cat.value)
    for cat in CATEGORY_ORDER:
        if any(w in text for w in CATEGORY_TH[cat].lower().split() if len(w) >= 3):
            return Valid(cat.value)
    return Invalid(T["bad_category"])


def propose_category(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    product = _product(ctx, v)
    if product is None:
        return common.refuse_other()
    old = CATEGORY_TH[product.category] if product.category else COMMON["unset"]
    return common.propose(ctx, product, "category", v["category"], label=T["category_label"], old_shown=old,
                          new_shown=CATEGORY_TH[Category(v["category"])])


CATEGORY = register_flow(Flow(
    name="product.category", title_th="แก้ประเภทผลิตภัณฑ์", roles=PRODUCERS, before_start=common.products_guard,
    slots=[PICK, Slot("category", T["ask_category"], validate=check_category,
                      choices=lambda ctx: [common.answer(CATEGORY_TH[c], c.value) for c in Category],
                      label=T["category_label"], show=lambda value: CATEGORY_TH[Category(value)])],
    on_done=propose_category,
))


@handler("product.category", roles=PRODUCERS, example_slots={"category": "food"})
def set_category(ctx: Ctx, slots: dict) -> list[Reply]:
    """Propose a product's category (★): the district confirms."""
    return start_for_product(ctx, CATEGORY, slots, category=slots.get("category"))


# -- ★ quadrant (pending) --------------------------------------------------------------------

def check_quadrant(value: str, ctx: Ctx) -> Valid | Invalid:
    text = value.strip().upper().replace("QUADRANT", "").replace("กลุ่ม", "").strip()
    text = text[1:] if len(text) == 2 and text[0] == "Q" else text
    return Valid(text) if text in {q.value for q in Quadrant} else Invalid(T["bad_quadrant"])


def propose_quadrant(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    product = _product(ctx, v)
    if product is None:
        return common.refuse_other()
    old = product.quadrant.value if product.quadrant else COMMON["unset"]
    return common.propose(ctx, product, "quadrant", v["quadrant"], label=T["quadrant_label"], old_shown=old,
                          new_shown=v["quadrant"])


QUADRANT = register_flow(Flow(
    name="product.quadrant", title_th="แก้กลุ่มผลิตภัณฑ์ (Quadrant)", roles=PRODUCERS, before_start=common.products_guard,
    slots=[PICK, Slot("quadrant", T["ask_quadrant"], validate=check_quadrant,
                      choices=lambda ctx: [common.answer(q.value, q.value) for q in Quadrant],
                      label=T["quadrant_label"])],
    on_done=propose_quadrant,
))


@handler("product.quadrant", roles=PRODUCERS, example_slots={"quadrant": "B"})
def set_quadrant(ctx: Ctx, slots: dict) -> list[Reply]:
    """Propose a product's quadrant (★): the district confirms."""
    return start_for_product(ctx, QUADRANT, slots, quadrant=slots.get("quadrant"))


# -- standards (pending): handlers/producer/standards.py ------------------------------------


# -- keywords and price (applied at once) ----------------------------------------------------

def check_keywords(value: str, ctx: Ctx) -> Valid | Invalid:
    words = [w.strip() for w in re.split(r"[,\s、]+", value) if w.strip()]
    words = list(dict.fromkeys(words))
    if not words or any(len(w) > 100 for w in words):
        return Invalid(T["bad_keywords"])
    return Valid(words[:20])


def save_keywords(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    product = _product(ctx, v)
    if product is None:
        return common.refuse_other()
    old = [k.word for k in product.keywords]
    added = [w for w in v["keywords"] if w not in old]
    if not added:
        return [Text(COMMON["unchanged"], quick=common.after_edit())]
    product.keywords.extend(ProductKeyword(word=w) for w in added)
    audit.record(ctx.session, actor=ctx.user_id, channel=common.channel(ctx), entity="product", entity_id=product.id,
                 field="keywords", old=old or None, new=old + added)
    return [Text(COMMON["saved"].format(field=T["keywords_label"], value=", ".join(old + added)),
                 quick=common.after_edit())]


KEYWORDS = register_flow(Flow(
    name="product.keywords", title_th="แก้คำค้นหา", roles=PRODUCERS, before_start=common.products_guard,
    slots=[PICK, Slot("keywords", T["ask_keywords"], validate=check_keywords, label=T["keywords_label"],
                        show=lambda words: ", ".join(words), example="ผ้าไหม ผ้าทอมือ")], on_done=save_keywords,
))


@handler("product.keywords", roles=PRODUCERS, example_slots={})
def add_keywords(ctx: Ctx, slots: dict) -> list[Reply]:
    """Add search keywords to a product."""
    return start_for_product(ctx, KEYWORDS, slots)


def check_price(value: str, ctx: Ctx) -> Valid | Invalid:
    text = ids.arabic_digits(value).replace(",", "")
    found = re.search(r"\d+(?:\.\d{1,2})?", text)
    try:
        price = Decimal(found.group(0)) if found else Decimal(0)
    except InvalidOperation:
        price = Decimal(0)
    return Valid(str(price)) if Decimal(0) < price < Decimal(10_000_000) else Invalid(T["bad_price"])


def save_price(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    product = _product(ctx, v)
    if product is None:
        return common.refuse_other()
    price = Decimal(v["price"])
    changed = audit.set_field(ctx.session, product, "price", price, actor=ctx.user_id, channel=common.channel(ctx))
    if not changed:
        return [Text(COMMON["unchanged"], quick=common.after_edit())]
    return [Text(COMMON["saved"].format(field=T["price_label"], value=price_shown(price)), quick=common.after_edit())]


def price_shown(value: Decimal | str) -> str:
    """"1,250 บาท", "99.50 บาท"."""
    price = Decimal(value)
    return T["price_value"].format(value=f"{int(price):,}" if price == int(price) else f"{price:,.2f}")


PRICE = register_flow(Flow(
    name="product.price", title_th="แก้ราคา", roles=PRODUCERS, before_start=common.products_guard,
    slots=[PICK, Slot("price", T["ask_price"], validate=check_price, label=T["price_label"],
                        show=price_shown, example="250")], on_done=save_price,
))


@handler("product.price", roles=PRODUCERS, example_slots={})
def set_price(ctx: Ctx, slots: dict) -> list[Reply]:
    """Change a product's price."""
    return start_for_product(ctx, PRICE, slots, price=slots.get("price"))
