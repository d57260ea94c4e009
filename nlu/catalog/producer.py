"""What a producer does with their own record: link, read, edit, photos, standards, requests,
reminders. Officers' intents for the same words are their twins (`twin`)."""

from ..spec import LINKED, PRODUCER, UNLINKED, spec

_ME = r"(?:ฉัน|ผม|หนู|เรา|ตัวเอง|ของข่อย|ข่อย|เฮา|ป้า|ลุง|ยาย|ตา|พี่|กลุ่ม(?:เรา)?|ร้าน(?:เรา)?|กู|เค้า|เขา)"
_EDIT = r"(?:แก้(?:ไข)?|เปลี่ยน|อัปเดต|ปรับ|เปลี่ยนแปลง|ใส่|เพิ่ม|กรอก|ลง|แจ้ง|บันทึก|change|edit|update|set)"

LINK = spec(
    "producer.link", "ผูกบัญชีผู้ผลิต", (PRODUCER, UNLINKED), "handlers.accounts.link:producer_link",
    changes_data=True, priority=44,
    patterns=(r"ผูก(?:บัญชี|ไลน์|line|กับ)|เชื่อม(?:บัญชี|ไลน์|line|ต่อบัญชี|ข้อมูล)|link\s*(?:account|line)?|ยืนยันตัวตน"
              r"|(?:เข้า|ลงทะเบียนเข้า)(?:ใช้)?(?:งาน)?(?:ระบบ|ในฐานะ)|ลงทะเบียนเข้าใช้|(?:^|\s)ผูก\S{0,4}(?:ยังไง|ไง|อย่างไร|ได้ไหม|ได้มั้ย)|สมัคร(?:ใช้|เข้า)\S{0,6}(?:ระบบ|บอท|ไลน์)"
              r"|(?:เป็น|ฉันคือ|ผมคือ)\s*ผู้(?:ผลิต|ประกอบการ)\S{0,12}(?:ผูก|เชื่อม|เข้า|ลงทะเบียน|ใช้)",),
    slots=("national_id", "phone", "code"),
)
MY_RECORD = spec(
    "producer.my_record", "ข้อมูลของฉัน", PRODUCER, "handlers.producer.record:my_record", priority=52,
    twin="officer.find",
    patterns=(rf"my (?:record|profile|data|info)|ประวัติ(?:ของ)?\s*{_ME}|ข้อมูล(?:ของ)?\s*{_ME}|ทะเบียน(?:ของ)?\s*{_ME}|(?:ดู|เบิ่ง|ผ่อ|เปิด|ขอดู|แสดง)\s*(?:ข้อมูล|ทะเบียน|โปรไฟล์|profile)"
              rf"|(?:ข้อมูล|ทะเบียน|สินค้า|ผลิตภัณฑ์)(?:ของ)?\s*{_ME}\S{{0,10}}(?:ใน(?:ระบบ|ทะเบียน)|ขึ้นว่า|เป็นยังไง|มีอะไร)"
              # what the registry holds now: "ที่อยู่ในระบบตอนนี้เป็นที่ไหน", "ในระบบเป็นเบอร์ไหน"
              r"|(?:ใน|บน)(?:ระบบ|ทะเบียน)\S{0,16}(?:เป็น|มี|ขึ้น)\S{0,16}(?:อะไร|ไหน|ยังไง|ไร)",),
)
MISSING = spec(
    "producer.missing", "ยังขาดอะไร", PRODUCER, "handlers.producer.record:missing", priority=46,
    twin="officer.incomplete",
    patterns=(r"ขาด|ไม่ครบ|ยังไม่(?:มี|กรอก|ได้กรอก|ได้ใส่|ได้ส่ง|ระบุ|ใส่|สมบูรณ์)|ครบ(?:หรือ)?ยัง|ครบ(?:ไหม|มั้ย|บ่)|ไม่สมบูรณ์|สมบูรณ์(?:หรือ)?ยัง"
              r"|(?:ช่อง|ส่วน|ตรง)ไหน\S{0,6}(?:ว่าง|ยังไม่)|(?:ต้อง)?(?:แก้|เติม|ใส่|ทำ)\s*ไร(?:อีก)?\s*บ้าง|ยังว่าง|missing|incomplete|ต้อง(?:กรอก|เติม|ใส่)อะไร(?:อีก|เพิ่ม)|ต้องเติมอะไร|(?:เป็น|ได้|ครบ)\s*100\s*%|ร้อยเปอร์เซ็นต์"
              r"|ต้อง(?:ส่ง|กรอก|เติม|ใส่|เพิ่ม|ยื่น).{0,24}?(?:เพิ่ม|อีก)\S{0,4}(?:ไหม|มั้ย|บ่|ป่ะ|หรือเปล่า|รึเปล่า)",),
)
UPDATE_PHONE = spec(
    "producer.update_phone", "แก้เบอร์โทร", PRODUCER, "handlers.producer.profile:update_phone",
    changes_data=True, read="producer.request_status", priority=40,
    patterns=(rf"{_EDIT}\S{{0,6}}\s*(?:เบอร์|หมายเลข(?:โทร)?|โทรศัพท์|phone|มือถือ)|(?:เบอร์|phone|มือถือ)\S{{0,12}}\s*(?:ใหม่|เปลี่ยน|ผิด|เลิกใช้|ไม่ได้ใช้|หาย)"
              r"|change (?:my )?phone|new (?:phone|number)",),
    slots=("phone",),
)
UPDATE_ADDRESS = spec(
    "producer.update_address", "แก้ที่อยู่", PRODUCER, "handlers.producer.address:update_address",
    changes_data=True, read="producer.request_status", priority=41,
    patterns=(rf"{_EDIT}\S{{0,6}}\s*(?:ที่อยู่|แอดเดรส|ที่ตั้ง(?!ใหม่)|บ้านเลขที่|เลขที่บ้าน|(?<!หมวด)หมู่(?:ที่|บ้าน)?|ตำบล|ถนน|รหัสไปรษณีย์|address)"
              r"|ที่อยู่\S{0,10}\s*(?:ผิด|ไม่ถูก|ไม่ตรง|เก่า|ใหม่)|address|บ้านเลขที่\s*\d",),
    slots=("subdistrict_code", "district_code", "house_no"),
)
SALES_CHANNELS = spec(
    "producer.update_sales_channels", "แก้ช่องทางจำหน่าย", PRODUCER, "handlers.producer.lists:update_sales_channels",
    changes_data=True, read="producer.request_status", priority=42,
    patterns=(r"ช่องทาง(?:การ)?(?:จำหน่าย|ขาย|ตลาด)|sales? channel|(?:ขาย|จำหน่าย)\S{0,6}\s*(?:ทาง|ใน|บน|ผ่าน)?\s*(?:ออนไลน์|online|เฟส|facebook|fb|shopee|ช้อปปี้|lazada|ลาซาด้า|tiktok|ติ๊กต็อก|ไลน์\s*(?:shop|ช้อป)|ตลาดนัด|ต่างประเทศ|หน้าร้าน)"
              r"|(?:เพิ่ม|แก้|เปลี่ยน|อัปเดต)\S{0,6}\s*(?:ที่ขาย|ช่องทาง|ร้านออนไลน์)|ส่งออก(?:ต่างประเทศ|ไป)",),
    slots=("channels",),
)
ADD_STAR = spec(
    "producer.add_star", "เพิ่มระดับดาว", PRODUCER, "handlers.producer.lists:add_star",
    changes_data=True, read="producer.request_status", priority=43,
    patterns=(r"\d\s*ดาว|ดาว\s*\d|(?:ระดับ|ได้|คัดสรร\S*)\s*ดาว|ผลการคัดสรร|คัดสรร(?:สุดยอด)?(?:ผลิตภัณฑ์)?|product champion|opc|ติดดาว|\bstars?\b",),
    slots=("stars", "year_be"),
)
ADD_STANDARD = spec(
    "producer.add_standard", "เพิ่มมาตรฐานสินค้า", PRODUCER, "handlers.producer.standards:add_standard",
    changes_data=True, priority=45, twin="officer.add_standard", read="producer.request_status",
    patterns=(r"มาตรฐาน|มผช|(?<![ก-๙])อย\.?(?![ก-๙])|เลขอย|สารบบอาหาร|เลขทะเบียนอาหาร|gmp|ฮาลาล|halal|organic|ออร์แกนิ|ออแกนิ|มกอช|certificate|ใบรับรอง",),
    slots=("standard_scheme", "standard_number", "expiry", "product_name"),
)
SEND_PHOTO = spec(
    "producer.send_photo", "ส่งรูปสินค้า", PRODUCER, "handlers.producer.photos:send_photo",
    changes_data=True, read="producer.request_status", priority=39, twin="officer.update_photo",
    patterns=(r"(?:อัปเดต|เปลี่ยน|แก้|ลง|เพิ่ม|อัปโหลด|ส่ง|ใส่|แนบ|ถ่าย)\S{0,4}\s*(?:รูป|ภาพ|photo|pic)|(?:send|update|upload) (?:a )?(?:photo|picture|pic)"
              r"|(?:รูป|ภาพ)\S{0,12}\s*(?:ใหม่|ไม่สวย|เก่า|ไม่ชัด)",),
    slots=("product_name",),
)
REQUEST_CLOSURE = spec(
    "producer.request_closure", "แจ้งเลิกกิจการ", PRODUCER, "handlers.producer.closure:request_closure",
    changes_data=True, priority=36, twin="officer.start_closure", read="producer.request_status",
    patterns=(r"เลิกกิจการ|ปิดกิจการ|ยกเลิกทะเบียน|ปิดทะเบียน|ยกเลิกการเป็น|ลาออกจาก|ออกจาก(?:ทะเบียน|ระบบ|การเป็น|otop)|ถอนชื่อ|ถอน\S{0,6}ทะเบียน"
              r"|เลิก(?:ผลิต|ทำ(?:แล้ว|ต่อ|กิจการ|ธุรกิจ)|ขาย)|ปิดร้าน(?:ถาวร|แล้ว)?|ไม่ทำ(?:แล้ว|ต่อ)|ไม่ได้ทำแล้ว|ไม่ผลิตแล้ว|เลิกเป็นผู้|close (?:my )?business|quit otop|ยุบกลุ่ม",),
    slots=("reason", "date"),
)
REQUEST_RELOCATION = spec(
    "producer.request_relocation", "แจ้งย้ายที่ตั้ง", PRODUCER, "handlers.producer.relocation:request_relocation",
    changes_data=True, priority=37, read="producer.request_status",
    patterns=(r"ย้าย(?:สถาน|ที่ผลิต|ที่ตั้ง|ร้าน|โรง|ไป(?:ผลิต|ตั้ง|อยู่(?:อำเภอ|จังหวัด|ต่าง))|กิจการ|ฐาน|ออก|จังหวัด|อำเภอ|ทะเบียน|การผลิต|แหล่ง)|แจ้งย้าย|ขอย้าย|ย้ายจาก|relocat|move to|ที่ตั้งใหม่",),
    slots=("province_code", "district_code", "subdistrict_code", "reason"),
)
REQUEST_STATUS = spec(
    "producer.request_status", "สถานะคำขอ", PRODUCER, "handlers.producer.requests:request_status",
    priority=30, twin="officer.pending_requests",
    patterns=(r"ถึงไหน|สถานะ|ได้ผลยัง|ผลยัง|ผล(?:การ)?พิจารณา|อนุมัติ(?:หรือ|รึ)?ยัง|(?:ยืนยัน|ตรวจ|ดำเนินการ|เรียบร้อย)(?:หรือ|รึ)ยัง|ติดตาม(?:คำ|เรื่อง|สถานะ|ผล)|status"
              r"|(?:เรื่อง|คำขอ|คำร้อง|ยื่น)\S*\s*\S*(?:เป็นไง|เป็นยังไง|ไปถึง|ยังไม่(?:เห็น|ได้)|เงียบ)|ยังไม่เห็น\S{0,6}(?:ขึ้น|เปลี่ยน|อัปเดต)|รอ(?:ใคร|นาน|อีกนาน)"
              r"|(?:ยื่น|ส่ง)(?:เรื่อง|คำขอ|คำร้อง)\S{0,12}(?:แล้ว)?\s*(?:ใช่ไหม|ใช่มั้ย|ใช่ป่ะ|ใช่บ่|หรือยัง|รึยัง)|คำขอ(?:ของ)?\s*" + _ME,),
)
STOP_REMINDERS = spec(
    "producer.stop_reminders", "หยุดการแจ้งเตือน", LINKED, "handlers.reminders:stop_reminders",
    changes_data=True, priority=20,
    patterns=(r"(?:^|\s)mute(?!\S)|(?:turn\s*off|(?<!เ)ปิด)\s*(?:noti|notification|digest)|(?:(?<!ยกเลิกการ)หยุด|งด|(?<!เ)ปิด|เลิก|(?<!การหยุด)ยกเลิก|พัก)(?:ส่ง)?(?:การ)?(?:รับ)?(?:ข้อความ)?(?:แจ้ง)?เตือน|(?<!ยัง)ไม่(?:ต้อง|อยาก)?(?:ขอ)?(?:ได้)?รับ(?:การ)?(?:แจ้ง)?เตือน|(?<!ยัง)ไม่(?:ต้อง|อยาก)(?:ส่ง)?(?:การ)?(?:แจ้ง)?เตือน"
              r"|(?:หยุด|งด|เลิก)ส่งข้อความ|(?:(?<!un)mute|(?<!เ)ปิด)\s*(?:การ)?\s*(?:แจ้งเตือน|notifications?|noti|alerts?)|(?<!ยัง)ไม่ต้องส่งข้อความ|ไม่อยากได้รับ(?:ข้อความ|แจ้งเตือน)|(?:stop|mute|turn off|unsubscribe)\s*(?:reminders?|notifications?|alerts?)?(?:\s*(?:please|pls|plz))?$|^stop\b"
              r"|เตือน\S{0,10}(?:บ่อย|เยอะ|น่ารำคาญ|รำคาญ)\S{0,10}\s*\S{0,10}(?:หยุด|ปิด|พอ|ไม่ต้อง)|(?:หยุด|งด|อย่า|เลิก)ส่ง\S{0,12}(?:สรุป|digest|รายงาน|ข้อความ|เตือน|แจ้ง)(?!\S*ต่อ)"
              r"|(?<!ยัง)ไม่ต้องส่ง(?!\S{0,4}ไฟล์)\S{0,10}(?:สรุป|digest|รายงาน|ข้อความ|เตือน|แจ้ง)|(?:digest|สรุป\S{0,6})\S{0,10}\s*\S{0,6}(?:หยุด|ไม่ต้อง|พอ)",),
)
RESUME_REMINDERS = spec(
    "producer.resume_reminders", "รับการแจ้งเตือน", LINKED, "handlers.reminders:resume_reminders",
    changes_data=True, priority=21,
    patterns=(r"(?:alerts?|noti\S*|แจ้งเตือน)\s*กลับมา|turn\s*on\s*(?:การ)?(?:แจ้ง)?(?:เตือน|noti|notification|alert)|unmute|digest\s*ต่อ|(?:รับ|เปิด)\s*digest|เปิด(?:การ)?(?:รับ)?(?:แจ้ง)?เตือน|เปิด\s*(?:noti|notification|การแจ้ง)|(?:กลับมา|อยาก|ขอ)รับ\S{0,8}เตือน|เตือน\S{0,12}(?:อยาก)?ได้คืน|เตือนต่อ|กลับมา(?:แจ้ง)?เตือน|(?:ส่ง|เตือน)\S{0,6}(?:มา)?เหมือนเดิม|เตือนได้(?:แล้ว|เหมือนเดิม)|ให้เตือนอีก|เตือนอีกครั้ง|(?:start|resume|turn on|enable)\s*(?:reminders?|notifications?|alerts?)"
              r"|^resume|ยกเลิกการ(?:หยุด|ปิด)|เตือน\S{0,6}กลับมา|(?:ขอ|อยาก)?รับ(?:การ)?(?:แจ้ง)?เตือน(?:อีก|ต่อ|เหมือนเดิม|ด้วย)?|(?:ส่ง)?(?:แจ้ง)?เตือน\S{0,10}(?:เหมือนเดิม|คือเก่า|อีกที|ต่อ)",),
)
# Typed requests for the edits the record card offers as buttons.
EDIT_MENU = spec(
    "producer.edit_menu", "แก้ไขข้อมูล", PRODUCER, "handlers.producer.record:edit_menu", priority=58,
    patterns=(r"เมนู\s*แก้|(?:เว็บ)?ฟอร์ม\S{0,8}กรอก|^(?:ขอ)?(?:แก้ไข|แก้|อัปเดต|ปรับปรุง)\s*(?:ข้อมูล|รายละเอียด|ทะเบียน)(?:\s*(?:ของ)?\s*(?:ฉัน|ผม|หนู|เรา|ตัวเอง|กลุ่ม|ร้าน))?$|^edit(?: profile| record)?$",
              rf"{_EDIT}\S{{0,4}}\s*(?:ราคา|หมวด(?:หมู่)?|คำค้น(?:หา)?|ชื่อ)\S{{0,4}}\s*(?:ของ)?\s*(?:สินค้า|ผลิตภัณฑ์)|{_EDIT}\S{{0,4}}\s*(?:คำค้น|keyword)",),
)
UPDATE_BIRTH_DATE = spec(
    "producer.update_birth_date", "แก้วันเกิด", PRODUCER, "handlers.producer.profile:update_birth_date",
    changes_data=True, read="producer.request_status", priority=40, patterns=(rf"{_EDIT}\S{{0,6}}\s*(?:วัน(?:เดือนปี)?เกิด|วันเดือนปีเกิด|birth)|วันเกิด\S{{0,8}}\s*(?:ผิด|ไม่ถูก)",),
)
UPDATE_TYPE = spec(
    "producer.update_type", "แก้ประเภทผู้ผลิต", PRODUCER, "handlers.producer.profile:update_type",
    changes_data=True, read="producer.request_status", priority=40,
    patterns=(rf"{_EDIT}\S{{0,6}}\s*(?:ประเภท|ลักษณะ)(?:ผู้ผลิต|ผู้ประกอบการ|การผลิต)|(?:เป็น|จาก)\S{{0,8}}(?:กลุ่ม|รายเดี่ยว)\S{{0,8}}\s*(?:แล้ว|เป็น)"
              r"|(?:เปลี่ยน|แก้)(?:ให้)?เป็น\s*(?:ผู้ผลิต|ผู้ประกอบการ)?\s*(?:รายเดียว|รายเดี่ยว|บุคคล|คนเดียว|กลุ่ม|วิสาหกิจ|sme|เอสเอ็มอี)"
              r"|(?:ทำ|ผลิต)(?:อยู่)?คนเดียว\S{0,12}\s*ไม่(?:ใช่|ได้เป็น)\s*กลุ่ม",),
    slots=("producer_type",),
)
UPDATE_NATIONAL_ID = spec(
    "producer.update_national_id", "แก้เลขบัตรประชาชน", PRODUCER, "handlers.producer.profile:update_national_id",
    changes_data=True, read="producer.request_status", priority=40,
    patterns=(rf"{_EDIT}\S{{0,6}}\s*(?:เลข(?:บัตร|ประจำตัว)|บัตร(?:ประชาชน|ปชช))|(?:เลขบัตร|บัตรประชาชน)\S{{0,10}}\s*(?:ผิด|ไม่ถูก|ไม่ตรง)",),
    slots=("national_id",),
)
UPDATE_OWNER = spec(
    "producer.update_owner", "แก้ชื่อเจ้าของ", PRODUCER, "handlers.producer.profile:update_owner",
    changes_data=True, read="producer.request_status", priority=40, patterns=(rf"{_EDIT}\S{{0,6}}\s*(?:ชื่อ(?:เจ้าของ|ผู้ประกอบการ|-?สกุล|นามสกุล|ประธาน)|นามสกุล)|(?:ประธาน|เจ้าของ)(?:กลุ่ม|ร้าน)?\s*(?:คน)?ใหม่",),
)
UPDATE_PROJECTS = spec(
    "producer.update_projects", "แก้โครงการ", PRODUCER, "handlers.producer.lists:update_projects",
    changes_data=True, read="producer.request_status", priority=40, patterns=(r"โครงการ(?:ที่)?(?:เข้าร่วม)?",),
)
WITHDRAW_REQUEST = spec(
    "producer.withdraw_request", "ถอนคำขอ", PRODUCER, "handlers.producer.requests:withdraw_request",
    changes_data=True, priority=25,
    patterns=(r"(?:ยกเลิก|ถอน|ดึง|withdraw)\s*(?:คำขอ|คำร้อง|เรื่อง|การแจ้ง|(?:my )?request)|เปลี่ยนใจ\S{0,12}(?:ไม่|ยกเลิก|ถอน)|ไม่(?:เลิก|ย้าย)แล้ว"
              # the request, then taking it back ("...ไม่เอาแล้ว ถอนออกให้ด้วย", "ขอดึงกลับคืน")
              r"|ไม่เอา(?:คำขอ|คำร้อง|เรื่อง)|(?:คำขอ|คำร้อง|เรื่อง)\S{0,30}(?:\s+\S{0,30})?\s*(?:ไม่เอาแล้ว|ถอนออก|ถอนคืน|ดึง\S{0,4}กลับ)|ถอนออก|ดึง\S{0,4}กลับคืน",),
)

MY_DATA = spec(
    "producer.my_data", "ข้อมูลส่วนตัวของฉัน", PRODUCER, "handlers.producer.my_data:my_data", priority=51,
    patterns=(r"ข้อมูลส่วน(?:ตัว|บุคคล)|pdpa|(?:ขอ)?(?:ลบ|ดู)\S{0,4}ข้อมูลส่วน|ใคร\S{0,6}ดูข้อมูล(?:ของ)?\s*" + _ME + r"|เก็บข้อมูล\S{0,10}(?:อะไร|ไว้)|(?:ระบบ|บอท)\s*เก็บ\S{0,16}(?:ไว้|อะไร)|เก็บไว้\S{0,4}เกี่ยวกับ|(?:เลขบัตร|ข้อมูล)\S{0,16}เอาไป(?:ทำ|ใช้)อะไร",),
)

SPECS = (MY_DATA, LINK, MY_RECORD, MISSING, UPDATE_PHONE, UPDATE_ADDRESS, SALES_CHANNELS, ADD_STAR, ADD_STANDARD,
         SEND_PHOTO, REQUEST_CLOSURE, REQUEST_RELOCATION, REQUEST_STATUS, STOP_REMINDERS, RESUME_REMINDERS,
         EDIT_MENU, UPDATE_BIRTH_DATE, UPDATE_TYPE, UPDATE_NATIONAL_ID, UPDATE_OWNER, UPDATE_PROJECTS,
         WITHDRAW_REQUEST)
