"""Records in chat: find (officer.find), a producer / product / ชวนชิม card with the actions an
officer takes on it, the picker shown when a name matches several records, and link codes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

import handlers.accounts.officer  # noqa: F401  (the first versions register first; replaced below)
from handlers import access
from handlers.accounts import codes
from handlers.context import Ctx
from handlers.engine import Flow, register_flow, start
from handlers.officer import common, links
from handlers.officer.search import Hit, best, search
from handlers.registry import OFFICERS, PRODUCER_FROM_SLOTS, NO_AREA, handler
from handlers.replies import Card, CardList, Choice, Reply, Text, postback
from models import ChuanchimShop, Producer, Product, ProductPhoto, ProductStandard, Role
from registry import completeness, gazetteer
from registry.completeness import FieldIssue
from handlers.record_texts import issue_lines, standard_text, value_text
from registry.ids import mask_national_id
from registry.labels_th import CATEGORY_TH, DATASET_LABELS, PRODUCER_TYPE_TH, STATUS_TH

T = {
    "ask_query": "พิมพ์ชื่อ รหัส เลขบัตรประชาชน หรือเบอร์โทร ที่ต้องการค้นหาได้เลยค่ะ",
    "none": "ไม่พบ \"{q}\" ในพื้นที่ของท่านค่ะ ลองพิมพ์ชื่อสั้นลง หรือค้นด้วยรหัส/เบอร์โทรนะคะ",
    "found": "พบ {n} รายการที่ใกล้เคียง \"{q}\" ค่ะ",
    "pick": "พบหลายรายการ เลือกรายการที่ต้องการได้เลยค่ะ",
    "choose": "เลือก",
    "not_found": "ไม่พบรายการนี้ค่ะ",
    "code": "รหัส: {code}",
    "type": "ลักษณะ: {v}",
    "area": "พื้นที่: {v}",
    "nid": "เลขบัตร: {v}",
    "phone": "โทร: {v}",
    "status": "สถานะ: {v}",
    "producer": "ผู้ผลิต: {v}",
    "category": "ประเภท: {v}",
    "quadrant": "Quadrant: {v}",
    "standards": "มาตรฐาน: {v}",
    "photos": "รูปภาพ: {n} รูป",
    "products": "ผลิตภัณฑ์: {n} รายการ",
    "unset": "ยังไม่ระบุ",
    "b_link": "ออกรหัสผูกบัญชี",
    "b_type": "แก้ลักษณะ",
    "b_nid": "แก้เลขบัตร",
    "b_photo": "อัปเดตรูป",
    "b_quadrant": "ตั้ง Quadrant",
    "b_category": "ตั้งประเภท",
    "b_standard": "เพิ่มมาตรฐาน",
    "b_closure": "แจ้งเลิก (ไม่อยู่)",
    "b_products": "ดูผลิตภัณฑ์",
    "more_actions": "ทำรายการอื่นกับ {name} ได้จากปุ่มด้านล่างค่ะ",
    "code_issued": ("รหัสผูกบัญชีของ {name}: {code}\nใช้ได้ครั้งเดียว ภายใน {days} วัน "
                    "ให้ผู้ผลิตพิมพ์รหัสนี้ในแชตนี้ได้เลยค่ะ"),
    "pick_producer": "ออกรหัสให้ผู้ผลิตรายใดคะ พิมพ์ชื่อหรือรหัสผู้ผลิต หรือค้นหาก่อนแล้วแตะ \"ออกรหัสผูกบัญชี\" ค่ะ",
    "code_title": "ออกรหัสผูกบัญชี",
    "code_confirm": "จะออกรหัสผูกบัญชีให้ {name} (ใช้ได้ครั้งเดียว ภายใน {days} วัน) ยืนยันไหมคะ",
}


def _place(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else (code or "-")


def _issues(ctx: Ctx, dataset: str, record_id: int, standards: Sequence[ProductStandard] = (),
            issues: list[FieldIssue] | None = None) -> list[str]:
    """Missing, invalid and expired, each on its own line and marked (handlers.record_texts)."""
    if issues is None:
        issues = completeness.issues_for_record(ctx.session, dataset, record_id)
    return issue_lines(issues, standards, ctx.today)


def active_products():  # type: ignore[no-untyped-def]
    """A producer's active products, counted (a column for statements over producers)."""
    return (select(func.count()).where(Product.producer_id == Producer.id, Product.active.is_(True))
            .correlate(Producer).scalar_subquery())


def producer_card(ctx: Ctx, p: Producer, n_products: int | None = None, issues: list[FieldIssue] | None = None) -> Card:
    """A producer with what it lacks, and the officer's actions on it (`n_products` and
    `issues` when the caller read them with the producer: a list of cards in one statement)."""
    kind = PRODUCER_TYPE_TH.get(p.producer_type) if p.producer_type else T["unset"]  # type: ignore[arg-type]
    if n_products is None:
        n_products = ctx.session.scalar(select(func.count()).where(Product.producer_id == p.id, Product.active.is_(True)))
    lines = [T["code"].format(code=p.code), T["type"].format(v=kind),
             T["area"].format(v=f"{_place(p.subdistrict_code)} {_place(p.district_code)}".strip()),
             T["nid"].format(v=value_text(mask_national_id(p.national_id), p.national_id_valid)),
             T["phone"].format(v=value_text(p.phone or "-", p.phone_valid)),
             T["status"].format(v=STATUS_TH.get(p.status, str(p.status))),
             T["products"].format(n=n_products), *_issues(ctx, "producers", p.id, issues=issues)]
    return Card(title=p.name or p.code, lines=lines, buttons=[
        Choice(T["b_link"], postback=postback("officer.issue_link_code", producer_id=p.id)),
        Choice(T["b_type"], postback=postback("officer.set_producer_type", producer_id=p.id)),
        Choice(T["b_nid"], postback=postback("officer.set_national_id", producer_id=p.id)),
        links.console(ctx, f"producer/{p.id}"),
    ])


def producer_quick(p: Producer) -> list[Choice]:
    return [Choice(T["b_products"], postback=postback("officer.find", producer_id=p.id)),
            Choice(T["b_closure"], postback=postback("officer.start_closure", producer_id=p.id))]


def product_card(ctx: Ctx, pr: Product) -> Card:
    """A product with its ★ fields, standards and photos, and the officer's actions on it."""
    standards = ctx.session.scalars(select(ProductStandard).where(ProductStandard.product_id == pr.id)).all()
    photos = ctx.session.scalar(select(func.count()).where(ProductPhoto.product_id == pr.id))
    std = ", ".join(standard_text(s, ctx.today) for s in standards) or "-"
    lines = [T["code"].format(code=pr.code),
             T["producer"].format(v=pr.producer.name or pr.producer.code),
             T["category"].format(v=CATEGORY_TH.get(pr.category) if pr.category else T["unset"]),  # type: ignore[arg-type]
             T["quadrant"].format(v=pr.quadrant.value if pr.quadrant else T["unset"]),
             T["standards"].format(v=std), T["photos"].format(n=photos), *_issues(ctx, "products", pr.id, standards)]
    return Card(title=pr.name or pr.code, lines=lines, buttons=[
        Choice(T["b_photo"], postback=postback("officer.update_photo", product_id=pr.id)),
        Choice(T["b_quadrant"], postback=postback("officer.set_quadrant", product_id=pr.id)),
        Choice(T["b_category"], postback=postback("officer.set_category", product_id=pr.id)),
        links.console(ctx, f"product/{pr.id}"),
    ])


def product_quick(pr: Product) -> list[Choice]:
    return [Choice(T["b_standard"], postback=postback("officer.add_standard", product_id=pr.id))]


def shop_card(ctx: Ctx, s: ChuanchimShop) -> Card:
    lines = [T["code"].format(code=s.code), T["area"].format(v=f"{_place(s.subdistrict_code)} {_place(s.district_code)}"),
             T["phone"].format(v=value_text(s.phone or "-", s.phone_valid)), *_issues(ctx, "chuanchim", s.id)]
    return Card(title=s.name or s.code, lines=lines)


def hit_card(hit: Hit, intent: str | None = None, **slots: object) -> Card:
    """A search hit; its button opens the record, or re-asks `intent` with the record chosen."""
    key = {"producers": "producer_id", "products": "product_id", "chuanchim": "shop_id"}[hit.kind]
    target = intent or {"producers": "officer.producer_card", "products": "officer.product_card",
                        "chuanchim": "officer.shop_card"}[hit.kind]
    return Card(title=hit.name or hit.code, lines=[f"{DATASET_LABELS[hit.kind]} · {hit.code}", _place(hit.district_code)],
                buttons=[Choice(T["choose"] if intent else "เปิดดู", postback=postback(target, **{key: hit.id}, **slots))])


def picker(hits: Sequence[Hit], intent: str, **slots: object) -> list[Reply]:
    """Several records match: let the officer tap the right one (the intent is asked again)."""
    return [Text(T["pick"]), CardList([hit_card(h, intent, **slots) for h in hits[:10]], total=len(hits),
                                      alt_text=T["pick"])]


def resolve(ctx: Ctx, model: type, record_id: int | None, query: str | None, intent: str,
            **slots: object) -> tuple[object | None, list[Reply] | None]:
    """The record an action is about: by id (checked against the officer's area), or the one
    clear match of `query`; otherwise the replies to send (not found, refused, a picker)."""
    if record_id is not None:
        record = ctx.session.get(model, record_id)
        if record is None:
            return None, [Text(T["not_found"])]
        if not common.in_scope(ctx, record):
            return None, [Text(common.refuse_area(ctx))]
        return record, None
    if not query:
        return None, None
    kind = {Producer: "producers", Product: "products", ChuanchimShop: "chuanchim"}[model]
    hits = search(ctx, str(query), (kind,))
    if not hits:
        return None, [Text(T["none"].format(q=query))]
    one = best(hits)
    if one is None:
        return None, picker(hits, intent, **slots)
    return ctx.session.get(model, one.id), None


@handler("officer.find", roles=OFFICERS, area=PRODUCER_FROM_SLOTS, example_slots={"query": "ผู้ผลิต"})
def find(ctx: Ctx, slots: dict) -> list[Reply]:
    """Search producers, products and shops in the officer's area by name, id, national ID or phone."""
    if slots.get("producer_id"):  # a producer's products
        p = ctx.session.get(Producer, int(slots["producer_id"]))
        products = ctx.session.scalars(select(Product).where(Product.producer_id == p.id, Product.active.is_(True))
                                       .order_by(Product.code).limit(10)).all() if p else []
        if not products:
            return [Text(T["not_found"])]
        return [CardList([product_card(ctx, pr) for pr in products], total=len(products), alt_text=p.name or p.code)]
    query = slots.get("national_id") or slots.get("phone") or slots.get("query") or ""
    if not query:
        return [Text(T["ask_query"])]
    hits = search(ctx, str(query))
    if slots.get("national_id") or slots.get("phone"):  # who holds this ID / phone: a personal-data query
        by = "national_id" if slots.get("national_id") else "phone"
        access.log(ctx, "search", f"producers.{by}", [h.id for h in hits],
                   common.area_from_slots(ctx, {}) if not hits else hits[0].district_code)
    if not hits:
        return [Text(T["none"].format(q=query))]
    if len(hits) == 1:
        return open_record(ctx, hits[0].kind, hits[0].id)
    return [Text(T["found"].format(n=len(hits), q=query)),
            CardList([hit_card(h) for h in hits[:10]], total=len(hits), alt_text=T["found"].format(n=len(hits), q=query))]


def open_record(ctx: Ctx, kind: str, record_id: int) -> list[Reply]:
    """One record's card (with more actions as quick replies), within the officer's area."""
    model = {"producers": Producer, "products": Product, "chuanchim": ChuanchimShop}[kind]
    record = ctx.session.get(model, record_id)
    if record is None:
        return [Text(T["not_found"])]
    if not common.in_scope(ctx, record):
        return [Text(common.refuse_area(ctx))]
    if isinstance(record, Producer):
        access.log_record(ctx, "producer", record)  # the card shows national ID (masked) and phone
        return [producer_card(ctx, record), Text(T["more_actions"].format(name=record.name or record.code),
                                                  quick=producer_quick(record))]
    if isinstance(record, Product):
        return [product_card(ctx, record), Text(T["more_actions"].format(name=record.name or record.code),
                                                 quick=product_quick(record))]
    access.log_record(ctx, "chuanchim", record)  # the card shows the owner's phone
    return [shop_card(ctx, record)]


@handler("officer.producer_card", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
         example_slots={"producer_id": "$producer"}, replace=True)
def show_producer(ctx: Ctx, slots: dict) -> list[Reply]:
    """One producer's card with the officer's actions."""
    rid = common.int_slot(slots, "producer_id")
    return open_record(ctx, "producers", rid) if rid else [Text(T["not_found"])]


@handler("officer.product_card", roles=OFFICERS, area=NO_AREA, example_slots={"product_id": "1"})
def show_product(ctx: Ctx, slots: dict) -> list[Reply]:
    """One product's card with the officer's actions (area checked on the product)."""
    rid = common.int_slot(slots, "product_id")
    return open_record(ctx, "products", rid) if rid else [Text(T["not_found"])]


@handler("officer.shop_card", roles=OFFICERS, area=NO_AREA, example_slots={"shop_id": "1"})
def show_shop(ctx: Ctx, slots: dict) -> list[Reply]:
    """One ชวนชิม shop's card (area checked on the shop)."""
    rid = common.int_slot(slots, "shop_id")
    return open_record(ctx, "chuanchim", rid) if rid else [Text(T["not_found"])]


@handler("officer.issue_link_code", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
         example_slots={"producer_id": "$producer"}, replace=True)
def issue_code(ctx: Ctx, slots: dict) -> list[Reply]:
    """A one-time code the producer types in chat to link their LINE account."""
    p, replies = resolve(ctx, Producer, common.int_slot(slots, "producer_id"), slots.get("query"),
                         "officer.issue_link_code")
    if replies:
        return replies
    if p is None:
        return [Text(T["pick_producer"])]
    assert isinstance(p, Producer)
    return start(ctx, CODE_FLOW, context={"producer_id": p.id, "name": p.name or p.code})


def _issue(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    """Confirmed: the one-time code, for a producer still in the officer's area."""
    p = ctx.session.get(Producer, values["producer_id"])
    if p is None or not common.in_scope(ctx, p):
        return [Text(common.refuse_area(ctx))]
    invite = codes.issue(ctx.session, role=Role.PRODUCER, producer=p, created_by=ctx.user_id, now=ctx.now)
    return [Text(T["code_issued"].format(name=values["name"], code=codes.format_code(invite.code),
                                         days=codes.PRODUCER_TTL.days))]


CODE_FLOW = register_flow(Flow(
    name="officer.issue_link_code", title_th=T["code_title"], slots=[], on_done=_issue, roles=OFFICERS,
    confirm_th=lambda values: T["code_confirm"].format(name=values["name"], days=codes.PRODUCER_TTL.days)))
