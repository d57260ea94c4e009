"""The declarations of a conversation (`handlers.engine`): a `Flow` is a list of `Slot`s
with prompts and validators (`Valid` / `Invalid`), registered by name in `FLOWS`; the words
every form understands (yes, no, skip) and how an answer is cleaned of polite particles.
Import them from `handlers.engine`, which runs the flows declared here."""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any, Literal

from handlers.context import Ctx
from handlers.registry import ANYONE, Roles
from handlers.replies import Choice, Reply

DEFAULT_TTL = timedelta(hours=36)
MAX_RETRIES = 3
CONFIRM = "confirm"
CONTEXT_KEY = "_context"  # the flow's payload inside ConversationState.slots
PARKED_KEY = "_parked"  # a form kept while this one runs (handlers.engine_parking)
HIDDEN_KEYS = (CONTEXT_KEY, PARKED_KEY)
YES_WORDS = {"ยืนยัน", "ใช่", "ตกลง", "โอเค", "ok", "okay", "yes", "y", "ได้", "ถูกต้อง", "ใช่แล้ว", "ยืนยันค่ะ"}
NO_WORDS = {"ไม่", "ไม่ใช่", "no", "n", "ไม่ยืนยัน", "ไม่ถูกต้อง"}
SKIP_WORDS = {"ข้าม", "skip", "-", "ไม่มี", "ไม่ระบุ"}
PARTICLES = ("ครับผม", "นะครับ", "นะคะ", "ครับ", "คร้าบ", "ค่ะ", "คะ", "ค่า", "คับ", "จ้า", "จ้ะ", "จ๊ะ", "นะ", "ฮะ")

SlotKind = Literal["text", "date", "photo", "place"]


@dataclass(frozen=True)
class Valid:
    """The value to keep (JSON-serialisable)."""

    value: Any


@dataclass(frozen=True)
class Invalid:
    """Why the answer was not accepted; shown before the prompt is asked again. `choices`,
    when given, replace the slot's quick replies for this re-prompt."""

    reprompt_th: str
    choices: Sequence[Choice] = ()


# validate(value, ctx) or validate(value, ctx, values): values = the answers so far + context.
Validator = Callable[..., Valid | Invalid]
# A question, or a function of the user and the answers so far that words it.
Prompt = str | Callable[[Ctx, dict[str, Any]], str]


@dataclass(frozen=True)
class Slot:
    """One question: its prompt, how to check the answer, quick-reply choices.

    `kind` "date" offers LINE's date picker (answers come back as YYYY-MM-DD), "photo" the
    camera and camera roll (an image sent early, before this slot is asked, is kept for it),
    "place" a location button. `label` and `show(value)` word the value in confirmations and
    in "what was kept"; `help_th` is what "ช่วยด้วย" at this question explains;
    `example(ctx, values)` is a valid answer (the walk-every-flow test types it)."""

    name: str
    prompt_th: Prompt
    validate: Validator | None = None
    choices: Callable[[Ctx], Sequence[Choice]] | None = None
    optional: bool = False
    kind: SlotKind = "text"
    label: str = ""
    show: Callable[..., str] | None = None  # (value) or (value, ctx)
    help_th: str = ""
    example: Callable[[Ctx, dict[str, Any]], str] | str | None = None
    when: Callable[[dict[str, Any]], bool] | None = None  # asked only when true of the values


@dataclass(frozen=True)
class Flow:
    """A declared conversation. `before_start(ctx)` may return replies to refuse starting;
    `confirm_th(values)` asks before `on_done` runs (the engine lists the labelled values
    under it); without it the engine reads the form back (its title and the labelled values):
    every flow confirms before `on_done`. `fills` maps NLU slot keys to form slots; `extract(text, ctx)` is the flow's
    own reading of a message (form slot -> raw value), used where the NLU has nothing.
    `intents`: NLU intents that mean this form itself (not a side question). `texts`:
    "cancelled" (what stopping says), "no" (the confirmation's stop button, instead of
    "ยกเลิก": `STOP` where what is confirmed is itself a cancellation)."""

    name: str
    slots: Sequence[Slot]
    on_done: Callable[[Ctx, dict[str, Any]], list[Reply]]
    confirm_th: Callable[..., str] | None = None  # (values) or (values, ctx)
    roles: Roles = ANYONE
    before_start: Callable[[Ctx], list[Reply] | None] | None = None
    ttl: timedelta = DEFAULT_TTL
    texts: Mapping[str, str] = field(default_factory=dict)
    # a line read from the database shown above the confirmation (a warning: the ID is another record's)
    confirm_note: Callable[[Ctx, dict[str, Any]], str | None] | None = None
    fills: Mapping[str, str] = field(default_factory=dict)
    extract: Callable[[str, Ctx], dict[str, Any]] | None = None
    intents: tuple[str, ...] = ()
    title_th: str = ""

    @property
    def states(self) -> type[enum.StrEnum]:
        """The flow's states as an Enum: one per slot, and CONFIRM (every flow confirms)."""
        names = [s.name for s in self.slots] + [CONFIRM]
        return enum.StrEnum(f"{self.name.title().replace('.', '')}State", {n.upper(): n for n in names})  # type: ignore[return-value]

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)

    def own(self, intent: str) -> bool:
        return intent == self.name or intent in self.intents


FLOWS: dict[str, Flow] = {}


def register_flow(flow: Flow) -> Flow:
    """Make a flow resumable by name (the stored state refers to it)."""
    FLOWS[flow.name] = flow
    return flow


def normalized(text: str) -> str:
    """Lower-cased, trimmed, without trailing polite particles (ครับ/ค่ะ/คะ/จ้า)."""
    t = " ".join(text.strip().lower().split())
    changed = True
    while changed:
        changed = False
        for particle in PARTICLES:
            if t.endswith(particle) and len(t) > len(particle):
                t = t[: -len(particle)].strip(" .!")
                changed = True
    return t


def clean_answer(text: str) -> str:
    """An answer without the polite particles and punctuation around it ("123/2566 ค่ะ"),
    its letters' case kept."""
    t = " ".join((text or "").split())
    changed = True
    while changed:
        changed = False
        for particle in PARTICLES:
            if t.lower().endswith(particle) and len(t) > len(particle):
                t = t[: -len(particle)].rstrip(" .!")
                changed = True
    return t


@lru_cache(maxsize=None)
def _arity(func: Callable[..., Any]) -> int:
    try:
        return len(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return 1


def call(func: Callable[..., Any], *args: Any) -> Any:
    """`func` with as many of `args` as it takes (`show(value)` or `show(value, ctx)`)."""
    return func(*args[: _arity(func)])
