"""The router: one event in, replies out. The order is fixed and data-driven:

1. follow / unfollow / unsupported messages;
2. global commands (ยกเลิก, เมนู, ช่วยเหลือ), typed or tapped, in any flow;
3. a live conversation (flow) gets the message;
4. postbacks route by their `i=` intent; texts go through the NLU parser;
5. the handler table (`handlers.registry`) gives the handler; who and which area is checked
   here, once, before the handler runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers import engine
from handlers.context import Ctx
from handlers.registry import REGISTRY, Handler
from handlers.replies import Choice, Reply, Text, postback
from handlers.texts import INTENT_LABELS, NOT_OFFERED, OFFERED_UNLINKED_ONLY, T
from models import Role


@dataclass(frozen=True)
class ParseContext:
    """What the NLU may know about the conversation (mirrors `nlu.Context`)."""

    role: str | None
    province_code: str | None
    district_code: str | None
    flow: str | None
    expecting: str | None
    today: Any


@dataclass(frozen=True)
class Parsed:
    """What the router needs from an NLU result (mirrors `nlu.Intent`)."""

    name: str
    slots: Mapping[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    alternatives: tuple = ()  # type: ignore[type-arg]


Parser = Callable[[str, ParseContext], Any]

GLOBAL_WORDS = {
    "ยกเลิก": "cancel", "cancel": "cancel", "หยุด": "cancel",
    "เมนู": "menu", "menu": "menu", "เมนูหลัก": "menu",
    "ช่วยเหลือ": "help", "help": "help", "วิธีใช้": "help", "?": "help",
}
GLOBAL_INTENTS = {"cancel", "menu", "help"}


def route(ctx: Ctx, parser: Parser | None) -> list[Reply]:
    """All replies to one incoming event."""
    from handlers import core  # registers the built-in handlers

    inc = ctx.incoming
    if inc.kind == "follow":
        return core.on_follow(ctx)
    if inc.kind == "unfollow":
        return core.on_unfollow(ctx)
    if inc.chat != "user":
        return [Text(T["group_chat"])] if inc.kind in ("text", "image", "other") else []
    if inc.kind == "other":
        return [Text(T["unsupported"])]

    global_name = _global_command(ctx)
    if global_name:
        return run_intent(ctx, global_name, {})

    state, notes = engine.current(ctx)
    if state is not None:
        flow = engine.FLOWS[state.flow]
        if inc.kind == "postback" and inc.postback.get("i") not in (None, "", "flow.answer"):
            engine.drop(ctx)  # a tapped menu item leaves the conversation
        elif ctx.scope.role not in flow.roles:
            engine.drop(ctx)
        else:
            return engine.feed(ctx, state, leave=lambda text: _leave_for_command(ctx, parser, state.flow, text))

    if inc.kind == "postback":
        data = dict(inc.postback)
        name = data.pop("i", "")
        return notes + run_intent(ctx, name or "menu", data)
    if inc.kind == "image":
        return notes + run_intent(ctx, "image.received", {})
    return notes + _from_text(ctx, parser)


def run_intent(ctx: Ctx, name: str, slots: Mapping[str, Any]) -> list[Reply]:
    """Check who/where once, then run the handler registered for `name`."""
    entry = REGISTRY.get(name)
    if entry is None:
        return [Text(T["not_available"])]
    refusal = refusal_for(entry, ctx, slots)
    if refusal is not None:
        return refusal
    ctx.slots = dict(slots)
    ctx.intent = name
    return list(entry.func(ctx, dict(slots)))


def refusal_for(entry: Handler, ctx: Ctx, slots: Mapping[str, Any]) -> list[Reply] | None:
    """A polite Thai refusal when the caller's role or area does not allow the handler."""
    scope = ctx.scope
    if scope.role not in entry.roles:
        if scope.role is None:
            return [Text(T["refuse_unlinked"], quick=[Choice("ผูกบัญชีผู้ผลิต", postback=postback("producer.link"))])]
        if entry.roles <= {Role.DISTRICT, Role.PROVINCE, Role.CENTRAL}:
            return [Text(T["refuse_role_officer"])]
        if entry.roles == {Role.PRODUCER}:
            return [Text(T["refuse_role_producer"])]
        return [Text(T["refuse_role"])]
    target = entry.area(slots)
    if target.empty:
        return None
    if not scope.allows(target, ctx.session):
        if scope.role is Role.PRODUCER:
            return [Text(T["refuse_producer"])]
        from handlers.officer.common import refusal

        return refusal(ctx, entry.name, slots, target.area_code if target.producer_id is None else None)
    return None


def _global_command(ctx: Ctx) -> str | None:
    inc = ctx.incoming
    if inc.kind == "postback":
        name = inc.postback.get("i")
        return name if name in GLOBAL_INTENTS else None
    if inc.kind == "text":
        return GLOBAL_WORDS.get(engine.normalized(inc.text))
    return None


def _from_text(ctx: Ctx, parser: Parser | None) -> list[Reply]:
    if parser is None:
        return run_intent(ctx, "unknown", {})
    intent = parser(ctx.incoming.text, _parse_context(ctx))
    name = getattr(intent, "name", "unknown") or "unknown"
    slots = dict(getattr(intent, "slots", {}) or {})
    if name == "unknown" or name not in REGISTRY:
        from handlers.core import menu_choices

        if slots.get("negated"):  # "ยังไม่อนุมัตินะ": nothing is done, and the user is told so
            return [Text(T["negated"])]
        if slots.get("out_of_scope"):  # chit-chat: a short friendly answer and the menu
            return [Text(T["smalltalk"], quick=menu_choices(ctx))]
        alternatives = [_alt_name(a) for a in (getattr(intent, "alternatives", ()) or ())]
        return _fallback(ctx, [a for a in alternatives if a in REGISTRY])
    ctx.parsed = intent  # type: ignore[attr-defined]
    return run_intent(ctx, name, slots)


LEAVE_CONFIDENCE = 0.9  # officer and producer commands parse at 0.91-0.95; names, ids and dates below 0.4


def _leave_for_command(ctx: Ctx, parser: Parser | None, flow: str, text: str) -> list[Reply] | None:
    """A typed message the flow could not accept that is clearly another command ("ค้นหา ผ้า"
    while a producer's name was asked, a conversation left days ago): the flow ends and the
    command is answered. None: keep asking (not a command, or the flow's own intent)."""
    if parser is None:
        return None
    intent = parser(text, _parse_context(ctx))
    name = getattr(intent, "name", "unknown") or "unknown"
    if (name == flow or name in NOT_OFFERED or name in GLOBAL_INTENTS or name not in REGISTRY
            or float(getattr(intent, "confidence", 0.0)) < LEAVE_CONFIDENCE):
        return None
    slots = dict(getattr(intent, "slots", {}) or {})
    if refusal_for(REGISTRY[name], ctx, slots) is not None:
        return None
    engine.drop(ctx)
    ctx.parsed = intent  # type: ignore[attr-defined]
    return [Text(engine.TEXTS["left"])] + run_intent(ctx, name, slots)


def _parse_context(ctx: Ctx) -> ParseContext:
    account = ctx.account
    return ParseContext(role=account.role.value if account.role else None, province_code=account.province_code,
                        district_code=account.district_code, flow=None, expecting=None, today=ctx.today)


def _alt_name(alternative: Any) -> str:
    """An alternative may be an Intent, a (name, score) pair or a name."""
    if isinstance(alternative, (tuple, list)) and alternative:
        return str(alternative[0])
    return str(getattr(alternative, "name", alternative))


def _fallback(ctx: Ctx, alternatives: list[str]) -> list[Reply]:
    from handlers.core import menu_choices

    allowed = [a for a in alternatives if a in INTENT_LABELS and refusal_for(REGISTRY[a], ctx, {}) is None
               and not (a in OFFERED_UNLINKED_ONLY and ctx.scope.linked)]
    if allowed:
        quick = [Choice(INTENT_LABELS[a], postback=postback(a)) for a in allowed[:12]]
        return [Text(T["did_you_mean"], quick=quick)]
    return [Text(T["unknown"], quick=menu_choices(ctx))]
