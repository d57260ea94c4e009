"""One turn of a live conversation (`handlers.engine.feed`): global words, side questions,
slot filling from everything the message says, re-prompts and the confirmation.

Order, for each message while a form is open:
1. "ทำต่อ" (typed or tapped) asks the current question again;
2. a global word in any phrasing (`nlu.commands.global_command`) or a tapped cancel / menu /
   help: cancel ends the form and nothing is stored; help explains this question; menu shows
   the menu and keeps the form; back asks the previous question again; officer says how to
   reach the district office; none of them is ever stored as an answer;
3. a typed menu label, a tapped menu item, or a message the NLU reads as another command
   (confidence >= SIDE_CONFIDENCE, allowed for the user) is a side question: it is answered,
   the form is kept (until its expiry, said) and "ทำต่อ" resumes it;
4. otherwise the message fills every slot it carries, and the next question is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from handlers import engine as E
from handlers import engine_parking
from handlers.context import BANGKOK, Ctx
from handlers.replies import Choice, Reply, Text, postback
from handlers.texts import ENGINE as T
from models import ConversationState
from nlu.commands import global_command, non_answer

RESUME_INTENT = "flow.resume"
ANSWER_INTENT = "flow.answer"
SIDE_CONFIDENCE = 0.9  # commands parse at 0.91-0.95; names, ids and dates below 0.4


def turn(ctx: Ctx, flow: E.Flow, state: ConversationState,
         side: Callable[..., list[Reply] | None] | None) -> list[Reply]:
    inc = ctx.incoming
    state.expires_at = ctx.now + flow.ttl
    tapped = inc.postback.get("i") if inc.kind == "postback" else None
    text = inc.text if inc.kind in ("text", "location") else ""
    if tapped == RESUME_INTENT or (text and E.normalized(text) == T["resume"]):
        return [resume_prompt(ctx, flow, state)]
    command = tapped if tapped in ("cancel", "menu", "help") else (global_command(text) if text else None)
    if command is not None:
        return global_word(ctx, flow, state, command)
    if text and state.state != E.CONFIRM and repeats_form(ctx, flow, state, text):
        return [resume_prompt(ctx, flow, state, T["already_here"])]
    if side is not None and ((tapped not in (None, "", ANSWER_INTENT)) or text):
        replies = side(not asks(text))
        if replies is not None:
            return kept(ctx, flow, state, replies)
    if state.state == E.CONFIRM:
        return confirm_turn(ctx, flow, state, text, side)
    return answer_turn(ctx, flow, state, side)


QUESTION = re.compile(r"(ไหม|มั้ย|มั๊ย|อะไร|เท่าไร|เท่าไหร่|ยังไง|อย่างไร|หรือเปล่า|รึเปล่า|บ้าง|ที่ไหน|เมื่อไร|"
                      r"เมื่อไหร่|กี่|\?)|^(ขอดู|ดู|เช็ค|เช็ก|ตรวจดู|อยากรู้|อยากทราบ|ขอทราบ|แสดง|เปิด)")


def asks(text: str) -> bool:
    """The message reads as a question or a request to see something ("ยังขาดอะไรบ้างคะ",
    "ขอดูข้อมูลของฉัน"): another command before it is an answer. A statement ("เอกสารไม่
    ครบถ้วน" as a reason) is tried as the answer first and is a side question only if refused."""
    return bool(QUESTION.search(text.strip()))


# -- global words ----------------------------------------------------------------------------

def global_word(ctx: Ctx, flow: E.Flow, state: ConversationState, command: str) -> list[Reply]:
    from handlers.core import menu_choices

    if command == "cancel":
        parked = engine_parking.parked_of(state)
        E.drop(ctx)
        return engine_parking.end(ctx, [Text(flow.texts.get("cancelled", T["cancelled"]), quick=menu_choices(ctx))],
                                  parked)
    if command == "back":
        return go_back(ctx, flow, state)
    if command == "help":
        return [Text(help_text(ctx, flow, state)), resume_prompt(ctx, flow, state)]
    if command == "officer":
        from handlers.core import contact_officer

        return kept(ctx, flow, state, contact_officer(ctx, {}))
    return kept(ctx, flow, state, [Text(T["menu_kept"], quick=menu_choices(ctx))])


def help_text(ctx: Ctx, flow: E.Flow, state: ConversationState) -> str:
    """What to answer here: the slot's own help or example, and the words that always work."""
    slot = flow.slot(state.state)
    if slot is None:
        return T["help_confirm"]
    parts = [slot.help_th or T["help_generic"]]
    labels = [c.label for c in slot.choices(ctx)] if slot.choices is not None else []
    if labels:
        parts.append(T["help_choices"].format(choices=", ".join(labels[:12])))
    example = slot.example(ctx, E.values_of(state)) if callable(slot.example) else slot.example
    if example and not slot.help_th:
        parts.append(T["help_example"].format(example=example))
    if slot.kind == "date":
        parts.append(T["help_date"])
    if slot.optional:
        parts.append(T["help_skip"])
    parts.append(T["help_words"])
    return "\n".join(parts)


def go_back(ctx: Ctx, flow: E.Flow, state: ConversationState) -> list[Reply]:
    """Forget the answer before the current question and ask it again."""
    answers = E.answers_of(state)
    names = [s.name for s in flow.slots]
    upto = names.index(state.state) if state.state in names else len(names)
    previous = next((n for n in reversed(names[:upto]) if n in answers), None)
    if previous is None:
        return [resume_prompt(ctx, flow, state, T["first_question"])]
    state.slots = {k: v for k, v in (state.slots or {}).items() if k != previous}
    state.state = previous
    state.retries = 0
    return [E.ask(ctx, flow, state, flow.slot(previous))]  # type: ignore[arg-type]


# -- side questions --------------------------------------------------------------------------

def kept(ctx: Ctx, flow: E.Flow, state: ConversationState, replies: list[Reply]) -> list[Reply]:
    """`replies` to a side question, then a note that the form is kept, with "ทำต่อ". When the
    side question started another form, the old one is parked in it: say so first."""
    if ctx.conversation is not state:
        note = engine_parking.parked_note(ctx)
        return [note, *replies] if note is not None else replies
    until = (ctx.now + flow.ttl).astimezone(BANGKOK)
    given = E.summary(ctx, flow, state)
    note = T["kept"].format(title=engine_parking.title(flow), until=until.strftime("%H:%M"),
                            day=T["tomorrow"] if until.date() > ctx.now.astimezone(BANGKOK).date() else T["today"])
    if given:
        note += T["kept_given"].format(given=given)
    side_quick = next((list(r.quick) for r in reversed(replies) if getattr(r, "quick", ())), [])
    quick = [Choice(T["resume"], postback=postback(RESUME_INTENT)), *side_quick[:10],
             Choice(T["no"], text=T["no"])]
    return [*replies, Text(note, quick=quick)]


def resume_prompt(ctx: Ctx, flow: E.Flow, state: ConversationState, prefix: str = "") -> Text:
    if state.state == E.CONFIRM:
        return E.confirm_prompt(ctx, flow, state, prefix or None)
    slot = flow.slot(state.state)
    if slot is None:
        return E.advance(ctx, flow, state)[0]  # type: ignore[return-value]
    given = E.summary(ctx, flow, state)
    head = T["resume_given"].format(given=given) if given and not prefix else prefix
    return E.ask(ctx, flow, state, slot, head)


# -- answers ---------------------------------------------------------------------------------

def confirm_turn(ctx: Ctx, flow: E.Flow, state: ConversationState, text: str,
                 side: Callable[..., list[Reply] | None] | None) -> list[Reply]:
    word = E.normalized(answer_text(ctx))
    if word in E.YES_WORDS:
        return E.finish(ctx, flow, state)
    if word in E.NO_WORDS or word == E.normalized(E.stop_label(flow)):
        parked = engine_parking.parked_of(state)
        E.drop(ctx)
        return engine_parking.end(ctx, [Text(flow.texts.get("cancelled", T["cancelled"]))], parked)
    if text:  # a correction typed at the confirmation ("วันที่ 20/1/2570 ค่ะ"): take what it says
        raw = said(ctx, flow, state, text)
        before = dict(state.slots or {})
        reasons = E.take(ctx, flow, state, raw)
        if state.slots != before:
            return [E.confirm_prompt(ctx, flow, state, T["changed"])]
        if reasons:
            return [E.confirm_prompt(ctx, flow, state, reasons[0])]
        replies = side(False) if side is not None else None
        if replies is not None:
            return kept(ctx, flow, state, replies)
    again = T["confirm_again"] if flow.slots else T["confirm_again_only"]  # a flow that asked nothing takes no corrections
    return [E.confirm_prompt(ctx, flow, state, again.format(no=E.stop_label(flow)))]


def answer_text(ctx: Ctx) -> str:
    inc = ctx.incoming
    if inc.kind == "postback":
        return inc.postback.get("v") or inc.postback.get("date") or inc.postback.get("datetime", "")[:10] or ""
    return inc.text or ""


def said(ctx: Ctx, flow: E.Flow, state: ConversationState, text: str) -> dict[str, Any]:
    """Every form slot a typed message carries: the flow's extractor, then the NLU's slots (through
    `Flow.fills`, else those named as the form's slots: "ไม่ใช่ค่ะ เบอร์ 0891234568" at the phone
    form's confirmation)."""
    raw = dict(flow.extract(text, ctx)) if flow.extract is not None else {}
    if ctx.parse is not None:
        raw.update(E.mapped(flow, nlu_slots(ctx, flow, state, text)))
    return raw


def nlu_slots(ctx: Ctx, flow: E.Flow, state: ConversationState, text: str) -> dict[str, Any]:
    parsed = getattr(ctx, "parsed_in_flow", None)
    if parsed is None:
        parsed = parse_in_flow(ctx, flow, state, text)
    return dict(getattr(parsed, "slots", {}) or {})


def parse_in_flow(ctx: Ctx, flow: E.Flow, state: ConversationState, text: str) -> Any:
    """The NLU's reading of a message typed in a form (told which form and question)."""
    from handlers.router import parse_context

    if ctx.parse is None:
        return None
    try:
        parsed = ctx.parse(text, parse_context(ctx, flow=flow.name, expecting=state.state))
    except Exception:  # the NLU is a helper here: the flow's own readers still apply
        return None
    ctx.parsed_in_flow = parsed  # type: ignore[attr-defined]
    return parsed


def repeats_form(ctx: Ctx, flow: E.Flow, state: ConversationState, text: str) -> bool:
    """The message asks for this very form again ("ขอเปลี่ยนที่อยู่หน่อยค่ะ" while the address is
    asked) and carries nothing for it: it is not an answer."""
    if not REQUEST.search(text):
        return False
    parsed = parse_in_flow(ctx, flow, state, text)
    name = getattr(parsed, "name", "") or ""
    if not flow.own(name) or float(getattr(parsed, "confidence", 0.0)) < SIDE_CONFIDENCE:
        return False
    return not getattr(parsed, "slots", None) and not said(ctx, flow, state, text)


REQUEST = re.compile(r"^(ขอ|อยาก|ต้องการ|เปลี่ยน|แก้|เพิ่ม|แจ้ง)")


def answer_turn(ctx: Ctx, flow: E.Flow, state: ConversationState,
                side: Callable[..., list[Reply] | None] | None) -> list[Reply]:
    slot = flow.slot(state.state)
    if slot is None:  # the flow changed since the state was stored: ask what is missing
        return E.advance(ctx, flow, state)
    inc = ctx.incoming
    if inc.kind == "image" and slot.kind != "photo":
        early = next((s for s in flow.slots if s.kind == "photo" and s.name not in E.answers_of(state)), None)
        if early is not None:  # a picture sent before its question: kept for it
            result = E.check(ctx, early, "", E.values_of(state))
            if isinstance(result, E.Valid):
                state.slots = {**(state.slots or {}), early.name: result.value}
                return [E.ask(ctx, flow, state, slot, T["photo_kept"])]
    text = answer_text(ctx)
    if inc.kind == "text" and slot.choices is not None and (kind := non_answer(text)) and not chosen(ctx, slot, text):
        state.retries = 0  # "ไม่ใช่ค่ะ", "อันไหนก็ได้", "555": nothing chosen; asked again with the choices
        return [E.ask(ctx, flow, state, slot, T[f"non_answer_{kind}"])]
    before = E.answers_of(state)
    skipped = slot.optional and inc.kind == "text" and skips(slot, text)  # never read as its value
    reasons: list[str] = []
    if inc.kind in ("text", "location"):
        reasons = E.take(ctx, flow, state, {k: v for k, v in said(ctx, flow, state, text).items()
                                            if (k not in before or k == slot.name) and not (skipped and k == slot.name)})
    if slot.name not in E.answers_of(state):
        if skipped or (slot.optional and skips(slot, text)):
            result: E.Valid | E.Invalid = E.Valid(None)
        else:
            result = E.check(ctx, slot, text, E.values_of(state))
        if isinstance(result, E.Invalid):
            filled_other = E.answers_of(state).keys() - before.keys()
            if not filled_other:
                replies = side(False) if side is not None and inc.kind == "text" else None
                if replies is not None:
                    return kept(ctx, flow, state, replies)
                word = read_as_global(ctx, flow, state, text) if inc.kind == "text" else None
                if word is not None:  # "ทำอะไรได้บ้างคะ": not an answer, the NLU reads help
                    return global_word(ctx, flow, state, word)
                if inc.kind == "text" and another_request(text) and not result.choices:
                    return ask_which_request(ctx, flow, state, text)  # (a refusal with its own choices read it)
                if inc.kind == "location" and slot.kind != "place":  # not "ไม่พบผลิตภัณฑ์นี้"
                    return [E.ask(ctx, flow, state, slot, T["location_not_asked"])]
                return reprompt(ctx, flow, state, slot, result)
            reasons = [result.reprompt_th]
        else:
            state.slots = {**(state.slots or {}), slot.name: result.value}
    state.retries = 0
    replies = E.advance(ctx, flow, state)
    if reasons and replies and isinstance(replies[0], Text):
        replies[0] = Text(f"{reasons[0]}\n\n{replies[0].text}", quick=replies[0].quick)
    return replies


GLOBAL_INTENTS = ("cancel", "help", "menu")


def skips(slot: E.Slot, text: str) -> bool:
    """The answer skips an optional question: "ข้าม", "ไม่มี", and at a date, place or photo
    question any "ไม่มี…" ("ไม่มีวันหมดอายุค่ะ"); at a text question "ไม่มีคนดูแล" is an answer."""
    word = E.normalized(text)
    return word in E.SKIP_WORDS or (slot.kind != "text" and word.startswith("ไม่มี"))


def another_request(text: str) -> bool:
    """A refused answer worded as a request or a question, with no number in it ("ขอแก้ราคา
    สินค้าค่ะ" at the product question): the user wants something else, they did not misspell an
    answer ("ขอแก้เป็น 08123" at the phone question is still a wrong phone)."""
    text = text.strip()
    return bool(REQUEST.search(text) or asks(text)) and not re.search(r"\d", text)


def ask_which_request(ctx: Ctx, flow: E.Flow, state: ConversationState, text: str) -> list[Reply]:
    """Ask which request a message that is not an answer means, rather than refuse it as one:
    what the NLU guessed (when it was not sure enough to start it), the user's menu, "ทำต่อ"
    back to the question and "ยกเลิก". Tapped, any of them is a side question: the form is kept."""
    from handlers.core import menu_choices
    from handlers.router import guessed_choices

    parsed = getattr(ctx, "parsed_in_flow", None) or parse_in_flow(ctx, flow, state, text)
    if flow.own(getattr(parsed, "name", "") or ""):  # "ขอเพิ่มมาตรฐานค่ะ" in the standard form
        return [resume_prompt(ctx, flow, state, T["already_here"])]
    offered: dict[str, Choice] = {}
    for choice in [*guessed_choices(ctx, flow, parsed), *menu_choices(ctx)]:
        offered.setdefault(choice.label, choice)
    quick = [Choice(T["resume"], postback=postback(RESUME_INTENT)), *list(offered.values())[:11],
             Choice(T["no"], text=T["no"])]
    said_text = E.normalized(text) if len(text) <= 40 else text[:37] + "..."
    return [Text(T["another_request"].format(said=said_text, title=engine_parking.title(flow)), quick=quick)]


def read_as_global(ctx: Ctx, flow: E.Flow, state: ConversationState, text: str) -> str | None:
    """A refused answer the NLU reads, with confidence, as cancel, help or menu in other words
    than `nlu.commands` knows ("ทำอะไรได้บ้างคะ" is help)."""
    parsed = getattr(ctx, "parsed_in_flow", None) or parse_in_flow(ctx, flow, state, text)
    name = getattr(parsed, "name", "") or ""
    if name in GLOBAL_INTENTS and float(getattr(parsed, "confidence", 0.0)) >= SIDE_CONFIDENCE:
        return name
    return None


def chosen(ctx: Ctx, slot: E.Slot, text: str) -> bool:
    """The text is one of the slot's choice labels, typed ("ทั้งหมด" may be a real choice)."""
    word = E.normalized(text)
    return any(E.normalized(c.label) == word for c in slot.choices(ctx)) if slot.choices else False


def reprompt(ctx: Ctx, flow: E.Flow, state: ConversationState, slot: E.Slot, result: E.Invalid) -> list[Reply]:
    state.retries += 1
    prefix = result.reprompt_th
    if state.retries < E.MAX_RETRIES:
        return [E.ask(ctx, flow, state, slot, prefix, result.choices)]
    asked = E.ask(ctx, flow, state, slot, f"{prefix}\n\n{T['cancel_hint']}", result.choices)
    return [Text(asked.text, quick=[*asked.quick[:12], Choice(T["no"], text=T["no"])])]
