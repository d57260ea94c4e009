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
    # หมวดหมู่ (category) is not หมู่ (village) of an address; a product's own details open the edit menu
    ("ขอแก้หมวดหมู่สินค้าค่ะ", PRODUCER, "producer.edit_menu"),
    ("ขอแก้ราคาสินค้าค่ะ", PRODUCER, "producer.edit_menu"),
    ("ขอเปลี่ยนคำค้นหาค่ะ", PRODUCER, "producer.edit_menu"),
    ("ขอแก้หมู่บ้านค่ะ", PRODUCER, "producer.update_address"),
    # a reason with a negation of its own does not negate the request before it
    ("ขอยกเลิกทะเบียนโอทอป ไม่ได้ผลิตแล้ว", PRODUCER, "producer.request_closure"),
    # ... nor does a relative clause ("ที่หายไปแล้ว") or a later clause tell a story
    ("ปิดทะเบียนกลุ่มที่หายไปแล้ว", OFFICER, "officer.start_closure"),
    ("เปิดเรื่องยกเลิกทะเบียนผู้ผลิต รหัส 3401-0456 ย้ายหนีไปแล้วติดต่อไม่ได้", PROVINCE, "officer.start_closure"),
    ("ปิดทะเบียนไปแล้วเมื่อวาน", OFFICER, "unknown"),
    # "..., but I don't dare yet" holds the action back
    ("ผอ.ว่าให้อนุมัติคำขอ 33 ได้ แต่ผมยังไม่กล้ากด", OFFICER, "unknown"),
    # "how much" about a write topic is a question, "still usable?" is not a request
    ("ปีนี้ทั้งประเทศอนุมัติย้ายกันไปเยอะไหมคะ", PROVINCE, "unknown"),
    ("ได้ยินว่าต้องส่งรูปใหม่ รูปเก่ายังใช้ได้ไหมคะ", PRODUCER, "unknown"),
    # something that does not work: help with it, not the action again
    ("แก้เบอร์ไม่ได้ค่ะ กดแล้วเงียบ", PRODUCER, "help"),
    ("ออกรหัสผูกบัญชีไม่ได้ ทำไงดี", OFFICER, "help"),
    ("อนุมัติคำขอทั้งหมดที่ค้างอยู่เลยครับ", PROVINCE, "officer.approve"),
    # ... but not when the trouble is the reason given for the request
    ("ขอเลิกกิจการค่ะ เพราะเตาอบใช้ไม่ได้แล้ว ไม่มีเงินซ่อม", PRODUCER, "producer.request_closure"),
])
def test_sentence_signals(text, ctx, intent):
    assert parse(text, ctx).name == intent
