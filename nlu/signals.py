"""How a sentence treats the action it names: asked for, negated, asked about, told as a story.

"อนุมัติคำขอ 12" asks for an approval; "ยังไม่อนุมัตินะ", "อนุมัติไม่ได้", "อย่าเพิ่งอนุมัติ"
negate it; "อนุมัติไปกี่รายแล้ว" asks about approvals; "เมื่อวานอนุมัติไปแล้ว 3 ราย" tells a
story; "ถ้าเขาเลิกกิจการ..." is a hypothetical. Only the first may become an intent that changes
data. Pure functions over the `for_matching()` text and the span of the action word.
"""

from __future__ import annotations

import re

# "not yet" / "don't" / "didn't" / "no need" right before the action (a few words may sit
# between: "ยังไม่ได้ส่งคำขอ", "ไม่ได้จะขอ อย. นะ").
_NEG_BEFORE = re.compile(
    r"(?:ยังไม่(?:ได้|ต้อง|อยาก|คิด|ค่อย)?|อย่าเพิ่ง|อย่า|ไม่ได้(?:จะ|คิดจะ|ตั้งใจ(?:จะ)?|อยาก)?|ไม่(?:ต้อง|อยาก|คิด(?:จะ)?|เคย|ค่อย|ควร)|เกือบ(?:จะ)?"
    r"|ก่อน(?:ที่)?จะ|ยังบ่|บ่ได้|บ่(?:ต้อง|อยาก)?|มิได้|ไม่มีใคร|ไม่มีการ|ห้าม|ยังมิ|เลิกคิด|ไม่|no need to|don'?t|do not|not)"
    r"\s*(?:(?:ได้|จะ|สิ|ต้อง|ขอ|ไป|กด|ให้|ทำ|ส่ง|มี|ใคร|เคย|ค่อย|เริ่ม|ยื่น|แจ้ง|เปิด(?:เรื่อง|เคส)?|เป็นคน)\s*){0,3}$"
)
# "Vไม่ได้ <action>": the "can't" belongs to the verb before it, in its own clause
# ("ผู้ผลิตเข้าระบบไม่ได้ ขอโค้ดให้เขาหน่อย" asks for a code); ยัง, ก็, จะ, คง are not verbs.
_CANNOT = re.compile(r"(?:ไม่ได้|ไม่ไหว|บ่ได้)\s")
_NOT_VERBS = ("ยัง", "ก็", "จะ", "คง", " ")
# The action then "can't" / "not" ("อนุมัติไม่ได้", "เลิกกิจการไม่ได้หรอก").
_NEG_AFTER = re.compile(r"^(?!\S{0,12}?ที่\s*(?:ยัง)?\s*(?:ไม่|บ่))\S{0,12}?\s*(?:ไม่ได้|ไม่ไหว(?!แล้ว)|ไม่ลง|ไม่ทัน|ยังไม่ได้|บ่ได้|ไม่เป็น(?:ไร)?|ก่อนนะ\s*ยัง)")
# A refusal after the action is a rejection when a reason follows it.
_REASON = re.compile(r"เพราะ|เนื่องจาก|เหตุผล|เอกสารไม่ครบ|ไม่ผ่าน|ไม่มี(?:อยู่)?จริง|ไม่ตรง|ไม่ถูกต้อง|เท็จ|ปลอม")

# Questions that ask *about* a topic (counts, which, whether) rather than for an action.
COUNT_Q = re.compile(r"กี่(?!ปี|เดือน|วัน|โมง|นาที|บาท|ชั่วโมง|อาทิตย์|สัปดาห์)|(?:เยอะ|มาก)(?:ไหม|มั้ย|แค่ไหน|ขนาดไหน)|(?<!ค่าธรรมเนียม)(?<!ราคา)เท่าไ[รหร่]|จำนวน|(?<!ห้วย)(?<!ร้อย)(?<!สุด)ยอด|how many")
WHICH_Q = re.compile(r"(?:หมวด(?:หมู่)?|ประเภท|เบอร์(?:โทร)?|quadrant|ควอดแรนท์|ควอดรันท์)\s*(?:ไหน|อะไร)(?!\s*ก็)|(?:เป็น|คือ)อะไร(?!ไป)|มีหยัง|\sไหน(?:นะ)?\s*$|ใคร(?!ทำ|เลย)|(?:ราย|คน|เรื่อง|อัน|ตัว|เจ้า|กลุ่ม)ไหน(?!เลย)|บ้าง|อะไรบ้าง|รายชื่อ")
# What ought to be done, or whether it may be under a condition ("คำขอ 33 ควรไม่อนุมัติไหม",
# "ไม่อนุมัติได้ไหมถ้าเอกสารไม่ครบ"): asking advice, not deciding.
ADVICE_Q = re.compile(r"ควร\S{0,24}(?:ไหม|มั้ย|หรือ(?:เปล่า|ไม่)|ป่ะ)|ได้(?:ไหม|มั้ย)\s*(?:ถ้า|หาก)")
STATUS_Q = re.compile(r"ยังไม่(?:ได้)?(?:อนุมัติ|ผ่าน|ขึ้น|เสร็จ)\S{0,6}(?:เหรอ|หรอ(?!ก)|หรือ|ไหม|มั้ย)|ค้าง(?:อยู่)?(?:ไหม|มั้ย|หรือเปล่า|รึเปล่า|ป่ะ)|ยัง\s*(?:อะ|อ่ะ|ล่ะ|เนาะ)\s*$|ยังไม่ขึ้น|ทำไม\S{0,4}ยัง|หรือยัง|รึยัง|ยัง(?:\s*(?:คะ|ครับ|นะ|จ๊ะ))?$|ถึงไหน|ถึงขั้น(?:ไหน|ตอนไหน)|เป็นไง|เป็นยังไง|สถานะ|ได้(?:ผล)?ยัง|แล้วยัง\s*$|หรือเปล่า|รึเปล่า|เปล่า$|(?:หรือ|รึ)?ป่าว\s*$")
WHETHER_Q = re.compile(r"(?:^|\s)มี\S{0,30}(?:ไหม|มั้ย|หรือไม่|บ้างไหม|มั้ยนะ|ป่ะ|บ่)|(?<!ผ้า)(?<!เส้น)ไหม(?:นะ)?$|มั้ย(?:นะ)?$")
# "How do I do it" after an action asks for the action ("เพิ่มมาตรฐานต้องทำยังไงคะ"): not here.
INFO_Q = re.compile(r"ว่า(?:ไง|ยังไง|อย่างไร)\s*$|กี่โมง|ต้องทำอะไร|วันไหน|กี่(?:ปี|เดือน|วัน|บาท|ชั่วโมง)|ค่า(?:ธรรมเนียม|ใช้จ่าย)|ราคา|เมื่อไ[รห]|ต่างกัน|แตกต่าง|ดีไหม|ดีกว่า|ใครรู้|รู้ไหม|ต้องใช้(?:เอกสาร)?อะไร|เอกสารอะไร|ค่าธรรมเนียม|ใช้เวลา(?:กี่|นาน)|นานไหม|กี่วัน|ทำไม(?![่้])|เพราะอะไร|ต้องทำ(?:ยังไง|อย่างไร|ไง)ก่อน|คืออะไร|หมายถึงอะไร|ยากไหม|เสียเงิน")
# A request made politely as a question is still a request ("เปลี่ยนเบอร์ได้ไหม").
REQUEST = re.compile(
    r"(?:^|\s|แค่)(?:ขอ(?!ง|บคุณ|บใจ)|ช่วย|รบกวน|อยาก(?:จะ)?|ต้องการ|จะ(?:ขอ|แจ้ง|ส่ง|ใส่|แก้|เปลี่ยน|เพิ่ม)|please|pls|plz|ฝาก)|(?<!ใช้)ได้(?:เลย)?(?:ไหม|มั้ย|บ่|ป่ะ|เปล่า|หรือเปล่า|มั๊ย)|ให้หน่อย|ให้ด้วย|หน่อย|ด้วย$"
    # an order with "now" closing its first word ("ส่งเตือนเลย"), not a negation ("ขายไม่ได้เลย")
    r"|^(?!\S*ไม่)(?!ยัง|บ่|อย่า)\S{1,16}เลย(?:\s|$)"
    # wanting to do it, inside words written without spaces ("...เป็นคนทำขนมอยากจะผูกไลน์")
    r"|(?<=[ก-๙])(?<!ไม่)(?<!บ่)(?<!ที่)(?<!ใคร)(?<!จะ)(?<!เคย)อยาก(?:จะ)?(?:ผูก|เชื่อม|แก้|เปลี่ยน|ย้าย|เลิก|ส่ง|เพิ่ม|ใส่|ถอน|หยุด|ยกเลิก|ลงทะเบียน)"
    # a verb "for me" closing a clause (the particle after it is stripped): "ถอนออกให้", "แก้ให้ที"
    r"|(?<!จะ)(?<!ว่า)(?:ถอน|แก้|ปรับ|ลบ|ยกเลิก|เปลี่ยน|ใส่|เพิ่ม|บันทึก|ลงผล|ลง(?!พื้นที่))\S{0,16}ให้(?:ที|แหน่|เลย)?(?:\s|$)"
    r"|(?:ยังไง|อย่างไร|ทำไง|จั๋งได๋|จั่งได๋|ได้ที่ไหน|ตรงไหน)(?:บ้าง)?\s*$|^(?:ขอ(?!บคุณ|บใจ|บพระคุณ)|ช่วย|please|pls)|หื้อ\s*(?:แน่|แหน่|เน่)|ให้\s*(?:แน่|แหน่)(?:\s|$)")
# An order opening the message with its verb ("ถอนคำขอ 12", "อนุมัติคำขอ 45"): a request, unless
# the message says it is done already or asks whether it is ("ถอนคำขอไปแล้วเมื่อวาน",
# "เริ่มกระบวนการยกเลิกทะเบียน...ไปหรือยัง").
IMPERATIVE = re.compile(r"^(?:(?:คำขอ|คำร้อง|เรื่อง)\s*(?:ที่|เลขที่|#)?\s*\d+\s*(?:ไม่|บ่)?\s*(?:อนุม[ัิ]?ติ|ผ่าน)|(?:อนุมัติ|approve|เห็นชอบ)\s*(?:คำขอ|คำร้อง|เรื่อง)?\s*(?:ที่|เลขที่|no\.?|#)?\s*\d|ให้|ยกเลิก|ถอน|ออก(?:รหัส|โค้ด)|ปฏิเสธ|อัปเดต|บันทึก|แก้|เปลี่ยน|ตั้ง|เพิ่ม|ลง|ใส่|กรอก|เริ่ม|ทำเรื่อง|เปิด(?:เรื่อง|เคส)|แจ้ง(?:เลิก|ปิด|ย้าย)|ปิดทะเบียน|จำหน่าย|ดำเนินการ|update|record|set|add|change)")
_DONE_OR_ASKED = re.compile(r"^\S*(?<!เปลี่ยน)(?<!หาย)(?:ไป|ไว้)แล้ว|หรือยัง|รึยัง|แล้วยัง|ได้ยัง|ถึง(?:ขั้น)?(?:ไหน|ตอนไหน)")
# Put off to later: "พรุ่งนี้ค่อยอนุมัติ", "ไว้สัปดาห์หน้าค่อยลงผล" (unless something is asked for
# now), or plainly not now: "ตอนนี้ยังไม่ต้อง", "วันนี้ยังไม่ทำ", "ไว้ปีหน้า", "รอก่อน".
LATER = re.compile(r"(?:พรุ่งนี้|มะรืน|อาทิตย์หน้า|สัปดาห์หน้า|เดือนหน้า|ปีหน้า|ไว้|วันหลัง|ทีหลัง|เดี๋ยว(?!นี้)|บ่าย|เย็น)\S{0,12}\s*ค่อย"
                   r"|(?:^|\s)ค่อย(?!ๆ|\s*ยัง)")
# "...ค่อย" / "เดี๋ยว...จะ(มา)" right before the action: that action is put off.
_LATER_BEFORE = re.compile(r"ค่อย\s*$|เดี๋ยว(?!นี้)\S{0,16}\s*จะ\s*(?:มา)?\s*$")
_LATER_AFTER = re.compile(r"\S{0,24}?(?:\s*\d+\s*)?(?:ทีหลัง|วันหลัง|ภายหลัง|คราวหลัง)")
_SOON = re.compile(r"เดี๋ยว(?!นี้)\S{0,16}\s*จะ")
NOT_NOW = re.compile(r"ตอนนี้ติด(?:ประชุม|งาน|ธุระ)|แต่\s*ไว้(?:ปี|เดือน|อาทิตย์|สัปดาห์)หน้า|(?:ตอนนี้|วันนี้)\s*ยัง\s*(?:ไม่|บ่)\s*(?:ต้อง|ทำ)|รอก่อน\s*$")
# Told as a story: something that happened, or someone else's words.
STORY = re.compile(r"^(?:เมื่อ\s*(?:ปี|พ\.?ศ\.?)\s*\d{2,4}|ปีที่แล้ว|ปีก่อน|ไตรมาส(?:นี้|ที่แล้ว)|(?:อาทิตย์|สัปดาห์)(?:ก่อน|ที่แล้ว))|เมื่อ(?:วาน|วันก่อน|อาทิตย์ที่แล้ว|เดือนที่แล้ว|ปีที่แล้ว|เช้า|กี้|ตะกี้|ก่อน)|(?:แต่|สมัย)ก่อน|ไป(?:รอบ|ครั้ง)\S{0,4}แล้ว|(?<!ที่)(?<!ที่\S)(?<!ที่\S\S)(?<!ที่\S\S\S)(?<!ที่\S\S\S\S)(?<!เปลี่ยน)(?<!หาย)ไปแล้ว|ที่(?:ขอ|ส่ง|แจ้ง|แก้|เพิ่ม|ยื่น)\S{0,12}ไป(?:แล้ว)?(?:\s|$|ยัง|นาน|ตั้งแต่|เมื่อ)|เคย|บอกว่า|เล่าว่า|ว่าจะ|ได้ยินว่า|ข่าวว่า|เขาว่า|ฝากถาม")
# Someone else's words, told ("ผอ.บอกว่า...", "ผู้ใหญ่บ้านเล่าว่า...", "โทรมาบ่นว่า...").
HEARSAY = re.compile(r"(?:บอก|เล่า|บ่น|ได้ยิน|ข่าว|เขา|ลือ|สั่ง|ฝาก|เน้นย้ำ|กำชับ|พูด|กล่าว)(?:มา)?\S{0,16}ว่า|พูดถึง|(?:โทร|ทัก|ไลน์)มาบอก"
                     r"|(?:ท่าน|ผอ|นายอำเภอ|หัวหน้า|พจ|ผู้ว่า|ปลัด)\S{0,24}\s*\S{0,24}แจ้งใน(?:ที่)?ประชุมว่า|สั่งให้|บอกให้(?!\S{0,4}(?:พิมพ์|ใส่|กด|ส่ง|แก้|ผูก|กรอก))")
_ANY_Q = re.compile(r"บ้าง|(?<!เป็น)(?<!อะ)ไร(?![้่])|ไหน|ไหม|มั้ย|เหรอ|หรอ(?!ก)|ไง|อะไร|ทำไม|\?|ป่ะ|เปล่า|หรือยัง|รึยัง|กี่|เท่าไ")
# Something does not work ("กดแล้วเงียบ", "ขึ้น error", "ส่งไปสามรอบแล้วไม่ขึ้นสักที", "...ไม่ได้ ทำไงดี"):
# the user needs help with the action, not the action started again.
TROUBLE = re.compile(r"error|เออเร่อ|เอเร่อ|(?:ระบบ|เกิดข้อ|ขึ้น(?:ว่า)?)ผิดพลาด|กดแล้ว\S{0,4}(?:เงียบ|ไม่ขึ้น|ไม่ไป|ค้าง|ไม่มีอะไร)|(?<!ยัง)ไม่ขึ้น(?:(?:สัก|ซัก)(?=ที|\s|$)|เลย)"
                     r"|ไม่ได้(?:สัก|ซัก)(?=ที|\s|$)|(?:ทำ|ทำยัง|เฮ็ดจั่ง)(?:ไง|ได๋)ดี|ไม่ยอม(?:ขึ้น|บันทึก)|(?:จอ|หน้า)ค้าง|เด้งออก|บั๊ก|\bbug|(?:ระบบ|บอท|ไลน์|แอป|ปุ่ม|เมนู|ลิงก์|หน้าเว็บ)\S{0,6}ใช้(?:งาน)?ไม่ได้"
                     # nothing happens, the bot is down or silent, a page will not open
                     r"|ไม่ขึ้นอะไร|ไม่มีอะไร(?:เกิด)?ขึ้น|(?:ระบบ|บอท|แชท|แชต|(?<!ออน)ไลน์|แอป)(?:นี้)?\s*(?:มัน|ก็|จะ|คง)?\s*(?:เสีย(?!ภาษี|เงิน|ค่า|บ)|ค้าง|ล่ม|ไม่ตอบ|เงียบ)"
                     r"|(?:พิมพ์|ส่ง|ถาม|ทัก)\S{0,6}ไม่(?:ตอบ|มีอะไรตอบ)|โหลดไม่ขึ้น|(?:ลิงก์|ลิ้ง|ลิงค์|link|เว็บ|ไฟล์|รายงาน|ฟอร์ม)\S{0,8}เปิดไม่(?:ได้|ขึ้น|ออก)|(?:ขึ้น|จอ|หน้าจอ|หน้าเว็บ)\s*(?:หน้า)?(?:ขาว|ว่างเปล่า)"
                     r"|(?:ขึ้น|บอก|แจ้ง)(?:ว่า)?\s*(?:ไม่พบ|หาไม่เจอ|ไม่ถูกต้อง)|(?<!เขา)(?<!เขา\s)(?:ลงทะเบียน)?เข้าใช้(?:งาน)?\s*(?:ระบบ)?\s*ไม่ได้|(?:ปุ่ม|เมนู)\S{0,30}กด(?:ไม่|บ่)(?:ได้|ไป|ติด)|ไม่ตอบ(?:สัก|ซัก)ที|(?:ค้น)?หาแล้ว\S{0,4}ไม่เจอ(?:เลย)?\s*(?:ทั้งที่|แต่)|ค้างหมุน|หมุน(?:ค้าง|ไม่หยุด|อยู่)", re.I)
# Asking how a thing is done, or what it needs ("ต้องทำยังไงบ้าง", "ต้องใช้เอกสารอะไร", "ขั้นตอน").
HOW_Q = re.compile(r"ยังไง|อย่างไร|ทำไง|ทำพรือ|จั่งได๋|จังได๋|ต้องทำอะไร|เอกสารอะไร|ขั้นตอน|กี่ขั้น|ใครเป็นคน|ได้ไหม|ได้มั้ย|จะ\S{0,20}ไหม|ต้อง\S{0,12}ไหม")
HYPOTHETICAL = re.compile(r"^(?:ถ้า|หาก|สมมติ|สมมุติ|กรณี(?:ที่)?|ถ้าเกิด|if )")


# After a space, "ไม่ได้" followed by a verb of its own negates that verb, not the action
# before it ("ขอยกเลิกทะเบียนโอทอป ไม่ได้ผลิตแล้ว": the reason; "อนุมัติไม่ได้นะ" negates).
_OWN_VERB_AFTER = re.compile(r"\s+(?:ยัง)?(?:ไม่ได้|บ่ได้)(?!\s|$|นะ|ค่ะ|คะ|ครับ|คับ|หรอก|แล้ว|เลย|จ้า|จ้ะ|เด้อ|หนิ|ละ|ล่ะ|ๆ|เพราะ|เนื่องจาก|ด้วย|จริง|อะ|อ่ะ|ค่า|เน้อ|เจ้า)")


def trouble(text: str) -> bool:
    """Does the message say the bot does not work for the user (not in a reason it gives)?"""
    return bool(TROUBLE.search(re.split(r"เพราะ|เนื่องจาก|เหตุผล|สาเหตุ", text, maxsplit=1)[0]))


def negated(text: str, start: int, end: int) -> bool:
    """Is the action found at text[start:end] negated ("ยังไม่...", "...ไม่ได้")?"""
    before = text[max(0, start - 24):start]
    # Only within the same clause: cut at the last space-separated clause marker.
    before = re.split(r"(?:^|\s)(?:แต่|แค่|ส่วน|เพราะ|ขอ(?!ง)|และ|แล้ว(?:ก็)?|ค่ะ|ครับ|นะ|จะ)\s*", before)[-1]
    m = _NEG_BEFORE.search(before)
    if m and not (_CANNOT.match(before, m.start()) and m.start() > 0
                  and not before[:m.start()].endswith(_NOT_VERBS)):
        return True
    inside = _NEG_INSIDE.search(text, start, end)
    if inside and not _WHO_BEFORE.search(text, 0, inside.start()):
        return True  # "เบอร์โทรไม่ได้เปลี่ยน", "เลขบัตร ... ไม่ต้องแก้": the rule's span holds the negation
    after = _NEG_AFTER.match(text[end:end + 24])
    if after and _OWN_VERB_AFTER.match(text, end + after.start() + after.group(0).rfind(" ")) \
            and " " in after.group(0):
        return False
    if after is None and _LATER_HOLD.search(text, end):
        return True  # "อนุมัติคำขอ 33 ได้ แต่ผมยังไม่กล้ากด"
    return bool(after)


# A negated change verb inside the words a rule found (a topic, then "not changed").
_NEG_INSIDE = re.compile(r"(?:ไม่ได้|ไม่ต้อง|ยังไม่|บ่ได้|ไม่อยาก|ไม่คิด|อย่า)(?:จะ|สิ|ให้|ต้อง)?\s*(?:แก้|เปลี่ยน|ย้าย|ปิด|เลิก|ลบ|อัปเดต|อัพเดท|ยกเลิก|ถอน|เพิ่ม|ใส่|ประชุม|ลงพื้นที่|ตรวจ|ลงผล|บันทึก)")
# The verbs of a change: a message whose every change verb is negated declines a change
# ("ที่อยู่ไม่ต้องแก้นะ ถูกแล้ว", "ไม่ได้จะแก้นะ แค่อยากรู้", "แต่แม่ยังไม่ให้เปลี่ยน").
# A refusal of a request is itself a change asked for ("ไม่อนุมัติคำขอ 12", "ไม่ผ่านค่ะ").
_CHANGE_VERB = re.compile(r"(?:ไม่|บ่)(?:อนุมัติ|ผ่าน|เห็นชอบ)|not\s*approve|disapprove|ไม่ให้(?:ผ่าน|ย้าย|ลงทะเบียน|เลิก)|ปฏิเสธ|ตีกลับ|ปัดตก|ยกคำร้อง|reject"
                          r"|แก้|เปลี่ยน|ย้าย|ปิด|ยกเลิก|เลิก(?!คิด)|ลบ|อัปเดต|อัพเดท|อัพเดต|ถอน|อนุมัติ|เตือน|ตั้ง(?!แต่)|เพิ่ม|ส่ง|ใส่"
                          r"|บันทึก|กรอก|แจ้ง|ยื่น|update|edit|change"
                          # approvals said without a change verb
                          r"|เห็นชอบ|ตาม(?:ที่)?เสนอ|ยืนยัน|approve")
# "คนที่ยังไม่ได้ใส่ดาว": a negation describing whom, not declining the change.
_WHO_BEFORE = re.compile(r"ที่\s*(?:ยัง)?\s*$")
_WHO_NOT = re.compile(r"ที่\s*(?:ยัง)?\s*(?:ไม่|บ่)(?:ได้)?\s*$")


def declines_change(text: str) -> bool:
    """Does the message name changes only to say they are not wanted?"""
    verbs = [m for m in _CHANGE_VERB.finditer(text) if not _WHO_NOT.search(text, 0, m.start())]
    return bool(verbs) and all(negated(text, m.start(), m.end()) for m in verbs)


# "..., but I haven't (dared to) yet": the action after all is not asked for now.
_LATER_HOLD = re.compile(r"(?:^|\s)แต่\s*(?:ผม|ฉัน|หนู|เรา|พี่|ดิฉัน|กระผม)?\s*ยัง(?:ไม่(?:กล้า|แน่ใจ|ได้(?:ตัดสิน|ตรวจ|ดู|ถ่าย|ทำ|ยื่น|ขอ|ส่ง)|พร้อม|อยาก)|\S{0,8}ไม่เสร็จ)")


def refusal_with_reason(text: str, end: int) -> bool:
    """"อนุมัติไม่ได้ เพราะ..." : a decision not to approve, with its reason."""
    return bool(_NEG_AFTER.match(text[end:end + 24])) and bool(_REASON.search(text[end:]))


def is_request(text: str) -> bool:
    return bool(REQUEST.search(text)) or (bool(IMPERATIVE.search(text)) and not _DONE_OR_ASKED.search(text))


def deferred(text: str, start: int | None = None, end: int | None = None) -> bool:
    """The action is put off to later ("พรุ่งนี้ค่อยอนุมัติคำขอ 52", "อาทิตย์หน้าค่อยเตือน ตอนนี้ยังไม่ต้อง").
    With the action's span, only a "later" said right before it counts ("อนุมัติคำขอ 12 เย็นนี้ค่อยดู
    คำขอ 13" approves 12); a rule matching from the message's start is checked up to its end."""
    if NOT_NOW.search(text):
        return True
    if start is None:
        return bool(LATER.search(text)) and not REQUEST.search(text)
    if end is not None and _LATER_AFTER.match(text, end):
        return True  # "ผมจะอนุมัติคำขอนี้ทีหลังนะ"
    if start == 0:
        return bool(LATER.search(text[:end]) or _SOON.search(text[:end]))
    return bool(_LATER_BEFORE.search(text[max(0, start - 30):start]))


def asks_about(text: str) -> bool:
    """A question about a topic (how many, which, whether, status) rather than a request."""
    if JUST_ASKING.search(text) and _ANY_Q.search(JUST_ASKING.sub(" ", text)):
        return True  # "ถามเฉยๆ ถอนคำขอแล้วยื่นใหม่ได้ไหม" (nothing else asked: no read either)
    if COUNT_Q.search(text) or INFO_Q.search(text) or ADVICE_Q.search(text):
        return True
    if is_request(text):
        return False
    return bool(WHICH_Q.search(text) or STATUS_Q.search(text) or WHETHER_Q.search(text))


# "Just asking" said in so many words: nothing is asked for ("ถามเฉยๆ ถอนคำขอแล้วยื่นใหม่ได้ไหม").
JUST_ASKING = re.compile(r"(?:สอบ)?ถาม(?:ดู)?\s*(?:เฉย|เล่น)|แค่(?:สอบ)?ถาม(?:ดู)?(?:\s|$)|แค่อยากรู้|อยากรู้เฉย|just asking")  # (ๆ is gone from the text read)

_QUOTED = re.compile(r"['\"“‘][^'\"“”‘’]*['\"”’]")


def hearsay(text: str) -> bool:
    """Someone else's words told, with nothing asked of the bot and no question (the words
    quoted are theirs: "นายอำเภอฝากมาว่า 'อนุมัติ...ให้เร็วหน่อย' แจ้งไว้เฉยๆ")."""
    if not HEARSAY.search(text):
        return False
    own = _QUOTED.sub(" ", text)
    return not is_request(own) and not _ANY_Q.search(own)


def story(text: str) -> bool:
    """Something told, not asked: past events, hearsay, hypotheticals (without a request)."""
    if HYPOTHETICAL.search(text):
        return True
    return bool(STORY.search(text)) and not is_request(text)
