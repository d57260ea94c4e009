"""The chat's producer forms as web form sections: one section per chat flow of the edit menus
(`handlers.producer.record.PRODUCER_FORMS` / `PRODUCT_FORMS`), validated by the flow's own slot
validators and saved by the flow's own `on_done`, so a web edit does exactly what the same edit
in chat does (audit, ★ changes held in `pending_changes` with the district told, photos stored
by `registry.media`). Only the audit's channel differs ("web").

A section is a flow (and, for product forms, the product); its fields are the flow's slots:
the product pick becomes a hidden field (the product is checked to be the caller's own before
anything runs), a date slot a date input, a photo slot a file input (camera on a phone), a slot
with choices a select (sales channels: checkboxes), the sub-district a select of the producer's
own district. Nothing here commits: the caller's transaction holds the section's writes and
the officers' notices.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers import engine as E
from handlers.context import Ctx
from handlers.incoming import Incoming
from handlers.producer import common
from handlers.producer.address import CODE_PREFIX
from handlers.producer.record import PRODUCER_FORMS, PRODUCT_FORMS
from handlers.replies import Card, Text
from models import Producer, Product, SalesChannelKind
from registry import gazetteer
from registry.labels_th import CHANNEL_TH

from bot.web.liff_texts import LABELS, T

STARRED = frozenset({"producer.update_type", "producer.update_national_id", "product.category",
                     "product.quadrant", "product.standard"})


@dataclass
class Field:
    """One input as the template draws it."""

    name: str
    label: str
    kind: str  # text | date | file | select | checks | hidden
    value: Any = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    help: str = ""
    optional: bool = False
    error: str = ""


@dataclass
class Section:
    """One chat flow as a form: `fields` to draw, `errors` after a refused submit."""

    flow: str
    title: str
    starred: bool
    fields: list[Field]
    product_id: int | None = None
    multipart: bool = False
    error: str = ""  # after a refused submit: what to do (or why the form cannot be used)

    @property
    def anchor(self) -> str:
        return self.flow.replace(".", "-") + (f"-{self.product_id}" if self.product_id else "")


@dataclass
class Outcome:
    """A submit: the Thai messages of the flow's answer, or the errors by field."""

    messages: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def saved(self) -> bool:
        return not self.errors


def web_ctx(ctx_args: Mapping[str, Any]) -> Ctx:
    """A Ctx for a web request (kind "text": the validators clean answers as typed ones)."""
    account = ctx_args["account"]
    return Ctx(incoming=Incoming(user_id=account.user_id, kind="text"), channel="web", **ctx_args)


def _current(producer: Producer, product: Product | None) -> dict[str, Any]:
    """The record's current values, to prefill the fields (personal IDs are never prefilled)."""
    if product is not None:
        return {"category": product.category.value if product.category else "",
                "quadrant": product.quadrant.value if product.quadrant else "",
                "keywords": ", ".join(k.word for k in product.keywords),
                "price": f"{product.price:.2f}" if product.price is not None else ""}
    return {"phone": producer.phone or "", "owner_name": producer.owner_name or "",
            "birth_date": producer.birth_date.isoformat() if producer.birth_date else "",
            "address": producer.address or "",
            "subdistrict": CODE_PREFIX + producer.subdistrict_code if producer.subdistrict_code else "",
            "producer_type": producer.producer_type.value if producer.producer_type else "",
            "channels": [c.channel.value for c in producer.sales_channels]}


def _field(ctx: Ctx, slot: E.Slot, producer: Producer, current: dict[str, Any], values: dict[str, Any]) -> Field:
    prompt = slot.prompt_th(ctx, values) if callable(slot.prompt_th) else slot.prompt_th
    out = Field(slot.name, LABELS.get(slot.name) or slot.label or slot.name, "text", current.get(slot.name, ""),
                help=prompt, optional=slot.optional)
    if slot.name == "subdistrict":
        out.kind = "select"
        out.options = [(CODE_PREFIX + p.code, p.name_th) for p in gazetteer.subdistricts(producer.district_code or "")]
    elif slot.name == "channels":
        out.kind = "checks"
        out.options = [(k.value, CHANNEL_TH[k]) for k in SalesChannelKind]
    elif slot.kind == "date":
        out.kind = "date"
    elif slot.kind == "photo":
        out.kind = "file"
    elif slot.choices is not None:
        out.kind = "select"
        out.options = [(str(c.postback["v"]), c.label) for c in slot.choices(ctx) if c.postback and "v" in c.postback]
    return out


def sections(ctx: Ctx, producer: Producer, products: list[Product]) -> list[Section]:
    """Every section the producer may edit: the registration's, then each product's."""
    out = []
    for name in PRODUCER_FORMS:
        out.append(section(ctx, name, producer, None))
    for product in products:
        out += [section(ctx, name, producer, product) for name in PRODUCT_FORMS]
    return out


def section(ctx: Ctx, name: str, producer: Producer, product: Product | None) -> Section:
    from handlers.producer.texts import EDIT_LABELS

    flow = E.FLOWS[name]
    current = _current(producer, product)
    fields = [_field(ctx, s, producer, current, {}) for s in flow.slots if s.name != "product_id"]
    return Section(name, EDIT_LABELS[name], name in STARRED, fields, product.id if product else None,
                   multipart=any(f.kind == "file" for f in fields))


def flow_of(name: str, product_id: int | None) -> E.Flow | None:
    """The flow behind a section name, if it is one the LIFF form offers."""
    allowed = PRODUCT_FORMS if product_id is not None else PRODUCER_FORMS
    return E.FLOWS.get(name) if name in allowed else None


def submit(ctx: Ctx, flow: E.Flow, form: Mapping[str, Any], getlist: Callable[[str], list[str]],
           photo: bytes | None, product_id: int | None) -> Outcome:
    """Validate every field by its slot's validator (chat's), then run the flow's `on_done`.
    The caller has checked that `product_id` is the caller's own product."""
    guard = flow.before_start(ctx) if flow.before_start else None
    if guard:
        return Outcome(errors={"": _texts(guard)})
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for slot in flow.slots:
        if slot.when is not None and not slot.when(values):
            continue
        if slot.name == "product_id":
            raw: Any = str(product_id)
        elif slot.name == "channels":
            raw = ",".join(getlist(slot.name))
        elif slot.kind == "photo":
            raw = photo
        else:
            raw = " ".join(str(form.get(slot.name) or "").split())
        if raw in ("", None):
            if slot.optional:
                values[slot.name] = None
            else:
                errors[slot.name] = T["required"]
            continue
        if slot.kind == "photo":
            result = E.check(dataclasses.replace(ctx, incoming=Incoming(ctx.user_id, "image", image=raw)), slot, "",
                             values)
        else:
            result = E.check(ctx, slot, raw, values)
        if isinstance(result, E.Invalid):
            errors[slot.name] = result.reprompt_th
        else:
            values[slot.name] = result.value
    if errors:
        return Outcome(errors=errors)
    return Outcome(messages=[_texts(flow.on_done(ctx, values))])


def _texts(replies: list[Any]) -> str:
    """The words of a flow's replies (the chat's own answer: saved, held for the officer...)."""
    parts = []
    for reply in replies:
        if isinstance(reply, Text):
            parts.append(reply.text)
        elif isinstance(reply, Card):
            parts += [reply.title, *reply.lines]
    return "\n".join(parts)


def own_product(ctx: Ctx, product_id: Any) -> Product | None:
    """The caller's own active product (the chat's check), or None."""
    product = common.own_product(ctx, product_id)
    return product if product is not None and product.active else None
