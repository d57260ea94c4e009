"""The web process remembers what short messages mean (`bot.app.default_parser`): the same
reading as the NLU's, per context, and every caller gets slots of its own."""

from __future__ import annotations

from datetime import date

import nlu
from bot.app import default_parser
from handlers.router import ParseContext

PRODUCER = ParseContext("producer", "10", "1001", None, None, date(2026, 12, 5))
OFFICER = ParseContext("district", "10", "1001", None, None, date(2026, 12, 5))


def _nlu(text: str, ctx: ParseContext) -> nlu.Intent:
    return nlu.parse(text, nlu.Context(ctx.role, ctx.province_code, ctx.district_code, ctx.flow, ctx.expecting, ctx.today))


def test_a_remembered_reading_is_the_nlus_in_each_context_and_its_slots_are_the_callers_own():
    parser = default_parser()
    texts = ["ยังขาดอะไร", "ขาดอะไรบ้าง", "ข้อมูลของฉัน", "อำเภอเมืองเชียงใหม่", "ดูสินค้า 12", "พรุ่งนี้"]
    for ctx in (PRODUCER, OFFICER, ParseContext("producer", None, None, "producer.edit", "date", date(2026, 12, 5))):
        for text in texts:
            first = parser(text, ctx)
            assert first == _nlu(text, ctx)
            first.slots["mutated"] = True  # a caller changing its copy
            assert parser(text, ctx) == _nlu(text, ctx)
    tomorrow = parser("พรุ่งนี้", ParseContext("producer", None, None, "producer.edit", "date", date(2026, 12, 6)))
    assert tomorrow == _nlu("พรุ่งนี้", ParseContext("producer", None, None, "producer.edit", "date", date(2026, 12, 6)))
    long_text = "ขอดูข้อมูลของฉันหน่อยค่ะ " * 5
    assert parser(long_text, PRODUCER) == _nlu(long_text, PRODUCER)
