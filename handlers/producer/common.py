"""Shared pieces of the producer conversations: whose record, which product, validators.

Identity always comes from the event's account (`ctx.scope.producer_id`), never from slots:
a product id in a postback is honoured only when the product belongs to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select

from handlers.context import Ctx
from handlers.engine import Invalid, Valid, clean_answer
from handlers.notices import audience_user_ids
from handlers.producer.texts import COMMON as T
from handlers.registry import REGISTRY
from handlers.replies import Choice, Reply, Text, postback
from handlers.router import ParseContext
from handlers.texts import T as CORE_T
from models import ConversationState, Producer, Product, RegistrationStatus, Role
from registry import ids, pending
from registry import workflows as wf
from registry.audit import Channel
from registry.labels_th import STATUS_TH

CHANNEL: Channel = "chat"


def channel(ctx: Ctx) -> Channel:
    """The audit's channel of this edit: "chat", or "web" when a LIFF form runs the flow."""
    return "web" if ctx.channel == "web" else CHANNEL


# -- whose record ----------------------------------------------------------------------------

def my_producer(ctx: Ctx) -> Producer | None:
    """The caller's own registration (None for anyone but a linked producer)."""
    scope = ctx.scope
    if scope.role is not Role.PRODUCER or not scope.producer_id:
        return None
    return ctx.session.get(Producer, scope.producer_id)


def own_product(ctx: Ctx, product_id: Any) -> Product | None:
    """The product when it belongs to the caller's registration, else None (never guessed)."""
    try:
        pid = int(str(product_id).strip())
    except (TypeError, ValueError):
        return None
    product = ctx.session.get(Product, pid)
    producer = my_producer(ctx)
    if product is None or producer is None or product.producer_id != producer.id:
        return None
    return product


def own_products(ctx: Ctx) -> list[Product]:
    """The caller's active products, oldest first."""
    producer = my_producer(ctx)
    if producer is None:
        return []
    stmt = select(Product).where(Product.producer_id == producer.id, Product.active.is_(True)).order_by(Product.id)
    return list(ctx.session.scalars(stmt))


def refuse_other() -> list[Reply]:
    """The router's refusal for someone else's record (same words everywhere)."""
    return [Text(CORE_T["refuse_producer"])]


def editable_guard(ctx: Ctx) -> list[Reply] | None:
    """Refuse to start an edit when there is no active registration behind the account."""
    producer = my_producer(ctx)
    if producer is None:
        return [Text(T["no_record"])]
    if producer.status is not RegistrationStatus.ACTIVE:
        return [Text(T["not_active"].format(status=STATUS_TH[producer.status]))]
    return None


def products_guard(ctx: Ctx) -> list[Reply] | None:
    """`editable_guard`, and the registration has at least one product."""
    return editable_guard(ctx) or (None if own_products(ctx) else [Text(T["no_products"], quick=after_edit())])


def after_edit() -> list[Choice]:
    """Next steps after any change."""
    return [Choice(T["btn_my_record"], postback=postback("producer.my_record")),
            Choice(T["btn_missing"], postback=postback("producer.missing")),
            Choice(T["btn_menu"], postback=postback("menu"))]


def actor(ctx: Ctx) -> wf.Actor:
    return wf.Actor.from_account(ctx.account, channel=channel(ctx))


def error_reply(exc: wf.WorkflowError) -> list[Reply]:
    return [Text(T["error"].format(reason=wf.ERROR_MESSAGES.get(exc.code, wf.ERROR_MESSAGES["workflow_error"])),
                 quick=after_edit())]


# -- conversation helpers --------------------------------------------------------------------

def flow_values(ctx: Ctx) -> dict[str, Any]:
    """Values already collected by the caller's live conversation (for validators that depend
    on an earlier answer, e.g. the district within the chosen province)."""
    state = ctx.session.get(ConversationState, ctx.user_id)
    return dict(state.slots) if state is not None else {}


def answer(label: str, value: Any) -> Choice:
    """A quick reply that answers the slot being asked with `value` (shown as `label`)."""
    return Choice(label, postback=postback("flow.answer", v=value))


def parse_slots(ctx: Ctx, text: str, expecting: str) -> dict[str, Any]:
    """The NLU's reading of a bare answer (dates "15 มี.ค. 67", "พรุ่งนี้"...); {} without NLU."""
    if ctx.parse is None or not text.strip():
        return {}
    acc = ctx.account
    pctx = ParseContext(acc.role.value if acc.role else None, acc.province_code, acc.district_code,
                        "producer", expecting, ctx.today)
    try:
        return dict(getattr(ctx.parse(text, pctx), "slots", {}) or {})
    except Exception:  # the NLU is a helper here; the plain parsers below still apply
        return {}


def read_date(ctx: Ctx, value: str) -> date | None:
    """A date as Thai users type it: 15/3/2567, 2024-03-15, วันนี้, 15 มี.ค. 67. None if unreadable."""
    from handlers.dates import relative_date

    text = clean_answer(value)
    if text in ("วันนี้", "today"):
        return ctx.today
    relative = relative_date(text, ctx.today)
    if relative is not None:
        return relative
    try:
        parsed = ids.parse_date(text)
        if parsed is not None:
            return parsed
    except ValueError:
        pass
    found = parse_slots(ctx, text, "date").get("date")
    if isinstance(found, date):
        return found
    try:
        return ids.parse_date(str(found)) if found else None
    except ValueError:
        return None


def check_product(value: str, ctx: Ctx) -> Valid | Invalid:
    """One of the caller's products: its id (buttons), its number in the list, or its name."""
    if ctx.incoming.kind == "image":  # a picture before the product was chosen
        return Invalid(T["pick_product_first"])
    products = own_products(ctx)
    text = value.strip()
    product = own_product(ctx, text) if text.isdigit() else None
    if product is not None and product.active:
        return Valid(product.id)
    names = {p.id: (p.name or p.code) for p in products}
    if names and text:
        best = process.extractOne(text, names, scorer=fuzz.partial_ratio, score_cutoff=80)
        if best is not None:
            return Valid(best[2])
    if text and not text.isdigit() and len(text) <= 40:
        return Invalid(T["bad_product_named"].format(name=text))
    return Invalid(T["bad_product"])


# Words that name no product ("ขอเพิ่มมาตรฐานสินค้า"): never looked up as a product's name.
GENERIC_PRODUCT_WORDS = frozenset({"สินค้า", "ผลิตภัณฑ์", "ของ", "สินค้าของฉัน", "ผลิตภัณฑ์ของฉัน", "สินค้าของเรา",
                                   "ตัวสินค้า", "รายการ", "product"})


def product_choices(ctx: Ctx) -> Sequence[Choice]:
    return [answer(p.name or p.code, p.id) for p in own_products(ctx)[:12]]


def product_name(ctx: Ctx, product_id: Any) -> str:
    product = own_product(ctx, product_id)
    return (product.name or product.code) if product else "-"


# -- proposals of ★ fields (held until a district officer confirms) --------------------------

def propose(ctx: Ctx, record: Producer | Product, field: str, value: Any, *, label: str,
            old_shown: str, new_shown: str) -> list[Reply]:
    """Hold a producer's edit of a ★ field (or a standard) for the district's confirmation and
    tell the district's officers, with the old and the new value."""
    entity = "producer" if isinstance(record, Producer) else "product"
    try:
        outcome = pending.propose(ctx.session, actor(ctx), entity, record.id, field, value, now=ctx.now)
    except wf.ValidationError as exc:
        if exc.data.get("field") == "new_value" and "current value" in exc.detail:
            return [Text(T["pending_same"], quick=after_edit())]
        return error_reply(exc)
    except wf.WorkflowError as exc:
        return error_reply(exc)
    producer = record if isinstance(record, Producer) else record.producer
    others = ", ".join(h.code for h in outcome.duplicates[:5])  # one person, one ID: the officer checks
    for notice in outcome.notices:
        officers = [u for u in audience_user_ids(ctx.session, notice.audience) if u != ctx.user_id]
        where = T["proposal_record"].format(name=record.name or record.code) if entity == "product" else ""
        quick = ([Choice(T["btn_officer_pending"], postback=postback("officer.pending_requests"))]
                 if "officer.pending_requests" in REGISTRY else [])
        ctx.push(officers, [Text(T["proposal_push"].format(
            producer=producer.name or producer.code, code=producer.code, record=where, field=label,
            old=old_shown, new=new_shown) + (T["proposal_duplicate"].format(others=others) if others else ""),
            quick=quick)], purpose="notice:change_proposed")
    sent = T["pending_sent"].format(field=label, old=old_shown, new=new_shown)
    if others:
        sent += T["pending_duplicate"].format(nid=new_shown, others=others)
    return [Text(sent, quick=after_edit())]

