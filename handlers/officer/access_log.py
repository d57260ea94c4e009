"""Who looked at personal data of my area (officer.access_log): the access log of the last
seven days for the officer's area (or an area inside it), one line per person, most active
first. A province officer asks "ใครดูข้อมูลผู้ผลิตในจังหวัดบ้าง"; the NLU maps such phrases to this
intent (until it does, the menu's postback `i=officer.access_log` reaches it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from handlers.context import BANGKOK, Ctx
from handlers.officer import common
from handlers.registry import AREA_FROM_SLOTS, OFFICERS, handler
from handlers.replies import Reply, Text
from handlers.texts import ROLE_TH
from models import LineAccount, Role
from registry import access_log

DAYS = 7
SHOWN = 15  # people listed; more are summed up in one line
T = {
    "title": "ผู้ที่ดูข้อมูลส่วนบุคคลของผู้ผลิตใน{area} ในรอบ {days} วันที่ผ่านมา",
    "none": "ในรอบ {days} วันที่ผ่านมา ยังไม่มีผู้ใดดูข้อมูลส่วนบุคคลของผู้ผลิตใน{area}ค่ะ",
    "line": "• {who} ({role}): {views} ครั้ง ล่าสุด {last}",
    "refused": " · ถูกปฏิเสธ {n} ครั้ง",
    "more": "และอีก {n} คน",
    "cli": "ผู้ดูแลระบบ (คำสั่ง)",
    "anonymous": "ผู้ที่ยังไม่ได้เข้าสู่ระบบ",
    "unknown_role": "ไม่ระบุ",
    "footer": "รายละเอียดทั้งหมดดูได้จากผู้ดูแลระบบ (คำสั่ง access-log) ค่ะ",
}


def _who(uid: str, names: dict[str, str | None]) -> str:
    if uid.startswith("cli"):
        return T["cli"]
    if uid == "anonymous":
        return T["anonymous"]
    return names.get(uid) or f"LINE …{uid[-4:]}"


def _role(value: str | None) -> str:
    try:
        return ROLE_TH[Role(value)] if value else T["unknown_role"]
    except ValueError:
        return T["unknown_role"]


@handler("officer.access_log", roles=OFFICERS, area=AREA_FROM_SLOTS, example_slots={"district_code": "$district"})
def who_looked(ctx: Ctx, slots: dict) -> list[Reply]:
    """Who viewed or downloaded personal data of the officer's area in the last seven days."""
    area = common.area_from_slots(ctx, slots)
    label = common.area_label(area)
    found = access_log.viewers(ctx.session, area, ctx.now - timedelta(days=DAYS))
    if not found:
        return [Text(T["none"].format(days=DAYS, area=label))]
    names = dict(ctx.session.execute(select(LineAccount.user_id, LineAccount.display_name)
                                     .where(LineAccount.user_id.in_([v.user_id for v in found[:SHOWN]]))).all())
    lines = [T["title"].format(area=label, days=DAYS)]
    for v in found[:SHOWN]:
        last = v.last.astimezone(BANGKOK)
        line = T["line"].format(who=_who(v.user_id, names), role=_role(v.role), views=common.num(v.views),
                                last=f"{last.day}/{last.month} {last:%H:%M} น.")
        lines.append(line + (T["refused"].format(n=v.refused) if v.refused else ""))
    if len(found) > SHOWN:
        lines.append(T["more"].format(n=len(found) - SHOWN))
    lines.append(T["footer"])
    return [Text("\n".join(lines))]
