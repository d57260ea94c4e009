"""Thai texts of the global commands, refusals and fallbacks (one place)."""

from __future__ import annotations

from models import Role
from nlu.catalog import SPECS as INTENT_SPECS

T = {
    "greeting": (
        "สวัสดีค่ะ ยินดีต้อนรับสู่ผู้ช่วย OTOP Big Data ของกรมการพัฒนาชุมชน\n"
        "ช่วยให้ข้อมูลผู้ผลิตและผลิตภัณฑ์ OTOP ถูกต้อง ครบถ้วน และเป็นปัจจุบันค่ะ"
    ),
    "how_to_start": (
        "เริ่มต้นใช้งาน:\n"
        "• ผู้ผลิต: แตะ \"ผูกบัญชีผู้ผลิต\" แล้วกรอกเลขบัตรประชาชนกับเบอร์โทรที่ลงทะเบียนไว้ "
        "หรือพิมพ์รหัสที่ได้รับจากพัฒนาการอำเภอ\n"
        "• เจ้าหน้าที่: พิมพ์รหัสเชิญ 8 ตัวที่ได้รับ เช่น ABCD-EFGH"
    ),
    "welcome_back": "สวัสดีค่ะ คุณ{name} ต้องการให้ช่วยเรื่องใดคะ",
    "help_unlinked": (
        "บัญชี LINE นี้ยังไม่ได้เชื่อมกับข้อมูล OTOP ค่ะ\n"
        "• ผู้ผลิต: พิมพ์ \"ผูกบัญชี\" แล้วกรอกเลขบัตรประชาชนและเบอร์โทรที่ลงทะเบียนไว้\n"
        "• มีรหัสจากเจ้าหน้าที่: พิมพ์รหัส 8 ตัวได้เลย\n"
        "คำสั่งที่ใช้ได้ทุกเมื่อ: เมนู, ช่วยเหลือ, ยกเลิก"
    ),
    "help_producer": (
        "ท่านใช้งานในฐานะผู้ผลิต OTOP ค่ะ\n"
        "• ดูข้อมูลของท่าน: พิมพ์ \"ข้อมูลของฉัน\"\n"
        "• ส่งรูปสินค้า: ส่งรูปเข้ามาในแชตได้เลย\n"
        "คำสั่งที่ใช้ได้ทุกเมื่อ: เมนู, ช่วยเหลือ, ยกเลิก"
    ),
    "help_officer": (
        "ท่านใช้งานในฐานะเจ้าหน้าที่ ({area}) ค่ะ\n"
        "• ดูรายชื่อผู้ผลิตในพื้นที่: พิมพ์ \"รายชื่อผู้ผลิต\"\n"
        "• ออกรหัสให้ผู้ผลิตผูกบัญชี: แตะปุ่ม \"ออกรหัสผูกบัญชี\" บนการ์ดผู้ผลิต\n"
        "คำสั่งที่ใช้ได้ทุกเมื่อ: เมนู, ช่วยเหลือ, ยกเลิก"
    ),
    "menu": "เลือกเมนูได้เลยค่ะ",
    "cancelled": "ยกเลิกเรื่องที่ทำอยู่แล้วค่ะ",
    "nothing_to_cancel": "ตอนนี้ไม่มีเรื่องที่ค้างอยู่ค่ะ",
    "thanks": "ยินดีค่ะ มีอะไรให้ช่วยเพิ่มเติมบอกได้เลยนะคะ",
    "unknown": "ขออภัยค่ะ ยังไม่เข้าใจข้อความนี้ ลองเลือกจากเมนู หรือพิมพ์ \"ช่วยเหลือ\" ค่ะ",
    "negated": "รับทราบค่ะ ยังไม่ได้ดำเนินการหรือบันทึกอะไรให้นะคะ เมื่อพร้อมแล้วพิมพ์บอกได้เลยค่ะ",
    "smalltalk": "ขอบคุณที่ทักมาคุยนะคะ 😊 ผู้ช่วยนี้ดูแลเรื่องข้อมูล OTOP ของท่าน เลือกเรื่องที่ต้องการจากเมนูด้านล่างได้เลยค่ะ",
    "did_you_mean": "ขออภัยค่ะ ไม่แน่ใจว่าหมายถึงเรื่องใด ลองเลือกจากตัวเลือกด้านล่างนะคะ",
    "not_available": "ขออภัยค่ะ เรื่องนี้ยังไม่เปิดให้บริการทางแชต",
    "unsupported": "ขออภัยค่ะ ตอนนี้รับได้เฉพาะข้อความและรูปภาพค่ะ",
    "group_chat": "ขออภัยค่ะ ผู้ช่วย OTOP ใช้งานได้ในแชตส่วนตัวเท่านั้น เพื่อความปลอดภัยของข้อมูลค่ะ",
    "error": "ขออภัยค่ะ ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งในภายหลังนะคะ",
    "refuse_unlinked": (
        "ขออภัยค่ะ ต้องเชื่อมบัญชี LINE กับข้อมูล OTOP ก่อนจึงจะใช้เรื่องนี้ได้\n"
        "• ผู้ผลิต: พิมพ์ \"ผูกบัญชี\"\n• มีรหัสจากเจ้าหน้าที่: พิมพ์รหัส 8 ตัวได้เลย"
    ),
    "refuse_role_officer": "ขออภัยค่ะ เรื่องนี้สำหรับเจ้าหน้าที่พัฒนาชุมชนเท่านั้น",
    "refuse_role_producer": "ขออภัยค่ะ เรื่องนี้สำหรับผู้ผลิตที่ผูกบัญชีแล้วเท่านั้น",
    "refuse_role": "ขออภัยค่ะ บัญชีของท่านไม่มีสิทธิ์ใช้เรื่องนี้",
    "refuse_area": (
        "ขออภัยค่ะ ท่านดูได้เฉพาะข้อมูลในพื้นที่ของท่าน "
        "หากต้องการข้อมูลพื้นที่อื่น กรุณาติดต่อสำนักงานพัฒนาชุมชนที่รับผิดชอบค่ะ"
    ),
    # An officer asking outside their area: name the area asked and their own, offer their own.
    "refuse_area_named": (
        "ขออภัยค่ะ {asked}อยู่นอกพื้นที่ของท่าน ท่านดูได้เฉพาะข้อมูลในพื้นที่ของท่าน คือ{home}\n"
        "แตะด้านล่างเพื่อดูของ{home_short}ได้เลยค่ะ หากต้องการข้อมูลพื้นที่อื่น "
        "กรุณาติดต่อสำนักงานพัฒนาชุมชนที่รับผิดชอบค่ะ"
    ),
    "refuse_record_named": (
        "ขออภัยค่ะ รายการนี้อยู่นอกพื้นที่ของท่าน ท่านดูได้เฉพาะข้อมูลในพื้นที่ของท่าน คือ{home}\n"
        "แตะด้านล่างเพื่อดูรายชื่อผู้ผลิตใน{home_short}ได้เลยค่ะ"
    ),
    "offer_home": "ดู{home_short}",
    "narrowed": ("ข้อมูลระดับ{asked}เปิดให้เจ้าหน้าที่ระดับจังหวัดค่ะ ท่านดูแล{home} "
                 "จึงแสดงข้อมูลของ{home_short}ให้ค่ะ"),
    "offer_home_list": "รายชื่อผู้ผลิตในพื้นที่",
    "refuse_producer": "ขออภัยค่ะ ท่านดูและแก้ไขได้เฉพาะข้อมูลของท่านเองเท่านั้น",
    "image_received": "ได้รับรูปแล้วค่ะ ขอบคุณนะคะ",
    "image_unlinked": "ได้รับรูปแล้วค่ะ แต่บัญชีนี้ยังไม่ได้ผูกกับข้อมูลผู้ผลิต จึงยังบันทึกรูปไม่ได้",
    "image_failed": "ขออภัยค่ะ ดาวน์โหลดรูปไม่สำเร็จ กรุณาส่งใหม่อีกครั้งค่ะ",
}

ROLE_TH = {
    Role.PRODUCER: "ผู้ผลิต",
    Role.DISTRICT: "พัฒนาการอำเภอ",
    Role.PROVINCE: "พัฒนาการจังหวัด",
    Role.CENTRAL: "กรมการพัฒนาชุมชน",
}

# Menu entries per role: (label, intent). Only intents that are registered are shown, so
# handlers added later appear by registering under these names.
MENU = {
    None: [("ผูกบัญชีผู้ผลิต", "producer.link"), ("ใส่รหัสเชิญ", "account.redeem_code"), ("ช่วยเหลือ", "help")],
    Role.PRODUCER: [
        ("ข้อมูลของฉัน", "producer.my_record"), ("ยังขาดอะไร", "producer.missing"),
        ("ส่งรูปสินค้า", "producer.send_photo"), ("แก้ไขข้อมูล", "producer.edit_menu"),
        ("แจ้งเลิก/ย้าย", "producer.request_closure"), ("สถานะคำขอ", "producer.request_status"),
        ("ช่วยเหลือ", "help"),
    ],
    "officer": [
        ("ยังไม่ครบ", "officer.incomplete"), ("รายงาน", "officer.monthly_report"),
        ("คำขอรออนุมัติ", "officer.pending_requests"), ("รายชื่อผู้ผลิต", "officer.list_producers"),
        ("ค้นหา", "officer.find"), ("ช่วยเหลือ", "help"),
    ],
}

# Labels for intents offered as "did you mean" choices. Small talk and answers (greeting,
# thanks, yes, no) are never offered: a button saying "ไม่ใช่" answers nothing.
NOT_OFFERED = frozenset({"greeting", "thanks", "yes", "no", "unknown"})
# Offered only to a user whose account is not linked yet (a linked producer who typed "ยืนยัน"
# out of context was offered "ผูกบัญชีผู้ผลิต").
OFFERED_UNLINKED_ONLY = frozenset({"producer.link"})
INTENT_LABELS = {name: label for entries in MENU.values() for label, name in entries}
# Every other intent's label is declared with the intent (nlu/catalog/); menu entries keep
# the menu's wording.
INTENT_LABELS.update({name: spec.label for name, spec in INTENT_SPECS.items()
                      if name not in INTENT_LABELS and name not in {"greeting", "thanks", "yes", "no", "unknown", "help"}})

# The conversation engine (handlers/engine.py, handlers/engine_turns.py).
ENGINE = {
    "form": "ที่กรอกค้างไว้",
    "expired": "การสนทนาเดิมหมดเวลาแล้ว จึงเริ่มใหม่ให้นะคะ",
    "expired_form": "แบบฟอร์ม{title}หมดเวลาแล้วค่ะ (เก็บไว้ให้ {hours} ชั่วโมง) จึงยังไม่ได้บันทึกอะไร",
    "expired_given": "\nที่เคยกรอกไว้: {given}",
    "cancel_hint": "หากต้องการหยุด แตะ \"ยกเลิก\" หรือพิมพ์ ยกเลิก ได้เลยค่ะ",
    "confirm_again": "กรุณาตอบ \"ยืนยัน\" หรือ \"ยกเลิก\" ค่ะ (พิมพ์ค่าที่ต้องการแก้ได้เลย)",
    "changed": "แก้ให้แล้วค่ะ",
    "cancelled": "ยกเลิกเรื่องที่ทำอยู่แล้วค่ะ ข้อมูลเดิมยังอยู่ครบ ไม่มีอะไรเปลี่ยนแปลง",
    "empty": "กรุณาพิมพ์คำตอบค่ะ",
    "skip": "ข้าม",
    "yes": "ยืนยัน",
    "no": "ยกเลิก",
    "back_label": "ย้อนกลับ",
    "resume": "ทำต่อ",
    "resume_given": "กรอกต่อจากเดิมนะคะ (กรอกแล้ว: {given})",
    "already_here": "กำลังทำเรื่องนี้อยู่ค่ะ ตอบคำถามด้านล่างได้เลย",
    "menu_kept": "เลือกเมนูได้เลยค่ะ",
    "kept": "แบบฟอร์ม{title}ยังเก็บไว้ให้ถึง {until} น. {day} แตะ \"ทำต่อ\" เพื่อกรอกต่อจากเดิมค่ะ",
    "kept_given": "\nกรอกแล้ว: {given}",
    "today": "วันนี้",
    "tomorrow": "พรุ่งนี้",
    "first_question": "นี่คือคำถามข้อแรกแล้วค่ะ",
    "photo_kept": "ได้รับรูปแล้วค่ะ จะแนบให้ทันทีที่เลือกสินค้า",
    "help_generic": "ตอบคำถามด้านล่างด้วยการพิมพ์ หรือแตะปุ่มตัวเลือกได้เลยค่ะ",
    "help_example": "ตัวอย่างคำตอบ: {example}",
    "help_date": "วันที่: แตะ \"เลือกวันที่\" เพื่อเลือกจากปฏิทิน หรือพิมพ์ เช่น 15/1/2570, พรุ่งนี้, สิ้นเดือนนี้",
    "help_skip": "ถ้าไม่มี แตะ \"ข้าม\" ได้ค่ะ",
    "help_words": "พิมพ์ \"ย้อนกลับ\" เพื่อแก้ข้อก่อนหน้า, \"ยกเลิก\" เพื่อหยุด (ไม่มีอะไรถูกบันทึก), "
                  "\"ขอคุยกับเจ้าหน้าที่\" เพื่อติดต่อเจ้าหน้าที่",
    "help_confirm": "ตรวจข้อมูลด้านล่าง ถ้าถูกต้องแตะ \"ยืนยัน\" ถ้าต้องการแก้ พิมพ์ค่าใหม่หรือแตะ \"ย้อนกลับ\" ค่ะ",
    "pick_date": "เลือกวันที่",
    "camera": "ถ่ายรูป",
    "camera_roll": "เลือกรูปจากเครื่อง",
    "location": "ส่งตำแหน่ง",
    "officer_contact": ("ติดต่อเจ้าหน้าที่ได้ที่สำนักงานพัฒนาชุมชนอำเภอ{district} ในวันและเวลาราชการค่ะ"
                        "\nแจ้งเจ้าหน้าที่ให้แล้วว่าท่านต้องการให้ติดต่อกลับ"),
    "officer_contact_plain": "ติดต่อเจ้าหน้าที่ได้ที่สำนักงานพัฒนาชุมชนอำเภอที่ท่านอยู่ ในวันและเวลาราชการค่ะ",
    "officer_push": "ผู้ผลิต {name} ({code}) ขอให้เจ้าหน้าที่ติดต่อกลับค่ะ โทร {phone}",
}
