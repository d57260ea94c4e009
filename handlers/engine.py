"""Conversations declared as data: a `Flow` is a list of `Slot`s to fill, an optional
confirmation, and `on_done`. The engine keeps the state in `ConversationState` (one row per
user, expiring after `Flow.ttl`), and for every message of the user:

1. global words in any phrasing (`nlu.commands.global_command`: cancel, help, menu, back,
   talk to an officer) and typed menu labels are handled here, never stored as an answer
   (`handlers.engine_turns`);
2. a side question (another command the NLU reads with confidence) is answered and the form
   kept, with "ทำต่อ" to resume at the same question;
3. every slot the message carries is taken at once: the NLU's slots through `Flow.fills`
   (NLU key -> form slot), the flow's own `extract`, then the message itself for the slot
   being asked; each value is checked by its slot's validator, which may see the answers so
   far (`validate(value, ctx, values)`);
4. the next missing slot is asked (a date slot offers LINE's date picker, a photo slot the
   camera), else the confirmation listing every value is shown; `on_done` runs only after
   "ยืนยัน". Every flow changes data, so every flow confirms, however it was filled (the first
   message may carry every answer: "ขอเปลี่ยนเบอร์เป็น 0891234567"); a flow without its own
   `confirm_th` gets the engine's read-back (its title and the labelled values).

    LINK = register_flow(Flow(
        name="producer.link", title_th="ผูกบัญชีผู้ผลิต",
        slots=[Slot("national_id", T["ask_id"], validate=check_id, label="เลขบัตร"),
               Slot("phone", T["ask_phone"], validate=check_phone, label="เบอร์โทร")],
        fills={"national_id": "national_id", "phone": "phone"},
        on_done=link_producer,
    ))
    return start(ctx, LINK, slots)          # the first message's NLU slots prefill the form

A flow may carry a context payload (`start(ctx, flow, context={...})`) that is never asked of
the user; validators, the confirmation and `on_done` see it among the values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from handlers.context import NOT_LOADED, Ctx
# The declarations live in `handlers.engine_spec`; flows import them from here, with the engine.
from handlers.engine_spec import (  # noqa: F401
    CONFIRM, CONTEXT_KEY, DEFAULT_TTL, FLOWS, HIDDEN_KEYS, MAX_RETRIES, NO_WORDS, PARKED_KEY, PARTICLES, SKIP_WORDS,
    YES_WORDS, Flow, Invalid, Prompt, Slot, SlotKind, Valid, Validator, call, clean_answer, normalized, register_flow,
)
from handlers.replies import Choice, Input, Reply, Text
from handlers.texts import ENGINE as TEXTS
from models import ConversationState


# -- the stored state ------------------------------------------------------------------------

def _stored(ctx: Ctx) -> ConversationState | None:
    if ctx.conversation is NOT_LOADED:
        ctx.conversation = ctx.session.get(ConversationState, ctx.user_id)
    return ctx.conversation  # type: ignore[return-value]


def _delete(ctx: Ctx, state: ConversationState) -> None:
    ctx.session.delete(state)
    ctx.session.flush()
    ctx.conversation = None


def values_of(state: ConversationState) -> dict[str, Any]:
    """The answers so far with the context payload (what validators and on_done see)."""
    slots = dict(state.slots or {})
    payload = slots.pop(CONTEXT_KEY, None) or {}
    slots.pop(PARKED_KEY, None)
    return {**payload, **slots}


def answers_of(state: ConversationState) -> dict[str, Any]:
    return {k: v for k, v in (state.slots or {}).items() if k not in HIDDEN_KEYS}


def current(ctx: Ctx) -> tuple[ConversationState | None, list[Reply]]:
    """The user's live conversation, or None; an expired one is dropped, saying what it held."""
    state = _stored(ctx)
    if state is None:
        return None, []
    flow = FLOWS.get(state.flow)
    if state.expires_at <= ctx.now or flow is None:
        note = expired_note(ctx, flow, state) if flow is not None else TEXTS["expired"]
        _delete(ctx, state)
        return None, [Text(note)]
    return state, []


def expired_note(ctx: Ctx, flow: Flow, state: ConversationState) -> str:
    hours = int(flow.ttl.total_seconds() // 3600)
    given = summary(ctx, flow, state)
    text = TEXTS["expired_form"].format(title=flow.title_th or TEXTS["form"], hours=hours)
    return text + (TEXTS["expired_given"].format(given=given) if given else "")


def summary(ctx: Ctx, flow: Flow, state: ConversationState, sep: str = ", ") -> str:
    """The labelled values given so far, as the user would read them."""
    values = answers_of(state)
    parts = [f"{s.label}: {shown(ctx, s, values[s.name])}" for s in flow.slots
             if s.label and values.get(s.name) not in (None, "")]
    return sep.join(parts)


def shown(ctx: Ctx, slot: Slot, value: Any) -> str:
    if slot.show is not None:
        try:
            return str(call(slot.show, value, ctx))
        except (KeyError, ValueError, TypeError):
            return str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        from registry.ids import format_date_th

        try:
            return format_date_th(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


# -- starting and feeding --------------------------------------------------------------------

def start(ctx: Ctx, flow: Flow, nlu_slots: Mapping[str, Any] | None = None, *,
          context: Mapping[str, Any] | None = None, **prefilled: Any) -> list[Reply]:
    """Begin `flow` (replacing any other): `nlu_slots` (the first message's) go through
    `flow.fills`, `prefilled` name form slots directly; valid values are kept, what is missing
    is asked. `context` is the payload never asked of the user. Another form the user was
    filling is kept (parked) and put back when this one ends (`handlers.engine_parking`)."""
    from handlers import engine_parking

    if flow.before_start is not None:
        refusal = flow.before_start(ctx)
        if refusal:
            return refusal
    current = engine_parking.parked_from(ctx, flow)
    dropped = engine_parking.given_up(ctx, current)  # "ขอแก้ที่อยู่แทน": the first form is not kept
    parked = (None if dropped else current) or engine_parking.parked_of(_stored(ctx))
    drop(ctx)
    slots: dict[str, Any] = {CONTEXT_KEY: dict(context)} if context else {}
    if parked:
        slots[PARKED_KEY] = parked
    state = ConversationState(user_id=ctx.user_id, flow=flow.name, state="", slots=slots, retries=0,
                              expires_at=ctx.now + flow.ttl)
    ctx.session.add(state)
    ctx.session.flush()
    ctx.conversation = state
    raw = mapped(flow, nlu_slots or {})
    if ctx.incoming.kind == "text" and flow.extract is not None and ctx.incoming.text:
        raw = {**flow.extract(ctx.incoming.text, ctx), **raw}
    raw.update({k: v for k, v in prefilled.items() if v not in (None, "")})
    notes = [Text(r) for r in take(ctx, flow, state, raw)]
    return dropped + notes + advance(ctx, flow, state)


def mapped(flow: Flow, nlu_slots: Mapping[str, Any]) -> dict[str, Any]:
    """The NLU's slots renamed to the form's (only those the flow declares in `fills`; without
    `fills`, those named as the form's slots)."""
    fills = flow.fills or {s.name: s.name for s in flow.slots}
    return {form: nlu_slots[key] for key, form in fills.items() if nlu_slots.get(key) not in (None, "", [])}


def carries(ctx: Ctx, flow: Flow, state: ConversationState, raw: Mapping[str, Any]) -> bool:
    """`raw` holds a valid answer to a question of `flow` not answered yet (a stray product
    name the NLU read in "ขอแก้เลขบัตรประชาชน" is not one)."""
    answered = answers_of(state)
    return any(isinstance(check(ctx, s, as_text(raw[s.name]), values_of(state)), Valid)
               for s in flow.slots if s.name in raw and s.name not in answered)


def as_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def take(ctx: Ctx, flow: Flow, state: ConversationState, raw: Mapping[str, Any],
         overwrite: bool = True) -> list[str]:
    """Validate and keep each raw value (in the flow's slot order); the reasons of refusals."""
    reasons: list[str] = []
    for slot in flow.slots:
        if slot.name not in raw or (not overwrite and slot.name in answers_of(state)):
            continue
        result = check(ctx, slot, as_text(raw[slot.name]), values_of(state))
        if isinstance(result, Valid):
            state.slots = {**(state.slots or {}), slot.name: result.value}
        else:
            reasons.append(result.reprompt_th)
    return reasons


def check(ctx: Ctx, slot: Slot, text: str, values: dict[str, Any]) -> Valid | Invalid:
    """The slot's validator on `text` (given the answers so far when it takes them)."""
    cleaned = clean_answer(text) if ctx.incoming.kind in ("text", "location") else text
    if slot.validate is None:
        return Valid(cleaned) if cleaned else Invalid(TEXTS["empty"])
    text = cleaned
    return call(slot.validate, text, ctx, values)




def feed(ctx: Ctx, state: ConversationState, side: Callable[[bool], list[Reply] | None] | None = None) -> list[Reply]:
    """Give the user's message to the conversation (see the module docstring). `side(labels_only)`
    answers the message as another command (only a tap or a typed label when `labels_only`),
    or returns None when it is not one."""
    from handlers import engine_turns

    return engine_turns.turn(ctx, FLOWS[state.flow], state, side)


def drop(ctx: Ctx) -> bool:
    """End the user's conversation, if any. True when there was one."""
    state = _stored(ctx)
    if state is None:
        return False
    _delete(ctx, state)
    return True


# -- asking ----------------------------------------------------------------------------------

def advance(ctx: Ctx, flow: Flow, state: ConversationState) -> list[Reply]:
    """Ask the next missing slot, else confirm (`finish` runs on "ยืนยัน")."""
    answers, values = answers_of(state), values_of(state)
    missing = next((s for s in flow.slots if s.name not in answers and (s.when is None or s.when(values))), None)
    if missing is not None:
        state.state = missing.name
        return [ask(ctx, flow, state, missing)]
    state.state = CONFIRM
    return [confirm_prompt(ctx, flow, state)]


def ask(ctx: Ctx, flow: Flow, state: ConversationState, slot: Slot, prefix: str = "",
        choices: Sequence[Choice] = ()) -> Text:
    """The slot's question with its quick replies and LINE inputs."""
    text = prompt(ctx, slot, state)
    return Text(f"{prefix}\n\n{text}" if prefix else text, quick=quick_for(ctx, slot, choices))


def quick_for(ctx: Ctx, slot: Slot, choices: Sequence[Choice] = ()) -> list[Choice | Input]:
    quick: list[Choice | Input] = list(choices) or (list(slot.choices(ctx)) if slot.choices else [])
    if slot.kind == "date":
        quick.insert(0, Input(TEXTS["pick_date"], "date", initial=ctx.today.isoformat(), slot=slot.name))
    elif slot.kind == "photo":
        quick[:0] = [Input(TEXTS["camera"], "camera"), Input(TEXTS["camera_roll"], "cameraRoll")]
    elif slot.kind == "place":
        quick.insert(0, Input(TEXTS["location"], "location"))
    if slot.optional:
        quick.append(Choice(TEXTS["skip"], text=TEXTS["skip"]))
    return quick[:13]


def prompt(ctx: Ctx, slot: Slot, state: ConversationState) -> str:
    return slot.prompt_th(ctx, values_of(state)) if callable(slot.prompt_th) else slot.prompt_th


def confirm_prompt(ctx: Ctx, flow: Flow, state: ConversationState, prefix: str | None = None) -> Text:
    listed = summary(ctx, flow, state, sep="\n")
    if flow.confirm_th is not None:
        body = call(flow.confirm_th, values_of(state), ctx)
        if listed and listed not in body:
            body = f"{body}\n{listed}"
    else:  # the engine's read-back: the form's title, what will be saved, the question
        body = TEXTS["read_back"].format(title=flow.title_th or TEXTS["form"], listed=listed)
    if flow.confirm_note is not None and (note := flow.confirm_note(ctx, dict(state.slots))):
        body = f"{note}\n\n{body}"
    no = stop_label(flow)
    back = [Choice(TEXTS["back_label"], text=TEXTS["back_label"])] if flow.slots else []  # nothing asked: nothing to go back to
    return Text(f"{prefix}\n\n{body}" if prefix else body,
                quick=[Choice(TEXTS["yes"], text=TEXTS["yes"]), *back, Choice(no, text=no)])


STOP = TEXTS["stop"]  # `Flow.texts["no"]` of the confirmations of a cancellation or withdrawal


def stop_label(flow: Flow) -> str:
    """The confirmation's stop button: "ยกเลิก", or the flow's own (`Flow.texts["no"]`)."""
    return flow.texts.get("no", TEXTS["no"])


def finish(ctx: Ctx, flow: Flow, state: ConversationState) -> list[Reply]:
    from handlers import engine_parking

    values, parked = values_of(state), (state.slots or {}).get(PARKED_KEY)
    _delete(ctx, state)
    return engine_parking.end(ctx, flow.on_done(ctx, values), parked)
