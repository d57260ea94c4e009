"""Conversations declared as data: a `Flow` is a list of `Slot`s to fill, an optional
confirmation, and `on_done`. The engine keeps the state in `ConversationState` (one row per
user, expiring after 36 h so a conversation resumes the next day), feeds each next message to
the slot being asked, validates it, re-prompts with the reason, and ends the flow.

    LINK = register_flow(Flow(
        name="producer.link",
        slots=[Slot("national_id", T["ask_id"], validate=check_id),
               Slot("phone", T["ask_phone"], validate=check_phone)],
        on_done=link_producer,
    ))
    ...
    return start(ctx, LINK, national_id=slots.get("national_id"))

States are named after the slot being asked ("national_id", "phone") plus "confirm"; see
`Flow.states`. Cancel / menu / help are handled by the router before a flow sees a message.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from handlers.context import NOT_LOADED, Ctx
from handlers.registry import ANYONE, Roles
from handlers.replies import Choice, Reply, Text
from models import ConversationState

DEFAULT_TTL = timedelta(hours=36)
MAX_RETRIES = 3
CONFIRM = "confirm"

TEXTS = {
    "expired": "การสนทนาเดิมหมดเวลาแล้ว จึงเริ่มใหม่ให้นะคะ",
    "cancel_hint": "หากต้องการหยุด แตะ \"ยกเลิก\" หรือพิมพ์ ยกเลิก ได้เลยค่ะ",
    "confirm_again": "กรุณาตอบ \"ยืนยัน\" หรือ \"ยกเลิก\" ค่ะ",
    "cancelled": "ยกเลิกแล้วค่ะ",
    "left": "ออกจากขั้นตอนเดิมให้แล้วนะคะ (ข้อมูลที่กรอกไว้ยังไม่ถูกบันทึก)",
    "skip": "ข้าม",
    "yes": "ยืนยัน",
    "no": "ยกเลิก",
}
YES_WORDS = {"ยืนยัน", "ใช่", "ตกลง", "โอเค", "ok", "okay", "yes", "y", "ได้", "ถูกต้อง", "ใช่แล้ว"}
NO_WORDS = {"ไม่", "ไม่ใช่", "no", "n", "ยกเลิก", "ไม่ยืนยัน", "ไม่ถูกต้อง"}
SKIP_WORDS = {"ข้าม", "skip", "-", "ไม่มี"}


@dataclass(frozen=True)
class Valid:
    """The value to keep (JSON-serialisable)."""

    value: Any


@dataclass(frozen=True)
class Invalid:
    """Why the answer was not accepted; shown before the prompt is asked again. `choices`,
    when given, replace the slot's quick replies for this re-prompt (e.g. the close matches
    of an ambiguous place name to pick from)."""

    reprompt_th: str
    choices: Sequence[Choice] = ()


Validator = Callable[[str, Ctx], Valid | Invalid]
# A question, or a function of the user and the answers so far that words it (e.g. an example
# taken from the province the user has just chosen).
Prompt = str | Callable[[Ctx, dict[str, Any]], str]


@dataclass(frozen=True)
class Slot:
    """One question: its prompt, how to check the answer, quick-reply choices."""

    name: str
    prompt_th: Prompt
    validate: Validator | None = None
    choices: Callable[[Ctx], Sequence[Choice]] | None = None
    optional: bool = False


@dataclass(frozen=True)
class Flow:
    """A declared conversation. `before_start(ctx)` may return replies to refuse starting
    (e.g. too many failed attempts); `confirm_th(values)` asks before `on_done` runs, after
    `confirm_note(ctx, values)` when that gives a line (a warning read from the database)."""

    name: str
    slots: Sequence[Slot]
    on_done: Callable[[Ctx, dict[str, Any]], list[Reply]]
    confirm_th: Callable[[dict[str, Any]], str] | None = None
    roles: Roles = ANYONE
    before_start: Callable[[Ctx], list[Reply] | None] | None = None
    ttl: timedelta = DEFAULT_TTL
    texts: Mapping[str, str] = field(default_factory=dict)
    confirm_note: Callable[[Ctx, dict[str, Any]], str | None] | None = None

    @property
    def states(self) -> type[enum.StrEnum]:
        """The flow's states as an Enum: one per slot, plus CONFIRM when declared."""
        names = [s.name for s in self.slots] + ([CONFIRM] if self.confirm_th else [])
        return enum.StrEnum(f"{self.name.title().replace('.', '')}State", {n.upper(): n for n in names})  # type: ignore[return-value]

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)


FLOWS: dict[str, Flow] = {}


def register_flow(flow: Flow) -> Flow:
    """Make a flow resumable by name (the stored state refers to it)."""
    FLOWS[flow.name] = flow
    return flow


def normalized(text: str) -> str:
    """Lower-cased, trimmed, without trailing polite particles (ครับ/ค่ะ/คะ/จ้า)."""
    t = " ".join(text.strip().lower().split())
    for particle in ("ครับผม", "ครับ", "ค่ะ", "คะ", "จ้า", "จ้ะ", "นะ"):
        if t.endswith(particle) and len(t) > len(particle):
            t = t[: -len(particle)].strip()
    return t


def _stored(ctx: Ctx) -> ConversationState | None:
    """The user's conversation row: as the bot layer loaded it with the account (one query
    for both), else from the session."""
    if ctx.conversation is NOT_LOADED:
        ctx.conversation = ctx.session.get(ConversationState, ctx.user_id)
    return ctx.conversation  # type: ignore[return-value]


def _delete(ctx: Ctx, state: ConversationState) -> None:
    ctx.session.delete(state)
    ctx.session.flush()
    ctx.conversation = None


def current(ctx: Ctx) -> tuple[ConversationState | None, list[Reply]]:
    """The user's live conversation, or None; an expired one is dropped with a short note."""
    state = _stored(ctx)
    if state is None:
        return None, []
    if state.expires_at <= ctx.now or state.flow not in FLOWS:
        _delete(ctx, state)
        return None, [Text(TEXTS["expired"])]
    return state, []


def start(ctx: Ctx, flow: Flow, **prefilled: Any) -> list[Reply]:
    """Begin `flow` (replacing any other), keep valid prefilled values, ask what is missing."""
    if flow.before_start is not None:
        refusal = flow.before_start(ctx)
        if refusal:
            return refusal
    drop(ctx)
    values: dict[str, Any] = {}
    notes: list[Reply] = []
    for slot in flow.slots:
        raw = prefilled.get(slot.name)
        if raw in (None, ""):
            continue
        result = slot.validate(str(raw), ctx) if slot.validate else Valid(raw)
        if isinstance(result, Valid):
            values[slot.name] = result.value
        else:
            notes.append(Text(result.reprompt_th))
    state = ConversationState(
        user_id=ctx.user_id, flow=flow.name, state="", slots=values, retries=0,
        expires_at=ctx.now + flow.ttl,
    )
    ctx.session.add(state)
    ctx.session.flush()
    ctx.conversation = state
    return notes + _advance(ctx, flow, state)


def feed(ctx: Ctx, state: ConversationState,
         leave: Callable[[str], list[Reply] | None] | None = None) -> list[Reply]:
    """Give the user's message to the slot being asked (or to the confirmation). A typed
    message that is not an acceptable answer goes to `leave` first, which may end the flow
    and answer it as a new command (returns None to keep asking)."""
    flow = FLOWS[state.flow]
    answer = _answer_text(ctx)
    state.expires_at = ctx.now + flow.ttl
    typed = ctx.incoming.kind == "text"
    if state.state == CONFIRM:
        word = normalized(answer)
        if word in YES_WORDS:
            return _finish(ctx, flow, state)
        if word in NO_WORDS:
            drop(ctx)
            return [Text(flow.texts.get("cancelled", TEXTS["cancelled"]))]
        if typed and leave is not None and (replies := leave(answer)) is not None:
            return replies
        return [_confirm_prompt(ctx, flow, state, TEXTS["confirm_again"])]
    slot = flow.slot(state.state)
    if slot is None:  # the flow changed since the state was stored: start over
        return start(ctx, flow)
    if slot.optional and normalized(answer) in SKIP_WORDS:
        result: Valid | Invalid = Valid(None)
    else:
        result = slot.validate(answer, ctx) if slot.validate else Valid(answer.strip())
    if isinstance(result, Invalid):
        if typed and leave is not None and (replies := leave(answer)) is not None:
            return replies
        state.retries += 1
        quick = list(result.choices) or (list(slot.choices(ctx)) if slot.choices else [])
        text = f"{result.reprompt_th}\n\n{_prompt(ctx, slot, state)}"
        if state.retries >= MAX_RETRIES:
            text += "\n\n" + TEXTS["cancel_hint"]
            quick = [*quick[:12], Choice(TEXTS["no"], text=TEXTS["no"])]
        return [Text(text, quick=quick)]
    state.slots = {**state.slots, slot.name: result.value}
    state.retries = 0
    return _advance(ctx, flow, state)


def drop(ctx: Ctx) -> bool:
    """End the user's conversation, if any. True when there was one."""
    state = _stored(ctx)
    if state is None:
        return False
    _delete(ctx, state)
    return True


def _answer_text(ctx: Ctx) -> str:
    if ctx.incoming.kind == "postback":
        return ctx.incoming.postback.get("v", "")
    return ctx.incoming.text or ""


def _advance(ctx: Ctx, flow: Flow, state: ConversationState) -> list[Reply]:
    missing = next((s for s in flow.slots if s.name not in state.slots), None)
    if missing is not None:
        state.state = missing.name
        quick = list(missing.choices(ctx)) if missing.choices else []
        if missing.optional:
            quick = [*quick[:12], Choice(TEXTS["skip"], text=TEXTS["skip"])]
        return [Text(_prompt(ctx, missing, state), quick=quick)]
    if flow.confirm_th is not None:
        state.state = CONFIRM
        return [_confirm_prompt(ctx, flow, state)]
    return _finish(ctx, flow, state)


def _prompt(ctx: Ctx, slot: Slot, state: ConversationState) -> str:
    return slot.prompt_th(ctx, dict(state.slots)) if callable(slot.prompt_th) else slot.prompt_th


def _confirm_prompt(ctx: Ctx, flow: Flow, state: ConversationState, prefix: str | None = None) -> Text:
    assert flow.confirm_th is not None
    body = flow.confirm_th(dict(state.slots))
    if flow.confirm_note is not None and (note := flow.confirm_note(ctx, dict(state.slots))):
        body = f"{note}\n\n{body}"
    return Text(
        f"{prefix}\n\n{body}" if prefix else body,
        quick=[Choice(TEXTS["yes"], text=TEXTS["yes"]), Choice(TEXTS["no"], text=TEXTS["no"])],
    )


def _finish(ctx: Ctx, flow: Flow, state: ConversationState) -> list[Reply]:
    values = dict(state.slots)
    _delete(ctx, state)
    return flow.on_done(ctx, values)
