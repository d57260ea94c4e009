"""Reminders in chat: opt-out / opt-in (`หยุดแจ้งเตือน` / `รับแจ้งเตือน`, producers and
officers alike) and an officer's reminder to the producers of an area (confirmed first, with
the number of producers who will receive it). `push_for` turns a registry reminder Plan into
the Push the outbox writer takes (used here and by `python -m bot remind`)."""

from __future__ import annotations

import re
from typing import Any

from handlers.context import Ctx
from handlers.engine import Flow, Slot, register_flow, start
from handlers.registry import AREA_FROM_SLOTS, LINKED, OFFICERS, handler
from handlers.replies import Choice, Push, Reply, Text, postback
from registry.completeness import RULE_BY_KEY
from registry.quiet_hours import is_quiet
from registry.reminders import TEXTS, Plan, ReminderConfig, area_name, area_plan, area_recipients, log_plan
from registry.reminders.base import existing_keys

# The NLU sends "หยุดแจ้งเตือน" from an officer to officer.remind_area (its reminder words
# match first) and reads "รับแจ้งเตือน" as stop: these exact phrases settle it here.
STOP_WORDS = re.compile(r"(?:หยุด|ไม่ต้อง|ไม่รับ|ไม่เอา|(?<!เ)ปิด|เลิก)\s*(?:ส่ง)?(?:การ)?(?:แจ้ง)?เตือน|^stop")
RESUME_WORDS = re.compile(r"^(?:ขอ|กลับมา)?\s*(?:รับ|เปิด)\s*(?:การ)?(?:แจ้ง)?เตือน|กลับมา(?:แจ้ง)?เตือน|^resume")
COUNTRY = "TH"  # the flow's value for "the whole country" (a central officer)
NO_FIELD = "all"


def opt_choice(ctx: Ctx) -> str | None:
    """"stop" / "resume" when the typed text is an opt-out / opt-in phrase, else None."""
    if ctx.incoming.kind != "text" or not ctx.incoming.text:
        return None
    text = ctx.incoming.text.strip().lower()
    if STOP_WORDS.search(text):
        return "stop"
    if RESUME_WORDS.search(text):
        return "resume"
    return None


def push_for(plan: Plan) -> Push:
    """The Push of a plan: its text with the plan's buttons and a "หยุดแจ้งเตือน" quick reply."""
    quick = [Choice(b.label, postback=postback(b.intent, **dict(b.slots))) for b in plan.buttons]
    quick.append(Choice(TEXTS["btn_stop"], postback=postback("producer.stop_reminders")))
    return Push(plan.user_ids, (Text(plan.text, quick=quick),), purpose=plan.purpose, dedupe_key=plan.key)


def _set_opt_out(ctx: Ctx, out: bool) -> list[Reply]:
    """Already so: say it, with the opposite one tap away (a request read the wrong way round is
    easily put right); else confirm first (`OPT_FLOWS`)."""
    if ctx.account.reminders_opt_out == out:
        opposite = (Choice(TEXTS["btn_resume"], postback=postback("producer.resume_reminders")) if out
                    else Choice(TEXTS["btn_stop"], postback=postback("producer.stop_reminders")))
        return [Text(TEXTS["already_stopped"] if out else TEXTS["already_on"], quick=[opposite])]
    return start(ctx, OPT_FLOWS[out])


def _opt_done(ctx: Ctx, out: bool) -> list[Reply]:
    """Confirmed: store the choice."""
    ctx.account.reminders_opt_out = out
    ctx.session.flush()
    if out:
        return [Text(TEXTS["stopped"], quick=[Choice(TEXTS["btn_resume"], postback=postback("producer.resume_reminders"))])]
    return [Text(TEXTS["resumed"])]


def _opt_flow(out: bool) -> Flow:
    """The confirmation of stopping (`out`) or resuming reminders: nothing to ask."""
    key = "stop" if out else "resume"
    return register_flow(Flow(name=f"account.reminders_{'off' if out else 'on'}", title_th=TEXTS[f"{key}_title"],
                              slots=[], roles=LINKED, on_done=lambda ctx, v: _opt_done(ctx, out),
                              confirm_th=lambda v: TEXTS[f"{key}_confirm"]))


OPT_FLOWS = {out: _opt_flow(out) for out in (True, False)}


@handler("producer.stop_reminders", roles=LINKED)
def stop_reminders(ctx: Ctx, slots: dict) -> list[Reply]:  # type: ignore[type-arg]
    """Stop nudges, digests and alerts to this account (หยุดแจ้งเตือน)."""
    return _set_opt_out(ctx, opt_choice(ctx) != "resume")


@handler("producer.resume_reminders", roles=LINKED)
def resume_reminders(ctx: Ctx, slots: dict) -> list[Reply]:  # type: ignore[type-arg]
    """Receive reminders again (รับแจ้งเตือน)."""
    return _set_opt_out(ctx, opt_choice(ctx) == "stop")


# ---------------------------------------------------------------- officer.remind_area


def _area_of(ctx: Ctx, slots: dict[str, Any]) -> str | None:
    """The most specific area in the slots, else the officer's own area ("" = country)."""
    for key in ("subdistrict_code", "district_code", "province_code"):
        if slots.get(key):
            return str(slots[key])
    return ctx.scope.home_area


def _field_of(slots: dict[str, Any]) -> str | None:
    field = slots.get("field")
    return field if field in RULE_BY_KEY and RULE_BY_KEY[field].dataset != "chuanchim" else None


def _field_note(field: str | None, key: str) -> str:
    return TEXTS[key].format(field=RULE_BY_KEY[field].label_th) if field else ""


def _confirm(values: dict[str, Any]) -> str:
    area = None if values["area"] == COUNTRY else values["area"]
    field = None if values["field"] == NO_FIELD else values["field"]
    return TEXTS["remind_confirm"].format(area=area_name(area), n=values["count"],
                                          field=_field_note(field, "remind_confirm_field"))


def _send(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    """Confirmed: look the recipients up again (things may have changed) and queue one
    multicast, logged per producer account (it counts against their monthly cap)."""
    area = None if values["area"] == COUNTRY else values["area"]
    field = None if values["field"] == NO_FIELD else values["field"]
    if not ctx.scope.allows_area(area or ""):
        return [Text(TEXTS["remind_cancelled"])]
    ids = area_recipients(ctx.session, area, field, ctx.now, ReminderConfig.from_env())
    if not ids:
        return [Text(TEXTS["remind_nobody"].format(area=area_name(area), field=_field_note(field, "remind_confirm_field")))]
    plan = area_plan(area, field, ids, ctx.now)
    if existing_keys(ctx.session, [plan.key]):
        return [Text(TEXTS["remind_already"])]
    log_plan(ctx.session, plan, ctx.now)
    ctx.pushes.append(push_for(plan))
    later = TEXTS["remind_later"] if is_quiet(ctx.now) else ""
    return [Text(TEXTS["remind_sent"].format(n=len(ids), later=later))]


REMIND_AREA = register_flow(Flow(
    name="officer.remind_area", title_th="ส่งแจ้งเตือนผู้ผลิต",
    slots=[],  # nothing to ask: the area, field and count travel as the context payload
    on_done=_send,
    confirm_th=_confirm,
    roles=OFFICERS,
    texts={"cancelled": TEXTS["remind_cancelled"]},
))


@handler("officer.remind_area", roles=OFFICERS, area=AREA_FROM_SLOTS, example_slots={"district_code": "$district"})
def remind_area(ctx: Ctx, slots: dict) -> list[Reply]:  # type: ignore[type-arg]
    """Send a reminder to the producers of an area (optionally those missing one field)."""
    choice = opt_choice(ctx)
    if choice is not None:
        return _set_opt_out(ctx, choice == "stop")
    area, field = _area_of(ctx, slots), _field_of(slots)
    if area is None or not ctx.scope.allows_area(area):
        return [Text(TEXTS["remind_cancelled"])]
    ids = area_recipients(ctx.session, area or None, field, ctx.now, ReminderConfig.from_env())
    if not ids:
        return [Text(TEXTS["remind_nobody"].format(area=area_name(area), field=_field_note(field, "remind_confirm_field")))]
    if existing_keys(ctx.session, [area_plan(area or None, field, ids, ctx.now).key]):
        return [Text(TEXTS["remind_already"])]
    return start(ctx, REMIND_AREA, context={"area": area or COUNTRY, "field": field or NO_FIELD, "count": len(ids)})
