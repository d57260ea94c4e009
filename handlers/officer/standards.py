"""An officer adds a product standard (scheme, number, expiry) or renews its expiry; audited
on the product as `standard`, in the same JSON form as producers' proposals."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from handlers import dates
from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.officer import common
from handlers.officer.updates import T, record_validator
from handlers.registry import OFFICERS, PRODUCER_FROM_SLOTS, handler
from handlers.replies import Choice, Reply, Text, postback
from models import Product, ProductStandard
from registry import audit
from registry.ids import format_date_th

SCHEMES = ("มผช.", "อย.", "GMP", "HACCP", "ฮาลาล")


def scheme_of(value: str, ctx: Ctx) -> Valid | Invalid:
    text = value.strip()
    for scheme in SCHEMES:
        if text.replace(".", "").lower() == scheme.replace(".", "").lower():
            return Valid(scheme)
    return Valid(text[:40]) if 2 <= len(text) <= 40 else Invalid(T["bad_text"])


def number_of(value: str, ctx: Ctx) -> Valid | Invalid:
    text = value.strip()
    return Valid(text[:60]) if text else Invalid(T["bad_text"])


def _expiry(value: str, ctx: Ctx) -> Valid | Invalid:
    day = common.parse_day(value, ctx.today)
    return Valid(day.isoformat()) if day else Invalid(dates.refused(value, common.T["bad_date"]))


def _json(scheme: str, number: str, issued: Any, expires: Any) -> str:
    return json.dumps({"scheme": scheme, "number": number, "issued_on": audit.as_text(issued),
                       "expires_on": audit.as_text(expires)}, ensure_ascii=False, sort_keys=True)


def _confirm(v: dict[str, Any]) -> str:
    expires = format_date_th(date.fromisoformat(v["expires_on"])) if v.get("expires_on") else T["none"]
    return T["confirm_std"].format(name=v["record"]["name"], scheme=v["scheme"], number=v["number"], expires=expires)


def save_standard(ctx: Ctx, product: Product, scheme: str, number: str, expires: date | None) -> str:
    """Add the standard (or renew its expiry when the product has it), audited on the product
    in the context's channel; "std_done" or "std_updated". Chat and the console call it."""
    row = ctx.session.scalar(select(ProductStandard).where(
        ProductStandard.product_id == product.id, ProductStandard.scheme == scheme,
        ProductStandard.number == number))
    old = None
    if row is None:
        row = ProductStandard(product_id=product.id, scheme=scheme, number=number)
        ctx.session.add(row)
        key = "std_done"
    else:
        old = _json(row.scheme, row.number, row.issued_on, row.expires_on)
        key = "std_updated"
    row.expires_on = expires
    audit.record(ctx.session, actor=ctx.user_id, channel=ctx.channel, entity="product",  # type: ignore[arg-type]
                 entity_id=product.id, field="standard", old=old, new=_json(row.scheme, row.number, row.issued_on, expires))
    ctx.session.flush()
    return key


def _done(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    product = ctx.session.get(Product, v["record"]["id"])
    if not common.in_scope(ctx, product):
        return [Text(common.refuse_area(ctx))]
    expires = date.fromisoformat(v["expires_on"]) if v.get("expires_on") else None
    key = save_standard(ctx, product, v["scheme"], v["number"], expires)
    return [Text(T[key].format(scheme=v["scheme"], number=v["number"], name=v["record"]["name"]),
                 quick=[Choice(T["open"], postback=postback("officer.product_card", product_id=product.id))])]


def _keep_old(value: str, ctx: Ctx) -> Valid | Invalid:
    return record_validator(Product)(value, ctx)


STANDARD = register_flow(Flow(
    name="officer.add_standard", title_th="เพิ่มมาตรฐานสินค้า",
    slots=[Slot("record", T["ask_product"], validate=_keep_old),
           Slot("scheme", T["ask_scheme"], validate=scheme_of,
                choices=lambda ctx: [Choice(s, text=s) for s in SCHEMES]),
           Slot("number", T["ask_number"], validate=number_of, example="12/2560"),
           Slot("expires_on", lambda ctx, v: T["ask_expiry"].format(example=dates.example(ctx.today, 365)),
                validate=_expiry, optional=True, kind="date")],
    on_done=_done, confirm_th=_confirm, roles=OFFICERS))


@handler("officer.add_standard", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
         example_slots={"producer_id": "$producer"})
def add_standard(ctx: Ctx, slots: dict) -> list[Reply]:
    """Add a standard (scheme, number, expiry) to a product in the officer's area, audited."""
    record = common.tapped(slots.get("product_id")) or slots.get("query")
    expiry = slots.get("date")
    return start(ctx, STANDARD, record=str(record) if record else None, scheme=slots.get("standard_scheme"),
                 number=slots.get("standard_number"),
                 expires_on=expiry.isoformat() if isinstance(expiry, date) else expiry)
