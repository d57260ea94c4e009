"""Which read a question about a data-changing intent's topic means ("เดือนนี้มีเลิกกิจการกี่ราย"
is the monthly report, "อยู่ quadrant ไหน" the record): `IntentSpec.read`, refined by what is asked."""

from __future__ import annotations

import re

from . import signals
from .intents import Context
from .spec import IntentSpec

# A question about several records (a list), not one.
MANY = re.compile(r"บ้าง|กี่|ราย(?:ชื่อ|ไหน)|ทั้งหมด|ที่ยังไม่|ไม่มี|ทุก")
EXPIRY = re.compile(r"หมดอายุ|expire")
# A proposal told as come in ("ที่ร้าน...ขอเปลี่ยน...มา").
CAME_IN = re.compile(r"(?:ขอ|ส่ง|เสนอ)\S{0,30}มา(?:\s|$|แล้ว|รอ)")
# What the record holds, asked ("...ไว้เป็นอะไร", "ที่ลงไว้ในระบบคืออะไร").
RECORDED = re.compile(r"(?:ไว้|ในระบบ|ในทะเบียน)\S{0,6}\s*(?:เป็น|คือ)อะไร|(?:ในระบบ|ในทะเบียน)\S{0,24}(?:ไหน|อะไร)")
# Requests still waiting ("มีค้างกี่อัน"): the queue, even with a period named.
WAITING = re.compile(r"ค้าง|รอ(?:อนุมัติ|พิจารณา)")
TIME_WORDS = re.compile(r"เดือน|ปีนี้|ปีที่แล้ว|สัปดาห์|อาทิตย์|ไตรมาส|month|ยอด")


def read_for(spec: IntentSpec, text: str, ctx: Context) -> str | None:
    """The read intent a question about `spec`'s topic means."""
    if spec.name.endswith(".add_standard") and EXPIRY.search(text):
        # "มาตรฐาน อย. ของเราหมดอายุเมื่อไหร่": what the record holds (many records: what is missing)
        if not ctx.is_officer:
            return "producer.my_record"
        return "officer.incomplete" if MANY.search(text) else "officer.find"
    if spec.name == "producer.add_star" and re.search(r"กี่ดาว", text):
        return "producer.my_record"  # "สินค้าเราตอนนี้กี่ดาวแล้วนะ": a figure of the record
    if not spec.read or (signals.INFO_Q.search(text) and not signals.STATUS_Q.search(text)):
        return None  # "why isn't it done yet" still asks where the request stands
    if ctx.is_officer and spec.read == "officer.pending_requests" and TIME_WORDS.search(text) \
            and signals.COUNT_Q.search(text) and not WAITING.search(text):
        return "officer.monthly_report"
    if ctx.is_officer and spec.read == "officer.list_records" and CAME_IN.search(text):
        return "officer.pending_changes"  # "ที่ร้านป้าแดงขอเปลี่ยนประเภทผู้ผลิตมา รอเราอยู่ป่าว": a proposal waiting
    if ctx.is_officer and spec.read == "officer.list_records" and signals.COUNT_Q.search(text):
        return "officer.incomplete"
    if ctx.is_officer and spec.read == "officer.list_records" and not MANY.search(text):
        return "officer.find"  # "น้ำพริกเห็ดหอมตอนนี้อยู่ quadrant ไหนคะ": one record's value
    if not ctx.is_officer and spec.read == "producer.request_status" and RECORDED.search(text):
        return "producer.my_record"  # "ระบบบันทึกประเภทผู้ผลิตเราไว้เป็นอะไร": what the record holds
    if not ctx.is_officer and spec.read == "producer.request_status" and not signals.STATUS_Q.search(text):
        return None
    return spec.read
