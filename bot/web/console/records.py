"""The records behind the numbers (`registry.completeness.records_missing`: the incomplete
records of an area, one field or all, most-incomplete first, each with its gaps), and a
producer's page with its products, where the officer makes the chat's edits (bot/web/console/
edits.py). Lists of producers and a record's personal fields are access-logged (channel web),
as in chat."""

from __future__ import annotations

from flask import Response, request
from sqlalchemy import select

from bot.web import auth
from bot.web.console import base
from handlers.officer.incomplete import PERSONAL_LISTS
from handlers.officer.standards import SCHEMES
from models import Category, Producer, ProducerType, Product, Quadrant
from registry import completeness, gazetteer
from registry.ids import format_phone, mask_national_id
from registry.labels_th import CATEGORY_TH, DATASET_LABELS, PRODUCER_TYPE_TH, STATUS_TH

PAGE_SIZE = 50


def _int(name: str, default: int = 1) -> int:
    try:
        return max(int(request.args.get(name) or default), 1)
    except ValueError:
        return default


def _place(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else (code or "-")


@auth.login_required()
def listing() -> Response:
    """GET /console/records?area=&field=&dataset=&page=: the incomplete records."""
    area, refused = base.asked_area()
    if refused is not None:
        return refused
    field = request.args.get("field") or None
    field = field if field in completeness.RULE_BY_KEY else None
    dataset = request.args.get("dataset") or None
    dataset = dataset if dataset in completeness.SPECS and not field else None
    number = _int("page")
    with base.read_ctx() as ctx:
        result = completeness.records_missing(ctx.session, field, area, page=number, page_size=PAGE_SIZE,
                                              dataset=dataset)
        producer_of = {}
        product_ids = [i.record_id for i in result.items if i.dataset == "products"]
        if product_ids:
            producer_of = dict(ctx.session.execute(select(Product.id, Product.producer_id)
                                                   .where(Product.id.in_(product_ids))).all())
    people = [i.record_id for i in result.items if i.dataset in PERSONAL_LISTS]
    if people:
        base.log(field or dataset or "records", ids=people, area=area)
    sub = area if area and len(area) == 6 else None
    scope_area = area[:4] if sub else area
    return base.render("records.html", area=area, area_label=base.area_label(area), result=result,
                       field=field, dataset=dataset, rules=completeness.rules_for(), datasets=DATASET_LABELS,
                       producer_of=producer_of, place=_place, page_size=PAGE_SIZE,
                       subareas=gazetteer.subdistricts(scope_area) if scope_area and len(scope_area) == 4 else (),
                       scope_area=scope_area, pages=(result.total + PAGE_SIZE - 1) // PAGE_SIZE)


def producer_page(producer_id: int, *, status: int = 200, error: str | None = None,
                  warning: dict | None = None) -> Response:
    """The producer's page (also re-shown with an error or a warning after a refused edit)."""
    with base.web_ctx() as ctx:
        p, refused = base.record_in_area(ctx.session, Producer, producer_id, "producer")
        if refused is not None:
            return refused
        products = ctx.session.scalars(select(Product).where(Product.producer_id == p.id, Product.active.is_(True))
                                       .order_by(Product.code)).all()
        gaps = completeness.issues_for_record(ctx.session, "producers", p.id)
        product_gaps = completeness.issues_for_records(ctx.session, "products", [x.id for x in products])
        base.log("producer", action="record", ids=[p.id], area=p.subdistrict_code or p.district_code,
                 session=ctx.session)
        view = {
            "id": p.id, "code": p.code, "name": p.name, "owner": p.owner_name, "address": p.address,
            "type": PRODUCER_TYPE_TH.get(p.producer_type) if p.producer_type else None,  # type: ignore[arg-type]
            "type_value": p.producer_type.value if p.producer_type else "",
            "nid": mask_national_id(p.national_id) if p.national_id else None, "nid_valid": p.national_id_valid,
            "phone": format_phone(p.phone) if p.phone and p.phone_valid else p.phone, "phone_valid": p.phone_valid,
            "status": STATUS_TH.get(p.status, str(p.status)), "district": p.district_code,
            "place": f"{_place(p.subdistrict_code)} {_place(p.district_code)}",
        }
        items = [{"id": x.id, "code": x.code, "name": x.name,
                  "category": CATEGORY_TH.get(x.category) if x.category else None,
                  "category_value": x.category.value if x.category else "",
                  "quadrant": x.quadrant.value if x.quadrant else "",
                  "standards": [(s.scheme, s.number, s.expires_on) for s in x.standards],
                  "gaps": product_gaps.get(x.id, [])} for x in products]
    return base.render("producer.html", status=status, p=view, products=items, gaps=gaps, error=error,
                       warning=warning, types=[(t.value, PRODUCER_TYPE_TH[t]) for t in ProducerType],
                       categories=[(c.value, CATEGORY_TH[c]) for c in Category],
                       quadrants=[q.value for q in Quadrant], schemes=SCHEMES,
                       records_url=f"/console/records?area={view['district']}")


@auth.login_required()
def producer(producer_id: int) -> Response:
    """GET /console/producer/<id>."""
    return producer_page(producer_id)


@auth.login_required()
def product(product_id: int) -> Response:
    """GET /console/product/<id>: its producer's page, at the product."""
    from flask import redirect

    with base.read_ctx() as ctx:
        x = ctx.session.get(Product, product_id)
        if x is None:
            return base.not_found()
        producer_id = x.producer_id
    return redirect(f"/console/producer/{producer_id}#product-{product_id}")  # type: ignore[return-value]
