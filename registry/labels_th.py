"""Every Thai string the registry core shows to people, in one place.

Field labels (chat, reports), the department's column headers, the Thai names of the
enumerations as the department writes them, and the reasons a row of an import is rejected.
Code uses the English keys; only what a person reads is Thai.
"""

from __future__ import annotations

from models import Category, ProducerType, Quadrant, RegistrationStatus, SalesChannelKind

# Completeness fields (registry.completeness.RULES keys).
FIELD_LABELS: dict[str, str] = {
    "producers.producer_type": "ลักษณะผู้ประกอบการ",
    "producers.national_id": "เลขประจำตัวประชาชน",
    "producers.national_id_duplicate": "เลขประจำตัวประชาชนซ้ำกับผู้ผลิตรายอื่น",
    "producers.owner_name": "ชื่อ-สกุลเจ้าของ",
    "producers.birth_date": "วันเกิด",
    "producers.address": "ที่อยู่",
    "producers.phone": "เบอร์โทรศัพท์",
    "products.category": "ประเภทผลิตภัณฑ์",
    "products.quadrant": "ผลการจัดกลุ่ม (Quadrant)",
    "products.standards": "มาตรฐานผลิตภัณฑ์",
    "products.photos": "รูปภาพผลิตภัณฑ์",
    "chuanchim.name": "ชื่อสถานประกอบการ",
    "chuanchim.address": "ที่อยู่ร้าน",
    "chuanchim.phone": "เบอร์โทรศัพท์ร้าน",
    "chuanchim.items": "รายการที่จำหน่าย",
    "chuanchim.awards": "รางวัลและมาตรฐาน",
    "chuanchim.photos": "รูปภาพร้านและอาหาร",
}

DATASET_LABELS: dict[str, str] = {
    "producers": "ผู้ผลิต ผู้ประกอบการ",
    "products": "ผลิตภัณฑ์",
    "chuanchim": "OTOP ชวนชิม",
}

PRODUCER_TYPE_TH: dict[ProducerType, str] = {
    ProducerType.GROUP: "กลุ่ม",
    ProducerType.INDIVIDUAL: "รายเดี่ยว",
    ProducerType.SME: "SMEs",
}

CATEGORY_TH: dict[Category, str] = {
    Category.FOOD: "อาหาร",
    Category.BEVERAGE: "เครื่องดื่ม",
    Category.TEXTILE: "ผ้า เครื่องแต่งกาย",
    Category.HOUSEHOLD: "ของใช้ ของตกแต่ง ของที่ระลึก",
    Category.HERBAL: "สมุนไพรที่ไม่ใช่อาหาร",
}

QUADRANT_TH: dict[Quadrant, str] = {
    Quadrant.A: "ดาวเด่นสู่สากล",
    Quadrant.B: "เอกลักษณ์สร้างคุณค่า",
    Quadrant.C: "ปรับตัวสู่การพัฒนา",
    Quadrant.D: "ปรับตัวสู่การพัฒนา",
}

STATUS_TH: dict[RegistrationStatus, str] = {
    RegistrationStatus.ACTIVE: "ดำเนินกิจการ",
    RegistrationStatus.CLOSED: "เลิกกิจการ",
    RegistrationStatus.MOVED: "ย้ายสถานประกอบการ",
}

CHANNEL_TH: dict[SalesChannelKind, str] = {
    SalesChannelKind.DOMESTIC: "ในประเทศ",
    SalesChannelKind.EXPORT: "ต่างประเทศ",
    SalesChannelKind.ONLINE: "ออนไลน์",
}

# The department's province table (registry.reports): its column groups as printed (merged
# over their columns) and one short title per column under them.
REPORT_GROUPS: tuple[tuple[str, int], ...] = (
    ("", 1), ("", 1), ("ผู้ผลิต ผู้ประกอบการ (ราย)", 5), ("ผลิตภัณฑ์ (รายการ)", 7),
    ("ผลการจัดกลุ่มผลิตภัณฑ์ (Quadrant)", 4), ("", 1),
)
REPORT_SUBHEADERS: dict[str, str] = {
    "no": "ลำดับ",
    "province": "จังหวัด",
    "producers_group": "กลุ่ม",
    "producers_individual": "รายเดี่ยว",
    "producers_sme": "SMEs",
    "producers_type_blank": "ไม่ระบุ",
    "producers_total": "รวม",
    "products_food": "อาหาร",
    "products_beverage": "เครื่องดื่ม",
    "products_textile_apparel": "ผ้า เครื่องแต่งกาย",
    "products_household_decor_souvenir": "ของใช้ ของตกแต่ง ของที่ระลึก",
    "products_herbal_nonfood": "สมุนไพรที่ไม่ใช่อาหาร",
    "products_category_blank": "ไม่ระบุ",
    "products_total": "รวม",
    "quadrant_a": "A",
    "quadrant_b": "B",
    "quadrant_c": "C",
    "quadrant_d": "D",
    "chuanchim_total": "OTOP ชวนชิม (ร้าน)",
}
# One Thai title per column, where a column stands alone (chat, CSV): "group: title".
REPORT_HEADERS: dict[str, str] = {
    "no": "ลำดับ", "province": "จังหวัด",
    **{k: f"ผู้ประกอบการ: {REPORT_SUBHEADERS[k]}" for k in (
        "producers_group", "producers_individual", "producers_sme", "producers_type_blank", "producers_total")},
    **{k: f"ผลิตภัณฑ์: {REPORT_SUBHEADERS[k]}" for k in (
        "products_food", "products_beverage", "products_textile_apparel", "products_household_decor_souvenir",
        "products_herbal_nonfood", "products_category_blank", "products_total")},
    **{k: f"Quadrant {REPORT_SUBHEADERS[k]}" for k in ("quadrant_a", "quadrant_b", "quadrant_c", "quadrant_d")},
    "chuanchim_total": "OTOP ชวนชิม",
}
NATIONAL_TOTAL_TH = "รวมทั้งประเทศ"

MONTHLY_HEADERS: dict[str, str] = {
    "area_code": "รหัสพื้นที่",
    "area": "พื้นที่",
    "new_producers": "ผู้ประกอบการลงทะเบียนใหม่",
    "new_products": "ผลิตภัณฑ์ใหม่",
    "closures": "เลิกกิจการ",
    "relocations": "ย้ายสถานประกอบการ",
    "dataset": "ชุดข้อมูล",
    "label": "ช่องข้อมูล",
    "starred": "ช่องสำคัญ (★)",
    "total": "จำนวนรายการ",
    "incomplete_now": "ไม่ครบ/ไม่ถูกต้อง สิ้นเดือนนี้",
    "incomplete_before": "ไม่ครบ/ไม่ถูกต้อง สิ้นเดือนก่อน",
    "change": "เปลี่ยนแปลง",
}

# Import rejections: code -> Thai reason (the English code is kept alongside).
REJECT_REASONS: dict[str, str] = {
    "missing_id": "ไม่มีรหัส",
    "duplicate_id": "รหัสซ้ำในไฟล์",
    "unknown_province": "ไม่พบจังหวัด",
    "unknown_district": "ไม่พบอำเภอในจังหวัดนี้",
    "unknown_subdistrict": "ไม่พบตำบลในอำเภอนี้",
    "unknown_producer": "ไม่พบผู้ประกอบการของผลิตภัณฑ์นี้",
    "bad_date": "วันที่ไม่ถูกต้อง",
    "bad_value": "ค่าไม่ถูกต้อง",
    "bad_number": "ตัวเลขไม่ถูกต้อง",
    "producer_rejected": "ผู้ประกอบการของผลิตภัณฑ์นี้ถูกปฏิเสธ",
    "cell_too_large": "ข้อมูลในช่องยาวเกินกำหนด",
}
