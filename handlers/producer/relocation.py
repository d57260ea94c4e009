"""Relocation (producer.request_relocation): the new province and district (resolved against
the gazetteer, close names asked back with buttons), optionally the sub-district and a reason,
a confirmation, then `registry.workflows.submit_relocation`; the old district's officers are
told. The officer side cancels the old registration and registers the new one (the domain
copies the data and links the two registrations).
"""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.engine import STOP, Flow, Invalid, Slot, Valid, register_flow, start
from handlers.producer import common
from handlers.producer.address import CODE_PREFIX, candidate_choices, example, from_code, place_name
from handlers.producer.requests import filed, open_request_guard
from handlers.producer.texts import COMMON, RELOCATION as T
from handlers.registry import PRODUCERS, handler
from handlers.replies import Choice, Reply, postback
from registry import gazetteer
from registry import workflows as wf
from registry.located import locate


def _code(value: Any) -> str | None:
    text = str(value or "")
    return text[len(CODE_PREFIX):] if text.startswith(CODE_PREFIX) else None


def located(text: str, ctx: Ctx) -> dict[str, Any]:
    """The province, district and sub-district of a shared location (`registry.located`:
    the most specific place its address names); typed text is left to the NLU."""
    found = locate(text) if ctx.incoming.kind == "location" else None
    if found is None:
        return {}
    levels = (("province", "province"), ("district", "district"), ("subdistrict", "subdistrict"))
    return {slot: CODE_PREFIX + code for slot, level in levels if (code := found.code(level))}


def check_province(value: str, ctx: Ctx) -> Valid | Invalid:
    picked = from_code(value, 2)
    if picked is None and ctx.incoming.kind == "location":  # its address named no known place
        return Invalid(T["location_unknown"])
    if picked is None:
        res = gazetteer.resolve_province(value)
        if res.ambiguous:
            return Invalid(T["ambiguous"], choices=candidate_choices(res.candidates))
        picked = res.place
    if picked is None:
        code = common.parse_slots(ctx, value, "province").get("province_code")
        picked = gazetteer.by_code(code) if code else None
    return Valid(CODE_PREFIX + picked.code) if picked else Invalid(T["bad_province"])


def province_choices(ctx: Ctx) -> list[Choice]:
    producer = common.my_producer(ctx)
    if producer is None:
        return []
    return [common.answer(T["btn_same_province"].format(name=place_name(producer.province_code)),
                          CODE_PREFIX + producer.province_code)]


def _is_province_name(value: str) -> bool:
    res = gazetteer.resolve_province(value)
    return bool(res.candidates) and res.candidates[0].score == 100


def check_district(value: str, ctx: Ctx) -> Valid | Invalid:
    """A district of the chosen province, other than the producer's own."""
    producer = common.my_producer(ctx)
    picked = from_code(value, 4)
    province = _code(common.flow_values(ctx).get("province")) or (picked.province_code if picked else None)
    if picked is None:
        res = gazetteer.resolve_district(value, province)
        if res.ambiguous:
            return Invalid(T["ambiguous"], choices=candidate_choices(res.candidates))
        picked = res.place
        if picked is not None and res.candidates[0].score < 100 and _is_province_name(value):
            picked = None  # "เชียงใหม่" typed here is a province, not a near miss of เชียงม่วน
    if picked is None or (province and picked.province_code != province):
        return Invalid(T["bad_district"].format(province=place_name(province)))
    if producer is not None and picked.code == producer.district_code:
        return Invalid(T["same_district"], choices=[
            Choice(T["btn_address"], postback=postback("producer.update_address")),
            Choice(COMMON["btn_menu"], postback=postback("menu"))])
    return Valid(CODE_PREFIX + picked.code)


def ask_district(ctx: Ctx, v: dict[str, Any]) -> str:
    province = _code(v.get("province"))
    places = gazetteer.districts(province) if province else ()
    return T["ask_district"].format(province=place_name(province),
                                    example=example(T["example"], places, v.get("old_district")))


def ask_subdistrict(ctx: Ctx, v: dict[str, Any]) -> str:
    district = _code(v.get("district"))
    places = gazetteer.subdistricts(district) if district else ()
    return T["ask_subdistrict"].format(district=place_name(district), example=example(T["example"], places))


def check_subdistrict(value: str, ctx: Ctx) -> Valid | Invalid:
    picked = from_code(value, 6)
    district = _code(common.flow_values(ctx).get("district")) or (picked.district_code if picked else None)
    if picked is None:
        res = gazetteer.resolve_subdistrict(value, district)
        if res.ambiguous:
            return Invalid(T["ambiguous"], choices=candidate_choices(res.candidates))
        picked = res.place
    if picked is None or picked.district_code != district:
        return Invalid(T["bad_subdistrict"].format(district=place_name(district)))
    return Valid(CODE_PREFIX + picked.code)


def check_reason(value: str, ctx: Ctx) -> Valid | Invalid:
    return Valid(" ".join(value.split())[:500])


def guard(ctx: Ctx) -> list[Reply] | None:
    return common.editable_guard(ctx) or open_request_guard(ctx)


def target_text(v: dict[str, Any]) -> str:
    sub = _code(v.get("subdistrict"))
    return T["target"].format(sub=f"ต.{place_name(sub)} " if sub else "", district=place_name(_code(v["district"])),
                              province=place_name(_code(v["province"])))


def confirm_text(v: dict[str, Any]) -> str:
    return T["confirm"].format(old_district=place_name(v["old_district"]), old_province=place_name(v["old_province"]),
                               target=target_text(v), reason=v.get("reason") or T["none"])


def submit(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    """File the relocation (confirmed) and tell the old district's officers."""
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    district = _code(v["district"])
    try:
        outcome = wf.submit_relocation(ctx.session, common.actor(ctx), producer.id, district[:2], district,
                                       _code(v.get("subdistrict")), v.get("reason"), now=ctx.now)
    except wf.WorkflowError as exc:
        return open_request_guard(ctx) or common.error_reply(exc)
    return filed(ctx, outcome, T["done"])


RELOCATION = register_flow(Flow(
    name="producer.request_relocation", title_th="แจ้งย้ายกิจการ", roles=PRODUCERS, before_start=guard,
    slots=[Slot("province", T["ask_province"], validate=check_province, choices=province_choices,
                kind="place"),
           Slot("district", ask_district, validate=check_district, kind="place"),
           Slot("subdistrict", ask_subdistrict, validate=check_subdistrict, optional=True, kind="place"),
           Slot("reason", T["ask_reason"], validate=check_reason, optional=True)],
    on_done=submit, confirm_th=confirm_text, texts={"cancelled": T["cancelled"], "no": STOP}, extract=located,
))


@handler("producer.request_relocation", roles=PRODUCERS, example_slots={"district_code": "5007"})
def request_relocation(ctx: Ctx, slots: dict) -> list[Reply]:
    """Ask to move to another district or province (places the NLU read are kept)."""
    producer = common.my_producer(ctx)
    here = {"old_province": producer.province_code if producer else None,  # for the confirmation
            "old_district": producer.district_code if producer else None}
    prefill: dict[str, Any] = {"reason": slots.get("reason")}
    if slots.get("province_code"):
        prefill["province"] = CODE_PREFIX + str(slots["province_code"])
    if slots.get("district_code"):
        prefill["district"] = CODE_PREFIX + str(slots["district_code"])
        prefill.setdefault("province", CODE_PREFIX + str(slots["district_code"])[:2])
    if slots.get("subdistrict_code"):
        prefill["subdistrict"] = CODE_PREFIX + str(slots["subdistrict_code"])
    return start(ctx, RELOCATION, context=here, **prefill)
