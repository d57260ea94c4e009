"""Rules for clear and destructive commands, checked before the model.

Each rule is a pattern over the `for_matching()` text and the intent it means, per side:
(producer-side intent, officer-side intent). The first rule that matches wins; a rule whose
side has no intent (None) is skipped for that user. Rules are data: extend the table.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Rule(NamedTuple):
    pattern: re.Pattern[str]
    producer: str | None  # intent for producers and unlinked users
    officer: str | None  # intent for officers
    full: bool = False  # the pattern must match the whole message


def _r(pattern: str, producer: str | None, officer: str | None = "same", full: bool = False) -> Rule:
    return Rule(re.compile(pattern), producer, producer if officer == "same" else officer, full)


_STATUS = (r"ถึงไหน|สถานะ|ได้ผลยัง|ผลยัง|อนุมัติ(?:หรือ)?ยัง|ติดตาม(?:คำ|เรื่อง|สถานะ)|status"
           r"|(?:เรื่อง|คำขอ|คำร้อง|ยื่น)\S*\s*\S*(?:เป็นไง|เป็นยังไง)")
_INCOMPLETE = r"ขาด|ไม่ครบ|ยังไม่(?:มี|กรอก|ได้กรอก|ได้ใส่|ระบุ|ใส่)|ครบ(?:หรือ)?ยัง"
_LIST = r"รายชื่อ|ลิสต์|^list|ใครบ้าง|รายการ(?:ที่|ทั้งหมด|สินค้า|ผลิตภัณฑ์)"
_FIND = (r"^(?:ค้นหา|ค้น|หา|search|find)(?:\s|ผู้|ร้าน|สินค้า|ผลิตภัณฑ์|เลข|ชื่อ)|มีใครทำ|อยู่(?:ที่)?(?:ไหน|อำเภอไหน)"
         r"|ของใคร")
_PHOTO = r"(?:อัปเดต|เปลี่ยน|แก้|ลง|เพิ่ม|อัปโหลด|ส่ง|ใส่)\s*(?:รูป|ภาพ)|(?:send|update) photo|ถ่ายรูป"
_STANDARD = (r"มาตรฐาน|มผช|(?<![ก-๙])อย\.?(?![ก-๙])|เลขอย|gmp|ฮาลาล|halal|organic|ออร์แกนิ|ออแกนิ|มกอช")
_CLOSURE = (r"เลิกกิจการ|ปิดกิจการ|ยกเลิกทะเบียน|ปิดทะเบียน|ยกเลิกการเป็น|ลาออกจาก|ออกจากทะเบียน"
            r"|เลิกผลิต|ปิดร้านถาวร")
# Producers' own edits waiting for an officer (officer.pending_changes), told apart from the
# committee requests (closure, relocation) by the words for a change to the data.
_CHANGE = r"(?:แก้ไข|แก้(?![วไ])|เปลี่ยนแปลง|เปลี่ยน(?!แปลง)|ปรับปรุง)(?!\s*(?:ที่อยู่|ที่ตั้ง|สถานที่))"
_WAITING = (r"รอ\s*(?:การ)?(?:ยืนยัน|ตรวจ|อนุมัติ|พิจารณา|คอนเฟิร์ม)|ค้าง|ยังไม่(?:ได้)?(?:ยืนยัน|ตรวจ|อนุมัติ|พิจารณา)"
            r"|ต้อง(?:ยืนยัน|ตรวจ|อนุมัติ)")
_PRODUCERS = r"(?:ผู้ผลิต|ผู้ประกอบการ|ใคร)"
_PENDING_CHANGES = (rf"{_CHANGE}.*(?:{_WAITING})|(?:{_WAITING}).*{_CHANGE}"
                    rf"|{_PRODUCERS}\S*\s*(?:ส่ง|ขอ)\s*{_CHANGE}|(?:คำขอ|คำร้อง|รายการ)\s*(?:ที่)?(?:ขอ)?{_CHANGE}"
                    rf"|(?:ยืนยัน|อนุมัติ|ตรวจ(?:สอบ)?|ดู)\s*(?:(?:การ|คำขอ)\s*{_CHANGE}|{_CHANGE}\s*(?:ข้อมูล)?\s*(?:ของ|จาก)?\s*{_PRODUCERS})")
# An officer correcting a producer's national ID: an edit verb before the ID's name, or the
# ID's name then "wrong" / "is" / a new value (not a question about how many are wrong).
_NID = r"เลขบัตร|บัตรประชาชน|บัตร\s*ปชช|ปชช|เลขประจำตัว|national\s*id|เลข\s*13\s*หลัก|เลขสิบสามหลัก"
_SET_NID = (rf"^(?!.*(?:กี่|เท่าไ[รห]|บ้าง|ใคร)).*?(?:"
            rf"(?:แก้|เปลี่ยน|ตั้ง|ใส่|เพิ่ม|บันทึก|กรอก|อัปเดต|ปรับ|ลง|set)\S{{0,8}}\s*(?:{_NID})"
            rf"|(?:{_NID}).*?(?:ผิด|ไม่ถูก|แก้|เปลี่ยน|เป็น|คือ|=|:))")
_COMMITTEE = r"นตผ|อนุกรรมการ|คณะกรรมการ|มติ|ผลการประชุม|ผลประชุม|ที่ประชุม|ข้อเท็จจริง|ยกเลิกในระบบ|บันทึกขั้นตอน"

RULES: tuple[Rule, ...] = (
    # Everyone: short, whole-message commands.
    _r(r"(?:ขอ|เปิด|กลับ(?:ไป)?|ดู|แสดง)?\s*(?:เมนู|menu)(?:หลัก)?(?:ให้|ค่ะ|ครับ)?", "menu", full=True),
    _r(r"(?:ขอบคุณ|ขอบใจ|ขอบพระคุณ|แต๊งกิ้ว|แต้งกิ้ว|thank you|thanks|thank|thx|ty|tq)\S*(?:\s*(?:มาก|มากๆ|นะ|จ้า|ค่ะ|ครับ|you))*",
       "thanks", full=True),
    _r(r"(?:สวัสดี|หวัดดี|ดีจ้า|hello|hi|hey|good morning)\S*(?:\s+\S{1,8})?|ดี", "greeting", full=True),
    _r(r"(?:.*\s)?(?:ยกเลิก(?:รายการนี้|คำสั่ง|อันนี้)?|cancel|ออก|พอแล้ว(?:\s*ไม่ทำต่อ)?|ไม่ทำต่อ|ไม่เอาแล้ว|เลิก\s*ไม่เอาแล้ว)",
       "cancel", full=True),
    _r(r"ช่วยเหลือ|^help|วิธีใช้|ใช้(?:งาน|บอท)?(?:ยังไง|อย่างไร)|ทำอะไรได้บ้าง|แนะนำการใช้|ไม่รู้จะพิมพ์|^งง|คู่มือ", "help"),
    # Reminders (before "เตือน" for officers).
    # Opting out and back in is for everyone (officers' digests too), so both sides.
    _r(r"หยุด(?:ส่ง)?(?:การ)?(?:แจ้ง)?เตือน|ไม่ต้อง(?:แจ้ง)?เตือน|(?<!เ)ปิด(?:การ)?(?:แจ้ง)?เตือน|เลิก(?:แจ้ง)?เตือน|หยุดส่งข้อความ"
       r"|ไม่(?:ขอ)?รับ(?:การ)?(?:แจ้ง)?เตือน|ไม่ต้องส่งข้อความ|^stop(?: reminders?)?$", "producer.stop_reminders"),
    _r(r"เปิด(?:การ)?(?:แจ้ง)?เตือน|เตือนต่อ|กลับมา(?:แจ้ง)?เตือน|เตือนได้แล้ว|ให้เตือนอีก|เตือนอีกครั้ง|start reminders|^resume"
       r"|(?:ขอ)?รับ(?:การ)?(?:แจ้ง)?เตือน", "producer.resume_reminders"),
    # Requests and their workflow.
    _r(_STATUS, "producer.request_status", None),
    _r(_PENDING_CHANGES, None, "officer.pending_changes"),
    _r(r"รออนุมัติ|คำขอค้าง|คำร้องค้าง|ค้างอยู่|รอ(?:การ)?พิจารณา|ยังไม่ได้พิจารณา|คำ(?:ขอ|ร้อง)ที่รอ|^pending|คำขอใหม่",
       "producer.request_status", "officer.pending_requests"),
    _r(_COMMITTEE, None, "officer.record_step"),
    _r(r"ไม่อนุมัติ|ปฏิเสธ|ตีกลับ|^reject|ไม่ผ่าน|ปัดตก", None, "officer.reject"),
    _r(r"อนุมัติ|^approve", None, "officer.approve"),
    # Completeness: lists of records, then "what is missing" (before the set_* rules below,
    # whose words - หมวด, ควอดแรนต์ - also name the missing field).
    _r(_LIST, None, "officer.list_records"),
    _r(_INCOMPLETE, "producer.missing", "officer.incomplete"),
    # Destructive requests: rules only, never the model alone.
    _r(_CLOSURE, "producer.request_closure", "officer.start_closure"),
    _r(r"แก้(?:ไข)?ที่อยู่|เปลี่ยนที่อยู่|ที่อยู่ใหม่|ที่อยู่ผิด|อัปเดตที่อยู่|บ้านเลขที่", "producer.update_address", None),
    _r(r"ย้าย(?:สถาน|ที่|ร้าน|โรงงาน|ไป|กิจการ)|แจ้งย้าย|ขอย้าย", "producer.request_relocation", None),
    _r(r"my record|ข้อมูล(?:ของ)?(?:ฉัน|ผม|หนู|เรา|ตัวเอง|ร้านเรา)|ทะเบียน(?:ของ)?(?:ฉัน|ผม|หนู|เรา)",
       "producer.my_record", None),
    _r(_PHOTO, "producer.send_photo", "officer.update_photo"),
    _r(_FIND, None, "officer.find"),
    _r(_STANDARD, "producer.add_standard", "officer.add_standard"),
    _r(_SET_NID, None, "officer.set_national_id"),
    # Officer commands with clear words.
    _r(r"เตือน|ทวง|^remind", None, "officer.remind_area"),
    _r(r"(?:ออก|สร้าง|ขอ|gen)\s*(?:รหัส|โค้ด|code)|รหัสเชิญ(?:ให้|ผู้)|(?:รหัส|โค้ด)\S*ให้", None, "officer.issue_link_code"),
    _r(r"ควอดแรนต์|(?<![a-z])q[abcd](?![a-z])|คิว(?:เอ|บี|ซี|ดี)|จัดกลุ่ม|ผลการจัดกลุ่ม", None, "officer.set_quadrant"),
    _r(r"ลักษณะ(?:ผู้|ผ)|ประเภทผู้|(?:เป็น|:)\s*(?:smes?|รายเดี่ยว|รายบุคคล|กลุ่มวิสาหกิจ)", None, "officer.set_producer_type"),
    _r(r"หมวด|ประเภท(?:ผลิตภัณฑ์|สินค้า)", None, "officer.set_category"),
)


def match(text: str, officer: bool) -> str | None:
    """The intent of the first rule that matches `text` for this side, or None."""
    for rule in RULES:
        intent = rule.officer if officer else rule.producer
        if intent is None:
            continue
        hit = rule.pattern.fullmatch(text) if rule.full else rule.pattern.search(text)
        if hit:
            return intent
    return None
