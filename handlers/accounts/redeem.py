"""One-time code redemption (flow "account.redeem_code"): an officer's invite sets role and
area; a producer's code links the account to that producer."""

from __future__ import annotations

from typing import Any

from handlers.accounts import codes
from handlers.accounts.link import link_account
from handlers.accounts.texts import REDEEM as T
from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.registry import ANYONE, handler
from handlers.replies import Reply, Text
from handlers.texts import ROLE_TH
from models import InviteCode, Producer, Role


def check_code(value: str, ctx: Ctx) -> Valid | Invalid:
    """Eight characters of the code alphabet (dash and spaces ignored), of a code that can be
    used now: an unknown, used or expired one is refused here (a failure counted), before the
    confirmation says what the code is for."""
    code = codes.normalize_code(value)
    if not code:
        return Invalid(T["bad_code"])
    wait = codes.throttled(ctx.session, ctx.user_id, ctx.now)
    if wait:
        return Invalid(T["throttled"].format(minutes=wait))
    if _usable(ctx, code) is None:
        codes.record_failure(ctx.session, ctx.user_id, "code", ctx.now)
        return Invalid(T["not_found"])
    return Valid(code)


def _usable(ctx: Ctx, code: str) -> tuple[InviteCode, Producer | None] | None:
    """The code's invite and, for a producer's code, its producer; None when it cannot be used."""
    invite = codes.usable(ctx.session, code, ctx.now)
    producer = ctx.session.get(Producer, invite.producer_id) if invite and invite.producer_id else None
    if invite is None or (invite.role is Role.PRODUCER and producer is None):
        return None
    return invite, producer


def confirm(values: dict[str, Any], ctx: Ctx) -> str:
    """What the code is for: the officer role and area it gives, or the producer it links."""
    from handlers.core import role_area_name

    found = _usable(ctx, values["code"])
    if found is None:  # used up since it was typed: redeem() refuses it on "ยืนยัน"
        return T["not_found"]
    invite, producer = found
    if producer is not None:
        return T["confirm_producer"].format(name=producer.name or "-", code=producer.code)
    return T["confirm_officer"].format(role=ROLE_TH[invite.role],
                                       area=role_area_name(ctx, invite.role, invite.province_code, invite.district_code))


def guard(ctx: Ctx) -> list[Reply] | None:
    wait = codes.throttled(ctx.session, ctx.user_id, ctx.now)
    return [Text(T["throttled"].format(minutes=wait))] if wait else None


def redeem(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    """Use the code once: set role and area, or link the producer."""
    from handlers.core import area_name, menu_choices

    wait = codes.throttled(ctx.session, ctx.user_id, ctx.now)
    if wait:
        return [Text(T["throttled"].format(minutes=wait))]
    found = _usable(ctx, values["code"])
    if found is None:
        codes.record_failure(ctx.session, ctx.user_id, "code", ctx.now)
        return [Text(T["not_found"])]
    invite, producer = found
    invite.used_at, invite.used_by = ctx.now, ctx.user_id
    if producer is not None:
        link_account(ctx, producer)
        return [Text(T["producer_ok"].format(name=producer.name or "-", code=producer.code), quick=menu_choices(ctx))]
    acc = ctx.account
    acc.role, acc.producer_id = invite.role, None
    acc.province_code, acc.district_code = invite.province_code, invite.district_code
    acc.linked_at = ctx.now
    return [Text(T["officer_ok"].format(role=ROLE_TH[invite.role], area=area_name(ctx)), quick=menu_choices(ctx))]


REDEEM_FLOW = register_flow(Flow(
    name="account.redeem_code", title_th="ใช้รหัสเชิญ",
    slots=[Slot("code", T["ask_code"], validate=check_code)],
    on_done=redeem,
    confirm_th=confirm,
    before_start=guard,
))


@handler("account.redeem_code", roles=ANYONE, example_slots={"code": "ABCD-EFGH"})
def redeem_code(ctx: Ctx, slots: dict) -> list[Reply]:
    """Join as an officer, or link as a producer, with a one-time code."""
    return start(ctx, REDEEM_FLOW, code=slots.get("code"))
