"""Closure, case 1 (producer.request_closure): the producer fills the cancellation form
(reason, effective date), confirms, and the request is filed with
`registry.workflows.submit_closure`; the district's officers are told at once. Where it stands
afterwards: producer.request_status / request.view.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from handlers import dates
from handlers.context import Ctx
from handlers.engine import STOP, Flow, Invalid, Slot, Valid, register_flow, start
from handlers.producer import common
from handlers.producer.requests import filed, open_request_guard
from handlers.producer.texts import CLOSURE as T
from handlers.registry import PRODUCERS, handler
from handlers.replies import Choice, Reply, postback
from registry import ids
from registry import workflows as wf

WINDOW = timedelta(days=365)  # the effective date lies within a year of today, either side


def check_reason(value: str, ctx: Ctx) -> Valid | Invalid:
    text = " ".join(value.split())
    return Valid(text[:500]) if len(text) >= 3 else Invalid(T["bad_reason"])


def check_date(value: str, ctx: Ctx) -> Valid | Invalid:
    """15/3/2567, 2024-03-15, วันนี้, "15 มี.ค. 67" (via the NLU), within a year of today."""
    found = common.read_date(ctx, value)
    if found is None:
        return Invalid(dates.refused(value, T["bad_date"].format(example=dates.example(ctx.today))))
    if abs(found - ctx.today) > WINDOW:
        return Invalid(T["date_range"])
    return Valid(found.isoformat())


def guard(ctx: Ctx) -> list[Reply] | None:
    return common.editable_guard(ctx) or open_request_guard(ctx)


def confirm_text(v: dict[str, Any]) -> str:
    return T["confirm"].format(reason=v["reason"], date=ids.format_date_th(date.fromisoformat(v["effective_on"])))


def submit(ctx: Ctx, v: dict[str, Any]) -> list[Reply]:
    """File the request (confirmed) and tell the district's officers."""
    producer = common.my_producer(ctx)
    if producer is None:
        return common.refuse_other()
    try:
        outcome = wf.submit_closure(ctx.session, common.actor(ctx), producer.id, v["reason"],
                                    date.fromisoformat(v["effective_on"]), now=ctx.now)
    except wf.WorkflowError as exc:
        return open_request_guard(ctx) or common.error_reply(exc)
    return filed(ctx, outcome, T["done"])


CLOSURE = register_flow(Flow(
    name="producer.request_closure", roles=PRODUCERS, before_start=guard,
    slots=[Slot("reason", T["ask_reason"], validate=check_reason, example="อายุมากแล้ว ไม่มีผู้สืบทอด", label="เหตุผล",
                # moving, not closing? one tap away
                choices=lambda ctx: [Choice(T["btn_relocate"], postback=postback("producer.request_relocation"))]),
           Slot("effective_on", lambda ctx, v: T["ask_date"].format(example=dates.example(ctx.today)),
                validate=check_date, kind="date", example=lambda ctx, v: dates.example(ctx.today), label="มีผลตั้งแต่",
                choices=lambda ctx: [common.answer(T["today"], T["today"])])],
    fills={"reason": "reason", "date": "effective_on"}, title_th="แจ้งเลิกกิจการ",
    on_done=submit, confirm_th=confirm_text, texts={"cancelled": T["cancelled"], "no": STOP},
))


@handler("producer.request_closure", roles=PRODUCERS, example_slots={"reason": "อายุมากแล้ว"})
def request_closure(ctx: Ctx, slots: dict) -> list[Reply]:
    """Ask to close the registration (form, confirmation, request to the district)."""
    return start(ctx, CLOSURE, slots)
