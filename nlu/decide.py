"""Choosing the intent: the declared rules, guarded by how the sentence treats the action,
then the model for what no rule decides.

A rule that names a data-changing action is taken only when the action is asked for: a
negated action ("ยังไม่อนุมัตินะ"), a story ("เมื่อวานอนุมัติไปแล้ว"), a hypothetical ("ถ้า...")
or a question about the topic (how many closures this month) never becomes that intent. A
question about the topic becomes the topic's read intent when it has one (`IntentSpec.read`);
the rest fall through to the next rule, then to `unknown`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from . import catalog, signals
from .intents import CONFIDENCE_FLOOR, UNKNOWN, Context
from .reads import WAITING, read_for
from .spec import IntentSpec

RULE_CONFIDENCE = 0.95
# The model alone may not start a data change below this (rules decide the clear cases).
MODEL_ACTION_FLOOR = 0.55
MODEL_CAP = 0.89
_MONTHLY = re.compile(r"เดือน|month|(?:ม\.?ค|ก\.?พ|มี\.?ค|เม\.?ย|พ\.?ค|มิ\.?ย|ก\.?ค|ส\.?ค|ก\.?ย|ต\.?ค|พ\.?ย|ธ\.?ค)\.")
_DOMAIN = re.compile(r"otop|โอทอป|ผู้ผลิต|ผู้ประกอบการ|สินค้า|ผลิตภัณฑ์|ทะเบียน|ข้อมูล|คำขอ|ชวนชิม|มาตรฐาน|รูป|บอท|ระบบ|อำเภอ|จังหวัด|ตำบล")


@dataclass(frozen=True)
class Decision:
    name: str
    confidence: float
    notes: dict[str, Any] = field(default_factory=dict)


def _side(ctx: Context) -> str:
    return "officer" if ctx.is_officer else "producer"


def _usable(spec: IntentSpec, ctx: Context) -> bool:
    return spec.name in _usable_names(ctx.role)


@cache
def _usable_names(role: str | None) -> frozenset[str]:
    """The intents a user of `role` may reach. Producers and users not linked yet share the
    producer side (the router then asks an unlinked user to link first)."""
    if Context(role=role).is_officer:
        return frozenset(n for n, s in catalog.SPECS.items() if s.allows(role))
    return frozenset(n for n, s in catalog.SPECS.items() if s.allows("producer") or s.allows(None))


@cache
def _rules_for(role: str | None) -> tuple[IntentSpec, ...]:
    """`catalog.RULE_ORDER` without the intents a user of `role` may not reach."""
    names = _usable_names(role)
    return tuple(s for s in catalog.RULE_ORDER if s.name in names)


def decide(text: str, ctx: Context, ranked: list[tuple[str, float]]) -> Decision:
    """The intent of a `for_matching()` text: guarded rules first, then the model."""
    guarded: list[IntentSpec] = []
    # "ยังไม่ต้อง..." / "อย่าเพิ่ง..." opening the message holds back what follows it too.
    held_back = bool(_HOLD_BACK.match(text))
    # Every change the message names is negated ("ที่อยู่ไม่ต้องแก้นะ ถูกแล้ว", "ไม่ได้จะแก้นะ แค่อยากรู้"):
    # nothing may change, and a read asked for after it stands.
    declined = signals.declines_change(text)
    negated_seen = held_back or declined
    if signals.trouble(text) and not signals.HYPOTHETICAL.search(text):  # "แก้เบอร์ไม่ได้ กดแล้วเงียบ", "บอทไม่ตอบ": help with it
        topic = _feature_named(text, ctx)
        return Decision("help", 0.9, {"topic": topic} if topic else {"trouble": True})
    thanked = _THANKS_OPEN.match(text)
    if thanked and not _MORE_ASKED.match(text, thanked.end()) and _only_told(text[thanked.end():], ctx):
        return Decision("thanks", RULE_CONFIDENCE)  # "ขอบคุณครับ ได้ข้อมูลครบแล้ว จะนำไปรายงานในที่ประชุม"
    hearsay = signals.hearsay(text)
    may_i = False  # a decision asked about ("อนุมัติได้ไหม"): the request is the topic of what follows
    for spec in _rules_for(ctx.role):
        m = spec.search(text)
        if not m:
            continue
        if guarded and guarded[-1].changes_data and signals.HYPOTHETICAL.search(text) \
                and not signals.COUNT_Q.search(text):
            break  # "สมมติตั้งเป้า 100% จะทันไหม": a what-if about the action, not a read of its topic
        if spec.name == "thanks" and _feature_named(_THANKS_WORD.split(text, maxsplit=1)[0], ctx):
            continue  # "อย่าส่งข้อความเตือนมาอีกเลยจ้า ขอบใจ": the request, thanked for
        if spec.name == "help" and not _ASKS_HELP.search(text) and _feature_named(text, ctx):
            continue  # "อยากผูกไลน์ เฮ็ดจั่งได๋", "ได้โค้ดมา ใช้ยังไง": how to do that request
        if hearsay and spec.name not in _STICKY:
            guarded.append(spec)  # "ผอ.บอกว่าให้ตั้งเป้า 90%": someone's words, nothing asked
            continue
        if not spec.changes_data and negated_seen and spec.name not in _NOT_TOPICS:
            clause = _clause_from(text, m.start())
            if signals.is_request(clause):
                # "อย่าเพิ่งส่งเตือน ขอดูก่อนว่ายังขาดอะไรบ้าง": the read asked for after the held
                # action (the model, which learned such openings as nothing asked, may not overrule)
                return Decision(spec.name, RULE_CONFIDENCE)
            if held_back and not signals.asks_about(clause):
                guarded.append(spec)  # "ยังไม่ต้องเปลี่ยนรูปนะ ผปก.จะส่งรูปใหม่มาเอง": nothing asked
                continue
        if spec.name == "officer.record_step" and not signals.is_request(text) and _NOT_HELD.search(text):
            # "ที่ประชุมยังไม่มีมติเรื่องคำขอ 45": nothing to record yet (not a read of what is missing)
            action = _requested_action(text, ctx)
            return Decision(action, RULE_CONFIDENCE) if action else Decision(UNKNOWN, 0.0, {"negated": spec.name})
        if spec.name == "officer.record_step" and not signals.is_request(text) and not _step_named(text):
            guarded.append(spec)  # "ในที่ประชุมผู้บริหารพูดถึง...": a meeting told about
            continue
        if spec.name == "producer.stop_reminders" and catalog.SPECS["producer.resume_reminders"].search(text[m.end():]):
            spec = catalog.SPECS["producer.resume_reminders"]  # "กดหยุดเตือนไปแล้วอยากได้คืน": turning them back on
        if spec.name == "producer.stop_reminders" and ctx.is_officer \
                and (_OTHERS.match(text, m.end()) or _ASKED_AFTER.search(text, m.end())):
            # "ไม่ต้องเตือนผู้ผลิตตำบลนี้นะ", "ไม่ต้องส่งเตือนนะ แค่ขอดูว่าใคร...": an area's reminders held
            # back (a read asked after it stands), not the officer's own notifications
            guarded.append(spec)
            negated_seen = held_back = True
            continue
        if spec.changes_data:
            if signals.negated(text, m.start(), m.end()):
                if spec.name == "officer.approve" and signals.refusal_with_reason(text, m.end()):
                    return Decision("officer.reject", RULE_CONFIDENCE)
                asked = _asked_later(spec, text, m.end())
                if asked is None:
                    guarded.append(spec)
                    negated_seen = True
                    continue
                m = asked
            if spec.name in _DECISIONS and (mi := _MAY_I.search(text, m.end())) and not _ASKED_FOR.search(text) \
                    and (signals.asks_about(text[mi.end():]) or _WILL_DECIDE.search(text, 0, mi.start())):
                # "คำขอ 34 อนุมัติได้ไหมครับ เอกสารครบยัง": whether it may be done, asked (an officer
                # deciding says so; one asking the bot to do it asks for it: "ช่วย...ได้ไหม")
                guarded.append(spec)
                may_i = True
                continue
            if (declined and spec.name not in _OPT) or signals.deferred(text, m.start(), m.end()):
                guarded.append(spec)  # declined, or put off ("พรุ่งนี้ค่อยอนุมัติคำขอ 52 วันนี้ยังไม่ทำ")
                continue
            if negated_seen and spec.name not in _OPT and not signals.is_request(_clause_from(text, m.start())):
                guarded.append(spec)
                continue
            if signals.JUST_ASKING.search(text):
                guarded.append(spec)  # "ยังไม่ได้จะเลิกกิจการนะคะ แค่ลูกสาวถามเล่นๆ"
                continue
            if (signals.story(text) and (spec.name not in _TELLS or signals.HYPOTHETICAL.search(text))) \
                    or (signals.asks_about(text) and not (_asked_in_own_clause(text, m) and not _HOW_FAR.search(text))):
                guarded.append(spec)
                continue
        elif may_i and spec.name not in _STICKY:
            # "คำขอ 41 อนุมัติได้ไหม เอกสารครบหรือยัง": about the request asked after, not what is missing
            return Decision("officer.pending_requests", 0.9)
        elif (action := _requested_action(text, ctx)) is not None:
            # "อนุมัติคำขอ 45 ให้ด้วย แล้วเดือนนี้มีย้ายเข้ากี่ราย": a request beside a read is the request
            return Decision(action, RULE_CONFIDENCE)
        return _checked(spec, text, ctx, ranked)
    if guarded and (action := _requested_action(text, ctx)) is not None:
        return Decision(action, RULE_CONFIDENCE)
    if guarded:
        question = (signals.asks_about(text) or bool(signals.WHICH_Q.search(text))) \
            and not signals.HYPOTHETICAL.search(text)
        for spec in guarded:
            read = read_for(spec, text, ctx) if question else None
            if read:
                return Decision(read, 0.9)
        if signals.HOW_Q.search(text) and (question or signals.HYPOTHETICAL.search(text)):
            # "ถ้าจะเลิกกิจการต้องทำยังไงคะ": nothing started; the answer explains how it is done
            return Decision(UNKNOWN, 0.0, {"howto": guarded[0].name})
        return Decision(UNKNOWN, 0.0, {"negated": guarded[0].name})
    return _from_model(text, ctx, ranked, declined)


# A rule gives way when the model, trained on thousands of phrasings written apart from the
# rules, is this sure of another intent the user may use.
MODEL_OVERRIDE = 0.7


def _only_told(rest: str, ctx: Context) -> bool:
    """After thanks: nothing asked, no question, and no change named (a committee's meeting told
    without its request, resolution or the word to record it is not a change named)."""
    if signals.is_request(rest) or signals._ANY_Q.search(rest):
        return False
    return not any(s.changes_data and s.search(rest) and (s.name != "officer.record_step" or _step_named(rest))
                   for s in _rules_for(ctx.role))


def _feature_named(text: str, ctx: Context) -> str | None:
    """The first request the user may make that a rule finds in `text` (not a common word)."""
    return next((s.name for s in _rules_for(ctx.role) if s.name not in _NOT_TOPICS and s.search(text)), None)


# A change asked for in so many words from the message's first word ("ขอย้ายที่ผลิตค่ะ ต้องใช้
# เอกสารอะไร", "อยากแก้ราคาสินค้า"): the model's "nothing asked" does not overrule it.
_OPENS_WITH_REQUEST = re.compile(r"(?:ขอ(?!ง|บคุณ|บใจ|ดู|ทราบ)|ช่วย|รบกวน|อยาก(?:จะ)?|ต้องการ)")
_SECOND_THOUGHTS = re.compile(r"ไม่|บ่|อย่า|เอ้ย|เอ๊ะ|ดีกว่า")


def _asked_outright(spec: IntentSpec, text: str) -> bool:
    """The message opens with a request word and the rule's words right after it, and takes
    nothing back."""
    opening = _OPENS_WITH_REQUEST.match(text)
    if opening is None and not signals._DONE_OR_ASKED.search(text):
        opening = signals.IMPERATIVE.match(text)  # "ใส่โครงการอบรมที่ไปมาเดือนก่อนให้หน่อย"
    m = spec.search(text)
    return bool(opening and m and m.start() <= opening.end() + 2 and not _SECOND_THOUGHTS.search(text))


# Which ones, by name ("ร้านไหนยังไม่มีมาตรฐาน ขอชื่อหน่อย"): the list of records, not the counts.
_WHICH_ONES = re.compile(r"(?:ราย|ร้าน|สินค้า|ผลิตภัณฑ์|กลุ่ม|คน|ตัว|เจ้า)\s*ไหน|ขอชื่อ|รายชื่อ")


def _checked(spec: IntentSpec, text: str, ctx: Context, ranked: list[tuple[str, float]]) -> Decision:
    if spec.name == "officer.incomplete" and _WHICH_ONES.search(text) and not signals.COUNT_Q.search(text):
        return Decision("officer.list_records", RULE_CONFIDENCE)
    if spec.name == "officer.pending_requests" and _MONTHLY.search(text) and signals.COUNT_Q.search(text) \
            and not WAITING.search(text):
        return Decision("officer.monthly_report", RULE_CONFIDENCE)  # "มีคำขอย้ายเข้ามากี่เรื่องในเดือนมกรา"
    # (only where the model was trained on the rule's intent at all)
    if ranked and ranked[0][0] != spec.name and ranked[0][1] >= MODEL_OVERRIDE and any(n == spec.name for n, _ in ranked):
        other = catalog.SPECS.get(ranked[0][0])
        if other is not None and _usable(other, ctx) and spec.name not in _STICKY and spec.priority >= 30 \
                and other.name not in _NOT_OVERRULED_BY.get(spec.name, ()) \
                and not (other.name == "greeting" and (_ASKS_SOMETHING.search(text) or signals.is_request(text))) \
                and (spec.changes_data or not other.changes_data) \
                and not (other.name == UNKNOWN and spec.changes_data and _asked_outright(spec, text)):
            decided = _from_model(text, ctx, ranked)
            if decided.name != UNKNOWN or ranked[0][0] == UNKNOWN:
                return decided
    return Decision(spec.name, RULE_CONFIDENCE)


# "ไม่ต้องส่งข้อความมาแล้ว" is not a story: opting out speaks of what has been happening.
_OPT = frozenset({"producer.stop_reminders", "producer.resume_reminders"})
# Intents whose requests tell what happened: opting out, and a committee step ("คำร้อง 31
# ลงพื้นที่ตรวจแล้วเมื่อวาน" is the step to record).
_TELLS = _OPT | {"officer.record_step"}


def _mentions(spec: IntentSpec, text: str, after: int = 0) -> Iterator[re.Match[str]]:
    """Every non-empty match of the spec's rules in `text` from `after`, rule by rule."""
    for p in spec.compiled:
        yield from (m for m in p.finditer(text, after) if m.end() > m.start())


def _asked_later(spec: IntentSpec, text: str, after: int) -> re.Match[str] | None:
    """A later mention of the same action that is not negated ("ขายไม่ไหวแล้ว ขอปิดทะเบียนเลย")."""
    return next((m for m in _mentions(spec, text, after) if not signals.negated(text, m.start(), m.end())
                 and _asked_there(_clause_from(text, m.start()))), None)


def _asked_there(clause: str) -> bool:
    return signals.is_request(clause) or bool(_ASKED_FOR.search(clause) or signals.HOW_Q.search(clause))


# An officer's own decisions, and "may it be done?" after one.
_DECISIONS = frozenset({"officer.approve", "officer.reject", "officer.record_step"})
# "จะอนุมัติได้ไหม": whether it may be, asked (not "อนุมัติได้ไหม", an officer asking the bot to)
_WILL_DECIDE = re.compile(r"จะ\s*(?:ไม่)?\s*(?:อนุม|ผ่าน|เห็นชอบ|ปฏิเสธ|ลงผล|บันทึก)")
_MAY_I = re.compile(r"ได้(?:ไหม|มั้ย|มั๊ย|หรือเปล่า|รึเปล่า|ป่ะ|หรือไม่)")
# Where one clause of a message ends and another begins ("..., แล้วก็ขอ...", "... ส่วน...").
_CLAUSE_BREAK = re.compile(r"\s+(?:แล้ว(?:ก็)?|และ|ส่วน|อีก(?:เรื่อง|อย่าง))\s*|\s*[?,;]\s*")
# Asked for in so many words (not an order opening the message, which may be a topic).
# (the particles หน่อย / ด้วย are gone from the text read: "อนุมัติคำขอ 45 ให้ด้วย" reads "...45 ให้")
_ASKED_FOR = re.compile(r"(?:^|\s)(?:ขอ(?!ง|บคุณ|บใจ|ดู|ทราบ)|ช่วย|รบกวน)|ให้(?:หน่อย|ด้วย)|หน่อย|ด้วย\s*$|ให้\s*$")


def _clause_at(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], between clause breaks."""
    head = max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    tail = next((b.start() for b in _CLAUSE_BREAK.finditer(text, end)), len(text))
    return text[head:tail]


def _requested_action(text: str, ctx: Context) -> str | None:
    """A data change asked for in so many words in a clause of its own, which a read or a guarded
    mention elsewhere in the message does not take away ("ขอแก้ที่อยู่ค่ะ ... แล้วต้องรอนานไหม",
    "...ไม่รู้ขึ้นหรือยัง แล้วก็ขอเปลี่ยนเบอร์เป็น ..."). None when the message has one clause."""
    if not _CLAUSE_BREAK.search(text) or signals.hearsay(text) or signals.HYPOTHETICAL.search(text) \
            or signals.JUST_ASKING.search(text):
        return None
    for spec in _rules_for(ctx.role):
        if not spec.changes_data or spec.name in _OPT:
            continue
        for m in _mentions(spec, text):
            clause = _clause_at(text, m.start(), m.end())
            asked = _ASKED_FOR.search(clause) or (text.startswith(clause) and signals.IMPERATIVE.match(clause))
            if asked and not signals.asks_about(clause) and not signals.HOW_Q.search(clause) \
                    and not signals.STORY.search(clause) \
                    and not signals.negated(text, m.start(), m.end()) and not signals.deferred(clause) \
                    and not signals.declines_change(clause):
                return spec.name
    return None


def _asked_in_own_clause(text: str, m: re.Match[str]) -> bool:
    """The action's own clause is a request that asks nothing ("อยากผูกบัญชีค่ะ ไม่แน่ใจว่าต้องใช้
    อะไรบ้าง"): the question after it is about doing it."""
    end = text.find(" ", m.end())
    clause = text[text.rfind(" ", 0, m.start()) + 1:None if end < 0 else end]
    return signals.is_request(clause) and not signals.asks_about(clause) and not signals.HOW_Q.search(clause) \
        and not signals.HYPOTHETICAL.search(text)


def _clause_from(text: str, start: int) -> str:
    """The clause an action word at `start` stands in, to its end: after a negated action,
    another one is taken only when asked for there ("ยังไม่ต้องอนุมัตินะ ส่งเรื่องเข้าที่ประชุมก่อน"
    records no committee step)."""
    return text[text.rfind(" ", 0, start) + 1:]


# After an officer's "ไม่ต้องเตือน": other people named, or something else asked for.
_OTHERS = re.compile(r"\s*(?:ผู้ผลิต|ผู้ประกอบการ|ผปก|ตำบล|อำเภอ|กลุ่ม|ทุกคน|ทุกราย|คน|ร้าน)")
_ASKED_AFTER = re.compile(r"\s(?:แค่|แต่)?(?:ขอ|ช่วย|อยาก)")
# A committee step is about a request (its number) or recorded in so many words; a step not
# taken yet records nothing.
_REQUEST_REF = re.compile(r"(?:คำขอ|คำร้อง|เรื่อง|request|req|เลขที่|ที่|#)\s*(?:ที่|เลขที่|no\.?|#)?\s*\d|\d{4}/\d+|#\d")
_RECORD_WORD = re.compile(r"บันทึก|ลง(?:ผล|มติ|ขั้นตอน|ว่า)|record|update|อัปเดต|อัพเดท|อัพเดต")
# "ยกเลิกทะเบียนกลุ่ม...ที่เปิดเรื่องไว้ ถึงขั้นไหนแล้ว": how far it has got, asked after the order's words
_HOW_FAR = re.compile(r"ถึง(?:ขั้น)?(?:ไหน|ตอนไหน)")
_RESOLVED = re.compile(r"มติ|เห็นชอบ|อนุม[ัิ]?ติ|ไม่ผ่าน|ตีกลับ")
_NOT_HELD = re.compile(r"(?:ยังไม่|ยังบ่|ไม่ได้)(?:ได้)?\s*(?:มี)?\s*(?:มติ|ประชุม|ลงพื้นที่|ลงตรวจ|ตรวจ|ลงผล|พิจารณา)")
# Something asked for after a greeting ("สวัสดีค่ะ ขอดูสถานะคำขอหน่อยค่ะ"): the model's greeting does not overrule it.
_ASKS_SOMETHING = re.compile(r"(?:^|\s)(?:ขอ(?!บคุณ|บใจ|บพระคุณ)|ช่วย|รบกวน)")


def _step_named(text: str) -> bool:
    """A committee step is about a request (its number), recorded in so many words, or a resolution."""
    return bool(_REQUEST_REF.search(text) or _RECORD_WORD.search(text) or _RESOLVED.search(text))


# Thanks opening a message, then only what the user will do with it.
_THANKS_OPEN = re.compile(r"(?:ขอ)?(?:ขอบคุณ|ขอบใจ|ขอบพระคุณ|thank(?:s| you)?)\S{0,40}(?:\s+|$)", re.I)
_MORE_ASKED = re.compile(r"แล้ว(?:ก็)?|และ|ส่วน|อีก(?:เรื่อง|อย่าง)|ต่อ")
_THANKS_WORD = re.compile(r"ขอบคุณ|ขอบใจ|ขอบพระคุณ|thank", re.I)
_HOLD_BACK = re.compile(r"ยังไม่ต้อง|อย่าเพิ่ง|ไม่ต้อง")

# Whole-message commands and the committee decisions are never overruled.
_STICKY = frozenset({"menu", "cancel", "yes", "no", "thanks", "greeting"})
# The model learned most lists as the list of incomplete records (its phrasings predate the
# list of producers): a rule for the plain list, which excludes every word of missing data, stands.
_NOT_OVERRULED_BY = {"officer.list_producers": frozenset({"officer.list_records"})}
# Asking for help itself, whatever else the message names.
_ASKS_HELP = re.compile(r"(?<!เงิน)ช่วยเหลือ|^help|วิธีใช้|วิธีการใช้|คู่มือ|สอนใช้|ทำอะไรได้บ้าง|(?<!เข้า)ใช้(?:งาน|บอท|ระบบ)\s*(?:ยังไง|อย่างไร|ไง)|how to use|what can you do")
# Not a request a user can have trouble with (help then answers in general).
_NOT_TOPICS = _STICKY | {"help", "unknown"}


def _from_model(text: str, ctx: Context, ranked: list[tuple[str, float]], declined: bool | None = None) -> Decision:
    if not ranked:
        return Decision(UNKNOWN, 0.0, {"out_of_scope": True})
    name, p = ranked[0]
    if signals.hearsay(text) and name != UNKNOWN:
        return Decision(UNKNOWN, p, {"negated": name})  # "ผู้ใหญ่บ้านเล่าว่ากลุ่ม...เลิกทำแล้ว"
    if name == UNKNOWN or p < CONFIDENCE_FLOOR:
        if declined is None:
            declined = signals.declines_change(text)
        if declined:  # "บ่ได้สิย้ายเด้อ": told that nothing is done, not chatted with
            change = next((n for n, _ in ranked if n in catalog.SPECS and catalog.SPECS[n].changes_data), UNKNOWN)
            return Decision(UNKNOWN, p, {"negated": change})
        notes = {"out_of_scope": True} if (name == UNKNOWN and p >= 0.5) or not _DOMAIN.search(text) else {}
        return Decision(UNKNOWN, p, notes)
    spec = catalog.SPECS.get(name)
    if spec is None or not _usable(spec, ctx):
        return Decision(UNKNOWN, p)
    if declined is None:
        declined = signals.declines_change(text)
    if spec.changes_data and name not in _OPT and declined:
        read = read_for(spec, text, ctx) if signals.asks_about(text) else None
        return Decision(read, p) if read else Decision(UNKNOWN, p, {"negated": name})  # "ที่อยู่ไม่ต้องแก้นะ"
    if spec.changes_data and (p < MODEL_ACTION_FLOOR or signals.story(text) or signals.deferred(text) or
                              (signals.asks_about(text) and not signals.is_request(text))):
        read = read_for(spec, text, ctx)
        return Decision(read, p) if read else Decision(UNKNOWN, p, {"maybe": name})
    # Never as sure as a rule: the router leaves a form only for a rule-clear command.
    return Decision(name, min(p, MODEL_CAP))
