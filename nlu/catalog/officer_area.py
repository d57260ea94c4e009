"""Officers' questions about an area: completeness, record lists, reports, area reminders."""

from ..spec import OFFICER, spec

_AREA_SLOTS = ("province_code", "district_code", "subdistrict_code", "field", "dataset")
_MONTH = (r"เดือน(?:นี้|ที่แล้ว|ก่อน|ล่าสุด|ปัจจุบัน|ที่ผ่านมา)|(?:ม\.?ค|ก\.?พ|มี\.?ค|เม\.?ย|พ\.?ค|มิ\.?ย|ก\.?ค|ส\.?ค|ก\.?ย|ต\.?ค|พ\.?ย|ธ\.?ค)\.|มกรา|กุมภา|มีนา|เมษา|พฤษภา|มิถุนา|กรกฎา|สิงหา|กันยา|ตุลา|พฤศจิกา|ธันวา"
          r"|รายเดือน|ประจำเดือน|monthly|this month|last month")

INCOMPLETE = spec(
    "officer.incomplete", "ยังไม่ครบ", OFFICER, "handlers.officer.incomplete:incomplete", priority=47,
    area="slots", slots=_AREA_SLOTS, twin=None,
    patterns=(r"ขาด|ไม่ครบ|ยังไม่(?:ได้)?(?:มี|กรอก|ใส่|ระบุ|ลง|ส่ง|อัปเดต|สมบูรณ์)|ครบ(?:หรือ)?ยัง|ครบ(?:ไหม|มั้ย|กี่)|ครบถ้วน|ความครบ|ไม่สมบูรณ์|สมบูรณ์(?:กี่|แค่ไหน|หรือยัง)"
              r"|ยังว่าง|ว่างอยู่|แหว่ง|incomplete|missing|completeness|ช่องว่าง|ข้อมูล(?:ยัง)?ไม่(?:ครบ|พร้อม)|ต้องเติม|ต้องกรอกเพิ่ม|%|เปอร์เซ็น|เปอเซ็น|ร้อยละ",),
)
LIST_RECORDS = spec(
    "officer.list_records", "รายชื่อที่ยังไม่ครบ", OFFICER, "handlers.officer.incomplete:list_records", priority=35,
    area="slots", slots=_AREA_SLOTS,
    patterns=(r"รายชื่อ|รายชือ|ลิสต์|^list|\blist\b|ใคร(?:บ้าง|ยัง)|(?:ราย|คน|เจ้า|กลุ่ม)ไหน(?:บ้าง)?(?:ที่)?ยัง|(?:ที่|ซึ่ง)ยัง\S{0,12}\s*(?:มีใคร|ใครบ้าง|บ้าง)"
              r"|ขอ(?:ชื่อ|รายการ)\S{0,4}(?:ผู้|ที่|คน)|รายการ(?:ที่|ทั้งหมด|สินค้า|ผลิตภัณฑ์)\S{0,10}(?:ยัง|ขาด|ไม่)|(?<!จำหน่าย)ชื่อ(?:ผู้ผลิต|ผู้ประกอบการ|คน|ร้าน)\S{0,10}(?:ที่|ยัง|ขาด)",),
)
PROVINCE_REPORT = spec(
    "officer.province_report", "รายงานจังหวัด", OFFICER, "handlers.officer.reports:province_report", priority=55,
    area="slots", slots=("province_code", "district_code", "year_be"),
    patterns=(r"รายงาน|report|ตาราง|สรุปยอด|ยอดรวม|ภาพรวม|สถิติ|ข้อมูลสรุป|excel|เอ็กเซล|csv|ไฟล์|ดาวน์โหลด|download|แยก(?:ตาม|เป็น)?\s*(?:อำเภอ|ประเภท|กลุ่ม|หมวด)|แบ่งตาม|(?:มี|จำนวน)(?:ผู้|สินค้า|ผลิตภัณฑ์|ร้าน)\S{0,20}(?:กี่|เท่าไ|ทั้งหมด)|กี่ราย|กี่รายการ|ทั้งหมดกี่|ทั้งจังหวัด|ยอด",),
)
NATIONAL_REPORT = spec(
    "officer.national_report", "รายงานทั้งประเทศ", OFFICER, "handlers.officer.reports:national_report", priority=33,
    area="slots", slots=("year_be",),
    patterns=(r"จังหวัดไหน|(?<!ต่าง)ประเทศ(?:เรา)?\s*มี|ทั่วประเทศ|ทั้งประเทศ|ระดับ(?:กรม|ประเทศ|ชาติ)|ทุกจังหวัด|7[67]\s*จังหวัด|ภาพรวม(?:ของ)?ประเทศ|ประเทศไทย|national(?!\s*id)|nationwide|all provinces|ทั่วไทย|ส่วนกลาง|รวมทุกจังหวัด|ทุกภาค|รายภาค",),
)
MONTHLY_REPORT = spec(
    "officer.monthly_report", "รายงานประจำเดือน", OFFICER, "handlers.officer.reports:monthly_report", priority=32,
    area="slots", slots=("month", "province_code", "district_code"),
    patterns=(rf"(?:รายงาน|สรุป|ยอด|report|ความเคลื่อนไหว|เปลี่ยนแปลง|ความคืบหน้า|เทียบ|มีอะไร|กี่|เท่าไ|ผล)\S{{0,30}}(?:{_MONTH})|(?:{_MONTH})\S{{0,40}}(?:รายงาน|สรุป|ยอด|report|กี่|เท่าไ|มีอะไร|เคลื่อนไหว|เปลี่ยน|ใหม่|บ้าง|เพิ่มขึ้น|ลดลง)"
              rf"|(?:{_MONTH})\S{{0,12}}\s+\S{{0,40}}(?:กี่|เท่าไ)|(?:รายงาน|สรุป|report)\S{{0,12}}\s+(?:{_MONTH})|monthly|รายเดือน|ประจำเดือน|เทียบกับเดือน|เดือนต่อเดือน",),
)
REMIND_AREA = spec(
    "officer.remind_area", "เตือนผู้ผลิตในเขต", OFFICER, "handlers.reminders:remind_area", priority=28,
    changes_data=True, area="slots", slots=_AREA_SLOTS,
    patterns=(r"(?:ส่ง|ช่วย|ฝาก|ไป|ให้|กด|ยิง|broadcast)?\s*(?:แจ้ง)?เตือน(?!ต่อ|อีก|ได้|เข้ามา)|(?:ทัก|ปิง|ping|สะกิด)\S{0,4}(?:ผู้ผลิต|ผู้ประกอบการ|ผปก|คนที่|กลุ่มที่|ร้านที่)|(?<!โดน)(?<!ถูก)ทวง|(?<!โดน)(?<!ถูก)จี้|push\s*noti|ทัก(?:ไป)?หา\S{0,30}(?:ทุก|ที่ยัง)|ไล่ตาม|(?:^|\s)remind|reminder|ฝากบอก|ส่งข้อความ(?:ไป)?(?:หา|ถึง|บอก)|แจ้ง(?:ให้)?(?:ผู้|ทุก|คน)\S{0,20}(?:ส่ง|กรอก|อัปเดต|เติม|ใส่)|broadcast|กระตุ้น",),
)

ACCESS_LOG = spec(
    "officer.access_log", "ใครดูข้อมูลผู้ผลิต", OFFICER, "handlers.officer.access_log:who_looked", priority=26,
    area="slots", slots=("province_code", "district_code"),
    patterns=(r"แอบ(?:เข้า|เปิด)?\s*(?:ดู|โหลด|ดาวน์โหลด|ดึง)|(?:ใคร|คน)\S{0,4}(?:โหลด|ดาวน์โหลด|ดึง)\S{0,20}(?:ข้อมูล|รายชื่อ)\S{0,30}ไป|ใคร\S{0,6}(?:เปิด|เข้า)?\s*ดู\S{0,6}(?:ข้อมูล|ประวัติ|การ์ด|ทะเบียน|เลขบัตร)|(?:ประวัติ|บันทึก|log)\S{0,4}\s*(?:การ)?(?:เข้า)?(?:ดู|เข้าถึง|เปิด)(?:ข้อมูล)?|access log|ดาวน์โหลด\S{0,10}(?:ใคร|กี่ครั้ง)",),
)

SET_TARGET = spec(
    "officer.set_target", "ตั้งเป้าความครบถ้วน", ("province", "central"), "handlers.officer.targets:set_target",
    changes_data=True, priority=27, area="slots", slots=("district_code", "percent", "date"),
    patterns=(r"(?:ตั้ง|กำหนด|วาง|set|ลง|ปรับ|บันทึก)\s*(?:ค่า)?(?:เป้า|kpi)|เป้าหมาย\S{0,12}(?:ความครบ|ครบถ้วน|\d)|target"
              r"|(?:เป้า|kpi)\S{0,30}(?:\s+\S{1,30}){0,3}\s*\d{1,3}\s*(?:%|เปอร์เซ็น)"
              # a completeness percentage to reach, with the target or its deadline
              r"|เป้า\S{0,30}\s*\S{0,24}\s*\d{1,3}\s*(?:%|เปอร์เซ็น)|(?:ตั้ง\S{0,8}|ให้ถึง|ให้ได้)\s*\d{1,3}\s*(?:%|เปอร์เซ็น)"
              r"|\d{1,3}\s*(?:%|เปอร์เซ็น)\S*\s*(?:ภายใน|ก่อน(?:วันที่|สิ้น)|by|ให้ทัน)",),
)

# Something missing or wrong in a record ("ที่ยังทำอยู่" and "ยังไม่เลิกกิจการ" only say active).
_GAP = (r"ขาด|ยังไม่(?!เลิก|ปิด|ย้าย|ต้อง)|ยังบ่|ไม่ครบ|ไม่มี|บ่มี|ไม่ได้(?!เลิก|ปิด)|สมบูรณ์|incomplete|missing|ค้าง|รอ(?:การ)?(?:ยืนยัน|ตรวจ|อนุมัติ|พิจารณา|แก้|ส่ง)"
        r"|ว่าง|ไม่ถูก|ผิด|หมดอายุ|แหว่ง|ที่ยัง(?!\s*(?:ทำ|ไม่เลิก|ไม่ปิด|ดำเนิน|อยู่|ผลิต|active))")
LIST_PRODUCERS = spec(
    "officer.list_producers", "รายชื่อผู้ผลิต", OFFICER, "handlers.accounts.officer:list_producers", priority=34,
    area="slots", slots=("province_code", "district_code", "subdistrict_code"),
    # the producers themselves, with nothing said about missing data (else officer.list_records)
    patterns=(rf"^(?!.*(?:{_GAP}|(?<!ใ)ครบ))(?:"
              r"(?:ขอ|ดู|เปิด|แสดง)?\s*(?:รายชื่อ|ลิสต์|list)\s*(?:ผู้ผลิต|ผู้ประกอบการ|producers?)(?:ทั้งหมด)?(?:\s*(?:ใน|ของ)?\s*(?:อำเภอ|ตำบล|จังหวัด|พื้นที่)\S*)?$"
              r"|.*(?:ผู้ผลิตทั้งหมด|ผู้(?:ผลิต|ประกอบการ)ในพื้นที่)"
              r"|.*(?:รายชื่อ|รายชือ|ลิสต์|list)\S{0,4}\s*(?:ของ)?\s*(?:all\s*)?(?:ผู้(?:ผลิต|ประกอบการ)|คน|สมาชิก|producers?|กลุ่ม(?!\s*(?:สินค้า|ผลิตภัณฑ์)))"
              r"|.*(?:กลุ่ม|ผู้ผลิต|ผู้ประกอบการ)\s*(?:ไหน|ใด)\s*(?:บ้าง|แหน่|มั่ง)"
              # who is there, said of active producers ("ที่ยังทำอยู่", "ที่ยังไม่เลิกกิจการ"), or a
              # count and then the names
              r"|(?!.*(?:ชวนชิม|สินค้า|ผลิตภัณฑ์|รูป|มาตรฐาน|อย\.|มผช))"
              r"(?=.*(?:ผู้ผลิต|ผู้ประกอบการ|producer|เจ้า|สมาชิก))(?:.*(?:รายชื่อ|รายชือ|ลิสต์|\blist\b)|.*ใครบ้าง|.*(?:ตำบล|อำเภอ|หมู่บ้าน)ไหน(?:กัน)?บ้าง))",),
)

SPECS = (ACCESS_LOG, SET_TARGET, LIST_PRODUCERS, INCOMPLETE, LIST_RECORDS, PROVINCE_REPORT, NATIONAL_REPORT, MONTHLY_REPORT, REMIND_AREA)
