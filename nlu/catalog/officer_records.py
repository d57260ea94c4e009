"""Officers looking up and correcting one record: search, photos, standards, Quadrant,
category, producer type, national ID, link codes."""

from ..spec import OFFICER, spec

_TARGET = ("query", "code", "product_name", "producer_id")
_SET = r"(?:แก้(?:ไข)?|เปลี่ยน|ตั้ง|ใส่|เพิ่ม|บันทึก|กรอก|อัปเดต|ปรับ|ลง|set|กำหนด|ระบุ|เลื่อน|ย้าย(?=\S{0,4}(?:quadrant|ควอด|กลุ่ม|ไป)))"
_NID = r"เลขบัตร|บัตรประชาชน|บัตร\s*ปชช|ปชช|เลขประจำตัว|national\s*id|เลข\s*13\s*หลัก|เลขสิบสามหลัก|เลขบปช"

FIND = spec(
    "officer.find", "ค้นหา", OFFICER, "handlers.officer.records:find", priority=49,
    area="producer", slots=_TARGET + ("national_id", "phone", "dataset"),
    patterns=(r"^(?:ค้นหา|ค้น|หา|search|find|lookup|look up)(?:\s|ผู้|ร้าน|สินค้า|ผลิตภัณฑ์|เลข|ชื่อ|กลุ่ม|วิสาหกิจ|ข้อมูล)|มีใครทำ|ใคร(?:ทำ|ผลิต|ขาย)|อยู่(?:ที่)?(?:ไหน|อำเภอไหน|ตรงไหน)"
              r"|ของใคร|(?:เลขบัตร|เบอร์|รหัส|code)\S{0,12}\s*[\dA-Za-z][\d\s-]{6,}\S*\s*(?:เป็น)?(?:ของ)?\S{0,10}(?:ราย|คน|เจ้า|ร้าน|กลุ่ม)ไหน|(?:ขอ|ดู|เปิด)\s*(?:ข้อมูล|การ์ด|ประวัติ|รายละเอียด)\S{0,6}\s*(?:ของ)?\s*(?:ผู้|ร้าน|กลุ่ม|นาย|นาง|ป้า|ลุง|รหัส|เลข|วิสาหกิจ)|(?:มี|อยู่)ใน(?:ระบบ|ทะเบียน)(?:ไหม|มั้ย|หรือเปล่า|รึเปล่า|บ่)"
              r"|(?:เป็น)?(?:ผู้ผลิต|ผู้ประกอบการ)\S{0,10}(?:ไหม|มั้ย|หรือเปล่า)|เบอร์(?:นี้|โทร)\S{0,6}(?:ของ|เป็นของ)|ตรวจ(?:สอบ)?\s*(?:ข้อมูล|รายชื่อ)?\s*(?:ผู้ผลิต|ร้าน|รหัส|เลข)|ค้นหา|ดูข้อมูล\S{0,4}(?:ผู้|ร้าน|รหัส)",),
)
UPDATE_PHOTO = spec(
    "officer.update_photo", "เปลี่ยนรูปสินค้า", OFFICER, "handlers.officer.photo:update_photo", priority=39,
    changes_data=True, area="producer", slots=_TARGET, read="officer.list_records",
    patterns=(r"(?:อัปเดต|เปลี่ยน|แก้|ลง|เพิ่ม|อัปโหลด|ส่ง|ใส่|แนบ|ถ่าย)\S{0,4}\s*(?:รูป|ภาพ|photo|pic)|(?:send|update|upload|add|change) (?:a |the )?(?:photo|picture|pic)",),
)
ADD_STANDARD = spec(
    "officer.add_standard", "เพิ่มมาตรฐานสินค้า", OFFICER, "handlers.officer.standards:add_standard", priority=45,
    changes_data=True, area="producer", slots=_TARGET + ("standard_scheme", "standard_number", "expiry"), read="officer.list_records",
    patterns=(r"มาตรฐาน|มผช|(?<![ก-๙])อย\.?(?![ก-๙])|เลขอย|สารบบอาหาร|เลขทะเบียนอาหาร|gmp|ฮาลาล|halal|organic|ออร์แกนิ|ออแกนิ|มกอช|ใบรับรอง|certificate",),
)
SET_NATIONAL_ID = spec(
    "officer.set_national_id", "แก้เลขบัตรประชาชน", OFFICER, "handlers.officer.updates:run", priority=44,
    changes_data=True, area="producer", slots=_TARGET + ("national_id",), read="officer.list_records",
    patterns=(rf"^(?!.*(?:กี่|เท่าไ[รห]|บ้าง|ใคร)).*?(?:{_SET}\S{{0,8}}\s*(?:{_NID})|(?:{_NID}).*?(?:ผิด|ไม่ถูก|แก้|เปลี่ยน|เป็น(?!ผู้|ของ|คน)|คือ|=|:|หมดอายุ|ใหม่))",),
)
ISSUE_LINK_CODE = spec(
    "officer.issue_link_code", "ออกรหัสผูกบัญชี", OFFICER, "handlers.officer.records:issue_code", priority=27,
    changes_data=True, area="producer", slots=_TARGET,
    patterns=(r"(?:ออก|สร้าง|ขอ|gen|generate|issue|ส่ง)\s*(?:รหัส|โค้ด|code)|รหัสเชิญ|(?:รหัส|โค้ด)\S{0,6}(?:ให้|ผูก|เชื่อม)|link\s*code|invite\s*code|ผูกบัญชีให้|เชื่อม(?:บัญชี|ไลน์)ให้",),
)
SET_QUADRANT = spec(
    "officer.set_quadrant", "กำหนด Quadrant", OFFICER, "handlers.officer.updates:run", priority=48,
    changes_data=True, area="producer", slots=_TARGET + ("quadrant",), read="officer.list_records",
    patterns=(r"ควอดแรนต์|ควอด|ควอแดรน|(?<![a-z])quadrant(?![a-z])|(?<![a-z])q[abcd](?![a-z])|(?<![a-z])q\s+[abcd](?![a-z])|คิว\s*(?:เอ|บี|ซี|ดี)|จัดกลุ่ม(?:สินค้า|ผลิตภัณฑ์)?|ผลการจัดกลุ่ม|ระดับ\s*[abcd](?![a-z])|กลุ่ม\s*[abcd](?![a-z])|(?<![a-z])q\s*(?:เป็น|=|:)\s*(?:[abcd](?![a-z])|เอ|บี|ซี|ดี)",),
)
SET_PRODUCER_TYPE = spec(
    "officer.set_producer_type", "กำหนดประเภทผู้ผลิต", OFFICER, "handlers.officer.updates:run", priority=48,
    changes_data=True, area="producer", slots=_TARGET + ("producer_type",), read="officer.list_records",
    patterns=(r"ลักษณะ(?:ผู้|ผ|การ)|ประเภท(?:ผู้|ของผู้)|(?:เป็น|:|->|→)\s*(?:smes?|รายเดี่ยว|รายบุคคล|ผู้ผลิตรายเดียว|กลุ่มวิสาหกิจ|วิสาหกิจชุมชน|(?:ผู้ผลิต)?แบบ\s*(?:กลุ่ม|รายเดี่ยว|รายเดียว|บุคคล)|กลุ่ม(?:ผู้ผลิต)?(?!\s*[abcd]))"
              r"|(?:set|change)\s*type|producer type",),
)
SET_CATEGORY = spec(
    "officer.set_category", "กำหนดประเภทสินค้า", OFFICER, "handlers.officer.updates:run", priority=49,
    changes_data=True, area="producer", slots=_TARGET + ("category",), read="officer.list_records",
    patterns=(r"หมวด|ประเภท(?:ผลิตภัณฑ์|สินค้า)?|category|(?:เป็น|:|->|→)\s*(?:อาหาร|เครื่องดื่ม|ผ้า|เครื่องแต่งกาย|ของใช้|ของตกแต่ง|ของที่ระลึก|สมุนไพร)",),
)

SPECS = (FIND, UPDATE_PHOTO, ADD_STANDARD, SET_NATIONAL_ID, ISSUE_LINK_CODE, SET_QUADRANT, SET_PRODUCER_TYPE,
         SET_CATEGORY)
