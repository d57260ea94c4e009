"""Producer linking by national ID + registered phone (flow "producer.link").

Asks the national ID (13 digits, check digit), then the phone; both must match exactly one
active producer. Failures are recorded and throttled (5 per 30 minutes per LINE user).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from handlers.accounts import codes
from handlers.accounts.texts import LINK as T
from handlers.context import Ctx
from handlers.engine import Flow, Invalid, Slot, Valid, register_flow, start
from handlers.registry import ANYONE, handler
from handlers.replies import Reply, Text
from models import OFFICER_ROLES, Producer, RegistrationStatus, Role
from models.pii import blind_national_id
from registry.ids import (
    format_phone, mask_national_id, national_id_check_ok, national_id_digits, normalize_phone, phone_valid,
)


def check_national_id(value: str, ctx: Ctx) -> Valid | Invalid:
    """13 digits with a correct check digit."""
    digits = national_id_digits(value)
    if digits is None:
        return Invalid(T["bad_id_length"])
    if not national_id_check_ok(digits):
        return Invalid(T["bad_id_check"])
    return Valid(digits)


def check_phone(value: str, ctx: Ctx) -> Valid | Invalid:
    """A Thai phone number, kept as digits."""
    digits = normalize_phone(value)
    return Valid(digits) if phone_valid(digits) else Invalid(T["bad_phone"])


def guard(ctx: Ctx) -> list[Reply] | None:
    """Refuse to start when linking makes no sense or the user failed too often."""
    if ctx.account.role in OFFICER_ROLES:
        return [Text(T["officer_account"])]
    if ctx.account.role is Role.PRODUCER and ctx.account.producer_id:
        return [Text(T["already_producer"])]
    wait = codes.throttled(ctx.session, ctx.user_id, ctx.now)
    return [Text(T["throttled"].format(minutes=wait))] if wait else None


def matching_producers(ctx: Ctx, national_id: str, phone: str) -> list[Producer]:
    """Active producers whose owner national ID and a registered phone both match."""
    candidates = ctx.session.scalars(
        select(Producer).where(
            Producer.national_id_hash == blind_national_id(national_id),  # stored as 13 digits (registry.values)
            Producer.status == RegistrationStatus.ACTIVE,
        )
    ).all()
    return [p for p in candidates if phone in {normalize_phone(p.phone), normalize_phone(p.owner_phone)}]


def link_account(ctx: Ctx, producer: Producer) -> None:
    """Make the caller's account this producer's (role, area, producer id)."""
    acc = ctx.account
    acc.role = Role.PRODUCER
    acc.producer_id = producer.id
    acc.province_code = producer.province_code
    acc.district_code = producer.district_code
    acc.linked_at = ctx.now


def finish(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    """Link when exactly one producer matches; otherwise count a failure."""
    wait = codes.throttled(ctx.session, ctx.user_id, ctx.now)
    if wait:
        return [Text(T["throttled"].format(minutes=wait))]
    found = matching_producers(ctx, values["national_id"], values["phone"])
    if len(found) != 1:
        codes.record_failure(ctx.session, ctx.user_id, "national_id", ctx.now)
        return [Text(T["no_match"] if not found else T["many_match"])]
    link_account(ctx, found[0])
    from handlers.core import menu_choices

    return [Text(T["linked"].format(name=found[0].name or "-", code=found[0].code), quick=menu_choices(ctx))]


LINK_FLOW = register_flow(Flow(
    name="producer.link", title_th="ผูกบัญชีผู้ผลิต",
    slots=[
        Slot("national_id", T["ask_id"], validate=check_national_id, label=T["id_label"],
             show=mask_national_id),
        Slot("phone", T["ask_phone"], validate=check_phone, label=T["phone_label"], show=format_phone,
             example="081-234-5678"),
    ],
    on_done=finish,
    before_start=guard,
    texts={"cancelled": T["cancelled"]},
))


@handler("producer.link", roles=ANYONE, example_slots={})
def producer_link(ctx: Ctx, slots: dict) -> list[Reply]:
    """Link this LINE account to a producer registration (national ID + phone)."""
    return start(ctx, LINK_FLOW, national_id=slots.get("national_id"), phone=slots.get("phone"))
