"""A product's standard (product.standard / producer.add_standard), held for the district's
confirmation. Everything said at once is taken at once: "เพิ่ม มผช. ให้น้ำพริกเผา เลข 123/2566
หมดอายุ 31/12/2570" fills the product, the scheme, the number and the expiry, and only the
confirmation is asked. Each number is checked by its scheme's own rule: มผช. N/YYYY (พ.ศ.),
อย. 13 digits laid out 10-1-12345-1-0001; a date is never taken for a number."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from handlers import dates
from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, clean_answer, register_flow
from handlers.producer import common
from handlers.producer.product_edit import PICK, start_for_product
from handlers.producer.texts import PRODUCT as T
from handlers.registry import PRODUCERS, handler
from handlers.replies import Reply
from registry import ids

SCHEMES = ("มผช.", "อย.", "GMP", "ฮาลาล", "Organic Thailand", "มกอช.")
SCHEME_WORDS = {"มผช": "มผช.", "อย": "อย.", "gmp": "GMP", "ฮาลาล": "ฮาลาล", "halal": "ฮาลาล",
                "organic": "Organic Thailand", "มกอช": "มกอช."}
MPC = re.compile(r"(?<![\d/])(\d{1,4})\s*/\s*(25\d\d)(?![\d/])")
FDA = re.compile(r"(?<!\d)(\d{2})[-\s]?(\d)[-\s]?(\d{5})[-\s]?(\d)[-\s]?(\d{4})(?!\d)")
DATE = re.compile(r"(?<![\d/])\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}(?![\d/])")
EXPIRY = re.compile(r"(หมดอายุ|ถึงวันที่|ถึง|exp\w*)\s*(วันที่)?\s*(.+)$", re.IGNORECASE)


# A scheme's word standing alone: "อย." or "อย 10-1-..." but not the "อย" of "อยู่", "อยาก".
SCHEME_RE = {word: re.compile(re.escape(word) + (r"(?![\u0E00-\u0E7F])" if word == "อย" else ""))
             for word in SCHEME_WORDS}


def scheme_in(text: str) -> str | None:
    low = text.lower()
    return next((scheme for word, scheme in SCHEME_WORDS.items() if SCHEME_RE[word].search(low)), None)


def check_scheme(value: str, ctx: Ctx) -> Valid | Invalid:
    text = clean_answer(value)
    for scheme in SCHEMES:
        if text.lower().rstrip(".") == scheme.lower().rstrip("."):
            return Valid(scheme)
    found = scheme_in(text)
    if found:
        return Valid(found)
    return Valid(text[:40]) if len(text) >= 2 and not any(c.isdigit() for c in text) else Invalid(T["bad_scheme"])


def check_number(value: str, ctx: Ctx, values: dict[str, Any]) -> Valid | Invalid:
    """The number by its scheme's rule (the scheme answered before, or named in the text)."""
    text = ids.arabic_digits(clean_answer(value))
    scheme = values.get("scheme") or scheme_in(text)
    if scheme == "มผช.":
        found = MPC.search(text)
        return Valid(f"{int(found[1])}/{found[2]}") if found else Invalid(T["bad_number_mpc"])
    if scheme == "อย.":
        found = FDA.search(text)
        return Valid("-".join(found.groups())) if found else Invalid(T["bad_number_fda"])
    for word in SCHEME_WORDS:  # "GMP 12345" typed whole: keep the number
        text = re.sub(rf"^{re.escape(word)}\.?\s*", "", text, flags=re.IGNORECASE)
    if DATE.fullmatch(text.strip()) or len(re.sub(r"\D", "", text)) < 2:
        return Invalid(T["bad_number"])
    return Valid(text.strip()[:60])


def check_expiry(value: str, ctx: Ctx) -> Valid | Invalid:
    found = common.read_date(ctx, value)
    if found is None or found.year < 2000:
        return Invalid(dates.refused(value, T["bad_expiry"].format(example=dates.example(ctx.today, 365))))
    return Valid(found.isoformat())


def extract(text: str, ctx: Ctx) -> dict[str, Any]:
    """What one message says about a standard, where the NLU has nothing: the product (named
    among the producer's own), the scheme, the number by the scheme's rule, the expiry."""
    out: dict[str, Any] = {}
    plain = ids.arabic_digits(text)
    best = max(((fuzz.partial_ratio(p.name, plain), p.id) for p in common.own_products(ctx) if p.name),
               default=(0, None))
    if best[0] >= 90:
        out["product_id"] = best[1]
    scheme = scheme_in(plain)
    if scheme:
        out["scheme"] = scheme
    expiry = EXPIRY.search(plain)
    if expiry:
        out["expires_on"] = expiry[3].strip()
        plain = plain[: expiry.start()]
    number = (MPC.search(plain) if scheme in (None, "มผช.") else None) or (FDA.search(plain) if scheme == "อย." else None)
    if number:
        out["number"] = number[0]
    return out


def shown_expiry(value: Any) -> str:
    return ids.format_date_th(date.fromisoformat(value)) if value else "-"


def propose_standard(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    product = common.own_product(ctx, v.get("product_id"))
    if product is None:
        return common.refuse_other()
    value = {"scheme": v["scheme"], "number": v["number"], "issued_on": None, "expires_on": v.get("expires_on")}
    shown = T["standard_value"].format(scheme=v["scheme"], number=v["number"], expires=shown_expiry(v.get("expires_on")))
    return common.propose(ctx, product, "standard", json.dumps(value, ensure_ascii=False), label=T["standard_label"],
                          old_shown="-", new_shown=shown)


STANDARD = register_flow(Flow(
    name="product.standard", roles=PRODUCERS, before_start=common.products_guard, title_th="เพิ่มมาตรฐาน",
    slots=[PICK,
           Slot("scheme", T["ask_scheme"], validate=check_scheme, label=T["scheme_label"], example="มผช.",
                choices=lambda ctx: [common.answer(s, s) for s in SCHEMES]),
           Slot("number", T["ask_number"], validate=check_number, label=T["number_label"],
                example=lambda ctx, v: "12/2560" if v.get("scheme", "มผช.") == "มผช." else "10-1-12345-1-0001"),
           Slot("expires_on", lambda ctx, v: T["ask_expiry"].format(example=dates.example(ctx.today, 365)),
                validate=check_expiry, optional=True, kind="date", label=T["expiry_label"], show=shown_expiry,
                example=lambda ctx, v: dates.example(ctx.today, 365))],
    fills={"product_name": "product_id", "standard_scheme": "scheme", "standard_number": "number",
           "expiry": "expires_on"},
    extract=extract, intents=("producer.add_standard",),
    confirm_th=lambda v: T["confirm_standard"],
    on_done=propose_standard,
))


@handler("product.standard", roles=PRODUCERS, example_slots={})
def add_product_standard(ctx: Ctx, slots: dict) -> list[Reply]:
    """Propose a standard for a product (scheme, number, expiry): the district confirms."""
    return start_for_product(ctx, STANDARD, slots)


@handler("producer.add_standard", roles=PRODUCERS,
         example_slots={"standard_scheme": "มผช.", "standard_number": "12/2560"})
def add_standard(ctx: Ctx, slots: dict) -> list[Reply]:
    """"เพิ่ม มผช. ให้น้ำพริกเผา เลข 123/2566 หมดอายุ ...": the same form, with all it says."""
    return start_for_product(ctx, STANDARD, slots)
