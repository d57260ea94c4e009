"""What is still incomplete in an area: counts per field (★ first) for producers, products and
ชวนชิม from `registry.completeness`, the area's ★ completeness rate and its change since the
latest earlier snapshot, then one tap to the records behind a number or to remind producers."""

from __future__ import annotations

from handlers import access
from handlers.context import Ctx
from handlers.officer import common, links
from handlers.registry import AREA_FROM_SLOTS, OFFICERS, handler
from handlers.replies import Card, CardList, Choice, Reply, Text, postback
from handlers.record_texts import issue_lines
from registry import completeness, targets
from registry.completeness import AreaCompleteness, FieldCount
from registry.labels_th import DATASET_LABELS

T = {
    "title": "ความครบถ้วนของข้อมูล {area}",
    "title_field": "{label} · {area}",
    "rate": "ข้อมูลสำคัญ ★ ครบ {rate} ({complete} จาก {total} รายการ)",
    "all_rate": "ทุกช่อง รวมรูปภาพและมาตรฐาน ครบ {rate}",
    "field_rate": "ครบ {rate} ({complete} จาก {total} รายการ)",
    "change": "เทียบกับสิ้นเดือน {month}: {before} ({sign}{delta} จุด)",
    "no_snapshot": "ยังไม่มีข้อมูลสรุปของเดือนก่อน จึงยังเทียบการเปลี่ยนแปลงไม่ได้ค่ะ",
    "no_snapshot_sub": "ข้อมูลสรุปรายเดือนเก็บถึงระดับอำเภอ จึงยังเทียบระดับตำบลไม่ได้ค่ะ",
    "dataset": "{label}: {total} รายการ",
    "line": "{star}{label}: {parts}",
    "missing": "ขาด {n}",
    "invalid": "ไม่ถูกต้อง {n}",
    "all_complete": "ข้อมูลครบทุกช่องแล้วค่ะ 🎉",
    "no_records": "ยังไม่มีข้อมูลผู้ผลิต ผลิตภัณฑ์ หรือร้าน OTOP ชวนชิมของ{area}ในทะเบียนค่ะ",
    "no_records_dataset": "ยังไม่มีข้อมูลชุดนี้ในพื้นที่ค่ะ",
    "card_lines": "ขาด {missing} · ไม่ถูกต้อง {invalid}",
    "card_of": "จาก {total} รายการ (ครบ {rate})",
    "list": "ดูรายการ",
    "remind": "เตือนผู้ผลิต",
    "cards_alt": "ช่องที่ยังไม่ครบ {area}",
    "list_title": "{label} · {area}: {total} รายการ (ขาดมากที่สุดก่อน)",
    "list_all": "รายการที่ข้อมูลยังไม่ครบ",
    "list_empty": "ไม่มีรายการที่ขาดข้อมูลนี้แล้วค่ะ",
    "open": "เปิดดู",
    "code": "รหัส {code}",
    "ambiguous": "ชื่อ \"{name}\" ตรงกับหลายแห่ง หมายถึงที่ไหนคะ เลือกได้เลยค่ะ",
    "star": "★ ",
}
RECORD_INTENT = {"producers": ("officer.producer_card", "producer_id"),
                 "products": ("officer.product_card", "product_id"),
                 "chuanchim": ("officer.shop_card", "shop_id")}
REMINDABLE = {"producers", "products"}
PERSONAL_LISTS = {"producers"}  # lists of people (names, and which personal fields they lack): logged


def _field_key(slots: dict) -> str | None:
    key = slots.get("field")
    return key if key in completeness.RULE_BY_KEY else None


def _dataset(slots: dict) -> str | None:
    ds = slots.get("dataset")
    return ds if ds in completeness.SPECS else None


def _rate_pair(counts: AreaCompleteness, field: str | None) -> tuple[float, int, int]:
    """(rate, complete, total): of one field when asked about one, else the ★ record rate."""
    if field:
        f = counts.field(field)
        return f.rate, f.total - f.incomplete, f.total
    starred = [d for name, d in counts.datasets.items() if name in ("producers", "products")]
    total = sum(d.total for d in starred)
    return counts.starred_rate, total - sum(d.starred_incomplete for d in starred), total


def _change_line(ctx: Ctx, area: str | None, field: str | None, now_rate: float) -> str:
    """Change since the latest snapshot of an earlier month, said plainly when there is none."""
    if area and len(area) == 6:
        return T["no_snapshot_sub"]
    before = completeness.previous_snapshot(ctx.session, ctx.today, area)
    if before is None:
        return T["no_snapshot"]
    rate, _, total = _rate_pair(before, field)
    if total == 0:
        return T["no_snapshot"]
    month = completeness.previous_month(ctx.session, ctx.today)
    if month is None:  # the snapshot was deleted between the two reads (a separate statement)
        return T["no_snapshot"]
    delta = (now_rate - rate) * 100
    return T["change"].format(month=f"{month.month}/{month.year + 543}", before=common.pct(rate),
                              sign="+" if delta >= 0 else "", delta=f"{delta:.1f}")


def _parts(f: FieldCount) -> str:
    parts = [T["missing"].format(n=common.num(f.missing))] if f.missing else []
    if f.invalid:
        parts.append(T["invalid"].format(n=common.num(f.invalid)))
    return " · ".join(parts)


def summary_text(counts: AreaCompleteness, area: str | None, field: str | None, change: str) -> str:
    """The answer first: the rate, its change, then each incomplete field with its counts."""
    label = common.area_label(area)
    rate, complete, total = _rate_pair(counts, field)
    head = (T["title_field"].format(label=counts.field(field).label_th, area=label) if field
            else T["title"].format(area=label))
    key = "field_rate" if field else "rate"
    lines = [head, T[key].format(rate=common.pct(rate), complete=common.num(complete), total=common.num(total))]
    if not field:  # the ★ rate alone hides the real gaps (photos, standards)
        lines.append(T["all_rate"].format(rate=common.pct(targets.all_fields_rate(counts))))
    lines.append(change)
    for ds, dcount in counts.datasets.items():
        fields = [f for f in counts.fields if f.dataset == ds and f.incomplete]
        lines.append("")
        lines.append(T["dataset"].format(label=DATASET_LABELS[ds], total=common.num(dcount.total)))
        lines += [T["line"].format(star=T["star"] if f.starred else "", label=f.label_th, parts=_parts(f))
                  for f in fields]
        if not dcount.total:
            lines.append(T["no_records_dataset"])
        elif not fields:
            lines.append(T["all_complete"])
    return "\n".join(lines)


def field_cards(counts: AreaCompleteness, area: str | None) -> list[Card]:
    """One card per incomplete field (★ first): list the records, remind the producers."""
    cards = []
    order = completeness.DATASETS
    for f in sorted(counts.fields, key=lambda f: (not f.starred, order.index(f.dataset))):  # ★ first, stable
        if not f.incomplete:
            continue
        buttons = [Choice(T["list"], postback=postback("officer.list_records", field=f.key, **common.area_slots(area)))]
        if f.dataset in REMINDABLE:
            buttons.append(Choice(T["remind"], postback=postback("officer.remind_area", field=f.key,
                                                                  **common.area_slots(area))))
        cards.append(Card(title=(T["star"] if f.starred else "") + f.label_th,
                          lines=[T["card_lines"].format(missing=common.num(f.missing), invalid=common.num(f.invalid)),
                                 T["card_of"].format(total=common.num(f.total), rate=common.pct(f.rate))],
                          buttons=buttons))
    return cards


def _short_area(code: str) -> str:
    """A quick-reply label for an area: "อ.หางดง", "ต.หางดง อ.ฮอด" (a sub-district with its
    district, so two of one name differ)."""
    words = common.area_label(code).replace("อำเภอ", "อ.").replace("ตำบล", "ต.").replace("จังหวัด", "จ.").split(" ")
    label = " ".join(words[:2]) if len(code) == 6 else words[0]
    return label if len(label.encode("utf-16-le")) // 2 <= 20 else words[0][:20]


def _ambiguous(slots: dict) -> list[Reply] | None:
    """The place named matches several areas: ask which (the NLU gives the candidates)."""
    candidates = [c for c in (slots.get("place_candidates") or []) if isinstance(c, str)]
    key = {"province": "province_code", "district": "district_code",
           "subdistrict": "subdistrict_code"}.get(slots.get("place_level") or "")
    if not candidates or (key and slots.get(key)):
        return None
    level_key = {2: "province_code", 4: "district_code", 6: "subdistrict_code"}
    quick = [Choice(_short_area(c), postback=postback(
        "officer.incomplete", **{level_key[len(c)]: c}, field=_field_key(slots), dataset=_dataset(slots)))
        for c in candidates[:13] if len(c) in level_key]
    name = str(slots.get("place_text") or "").strip()
    return [Text(T["ambiguous"].format(name=name), quick=quick)] if quick else None


@handler("officer.incomplete", roles=OFFICERS, area=AREA_FROM_SLOTS,
         example_slots={"district_code": "$district"})
def incomplete(ctx: Ctx, slots: dict) -> list[Reply]:
    """What is missing or invalid in an area (one dataset or one field), ★ first, with the rate."""
    if asked := _ambiguous(slots):
        return asked
    area = common.area_from_slots(ctx, slots)
    field, dataset = _field_key(slots), _dataset(slots)
    counts = completeness.area_counts(ctx.session, area, dataset if not field else None, field)
    if not any(d.total for d in counts.datasets.values()):
        wider = (area[:2] if len(area) == 4 else area[:4]) if area and len(area) > 2 else None
        quick = [Choice(common.offer_label(wider),
                        postback=postback("officer.incomplete", **common.area_slots(wider)))] if area else []
        return [Text(T["no_records"].format(area=common.area_label(area)), quick=quick)]
    rate, _, _ = _rate_pair(counts, field)
    replies: list[Reply] = [Text(summary_text(counts, area, field, _change_line(ctx, area, field, rate)))]
    cards = field_cards(counts, area)
    if cards:
        replies.append(CardList(cards[:10], total=len(cards), alt_text=T["cards_alt"].format(area=common.area_label(area)),
                                web=links.console(ctx, "area", area=links.area_arg(area))))
    return replies


def record_card(item: completeness.MissingRecord) -> Card:
    """A record behind a number: its code, the fields it lacks (★ first), tap to open it."""
    intent, key = RECORD_INTENT[item.dataset]
    return Card(title=item.name or item.code,
                lines=[f"{DATASET_LABELS[item.dataset]} · " + T["code"].format(code=item.code),
                       *issue_lines(item.issues)],
                buttons=[Choice(T["open"], postback=postback(intent, **{key: item.record_id}))])


@handler("officer.list_records", roles=OFFICERS, area=AREA_FROM_SLOTS,
         example_slots={"district_code": "$district", "field": "producers.national_id"})
def list_records(ctx: Ctx, slots: dict) -> list[Reply]:
    """The records behind a count: most-incomplete first, 10 per page, each tappable."""
    area = common.area_from_slots(ctx, slots)
    field, dataset = _field_key(slots), _dataset(slots)
    page = max(common.int_slot(slots, "page") or 1, 1)
    result = completeness.records_missing(ctx.session, field, area, page=page, page_size=10,
                                          dataset=None if field else dataset)
    if result.total == 0:
        return [Text(T["list_empty"])]
    more = None
    if page * 10 < result.total:
        more = postback("officer.list_records", field=field, dataset=None if field else dataset, page=page + 1,
                        **common.area_slots(area))
    if result.items and result.items[0].dataset in PERSONAL_LISTS:  # producers listed by what they lack
        access.log(ctx, "list", field or (dataset or "records"), [i.record_id for i in result.items], area)
    label = completeness.RULE_BY_KEY[field].label_th if field else T["list_all"]
    title = T["list_title"].format(label=label, area=common.area_label(area), total=common.num(result.total))
    web = links.console(ctx, "records", area=links.area_arg(area), field=field, dataset=None if field else dataset)
    return [Text(title), CardList([record_card(i) for i in result.items], page=page, total=result.total,
                                  more_postback=more, alt_text=title, web=web)]
