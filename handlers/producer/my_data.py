"""The personal data we hold about me (producer.my_data), the PDPA right of access in chat:
what the registry holds on the producer's owner (national ID masked, as everywhere in chat),
what the bot keeps about the LINE account, how often officers opened the record lately, and
how to correct or ask to remove it (docs/PRIVACY.md). The view itself is logged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from handlers import access
from handlers.context import BANGKOK, Ctx
from handlers.registry import PRODUCERS, handler
from handlers.replies import Choice, Reply, Text, postback
from models import AccessEntry, Producer, Role
from registry import gazetteer, ids

VIEW_DAYS = 30
T = {
    "title": "ข้อมูลส่วนบุคคลของท่านที่ระบบ OTOP เก็บไว้",
    "registry": "ในทะเบียน OTOP (รหัส {code}):",
    "name": "• ชื่อกลุ่ม/กิจการ: {v}",
    "owner": "• ชื่อเจ้าของ: {v}",
    "nid": "• เลขบัตรประชาชน: {v} (แสดงบางส่วนเพื่อความปลอดภัย)",
    "birth": "• วันเกิด: {v}",
    "phone": "• โทรศัพท์: {v}",
    "owner_phone": "• โทรศัพท์เจ้าของ: {v}",
    "address": "• ที่อยู่: {v}",
    "reg_no": "• เลขทะเบียนพาณิชย์/วิสาหกิจชุมชน: {v}",
    "line": "บัญชี LINE ที่ผูกไว้: {name} (ผูกเมื่อ {at})",
    "kept": ("ระบบยังเก็บข้อความที่ท่านส่งในแชตไว้ชั่วคราวเพื่อให้บริการ และบันทึกทุกการแก้ไขข้อมูล "
             "(ใคร แก้อะไร เมื่อไร)"),
    "views": "ในรอบ {days} วัน เจ้าหน้าที่เปิดดูข้อมูลของท่าน {n} ครั้ง",
    "no_views": "ในรอบ {days} วัน ยังไม่มีเจ้าหน้าที่เปิดดูข้อมูลของท่าน",
    "rights": ("หากข้อมูลไม่ถูกต้อง แก้ไขได้จากปุ่ม \"แก้ไขข้อมูล\" ค่ะ หากต้องการสำเนาข้อมูลทั้งหมด "
               "หรือขอให้ลบข้อมูล กรุณาติดต่อสำนักงานพัฒนาชุมชนอำเภอของท่าน"),
    "unset": "-",
    "edit": "แก้ไขข้อมูล",
    "not_linked": "บัญชีนี้ยังไม่ได้ผูกกับข้อมูลผู้ผลิตค่ะ ระบบจึงไม่มีข้อมูลทะเบียนของท่าน",
}


def _place(code: str | None) -> str:
    place = gazetteer.by_code(code) if code else None
    return place.name_th if place else ""


def _day(value) -> str:  # type: ignore[no-untyped-def]
    return ids.format_date_th(value) if value else T["unset"]


@handler("producer.my_data", roles=PRODUCERS)
def my_data(ctx: Ctx, slots: dict) -> list[Reply]:
    """Show the personal data held about the producer (masked ID), and their rights."""
    scope = ctx.scope
    if scope.role is not Role.PRODUCER or not scope.producer_id:
        return [Text(T["not_linked"])]
    since = ctx.now - timedelta(days=VIEW_DAYS)
    views = (select(func.count()).select_from(AccessEntry)
             .where(AccessEntry.at >= since, AccessEntry.record_ids == str(scope.producer_id),
                    AccessEntry.what == "producer", AccessEntry.outcome == "ok").scalar_subquery())
    found = ctx.session.execute(select(Producer, views).where(Producer.id == scope.producer_id)).first()  # one statement
    if found is None:
        return [Text(T["not_linked"])]
    p, views = found[0], found[1] or 0
    access.log(ctx, "record", "producer:self", [p.id], access.area_of(p))
    address = " ".join(x for x in (p.address, _place(p.subdistrict_code), _place(p.district_code),
                                   _place(p.province_code)) if x)
    phone = ids.format_phone(p.phone) if p.phone else T["unset"]
    owner_phone = ids.format_phone(p.owner_phone) if p.owner_phone else T["unset"]
    linked = ctx.account.linked_at.astimezone(BANGKOK).date() if ctx.account.linked_at else None
    lines = [T["title"], "", T["registry"].format(code=p.code),
             T["name"].format(v=p.name or T["unset"]), T["owner"].format(v=p.owner_name or T["unset"]),
             T["nid"].format(v=ids.mask_national_id(p.national_id) if p.national_id else T["unset"]),
             T["birth"].format(v=_day(p.birth_date)), T["phone"].format(v=phone),
             T["owner_phone"].format(v=owner_phone), T["address"].format(v=address or T["unset"]),
             T["reg_no"].format(v=p.registration_no or T["unset"]), "",
             T["line"].format(name=ctx.account.display_name or T["unset"], at=_day(linked)), T["kept"],
             (T["views"] if views else T["no_views"]).format(days=VIEW_DAYS, n=views), "", T["rights"]]
    return [Text("\n".join(lines), quick=[Choice(T["edit"], postback=postback("producer.edit_menu"))])]
