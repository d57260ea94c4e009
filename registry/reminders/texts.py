"""Every Thai string of the reminders and digests, in one place (polite, ค่ะ)."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # producer nudge: what the record misses
    "nudge_title": "เรียน {to}{name} ข้อมูล OTOP ของท่านยังไม่ครบค่ะ",
    "nudge_producer_line": "• ข้อมูลผู้ประกอบการ: {fields}",
    "nudge_product_line": "• {product}: {fields}",
    "nudge_more_products": "• และผลิตภัณฑ์อื่นอีก {n} รายการ",
    "nudge_footer": "แตะปุ่มด้านล่างเพื่อเพิ่มข้อมูลได้เลยค่ะ หากไม่ต้องการรับการแจ้งเตือน พิมพ์ \"หยุดแจ้งเตือน\" ค่ะ",
    "invalid_suffix": " (ไม่ถูกต้อง)",
    # standard expiring
    "expiry_title": "มาตรฐาน {scheme} เลขที่ {number} ของ {product} จะหมดอายุวันที่ {date} (อีก {days} วัน) ค่ะ",
    "expiry_footer": "กรุณาต่ออายุและแจ้งเลขที่ใหม่ในแชตนี้ได้เลยค่ะ",
    # officer's reminder to an area
    "area_title": "พัฒนาการ{area} ขอความร่วมมือผู้ผลิต OTOP ทุกท่านค่ะ",
    "area_field": "กรุณาตรวจสอบและเพิ่ม \"{field}\" ในข้อมูลของท่านค่ะ",
    "area_any": "กรุณาตรวจสอบและเพิ่มข้อมูลที่ยังขาดในทะเบียนของท่านค่ะ",
    # district weekly digest
    "digest_title": "สรุปประจำสัปดาห์ อำเภอ{area} ({week})",
    "digest_pending": "คำขอรอดำเนินการ {n} รายการ",
    "digest_pending_line": "• #{id} {kind} ({producer}) รอ {days} วัน",
    "digest_pending_more": "• และอีก {n} รายการ",
    "digest_none_pending": "ไม่มีคำขอรอดำเนินการค่ะ",
    "digest_rate": "ความครบถ้วนข้อมูลสำคัญ (★): {rate} ({records} รายการ)",
    "digest_rate_all": "ความครบถ้วนทุกช่อง รวมรูปภาพและมาตรฐาน: {rate}",
    "digest_change": "ข้อมูลสำคัญ (★) เทียบกับสิ้นเดือนก่อน: {change}",
    "digest_no_change_base": "ยังไม่มีข้อมูลสิ้นเดือนก่อนให้เทียบค่ะ",
    "digest_newly": "ข้อมูลที่เพิ่ง{verb}และยังไม่ครบในสัปดาห์นี้ {n} รายการ:",
    "digest_newly_verb": "เพิ่มหรือแก้ไข",
    "digest_newly_line": "• {code} {name}: {fields}",
    "digest_newly_none": "ไม่มีข้อมูลที่เพิ่งกลายเป็นไม่ครบในสัปดาห์นี้ค่ะ",
    # province monthly league table
    "league_title": "สรุปประจำเดือน{month} จังหวัด{area}: ความครบถ้วนข้อมูลสำคัญ (★) รายอำเภอ",
    "league_line": "{rank}. {name} {rate}{change} · รอ {pending} คำขอ{overdue}",
    "league_overdue": " (เกินกำหนด {n})",
    "league_footer": "อำเภอที่ยังไม่มีข้อมูล: {n} อำเภอ",
    # overdue request alert
    "overdue_title": "คำขอเลขที่ {id} ({kind}) ของ {producer} รอที่ขั้นตอน \"{step}\" มา {days} วันแล้ว เกินกำหนด {limit} วันค่ะ",
    "overdue_footer": "กรุณาดำเนินการหรือบันทึกผลการพิจารณาค่ะ",
    # buttons (labels ≤ 20 characters)
    "btn_missing": "ดูสิ่งที่ขาด",
    "btn_pending": "ดูคำขอที่รอ",
    "btn_incomplete": "ดูข้อมูลที่ขาด",
    "btn_request": "ดูคำขอ",
    "btn_add_standard": "ต่ออายุมาตรฐาน",
    "btn_stop": "หยุดแจ้งเตือน",
    "btn_update_phone": "แก้เบอร์โทร",
    "btn_update_address": "แก้ที่อยู่",
    "btn_add_standard_new": "เพิ่มมาตรฐาน",
    "btn_send_photo": "ส่งรูปสินค้า",
    # chat: opt-out / opt-in / officer's reminder
    "stopped": "หยุดส่งการแจ้งเตือนและสรุปให้แล้วค่ะ หากต้องการรับอีกครั้ง พิมพ์ \"รับแจ้งเตือน\" ได้เลยค่ะ",
    "already_stopped": "ท่านปิดการแจ้งเตือนไว้แล้วค่ะ หากต้องการรับอีกครั้ง พิมพ์ \"รับแจ้งเตือน\" ค่ะ",
    "resumed": "เปิดรับการแจ้งเตือนแล้วค่ะ ระบบจะส่งเฉพาะช่วง 08:00–20:00 น. ค่ะ",
    "already_on": "ท่านเปิดรับการแจ้งเตือนอยู่แล้วค่ะ",
    "stop_title": "หยุดรับแจ้งเตือน",
    "resume_title": "รับแจ้งเตือนอีกครั้ง",
    "stop_confirm": "จะหยุดส่งการแจ้งเตือนและสรุปทั้งหมดถึงบัญชีนี้ใช่ไหมคะ (เปิดรับใหม่ได้ทุกเมื่อ พิมพ์ \"รับแจ้งเตือน\")",
    "resume_confirm": "จะกลับมาส่งการแจ้งเตือนและสรุปถึงบัญชีนี้ (เฉพาะช่วง 08:00–20:00 น.) ใช่ไหมคะ",
    "btn_resume": "รับแจ้งเตือน",
    "remind_confirm": "จะส่งข้อความเตือนถึงผู้ผลิตใน{area} {n} ราย{field} ยืนยันส่งไหมคะ",
    "remind_confirm_field": " ที่ยังขาด \"{field}\"",
    "remind_nobody": "ไม่มีผู้ผลิตใน{area}{field} ที่รับข้อความได้ในตอนนี้ค่ะ (ยังไม่ผูกบัญชี ปิดการแจ้งเตือน หรือได้รับครบโควตาเดือนนี้แล้ว)",
    "remind_sent": "ส่งข้อความเตือนถึงผู้ผลิต {n} รายแล้วค่ะ{later}",
    "remind_later": " (ช่วง 20:00–08:00 น. ข้อความจะส่งเวลา 08:00 น.)",
    "remind_already": "วันนี้ได้ส่งข้อความเตือนนี้ไปแล้วค่ะ",
    "remind_cancelled": "ยกเลิกการส่งข้อความเตือนแล้วค่ะ",
    "country": "ทั่วประเทศ",
    # to the central officers: reminders held back for the month's message budget
    "budget_title": "แจ้งผู้ดูแลระบบค่ะ: งบข้อความ LINE เดือนนี้ไม่พอสำหรับการแจ้งเตือนทั้งหมด",
    "budget_held": "• พักการแจ้งเตือนไว้ {messages:,} ข้อความ ({kinds})",
    "budget_cost": "• หากจะส่งทั้งหมดต้องใช้ข้อความเพิ่มอีก {messages:,} ข้อความ{baht}",
    "budget_baht": " (ประมาณ {baht:,.2f} บาท)",
    "budget_left": "• งบคงเหลือเดือนนี้ {left:,} จาก {cap:,} ข้อความ ส่งเรื่องที่สำคัญที่สุดไปก่อนแล้วค่ะ",
    "budget_footer": "ข้อความที่พักไว้จะทยอยส่งเมื่อมีโควตาในเดือนถัดไป หรือแนบไปกับคำตอบครั้งถัดไปเมื่อผู้รับทักแชตเข้ามา (ไม่เสียค่าข้อความ) ค่ะ",
    "kind_nudge": "เตือนข้อมูลไม่ครบ",
    "kind_expiry": "มาตรฐานใกล้หมดอายุ",
    "kind_area": "ข้อความเตือนจากเจ้าหน้าที่",
    "kind_digest": "สรุปประจำสัปดาห์",
    "kind_league": "ตารางอันดับจังหวัด",
    "kind_overdue": "คำขอค้างนาน",
}

# Buttons of a nudge, by completeness field: (TEXTS key of the label, producer intent).
FIELD_BUTTONS: dict[str, tuple[str, str]] = {
    "producers.phone": ("btn_update_phone", "producer.update_phone"),
    "producers.address": ("btn_update_address", "producer.update_address"),
    "products.standards": ("btn_add_standard_new", "producer.add_standard"),
    "products.photos": ("btn_send_photo", "producer.send_photo"),
}
