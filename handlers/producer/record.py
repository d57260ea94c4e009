"""My record (producer.my_record), what is missing (producer.missing), and the buttons that
lead to the right form (producer.fix, producer.edit_menu, product.edit_menu).

What is missing or invalid comes from `registry.completeness.issues_for_record` (the one
completeness layer), ★ fields first; cards with something to fix come first.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from handlers.context import Ctx
from handlers.producer import common
from handlers.producer.record_data import ProductView, RecordView, Waiting, check_record, load_record
from handlers.producer.texts import COMMON, EDIT_LABELS, RECORD as T
from handlers.registry import PRODUCERS, handler
from handlers.replies import Card, CardList, Choice, Link, Reply, Text, page_of, postback
from handlers.router import run_intent
from models import Category, PendingChange, ProducerType, Product, Role, SalesChannelKind
from registry import cache, epoch, gazetteer, ids
from handlers.record_texts import standard_text, value_text
from registry.completeness import FieldIssue
from registry.labels_th import CATEGORY_TH, CHANNEL_TH, FIELD_LABELS, PRODUCER_TYPE_TH, STATUS_TH

# Completeness field → the form that fixes it.
FIX_FORMS: dict[str, str] = {
    "producers.producer_type": "producer.update_type",
    "producers.national_id": "producer.update_national_id",
    "producers.owner_name": "producer.update_owner",
    "producers.birth_date": "producer.update_birth_date",
    "producers.address": "producer.update_address",
    "producers.phone": "producer.update_phone",
    "products.category": "product.category",
    "products.quadrant": "product.quadrant",
    "products.standards": "product.standard",
    "products.photos": "product.photo",
}
PRODUCER_FORMS = ("producer.update_phone", "producer.update_address", "producer.update_type",
                  "producer.update_national_id", "producer.update_owner", "producer.update_birth_date",
                  "producer.update_sales_channels", "producer.add_star", "producer.update_projects")
PRODUCT_FORMS = ("product.photo", "product.category", "product.standard", "product.keywords", "product.price",
                 "product.quadrant")
PENDING_FIELDS = {"producer_type": "producers.producer_type", "national_id": "producers.national_id",
                  "category": "products.category", "quadrant": "products.quadrant", "standard": "products.standards"}


SHORT_LABELS = {
    "producers.producer_type": "ลักษณะผู้ประกอบการ", "producers.national_id": "เลขบัตรประชาชน",
    "producers.owner_name": "ชื่อเจ้าของ", "producers.birth_date": "วันเกิด", "producers.address": "ที่อยู่",
    "producers.phone": "เบอร์โทร", "products.category": "ประเภท", "products.quadrant": "Quadrant",
    "products.standards": "มาตรฐาน", "products.photos": "รูป",
}


def _place(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else ""


def issue_line(issue: FieldIssue) -> str:
    key = "issue_missing" if issue.kind == "missing" else "issue_invalid"
    return "❗ " + T[key].format(star="★" if issue.starred else "", label=issue.label_th)


def pending_line(change: PendingChange | Waiting) -> str:
    """A waiting proposal in Thai ("⏳ ประเภทผลิตภัณฑ์: รอเจ้าหน้าที่ยืนยัน (อาหาร)")."""
    value = change.new_value or "-"
    if change.field == "producer_type":
        value = PRODUCER_TYPE_TH[ProducerType(value)]
    elif change.field == "category":
        value = CATEGORY_TH[Category(value)]
    elif change.field == "national_id":
        value = ids.mask_national_id(value)
    elif change.field == "standard":
        data = json.loads(value)
        value = f"{data['scheme']} {data['number']}"
    return T["pending_line"].format(label=FIELD_LABELS[PENDING_FIELDS[change.field]], new=value)


def fix_choice(issue: FieldIssue, product: Product | CardPart | None = None) -> Choice:
    """"★ประเภท: ผ้าไหมทอมือ": short, so that the product's name fits LINE's 20 characters."""
    label = ("★" if issue.starred else "") + SHORT_LABELS.get(issue.key, issue.label_th)
    if isinstance(product, CardPart):
        label = f"{label}: {product.title}"
    elif product is not None:
        label = f"{label}: {product.name or product.code}"
    data = postback("producer.fix", field=issue.key, product_id=product.id if product else None)
    return Choice(label, postback=data)


def producer_lines(view: RecordView) -> list[str]:
    unset = COMMON["unset"]
    p = view.producer
    street = " ".join(x for x in (p.address, f"ต.{_place(p.subdistrict_code)}" if p.subdistrict_code else "",
                                  f"อ.{_place(p.district_code)}", f"จ.{_place(p.province_code)}") if x)
    stars = ", ".join(f"{year_be}: {'⭐' * n}" for year_be, n in view.stars)
    return [
        T["code"].format(code=p.code), T["status"].format(status=STATUS_TH[p.status]),
        T["type"].format(value=PRODUCER_TYPE_TH[p.producer_type] if p.producer_type else unset),
        T["national_id"].format(value=value_text(ids.mask_national_id(p.national_id), p.national_id_valid)
                                if p.national_id else ids.mask_national_id(p.national_id)),
        T["owner"].format(value=p.owner_name or unset),
        T["phone"].format(value=ids.format_phone(p.phone) if p.phone else unset),
        T["address"].format(value=street),
        T["channels"].format(value=", ".join(CHANNEL_TH[SalesChannelKind(c)] for c in view.channels) or unset),
        T["stars"].format(value=stars or unset),
        T["projects"].format(value=", ".join(view.projects) or unset),
    ]


def product_lines(view: ProductView) -> list[str]:
    unset = COMMON["unset"]
    p = view.product
    standards = ", ".join(standard_text(s) for s in view.standards)
    return [
        T["code"].format(code=p.code),
        T["category"].format(value=CATEGORY_TH[p.category] if p.category else unset),
        T["quadrant"].format(value=p.quadrant.value if p.quadrant else unset),
        T["standards"].format(value=standards or unset),
        T["keywords"].format(value=", ".join(view.keywords) or unset),
        T["price"].format(value=f"{p.price:,.2f}" if p.price is not None else unset),
        T["photos"].format(value=view.photos),
    ]


def _card(title: str, issues: list[FieldIssue] | tuple[FieldIssue, ...], waiting: list[Waiting],
          lines: list[str] | tuple[str, ...], fixes: list[Choice], more: Choice) -> Card:
    return Card(title=title, lines=[*(issue_line(i) for i in issues), *(pending_line(c) for c in waiting), *lines],
                buttons=[*fixes[:2], more])


@dataclass(frozen=True)
class CardPart:
    """One record's card as cached: its title (name, or code), what it misses, its lines
    (everything but the proposals waiting, which are read with every answer); `id`: the
    product's (None: the registration)."""

    id: int | None
    title: str
    issues: tuple[FieldIssue, ...]
    lines: tuple[str, ...]


@dataclass(frozen=True)
class RecordParts:
    """A producer's cards (`record_parts`) and the proposals waiting for the district."""

    producer: CardPart
    products: tuple[CardPart, ...]  # active products, oldest first
    waiting: tuple[Waiting, ...]


# The cards of producers' records, by producer id: (the scopes whose versions they were
# computed at, those versions, the day (a standard's expiry reads against it), the producer's
# district (its proposals are read live), the parts). Process-local, bounded, like
# `registry.cache`; kept apart from it so that producers asking for their records do not push
# out the officers' per-district parts.
MAX_RECORDS = 4096
_records: OrderedDict[int, tuple[tuple[str, ...], tuple[int, ...] | None, date, str, RecordParts]] = OrderedDict()
_records_lock = threading.Lock()


def _parts_of(view: RecordView) -> RecordParts:
    producer = view.producer
    return RecordParts(
        CardPart(None, producer.name or producer.code, tuple(view.issues), tuple(producer_lines(view))),
        tuple(CardPart(item.product.id, item.product.name or item.product.code, tuple(item.issues),
                       tuple(product_lines(item))) for item in view.products),
        tuple(view.waiting))


def record_parts(ctx: Ctx) -> RecordParts | None:
    """The caller's own record as cards (None for anyone but a linked producer). Every card's
    lines are cached by the registry versions of the producer's district (and the whole
    registry's, `registry.epoch`): an unchanged record costs one statement (the versions, with
    the proposals waiting, which are never cached), a changed or unseen one three (that, then
    `load_record`'s two). The versions are read before the record, so an entry never holds
    data older than its versions."""
    scope = ctx.scope
    if scope.role is not Role.PRODUCER or not scope.producer_id:
        return None
    session, pid, today = ctx.session, scope.producer_id, date.today()
    if not cache.usable(session):
        view = load_record(session, pid)
        return None if view is None else _parts_of(view)
    with _records_lock:
        entry = _records.get(pid)
    district = entry[3] if entry else (scope.district_code or "")
    scopes = sorted({epoch.WHOLE, district, *(entry[0] if entry else ())})
    waiting, found, districts = check_record(session, pid, district, scopes)
    if entry is not None and entry[2] == today and entry[1] is not None \
            and entry[1] == tuple(found.get(x, 0) for x in entry[0]) and epoch.WHOLE in found \
            and districts <= set(entry[0]):
        with _records_lock:
            if pid in _records:
                _records.move_to_end(pid)
        parts = entry[4]
        return RecordParts(parts.producer, parts.products, tuple(waiting))
    view = load_record(session, pid)
    if view is None:
        return None
    parts = _parts_of(view)
    own = tuple(sorted({epoch.WHOLE, view.producer.district_code or "",
                        *(p.product.district_code or "" for p in view.products)}))
    # Stored at the versions read above when they cover every scope the record depends on
    # (else with none: the next answer reads the right ones and stores them).
    versions = tuple(found.get(x, 0) for x in own) if set(own) <= set(scopes) and epoch.WHOLE in found else None
    with _records_lock:
        _records[pid] = (own, versions, today, view.producer.district_code or "", parts)
        _records.move_to_end(pid)
        while len(_records) > MAX_RECORDS:
            _records.popitem(last=False)
    return parts


def record_cards(parts: RecordParts) -> tuple[list[tuple[tuple[bool, bool], Card]], list[Choice], int, int]:
    """Every card (with its sort key), the fix buttons, issue and ★ issue counts."""
    producer, issues = parts.producer, parts.producer.issues
    cards: list[tuple[tuple[bool, bool], Card]] = []
    fixes: list[tuple[bool, Choice]] = []
    mine = [fix_choice(i) for i in issues]
    fixes += [(i.starred, c) for i, c in zip(issues, mine)]
    edit = Choice(T["btn_edit_producer"], postback=postback("producer.edit_menu"))
    cards.append(((not any(i.starred for i in issues), not issues),
                  _card(producer.title, issues, [c for c in parts.waiting if c.entity == "producer"],
                        producer.lines, mine, edit)))
    all_issues = list(issues)
    for product in parts.products:
        p_issues = product.issues
        all_issues += p_issues
        p_fixes = [fix_choice(i, product) for i in p_issues]
        fixes += [(i.starred, c) for i, c in zip(p_issues, p_fixes)]
        edit = Choice(T["btn_edit_product"], postback=postback("product.edit_menu", product_id=product.id))
        p_waiting = [c for c in parts.waiting if c.entity == "product" and c.entity_id == product.id]
        cards.append(((not any(i.starred for i in p_issues), not p_issues),
                      _card(product.title, p_issues, p_waiting, product.lines, p_fixes, edit)))
    ordered = [c for starred, c in fixes if starred] + [c for starred, c in fixes if not starred]
    return cards, ordered, len(all_issues), sum(1 for i in all_issues if i.starred)


@handler("producer.my_record", roles=PRODUCERS, example_slots={})
def my_record(ctx: Ctx, slots: dict) -> list[Reply]:
    """The producer's registration and products as cards, what to fix first, a button each."""
    parts = record_parts(ctx)
    if parts is None:
        return [Text(COMMON["no_record"])]
    cards, fixes, n, starred = record_cards(parts)
    ordered_cards = [card for _, card in sorted(cards, key=lambda kc: kc[0])]  # stable: producer first on ties
    page = int(slots["page"]) if str(slots.get("page") or "").isdigit() and int(slots["page"]) > 0 else 1
    more = postback("producer.my_record", page=page + 1) if page * 10 < len(ordered_cards) else None
    summary = T["summary_issues"].format(n=n, starred=starred) if n else T["summary_ok"]
    quick = fixes[:12] + [Choice(COMMON["btn_menu"], postback=postback("menu"))] if fixes else common.after_edit()[2:]
    return [Text(summary),
            CardList(page_of(ordered_cards, page), page=page, total=len(ordered_cards), more_postback=more,
                     alt_text=T["cards_alt"], quick=quick)]


@handler("producer.missing", roles=PRODUCERS, example_slots={})
def missing(ctx: Ctx, slots: dict) -> list[Reply]:
    """Only what is missing or invalid, ★ first, with a button to fix each."""
    parts = record_parts(ctx)
    if parts is None:
        return [Text(COMMON["no_record"])]
    lines: list[str] = []
    for record in (parts.producer, *parts.products):
        if record.issues:
            lines.append(f"📌 {record.title}")
            lines += [issue_line(i) for i in record.issues]
    _, fixes, n, _starred = record_cards(parts)
    if not n:
        return [Text(T["nothing_missing"], quick=common.after_edit()[:1])]
    title = T["missing_title"].format(n=n)
    return [Text("\n".join([title, *lines]), quick=fixes[:12] + [Choice(COMMON["btn_menu"], postback=postback("menu"))])]


@handler("producer.fix", roles=PRODUCERS, example_slots={"field": "producers.phone"})
def fix(ctx: Ctx, slots: dict) -> list[Reply]:
    """A "fix" button: open the form for that field (of that product)."""
    form = FIX_FORMS.get(str(slots.get("field") or ""))
    if form is None:
        return [Text(T["unknown_field"], quick=[Choice(T["btn_edit_producer"], postback=postback("producer.edit_menu"))])]
    return run_intent(ctx, form, {"product_id": slots["product_id"]} if slots.get("product_id") else {})


def web_form_card(ctx: Ctx) -> Card:
    """The card that opens the whole record as a web form inside LINE (LIFF, bot/web/liff.py)."""
    return Card(title=T["web_form_title"], lines=[T["web_form_body"]],
                buttons=[Link(T["btn_web_form"], ctx.web_page("/form"))])


@handler("producer.edit_menu", roles=PRODUCERS, example_slots={})
def edit_menu(ctx: Ctx, slots: dict) -> list[Reply]:
    """Every form of the registration, as buttons, and the card that opens them all as a web
    form."""
    return [web_form_card(ctx),
            Text(T["edit_producer_menu"], quick=[Choice(EDIT_LABELS[f], postback=postback(f)) for f in PRODUCER_FORMS]
                 + [Choice(COMMON["btn_menu"], postback=postback("menu"))])]


@handler("product.edit_menu", roles=PRODUCERS, example_slots={})
def product_edit_menu(ctx: Ctx, slots: dict) -> list[Reply]:
    """Every form of one product, as buttons."""
    product: Any = common.own_product(ctx, slots.get("product_id")) if slots.get("product_id") else None
    if slots.get("product_id") and product is None:
        return common.refuse_other()
    name = (product.name or product.code) if product else "-"
    pid = product.id if product else None
    return [Text(T["edit_product_menu"].format(name=name),
                 quick=[Choice(EDIT_LABELS[f], postback=postback(f, product_id=pid)) for f in PRODUCT_FORMS]
                 + [Choice(COMMON["btn_menu"], postback=postback("menu"))])]
