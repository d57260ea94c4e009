"""Officer basics around accounts: list producers in the area, a producer's card, and a
one-time code for a producer to link their LINE account."""

from __future__ import annotations

import functools

from sqlalchemy import func, select

from handlers.accounts import codes
from handlers.accounts.texts import OFFICER as T
from handlers.context import Ctx
from handlers.permissions import Scope
from handlers.registry import AREA_FROM_SLOTS, OFFICERS, PRODUCER_FROM_SLOTS, handler
from handlers.replies import Card, CardList, Choice, Reply, Text, page_of, postback
from models import District, Producer, RegistrationStatus, Role
from registry.ids import mask_national_id

TYPE_TH = {"group": "กลุ่ม", "individual": "รายเดี่ยว", "sme": "SMEs"}


def producer_card(ctx: Ctx, p: Producer, buttons: bool = True) -> Card:
    """A producer as a card (national ID masked)."""
    district = ctx.session.get(District, p.district_code)
    kind = getattr(p.producer_type, "value", None)
    lines = [
        f"รหัส: {p.code}",
        f"ลักษณะ: {TYPE_TH.get(kind or '', kind or 'ยังไม่ระบุ')}",
        f"อำเภอ: {district.name_th if district else p.district_code}",
        f"เลขบัตร: {mask_national_id(p.national_id)}",
        f"โทร: {p.phone or '-'}",
    ]
    actions: list[Choice] = []
    if buttons and ctx.scope.is_officer:
        actions.append(Choice("ออกรหัสผูกบัญชี", postback=postback("officer.issue_link_code", producer_id=p.id)))
    return Card(title=p.name or p.code, lines=lines, buttons=actions)


@handler("officer.list_producers", roles=OFFICERS, area=AREA_FROM_SLOTS,
         example_slots={"district_code": "$district"})
def list_producers(ctx: Ctx, slots: dict) -> list[Reply]:
    """All active producers in an area the officer covers (their own by default), 10 per page;
    `incomplete=1` keeps those whose record or products miss a field or have an invalid one."""
    from handlers.officer.common import area_label
    from handlers.officer.records import producer_card as full_card
    from registry.completeness_records import read_issues

    page = max(int(slots.get("page") or 1), 1)
    only_incomplete = str(slots.get("incomplete") or "") in ("1", "true", "yes")
    area = slots.get("subdistrict_code") or slots.get("district_code") or slots.get("province_code")
    count_all, count_incomplete, page_rows = _listing(ctx.scope, area, only_incomplete, page)
    every = ctx.session.scalar(count_all) or 0
    total = ctx.session.scalar(count_incomplete) or 0 if count_incomplete is not None else every
    where = area_label(area or ctx.scope.home_area or None)
    area_slot = {k: v for k, v in slots.items() if k in ("subdistrict_code", "district_code", "province_code") and v}
    other = {"incomplete": "0"} if only_incomplete else {"incomplete": "1"}
    switch = [Choice(T["filter_all"] if only_incomplete else T["filter_incomplete"],
                     postback=postback("officer.list_producers", **area_slot, **other))]
    if every == 0:
        return [Text(T["no_producers"])]
    if total == 0:
        return [Text(T["no_incomplete"].format(area=where), quick=switch)]
    rows = ctx.session.execute(page_rows).all()
    more = None
    if page * 10 < total:
        more = postback("officer.list_producers", page=page + 1, **area_slot,
                        **({"incomplete": "1"} if only_incomplete else {}))
    title = (T["list_title_incomplete"].format(area=where, total=total, all=every) if only_incomplete
             else T["list_title"].format(area=where, total=total))
    return [
        Text(title, quick=switch),
        CardList([full_card(ctx, r[0], r[1], read_issues(r, "producers")) for r in rows], page=page, total=total, more_postback=more, alt_text=title),
    ]


@functools.lru_cache(maxsize=1024)
def _listing(scope: Scope, area: str | None, only_incomplete: bool, page: int):  # type: ignore[no-untyped-def]
    """`list_producers`' statements for an officer's scope, area, filter and page: the count of
    all, the count of the incomplete (None: not asked), and the page's producers with their
    product counts and completeness flags (one statement). Built once: their construction and
    SQLAlchemy's cache key of the page's statement (~30 columns of flags), made anew at each
    call, cost more than running them (7 % of the web process's CPU under load for ~10 % of
    the messages); the statements hold no data, only these values."""
    from handlers.officer.records import active_products
    from registry.completeness_records import issue_columns

    stmt = select(Producer).where(Producer.status == RegistrationStatus.ACTIVE)
    if area:
        column = {2: Producer.province_code, 4: Producer.district_code}.get(len(area), Producer.subdistrict_code)
        stmt = stmt.where(column == area)
    stmt = scope.filter(stmt, Producer)
    count_all = select(func.count()).select_from(stmt.subquery())
    count_incomplete = None
    if only_incomplete:
        stmt = stmt.where(_incomplete())
        count_incomplete = select(func.count()).select_from(stmt.subquery())
    page_rows = (stmt.add_columns(active_products(), *issue_columns("producers"))
                 .order_by(Producer.code).offset((page - 1) * 10).limit(10))
    return count_all, count_incomplete, page_rows


def _incomplete():  # type: ignore[no-untyped-def]
    """A producer whose own record, or one of its active products, misses a field or has an invalid one."""
    from sqlalchemy import and_, exists, or_

    from registry.completeness import PR, rules_for

    own = or_(*[r.issue for r in rules_for("producers")])
    product = exists(select(PR.c.id).where(and_(PR.c.producer_id == Producer.id, PR.c.active.is_(True),
                                                or_(*[r.issue for r in rules_for("products")]))))
    return or_(own, product)


@handler("officer.producer_card", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
         example_slots={"producer_id": "$producer"})
def show_producer(ctx: Ctx, slots: dict) -> list[Reply]:
    """One producer's card."""
    p = ctx.session.get(Producer, int(slots["producer_id"]))
    return [producer_card(ctx, p)] if p else [Text(T["not_found"])]


@handler("officer.issue_link_code", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
         example_slots={"producer_id": "$producer"})
def issue_code(ctx: Ctx, slots: dict) -> list[Reply]:
    """A one-time code the producer types in chat to link their LINE account."""
    if not slots.get("producer_id"):  # said in words: pick the producer from the list first
        return [Text(T["pick_producer"])] + list_producers(ctx, {})
    p = ctx.session.get(Producer, int(slots["producer_id"]))
    if p is None:
        return [Text(T["not_found"])]
    invite = codes.issue(ctx.session, role=Role.PRODUCER, producer=p, created_by=ctx.user_id, now=ctx.now)
    return [Text(T["code_issued"].format(name=p.name or p.code, code=codes.format_code(invite.code),
                                         days=codes.PRODUCER_TTL.days))]
