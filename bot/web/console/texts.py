"""Every Thai text of the officer console that is not a page label in a template: messages
after an action, refusals, errors. Page labels live in bot/web/templates/console/."""

T = {
    "other_record": ("ไม่ใช่พื้นที่ของท่าน", "รายการนี้อยู่นอกพื้นที่ที่ท่านดูแล จึงเปิดไม่ได้ค่ะ "
                     "หากต้องการข้อมูล กรุณาติดต่อเจ้าหน้าที่ของพื้นที่นั้น"),
    "not_found": ("ไม่พบรายการ", "ไม่พบรายการนี้ในทะเบียนค่ะ อาจถูกลบหรือพิมพ์ลิงก์ไม่ครบ"),
    "bad_area": ("ไม่พบพื้นที่", "รหัสพื้นที่นี้ไม่ถูกต้องค่ะ"),
    "saved": "บันทึกแล้วค่ะ: {field} ของ {name} เป็น {new}",
    "same": "ค่าเดิมเป็น {new} อยู่แล้วค่ะ ไม่มีการเปลี่ยนแปลง",
    "unknown_field": "ไม่รู้จักช่องนี้ค่ะ ยังไม่ได้บันทึกอะไร",
    "bad_choice": "กรุณาเลือกจากตัวเลือกที่มีค่ะ ยังไม่ได้บันทึกอะไร",
    "not_saved": "ยังไม่ได้บันทึกอะไร",  # after the chat validator's own answer (a bad phone)
    "nid_confirm": "กรุณาตรวจสอบ แล้วกด \"ยืนยันบันทึกเลขซ้ำ\" หากต้องการบันทึกจริง",
    "std_done": "เพิ่มมาตรฐาน {scheme} {number} ให้ {name} แล้วค่ะ",
    "std_updated": "ปรับวันหมดอายุของมาตรฐาน {scheme} {number} ของ {name} แล้วค่ะ",
    "bad_date": "วันที่ไม่ถูกต้องค่ะ ยังไม่ได้บันทึกอะไร",
    "step_done": "บันทึก{action}แล้วค่ะ คำขอเลขที่ {id} สถานะตอนนี้: {step}",
    "rejected": "บันทึกไม่อนุมัติแล้วค่ะ คำขอเลขที่ {id} ผู้ประกอบการจะได้รับแจ้งเหตุผล",
    "now_at": " (สถานะล่าสุด: {step})",
    "unset": "ยังไม่ระบุ",
    "nation": "ทั่วประเทศ",
}
