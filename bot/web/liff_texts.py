"""Every text a user reads on the LIFF pages (bot/web/liff.py, templates/liff/), in one place.
The validation messages themselves are the chat forms' own (handlers/producer/texts.py)."""

T = {
    "title": "แก้ไขข้อมูลผู้ประกอบการ OTOP",
    "signing_in": "กำลังเข้าสู่ระบบด้วย LINE",
    "signing_in_body": "กรุณารอสักครู่ค่ะ ระบบกำลังตรวจสอบบัญชี LINE ของท่าน",
    "sign_in_failed": "ขออภัยค่ะ เข้าสู่ระบบด้วย LINE ไม่สำเร็จ กรุณาปิดหน้านี้แล้วเปิดลิงก์จากแชต LINE OTOP อีกครั้งค่ะ",
    "no_script": "หน้านี้ต้องเปิดใน LINE หรือในเบราว์เซอร์ที่เปิดใช้ JavaScript ค่ะ",
    "not_configured": ("ยังเปิดใช้หน้าเว็บใน LINE ไม่ได้", "ระบบยังไม่ได้ตั้งค่า LIFF กรุณาติดต่อผู้ดูแลระบบค่ะ"),
    "producers_only": ("เฉพาะผู้ประกอบการ", "หน้านี้ใช้แก้ไขข้อมูลของผู้ประกอบการที่ผูกบัญชี LINE ไว้แล้วเท่านั้นค่ะ "
                                          "หากยังไม่ได้ผูกบัญชี พิมพ์ \"ผูกบัญชี\" ในแชต LINE OTOP ได้เลยค่ะ"),
    "not_yours": ("ไม่ใช่ข้อมูลของท่าน", "ท่านแก้ไขได้เฉพาะข้อมูลและผลิตภัณฑ์ของท่านเองค่ะ"),
    "unknown_section": ("ไม่พบแบบฟอร์มนี้", "ไม่พบส่วนที่ต้องการแก้ไขค่ะ กรุณาเปิดหน้าแก้ไขข้อมูลใหม่อีกครั้ง"),
    "too_large": "ไฟล์ใหญ่เกินไปค่ะ กรุณาส่งรูปที่มีขนาดไม่เกิน {mb} MB",
    "required": "กรุณากรอกช่องนี้ค่ะ",
    "fix_below": "กรุณาแก้ไขช่องที่มีข้อความสีแดงค่ะ ยังไม่ได้บันทึกข้อมูลส่วนนี้",
    "producer_heading": "ข้อมูลผู้ประกอบการ",
    "products_heading": "ผลิตภัณฑ์",
    "no_products": "ยังไม่มีผลิตภัณฑ์ในทะเบียนค่ะ",
    "star_note": "★ = ข้อมูลสำคัญ เมื่อแก้ไขแล้วจะรอเจ้าหน้าที่พัฒนาชุมชนอำเภอยืนยันก่อนค่ะ",
    "save": "บันทึก",
    "choose": "— เลือก —",
    "optional": "(ไม่บังคับ)",
    "back_to_chat": "กลับไปที่แชต",
    "sign_out": "ออกจากระบบ",
    "waiting": "รอเจ้าหน้าที่ยืนยัน",
    "photos": "รูปที่มีอยู่ {n} รูป",
}

# Short labels of the form fields (slot name -> label); a slot's own label wins when it has one.
LABELS = {
    "phone": "เบอร์โทรศัพท์",
    "owner_name": "ชื่อ-นามสกุลเจ้าของ",
    "birth_date": "วันเกิดเจ้าของ",
    "address": "บ้านเลขที่ หมู่ ถนน",
    "subdistrict": "ตำบล",
    "producer_type": "ลักษณะผู้ประกอบการ",
    "national_id": "เลขบัตรประชาชน 13 หลัก",
    "channels": "ช่องทางการขาย",
    "year_be": "ปี (พ.ศ.)",
    "stars": "จำนวนดาว",
    "project": "ชื่อโครงการ",
    "organiser": "หน่วยงานที่จัด",
    "category": "ประเภทผลิตภัณฑ์",
    "quadrant": "Quadrant",
    "scheme": "มาตรฐาน",
    "number": "เลขที่มาตรฐาน",
    "expires_on": "วันหมดอายุ",
    "keywords": "คำค้นหา (คั่นด้วยจุลภาค)",
    "price": "ราคา (บาท)",
    "photo": "ถ่ายรูปหรือเลือกรูปสินค้า",
}
