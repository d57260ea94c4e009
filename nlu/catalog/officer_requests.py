"""Officers and the committee workflows: the queue, approve, reject, committee steps,
closures started by the office, and producers' edits waiting for confirmation."""

from ..spec import OFFICER, spec

_REQ = ("request_id", "reason", "date")
_CHANGE = r"(?:แก้ไข|แก้(?![วไ])|เปลี่ยนแปลง|เปลี่ยน(?!แปลง)|ปรับปรุง|เสนอ|อัปเดต)(?!\s*(?:ที่อยู่|ที่ตั้ง|สถานที่))"
_WAITING = (r"รอ\s*(?:การ|เรา|ให้|เจ้าหน้าที่)?\s*(?:ยืนยัน|ตรวจ|อนุมัติ|พิจารณา|คอนเฟิร์ม|กด|ดู)|ค้าง|ยังไม่(?:ได้)?(?:ยืนยัน|ตรวจ|อนุมัติ|พิจารณา|ดู)"
            r"|ต้อง(?:ยืนยัน|ตรวจ|อนุมัติ)|pending|waiting")
_WHO = r"(?:ผู้ผลิต|ผู้ประกอบการ|ใคร|คน|ชาวบ้าน|สมาชิก)"

PENDING_CHANGES = spec(
    "officer.pending_changes", "คำขอแก้ไขข้อมูล", OFFICER, "handlers.officer.changes:pending_changes", priority=29,
    patterns=(rf"{_CHANGE}.*(?:{_WAITING})|(?:{_WAITING}).*{_CHANGE}|{_WHO}(?!\S*(?:ยังไม่|ไม่ได้))\S*\s*(?:ส่ง|ขอ|เสนอ)\S{{0,6}}\s*(?:{_CHANGE}|มาตรฐาน|รูป|ข้อมูลใหม่)"
              rf"|(?:คำขอ|คำร้อง|รายการ)\s*(?:ที่)?(?:ขอ)?{_CHANGE}|pending change|(?:ยืนยัน|อนุมัติ|ตรวจ(?:สอบ)?|ดู)\s*(?:(?:การ|คำขอ)\s*{_CHANGE}|{_CHANGE}\s*(?:ข้อมูล)?\s*(?:ของ|จาก)?\s*{_WHO})"
              r"|(?:ไม่)?(?:อนุมัติ|ยืนยัน)\s*(?:การ)?(?:แก้ไข|แก้|เปลี่ยนแปลง)|ข้อมูล(?:ที่)?(?:ผู้ผลิต|ผู้ประกอบการ)?\S{0,6}(?:ส่ง|แก้)(?:มา|เอง)|(?:ผู้ผลิต|ผู้ประกอบการ)\S{0,6}แก้(?:ไข)?(?:ข้อมูล)?(?:เอง|มา)|รายการ(?:ที่)?รอ(?:การ)?ยืนยัน|changes? (?:waiting|pending|to confirm)|waiting for (?:my )?confirm",),
)
PENDING_REQUESTS = spec(
    "officer.pending_requests", "คำขอรออนุมัติ", OFFICER, "handlers.officer.requests:pending_requests", priority=31,
    patterns=(r"รออนุมัติ|ค้าง(?:การ)?อนุมัติ|รอพิจารณา|(?:รายการ|คำขอ|คำร้อง)\S{0,4}ที่\s*(?:ยัง)?รอ(?:อยู่|ดำเนินการ)|(?:คำขอ|คำร้อง|เรื่อง|งาน)\S{0,6}(?:ที่)?(?:ยังไม่(?:ได้)?(?:อนุมัติ|พิจารณา|ทำ|ดำเนินการ)|เกิน(?:กำหนด|\s*\d+\s*วัน))|เกิน\s*\d+\s*วัน|รอการพิจารณา|คำ(?:ขอ|ร้อง)\S{0,12}(?:ค้าง|ที่รอ|ใหม่|รอ|ทั้งหมด|มี(?:อะไร|ไหม|กี่)|บ้าง)|ค้างอยู่|ค้าง(?:เกิน|นาน)|งานค้าง|เรื่องค้าง|ยังไม่ได้พิจารณา"
              r"|^pending|pending requests?|queue|คิว(?:งาน|คำขอ)|ยื่น(?:เรื่อง|คำขอ)?มา(?:ใหม่)?|ขอ(?:เลิก|ย้าย|ยกเลิก)\S{0,12}มา(?:บ้าง|ใหม่|กี่|ไหม)|(?:มี)?ใคร\S{0,4}ขอ(?:เลิก|ย้าย|ยกเลิก)|เรื่อง(?:ที่)?(?:รอ|เข้ามา|ใหม่)"
              r"|(?:คำขอ|คำร้อง|เรื่อง)\S{0,20}(?:ถึงไหน|สถานะ|เป็นไง|ไปถึง)",),
)
RECORD_STEP = spec(
    "officer.record_step", "บันทึกขั้นตอนคำขอ", OFFICER, "handlers.officer.requests:record_step", priority=22,
    changes_data=True, slots=_REQ, read="officer.pending_requests",
    patterns=(r"^(?!\s*(?:อนุมัติ|approve|เห็นชอบ|(?:ตั้ง|กำหนด|วาง)\s*(?:ค่า)?(?:เป้า|kpi)))"
              r"(?!(?!\s*(?:บันทึก|ลง|record))(?=.*(?:^|\s|\d)(?:ดำเนินการ)?(?:(?:ไม่|บ่)\s*(?:อนุม[ัิ]?ติ|ผ่าน)|อนุม[ัิ]?ติ)(?!\S*แล้ว)))"
              r"(?!.*(?:กดอนุมัติ|อนุมัติ(?:ให้|เลย|ได้เลย|\s*$)|approve))(?!.*(?:ปฏิเสธ|ไม่อนุมัติ|reject|ตีกลับ|ยกคำร้อง))(?:.*?)(?:นตผ|อนุฯ|อนุ\s*ฯ|sub-?committee|committee|meeting|เครือข่าย|อนุกรรมการ|คณะกรรมการ|มติ|ผล(?:การ)?ประชุม|ที่ประชุม|ประชุม\S{0,10}(?:แล้ว|เมื่อ|วันที่)|ประชุม(?:กรรมการ|กก)|บันทึกผล|ข้อเท็จจริง|fact.?check|ลงพื้นที่(?:ตรวจ|แล้ว)|ตรวจสอบ(?:พื้นที่|สถานที่)"
              r"|^(?:ลง|บันทึก)(?:ไว้)?ว่า\s*(?:คำร้อง|คำขอ|เรื่อง)|ยกเลิกในระบบ|บันทึกขั้นตอน|ขั้นตอน(?:ที่|ต่อไป)|record step|ไปตรวจ\S{0,20}มาแล้ว)",
              # opening with the step itself, whatever the step says (even "approved")
              r"^(?:record step|บันทึกขั้นตอน|(?:อัปเดต|อัพเดท|อัพเดต|update)\s*สถานะ\s*(?:ของ)?\s*(?:คำร้อง|คำขอ|เรื่อง|request))",),
)
REJECT = spec(
    "officer.reject", "ไม่อนุมัติคำขอ", OFFICER, "handlers.officer.requests:reject", priority=23,
    changes_data=True, slots=_REQ, read="officer.pending_requests",
    patterns=(r"(?<!ยัง)(?:ไม่|บ่)อนุม[ัิ]?ติ(?!\s*(?:การ)?(?:แก้ไข|แก้|เปลี่ยนแปลง|ข้อมูลที่))|ยกคำร้อง|ปฏิเสธ|ตีกลับ|reject|decline|not\s*approve|disapprove|(?<!ยัง)ไม่ผ่าน|ปัดตก|ไม่(?:รับ|ให้)(?:ลงทะเบียน|ย้าย|เลิก|ผ่าน)|ไม่เห็นชอบ|ยกคำขอ|ไม่รับคำขอ|ส่งกลับ(?:ไป)?แก้",),
)
APPROVE = spec(
    "officer.approve", "อนุมัติคำขอ", OFFICER, "handlers.officer.requests:approve", priority=24,
    changes_data=True, slots=_REQ, read="officer.pending_requests",
    patterns=(r"(?<!รอ)(?<!รอการ)(?<!ที่รอ)(?<!ค้าง)(?<!ค้างการ)(?<!คำขอให้)(?<!คำร้องให้)อนุม[ัิ]?ติ(?!\s*(?:การ)?(?:แก้ไข|แก้|เปลี่ยนแปลง|ข้อมูลที่))|approve|เห็นชอบ|(?:ให้|กด)ผ่าน|ผ่านได้|โอเค\S{0,4}(?:ให้)?(?:ผ่าน|คำขอ)|ลงทะเบียนรับ(?:ย้าย)?|รับย้าย|รับลงทะเบียน|อนุญาต|ok\s*คำขอ|ตาม(?:ที่)?เสนอ|ยืนยันคำ(?:ขอ|ร้อง)\s*(?:ที่|เลขที่)?\s*\d",),
)
START_CLOSURE = spec(
    "officer.start_closure", "เริ่มยกเลิกทะเบียน", OFFICER, "handlers.officer.requests:start_closure", priority=36,
    changes_data=True, slots=("query", "code", "reason", "producer_id"), area="producer", read="officer.pending_requests",
    patterns=(r"เลิกกิจการ|ปิดกิจการ|ยกเลิกทะเบียน|ปิดทะเบียน|ยกเลิกการเป็น|ออกจากทะเบียน|ถอนชื่อ|ถอน\S{0,6}ทะเบียน|เลิกผลิต|ปิดร้านถาวร|ไม่ได้ทำแล้ว|ไม่ผลิตแล้ว"
              r"|start closure|close (?:the )?(?:record|business)|เสียชีวิต|ตายแล้ว|ไม่พบตัว|หาตัวไม่เจอ|ไม่มีตัวตน|ร้างแล้ว|ยุบกลุ่ม|ยุบไปแล้ว|จำหน่าย(?:ชื่อ|ออกจากทะเบียน)",),
)

SPECS = (PENDING_CHANGES, PENDING_REQUESTS, RECORD_STEP, REJECT, APPROVE, START_CLOSURE)
