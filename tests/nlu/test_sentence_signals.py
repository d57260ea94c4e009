"""How a sentence treats the action it names (nlu/signals.py): cases beyond the plain ones."""

import pytest

from nlu.parser import parse

from tests.nlu.contexts import OFFICER, PRODUCER, PROVINCE


@pytest.mark.parametrize("text, ctx, intent", [
    # "how do I do it" after an action asks for the action
    ("อยากเพิ่มมาตรฐาน อย. ให้สินค้าต้องทำยังไงคะ", PRODUCER, "producer.add_standard"),
    ("จะย้ายที่ผลิตไปอยู่กับลูกที่ลำพูน ต้องทำอย่างไรครับ", PRODUCER, "producer.request_relocation"),
    # "V ไม่ได้" belongs to the verb before it, not to the request that follows
    ("เขาใช้ไลน์ผูกบัญชีเองไม่เป็น ล็อกอินไม่ได้ ขอรหัสผูกบัญชีให้เขาที", OFFICER, "officer.issue_link_code"),
    # ... but a negation standing alone before the action still negates it
    ("ไม่ได้ อนุมัตินะ", OFFICER, "unknown"),
    ("ไม่ได้ขอเลิกกิจการนะคะ ยังทำอยู่", PRODUCER, "unknown"),
    ("ถ้าจะเลิกกิจการต้องทำยังไงคะ", PRODUCER, "unknown"),
    # "why isn't it done yet" asks where the request stands
    ("ส่งคำขอย้ายที่ตั้งไปตั้งนาน ทำไมยังไม่เสร็จ อนุมัติรึยังคะ", PRODUCER, "producer.request_status"),
    # "ไม่...ใครเลย" is "nobody", not "who"
    ("เริ่มยกเลิกทะเบียนร้านลุงมา ต.ป่าแดด ร้านปิดไปนานแล้ว ไม่มีใครอยู่เลย", OFFICER, "officer.start_closure"),
    # a later mention of the same action, not negated, is the request
    ("ขายไม่ไหวแล้วค่ะ ทำต่อไม่ได้ ขอปิดทะเบียนเลยนะคะ", PRODUCER, "producer.request_closure"),
    # after "not yet" opening the message, nothing else is started either
    ("อย่าเพิ่งปรับเป้าอำเภอนะ รอผลประชุมอนุฯ ก่อน", PROVINCE, "unknown"),
    # a committee step is told as what happened
    ("คำร้อง 31 ลงพื้นที่ตรวจแล้วเมื่อวานนะครับ", OFFICER, "officer.record_step"),
    # question words are not found inside other words: ทำไม่ไหว, แล้วยังขายอยู่
    ("ปฏิเสธคำขอ 18 นะ ไปดูมาแล้วยังขายอยู่เลย", OFFICER, "officer.reject"),
    # an English command typed on the Thai keyboard layout
    ("ทำืี", PRODUCER, "menu"),
    # English typed on purpose stays English (most of its words are known English words)
    ("stop notifications please", PRODUCER, "producer.stop_reminders"),
])
def test_sentence_signals(text, ctx, intent):
    assert parse(text, ctx).name == intent
