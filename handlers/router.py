"""The router: one event in, replies out. The order is fixed and data-driven:

1. follow / unfollow / unsupported messages;
2. a live conversation (flow) gets the message: the engine handles global words in any
   phrasing, side questions (answered through `side`, the form kept) and answers;
3. global words outside a flow (`nlu.commands.global_command`), typed menu labels (they mean
   what tapping them means);
4. postbacks route by their `i=` intent; texts go through the NLU parser;
5. the handler table (`handlers.registry`) gives the handler; who and which area is checked
   here, once, before the handler runs.
"""

from __future__ import annotations

import functools
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

GLOBAL_INTENTS = {"cancel", "menu", "help"}
# What a global word means outside a form ("back" has nothing to go back to: the menu).
GLOBAL_OUTSIDE = {"cancel": "cancel", "menu": "menu", "help": "help", "back": "menu", "officer": "contact_officer"}


def route(ctx: Ctx, parser: Parser | None) -> list[Reply]:
    """All replies to one incoming event."""
    from handlers import core  # registers the built-in handlers

    inc = ctx.incoming
    if inc.kind == "follow":
        return core.on_follow(ctx)
    if inc.kind == "unfollow":
        return core.on_unfollow(ctx)
    if inc.chat != "user":
        return [Text(T["group_chat"])] if inc.kind in ("text", "image", "location", "other") else []
    if inc.kind == "other":
        return [Text(T["unsupported"])]

    state, notes = engine.current(ctx)
    if state is not None:
        flow = engine.FLOWS[state.flow]
        if ctx.scope.role not in flow.roles:
            engine.drop(ctx)
        else:
            return engine.feed(ctx, state, side=lambda labels_only: _side_question(ctx, parser, flow, labels_only))

    if inc.kind == "location":  # a place shared outside a form: nothing asks for it
        return notes + [Text(T["unsupported"])]
    global_name = _global_command(ctx)
    if global_name:
        return notes + run_intent(ctx, global_name, {})
    labelled = _typed_label(ctx)
    if labelled:
        return notes + run_intent(ctx, labelled, {})

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
        word = _global_word(inc.text)
        return GLOBAL_OUTSIDE.get(word) if word else None
    return None


def _global_word(text: str) -> str | None:
    """`nlu.commands.global_command`, remembered for short messages (a function of the text
    alone; the same few words come again and again, and reading them cost ~0.1 ms each)."""
    from nlu.commands import global_command

    return _remembered_global_word(text) if len(text) <= 80 else global_command(text)


@functools.lru_cache(maxsize=4096)
def _remembered_global_word(text: str) -> str | None:
    from nlu.commands import global_command

    return global_command(text)


def _typed_label(ctx: Ctx) -> str | None:
    """A menu or button label typed by hand ("แก้ไขข้อมูลค่ะ"): the intent tapping it runs, when
    registered and allowed for the user."""
    if ctx.incoming.kind != "text":
        return None
    name = LABEL_INTENTS.get(engine.normalized(ctx.incoming.text))
    if name is None or name not in REGISTRY or refusal_for(REGISTRY[name], ctx, {}) is not None:
        return None
    return name


LABEL_INTENTS = {engine.normalized(label): name for name, label in INTENT_LABELS.items()}


def _from_text(ctx: Ctx, parser: Parser | None) -> list[Reply]:
    if parser is None:
        return run_intent(ctx, "unknown", {})
    intent = parser(ctx.incoming.text, _parse_context(ctx))
    name = getattr(intent, "name", "unknown") or "unknown"
    slots = dict(getattr(intent, "slots", {}) or {})
    if name == "unknown" or name not in REGISTRY:
        from handlers.core import menu_choices

        if slots.get("howto"):  # "ถ้าจะเลิกกิจการต้องทำยังไง": how it is done, nothing started
            from handlers.core import topic_help

            answer = topic_help(ctx, str(slots["howto"]))
            if answer:
                return answer
        if slots.get("negated") or slots.get("howto"):  # "ยังไม่อนุมัตินะ": nothing is done, and the user is told so
            return [Text(T["negated"])]
        if slots.get("out_of_scope"):  # chit-chat: a short friendly answer and the menu
            return [Text(T["smalltalk"], quick=menu_choices(ctx))]
        alternatives = [_alt_name(a) for a in (getattr(intent, "alternatives", ()) or ())]
        return _fallback(ctx, [a for a in alternatives if a in REGISTRY])
    ctx.parsed = intent  # type: ignore[attr-defined]
    return run_intent(ctx, name, slots)


def _side_question(ctx: Ctx, parser: Parser | None, flow: engine.Flow, labels_only: bool = False) -> list[Reply] | None:
    """A message in a form that is another request: a tapped menu item, a typed menu label, or
    a command the NLU reads with confidence (not the form's own, allowed for the user). Its
    replies (the engine keeps the form), or None: the message is an answer."""
    from handlers import engine_turns

    inc = ctx.incoming
    if inc.kind == "postback":
        data = dict(inc.postback)
        return run_intent(ctx, data.pop("i", "") or "menu", data)
    labelled = _typed_label(ctx)
    if labelled and not flow.own(labelled):
        return run_intent(ctx, labelled, {})
    if labels_only or parser is None or inc.kind != "text":
        return None
    state = ctx.conversation
    intent = engine_turns.parse_in_flow(ctx, flow, state, inc.text)
    name = getattr(intent, "name", "unknown") or "unknown"
    if (flow.own(name) or name in NOT_OFFERED or name in GLOBAL_INTENTS or name not in REGISTRY
            or float(getattr(intent, "confidence", 0.0)) < engine_turns.SIDE_CONFIDENCE):
        return None
    slots = dict(getattr(intent, "slots", {}) or {})
    if refusal_for(REGISTRY[name], ctx, slots) is not None:
        return None
    if engine.carries(ctx, flow, state, engine.mapped(flow, slots)):
        return None  # it carries answers for this form ("มผช. 12/2560" while a standard is asked)
    ctx.parsed = intent  # type: ignore[attr-defined]
    return run_intent(ctx, name, slots)


def guessed_choices(ctx: Ctx, flow: engine.Flow, intent: Any) -> list[Choice]:
    """The requests the NLU guessed a message in a form might be (its reading and its
    alternatives), as menu taps: registered, labelled, allowed for the user, not the form's own."""
    names = [getattr(intent, "name", "") or ""] + [_alt_name(a) for a in (getattr(intent, "alternatives", ()) or ())
                                                   if _alt_score(a) >= GUESS_SCORE]
    names += [str(getattr(intent, "slots", {}).get("maybe") or "")] if intent is not None else []
    seen: list[str] = []
    for name in names:
        if name not in seen and not flow.own(name) and name not in NOT_OFFERED and _offerable(ctx, name):
            seen.append(name)
    return [Choice(INTENT_LABELS[name], postback=postback(name)) for name in seen[:4]]


def parse_context(ctx: Ctx, flow: str | None = None, expecting: str | None = None) -> ParseContext:
    """What the NLU may know: the user's role and area, the form and question (if any), today."""
    account = ctx.account
    return ParseContext(role=account.role.value if account.role else None, province_code=account.province_code,
                        district_code=account.district_code, flow=flow, expecting=expecting, today=ctx.today)


_parse_context = parse_context


GUESS_SCORE = 0.15  # alternatives below it are noise (the parser lists every intent it scored)


def _alt_score(alternative: Any) -> float:
    """An alternative's score; an Intent's confidence; 1 for a bare name."""
    if isinstance(alternative, (tuple, list)) and len(alternative) > 1:
        return float(alternative[1])
    return float(getattr(alternative, "confidence", 1.0))


def _alt_name(alternative: Any) -> str:
    """An alternative may be an Intent, a (name, score) pair or a name."""
    if isinstance(alternative, (tuple, list)) and alternative:
        return str(alternative[0])
    return str(getattr(alternative, "name", alternative))


def _offerable(ctx: Ctx, name: str) -> bool:
    """May `name` be offered to this user as a tap: labelled, registered, allowed for them, and
    not a request only unlinked users make."""
    return (name in INTENT_LABELS and name in REGISTRY and refusal_for(REGISTRY[name], ctx, {}) is None
            and not (name in OFFERED_UNLINKED_ONLY and ctx.scope.linked))


def _fallback(ctx: Ctx, alternatives: list[str]) -> list[Reply]:
    from handlers.core import menu_choices

    allowed = [a for a in alternatives if _offerable(ctx, a)]
    if allowed:
        quick = [Choice(INTENT_LABELS[a], postback=postback(a)) for a in allowed[:12]]
        return [Text(T["did_you_mean"], quick=quick)]
    return [Text(T["unknown"], quick=menu_choices(ctx))]
