"""Address form (producer.update_address): street address, then the sub-district, resolved
against the gazetteer within the producer's district (close names are asked back with
buttons). A place in another district is a relocation, not an address change: the producer is
offered that request instead, also when a province or district is typed at the street question
("อยากย้ายไปอยู่ลำพูนค่ะ": offered with that place; their own district: the full address is
asked again). Applied at once, audited; the products' sub-district follows.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, clean_answer, register_flow, start
from handlers.producer import common
from handlers.producer.texts import ADDRESS as T, COMMON
from handlers.registry import PRODUCERS, handler
from handlers.replies import Choice, Reply, Text, postback
from registry import audit, gazetteer
from registry.located import locate

CODE_PREFIX = "code:"


def place_name(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else "-"


def example(template: str, places: tuple[gazetteer.Place, ...], avoid: str | None = None) -> str:
    """`template` filled with the name of one of `places` (not `avoid`) as an example to type,
    or with nothing when there is none: an example from the user's own area, not a fixed one."""
    name = next((p.name_th for p in places if p.code != avoid), None)
    return template.format(name=name) if name else ""


def ask_subdistrict(ctx: Ctx, values: dict[str, Any]) -> str:
    producer = common.my_producer(ctx)
    places = gazetteer.subdistricts(producer.district_code) if producer and producer.district_code else ()
    return T["ask_subdistrict"].format(example=example(T["example"], places,
                                                       producer.subdistrict_code if producer else None))


def from_code(value: str, level_len: int) -> gazetteer.Place | None:
    """A place picked from buttons ("code:500101")."""
    text = value.strip()
    if text.isdigit() and len(text) == level_len:  # the NLU's code
        return gazetteer.by_code(text)
    if text.startswith(CODE_PREFIX) and len(text) == len(CODE_PREFIX) + level_len:
        return gazetteer.by_code(text[len(CODE_PREFIX):])
    return None


def candidate_choices(candidates: list[gazetteer.Candidate]) -> list[Choice]:
    """Buttons for close matches: "ตำบล (อำเภอ)" sending the code back."""
    out = []
    for c in candidates[:12]:
        parent = gazetteer.by_code(c.place.parent_code) if c.place.parent_code else None
        label = f"{c.place.name_th} ({parent.name_th})" if parent else c.place.name_th
        out.append(common.answer(label, CODE_PREFIX + c.place.code))
    return out


SUBDISTRICT = re.compile(r"(?:ต\.|ตำบล|แขวง)\s*([^\s\d]+)")
REQUEST = re.compile(r"^(ขอ|อยาก|ต้องการ|เปลี่ยน|แก้|แจ้ง)")


def street_part(text: str) -> str:
    """The street address without the sub-district, district and province typed after it
    ("99 หมู่ 3 ต.สุเทพ อ.เมือง" -> "99 หมู่ 3"), so they are never stored twice."""
    cut = SUBDISTRICT.search(text)
    street = text[: cut.start()] if cut else text
    street = re.split(r"\s(?:อ\.|อำเภอ|จ\.|จังหวัด)", street)[0]
    return clean_answer(street).strip(" ,")


def extract(text: str, ctx: Ctx) -> dict[str, Any]:
    """The street and the sub-district of one line ("99 หมู่ 3 ต.สุเทพ"); a request typed
    with them ("ขอเปลี่ยนที่อยู่เป็น 99 หมู่ 3 ...") keeps the part from the house number on.
    A shared location gives both from its address (`registry.located`)."""
    if ctx.incoming.kind == "location":
        return located_address(text)
    out: dict[str, Any] = {}
    body = text
    if REQUEST.match(text.strip()):
        first = re.search(r"บ้านเลขที่|เลขที่|\d", text)
        if first is None:
            return {}
        body = text[first.start():]
    found = SUBDISTRICT.search(body)
    if found:
        out["subdistrict"] = clean_answer(found[1])
    street = street_part(body)
    if found and len(street) >= 3 and any(c.isdigit() for c in street):
        out["address"] = street
    return out


def located_address(text: str) -> dict[str, Any]:
    """The street and the sub-district of a shared location, where its address names them."""
    found = locate(text)
    out: dict[str, Any] = {}
    if found is not None and found.code("subdistrict"):
        out["subdistrict"] = CODE_PREFIX + found.place.code
    if found is not None and len(found.street) >= 3 and any(c.isdigit() for c in found.street):
        out["address"] = found.street
    return out


def check_street(value: str, ctx: Ctx) -> Valid | Invalid:
    if ctx.incoming.kind == "location":  # a place without a house number: ask for the number
        if locate(value) is None and len(value.strip()) >= 3 and any(c.isdigit() for c in value):
            return Valid(clean_answer(value))  # the street `extract` already read from the location
        street = located_address(value).get("address")
        return Valid(street) if street else Invalid(T["location_street"])
    text = street_part(" ".join(value.split()))
    if len(text) < 3:
        return Invalid(T["bad_address"])
    if not any(c.isdigit() for c in text):  # no house number: a place named ("อยากย้ายไปอยู่ลำพูนค่ะ")?
        named = common.parse_slots(ctx, value, "address")
        if named.get("province_code") or named.get("district_code"):
            return elsewhere(ctx, named)
    return Valid(text)


def elsewhere(ctx: Ctx, named: dict[str, Any]) -> Invalid:
    """A province or district typed instead of the address: outside the producer's district,
    a relocation is offered (to that place); inside it, the full address is asked again."""
    producer = common.my_producer(ctx)
    district, province = named.get("district_code"), named.get("province_code") or (named.get("district_code") or "")[:2]
    own = producer.district_code if producer is not None else None
    if own is None or ((district or own).startswith(own) and own.startswith(province)):
        return Invalid(T["no_house_number"])
    place = (T["district_place"].format(district=place_name(district), province=place_name(province)) if district
             else T["province_place"].format(province=place_name(province)))
    move = postback("producer.request_relocation", province_code=province, district_code=district)
    return Invalid(T["elsewhere"].format(place=place, district=place_name(own)),
                   choices=[Choice(T["btn_relocate"], postback=move), Choice(COMMON["btn_menu"], postback=postback("menu"))])


def check_subdistrict(value: str, ctx: Ctx) -> Valid | Invalid:
    """A sub-district of the producer's own district; elsewhere → offer a relocation."""
    producer = common.my_producer(ctx)
    if producer is None:
        return Invalid(COMMON["no_record"])
    district = producer.district_code
    district_name = place_name(district)
    picked = from_code(value, 6)
    value = clean_answer(re.sub(r"^(?:ต\.|ตำบล)\s*", "", value.strip()))
    if picked is None:
        res = gazetteer.resolve_subdistrict(value, district)
        if res.ambiguous:
            return Invalid(T["ambiguous"], choices=candidate_choices(res.candidates))
        picked = res.place
    if picked is None:  # "ต.สุเทพ อ.เมือง" and other forms the NLU reads
        code = common.parse_slots(ctx, value, "subdistrict").get("subdistrict_code")
        picked = gazetteer.by_code(code) if code else None
    if picked is None:
        elsewhere = gazetteer.resolve_subdistrict(value, producer.province_code).place \
            or gazetteer.resolve_subdistrict(value).place
        if elsewhere is not None and elsewhere.district_code != district:
            picked = elsewhere
    if picked is None:
        return Invalid(T["bad_subdistrict"].format(district=district_name))
    if picked.district_code != district:
        where = f"อำเภอ{place_name(picked.district_code)} จังหวัด{place_name(picked.province_code)}"
        return Invalid(T["other_district"].format(name=picked.name_th, district=where),
                       choices=[Choice(T["btn_relocate"], postback=postback("producer.request_relocation")),
                                Choice(COMMON["btn_menu"], postback=postback("menu"))])
    return Valid(picked.code)


def save_address(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    """Write street address and sub-district (audited); the products' sub-district follows."""
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    who = {"actor": ctx.user_id, "channel": common.channel(ctx)}
    audit.set_field(ctx.session, producer, "address", v["address"], **who)
    if audit.set_field(ctx.session, producer, "subdistrict_code", v["subdistrict"], **who):
        for product in producer.products:
            audit.set_field(ctx.session, product, "subdistrict_code", v["subdistrict"], **who)
    return [Text(T["saved"].format(address=v["address"], subdistrict=place_name(v["subdistrict"]),
                                   district=place_name(producer.district_code),
                                   province=place_name(producer.province_code)), quick=common.after_edit())]


ADDRESS_FLOW = register_flow(Flow(
    name="producer.update_address", roles=PRODUCERS, before_start=common.editable_guard, title_th="แก้ที่อยู่",
    slots=[Slot("address", T["ask_address"], validate=check_street, label="ที่อยู่", example="99 หมู่ 4 ถ.ห้วยแก้ว",
                kind="place"),
           Slot("subdistrict", ask_subdistrict, validate=check_subdistrict, label="ตำบล", show=place_name,
                example="สุเทพ", kind="place")],
    fills={"subdistrict_code": "subdistrict"}, extract=extract,
    on_done=save_address,
))


@handler("producer.update_address", roles=PRODUCERS, example_slots={})
def update_address(ctx: Ctx, slots: dict) -> list[Reply]:
    """Change the business address within the producer's district."""
    sub = slots.get("subdistrict_code")
    return start(ctx, ADDRESS_FLOW, subdistrict=CODE_PREFIX + sub if sub else None)
