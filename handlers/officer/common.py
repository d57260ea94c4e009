"""Helpers shared by the officer conversations: the area asked about, the actor, dates,
numbers in Thai, workflow errors in Thai, and records looked up within the officer's scope."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from handlers.context import Ctx
from handlers.texts import T as CORE_T
from models import ChuanchimShop, Producer, Product
from registry import gazetteer, ids
from registry.workflows import ERROR_MESSAGES, Actor, WorkflowError

T = {
    "nation": "ทั่วประเทศ",
    "province": "จังหวัด{name}",
    "district": "อำเภอ{name} จังหวัด{province}",
    "subdistrict": "ตำบล{name} อำเภอ{district}",
    "bad_date": "ขอวันที่แบบ วัน/เดือน/ปี พ.ศ. เช่น 15/3/2567 หรือพิมพ์ \"วันนี้\" ค่ะ",
    "future_date": "วันที่ประชุมต้องไม่เป็นวันในอนาคตค่ะ",
    "today": "วันนี้",
    "yesterday": "เมื่อวาน",
}

AREA_KEYS = ("subdistrict_code", "district_code", "province_code")


def area_from_slots(ctx: Ctx, slots: Mapping[str, Any]) -> str | None:
    """The area asked about: the most specific code in the slots, else the officer's own
    area; None = the whole country (central admins)."""
    for key in AREA_KEYS:
        if slots.get(key):
            return str(slots[key])
    home = ctx.scope.home_area
    return home or None


def area_slots(area: str | None) -> dict[str, str]:
    """The slots that name `area` again in a postback (checked by AREA_FROM_SLOTS)."""
    if not area:
        return {}
    return {2: {"province_code": area}, 4: {"district_code": area}}.get(len(area), {"subdistrict_code": area})


def area_label(area: str | None) -> str:
    """An area's Thai name as officers say it."""
    if not area:
        return T["nation"]
    place = gazetteer.by_code(area)
    name = place.name_th if place else area
    if len(area) == 2:
        return T["province"].format(name=name)
    parent = gazetteer.by_code(area[:2] if len(area) == 4 else area[:4])
    parent_name = parent.name_th if parent else area[:4]
    if len(area) == 4:
        return T["district"].format(name=name, province=parent_name)
    return T["subdistrict"].format(name=name, district=parent_name)


def actor(ctx: Ctx) -> Actor:
    return Actor.from_account(ctx.account, channel=ctx.channel)


def error_text(err: WorkflowError) -> str:
    """The Thai message of a domain refusal."""
    return ERROR_MESSAGES.get(err.code, ERROR_MESSAGES["workflow_error"]) + "ค่ะ"


def num(n: int | None) -> str:
    return "-" if n is None else f"{n:,}"


def pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def parse_day(text: str, today: date) -> date | None:
    """A date as typed (วันนี้, 15/3/2567, 15 มี.ค. 67, ISO); None when not a date."""
    from handlers.dates import relative_date
    from handlers.engine import clean_answer
    from nlu.slots import when

    text = clean_answer(text or "")
    relative = relative_date(text, today)
    if relative is not None:
        return relative
    found = when(text, today).get("date")
    if found is not None:
        return found
    try:
        return ids.parse_date(text)
    except ValueError:
        return None


def in_scope(ctx: Ctx, record: Producer | Product | ChuanchimShop | None) -> bool:
    """The officer covers this record's area."""
    if record is None:
        return False
    return ctx.scope.allows_area(record.subdistrict_code or record.district_code)


def refuse_area(ctx: Ctx | None = None) -> str:
    """The refusal of a record outside the officer's area, naming the officer's own area."""
    home = ctx.scope.home_area if ctx is not None else None
    if home is None:
        return CORE_T["refuse_area"]
    return CORE_T["refuse_record_named"].format(home=area_label(home or None), home_short=short_label(home or None))


def short_label(area: str | None) -> str:
    """An area's name alone, with its level word (อำเภอเมืองเชียงใหม่, จังหวัดเชียงใหม่)."""
    return area_label(area).split(" ")[0]


def offer_label(area: str | None) -> str:
    """A button that opens an area: "ดูอำเภอจอมทอง", or "ดูเมืองเชียงใหม่" when the level word
    would not fit LINE's 20 characters."""
    label = CORE_T["offer_home"].format(home_short=short_label(area))
    if len(label) <= 20 or not area:
        return label
    place = gazetteer.by_code(area)
    return CORE_T["offer_home"].format(home_short=place.name_th if place else area)


def refusal(ctx: Ctx, intent: str | None, slots: Mapping[str, Any], asked: str | None) -> list[Any]:
    """An officer asked about `asked` (an area code; None: a record) outside their area: say
    which area is theirs and offer the same question about it (or its producers)."""
    from handlers.replies import Choice, Text, postback

    home = ctx.scope.home_area
    if home is None:
        return [Text(CORE_T["refuse_area"])]
    home_short = short_label(home or None)
    if asked and home and home.startswith(asked) and intent:
        # a wider area than theirs (a district officer asking for the province): answer for
        # what they may see, and say so
        from handlers.router import run_intent

        kept = {k: v for k, v in slots.items() if k not in AREA_KEYS and k not in ("place_level", "place_candidates")}
        note = Text(CORE_T["narrowed"].format(asked=area_label(asked), home=area_label(home), home_short=home_short))
        return [note, *run_intent(ctx, intent, {**kept, **area_slots(home)})]
    if asked is None or not intent:
        return [Text(refuse_area(ctx), quick=[Choice(CORE_T["offer_home_list"],
                                                    postback=postback("officer.list_producers"))])]
    kept = {k: v for k, v in slots.items() if k not in AREA_KEYS and k not in ("place_level", "place_candidates")
            and isinstance(v, (str, int))}
    again = Choice(offer_label(home or None),
                   postback=postback(intent, **kept, **area_slots(home or None)))
    return [Text(CORE_T["refuse_area_named"].format(asked=area_label(asked), home=area_label(home or None),
                                                    home_short=home_short), quick=[again])]


# A record id from a tapped card, as handed to a flow's record slot. Typed text never carries
# it: a number an officer types ("ผู้ผลิต 12345") is a registry code, not a database id.
TAPPED = "id:"


def tapped(record_id: Any) -> str | None:
    """The record-slot value for the database id of a tapped card (None when there is none)."""
    return f"{TAPPED}{record_id}" if record_id not in (None, "") else None


def tapped_id(value: str) -> int | None:
    """The database id in a value made by `tapped`, else None (typed text)."""
    rest = value.strip()[len(TAPPED):] if value.strip().startswith(TAPPED) else ""
    return int(rest) if rest.isdigit() else None


def int_slot(slots: Mapping[str, Any], key: str) -> int | None:
    try:
        return int(slots[key]) if slots.get(key) not in (None, "") else None
    except (TypeError, ValueError):
        return None
