"""Thai labels shown to users for the workflows: steps, actions, kinds, events, errors.

The only place with Thai text for this package; the chat layer reads these dicts.
"""

from __future__ import annotations

KIND_LABELS: dict[str, str] = {
    "closure_present": "ขอยกเลิกทะเบียน (ผู้ประกอบการยื่นเอง)",
    "closure_absent": "ยกเลิกทะเบียน (ผู้ประกอบการไม่อยู่ในพื้นที่/เลิกดำเนินการ)",
    "relocation": "ย้ายสถานประกอบการ",
}

STEP_LABELS: dict[str, str] = {
    "fact_check": "รอ สพอ. ตรวจสอบข้อเท็จจริง",
    "network_committee": "รอคณะกรรมการเครือข่าย OTOP ระดับอำเภอพิจารณา",
    "district_subcommittee": "รอคณะอนุกรรมการ นตผ. อำเภอพิจารณา",
    "district_cancel": "รอ สพอ. ยกเลิกทะเบียนในระบบ",
    "old_district_cancel": "รอ สพอ. เดิมยกเลิกทะเบียนในระบบ",
    "new_district_register": "รอ สพอ. แห่งใหม่ลงทะเบียน",
    "done": "เสร็จสิ้น",
    "rejected": "ไม่อนุมัติ",
    "cancelled": "ยกเลิกคำขอแล้ว",
}

ACTION_LABELS: dict[str, str] = {
    "submit": "ยื่นคำขอ",
    "record_fact_check": "บันทึกผลตรวจสอบข้อเท็จจริง",
    "approve": "อนุมัติ",
    "cancel_in_system": "ยกเลิกทะเบียนในระบบ",
    "register": "ลงทะเบียนที่ใหม่",
    "reject": "ไม่อนุมัติ",
    "withdraw": "ถอนคำขอ",
}

EVENT_LABELS: dict[str, str] = {
    "submitted": "มีคำขอใหม่",
    "step_approved": "คำขอผ่านขั้นตอน",
    "rejected": "คำขอไม่ได้รับอนุมัติ",
    "withdrawn": "ผู้ยื่นถอนคำขอ",
    "cancelled_in_system": "ยกเลิกทะเบียนในระบบแล้ว",
    "reported_to_province": "รายงานการยกเลิกทะเบียนต่อ นตผ. จังหวัด",
    "relocation_handover": "มีผู้ประกอบการย้ายเข้ามาในพื้นที่ รอลงทะเบียน",
    "registered": "ลงทะเบียนที่ใหม่เรียบร้อย",
    "reinstated": "คืนสถานะทะเบียนเดิม",
    "change_proposed": "ผู้ประกอบการขอแก้ไขข้อมูล",
    "change_confirmed": "ยืนยันการแก้ไขข้อมูลแล้ว",
    "change_rejected": "ไม่ยืนยันการแก้ไขข้อมูล",
}

ERROR_MESSAGES: dict[str, str] = {
    "workflow_error": "ทำรายการไม่ได้",
    "not_found": "ไม่พบรายการนี้",
    "not_allowed": "ท่านไม่มีสิทธิ์ทำรายการนี้",
    "own_request": "ไม่สามารถอนุมัติคำขอที่ท่านยื่นเองได้",
    "out_of_area": "รายการนี้อยู่นอกพื้นที่ที่ท่านรับผิดชอบ",
    "stale_step": "รายการนี้มีผู้ดำเนินการไปแล้ว กรุณาดูสถานะล่าสุด",
    "already_done": "รายการนี้ปิดไปแล้ว",
    "invalid_transition": "ขั้นตอนนี้ทำรายการนั้นไม่ได้",
    "validation": "ข้อมูลไม่ครบหรือไม่ถูกต้อง",
}
