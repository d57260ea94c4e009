"""Reports in chat: the department's table row for the officer's province (or district), the
national table for central admins, and the monthly report; the full files by signed,
expiring links (bots cannot send files) and the completeness chart as an image."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from handlers.context import Ctx
from handlers.officer import common, links
from handlers.registry import AREA_FROM_SLOTS, OFFICERS, handler
from handlers.replies import Card, Choice, Image, Link, Reply, Text, postback
from handlers.texts import T as CORE_T
from models import Role
from registry import reports
from registry.reports import TableReport

T = {
    "table_title": "รายงานข้อมูล OTOP {area} (ข้อมูล ณ {day})",
    "producers": "ผู้ผลิต ผู้ประกอบการ {total} ราย\n• กลุ่ม {g} · รายเดี่ยว {i} · SMEs {s} · ว่าง {b}",
    "products": ("ผลิตภัณฑ์ {total} รายการ\n• อาหาร {food} · เครื่องดื่ม {bev} · ผ้า เครื่องแต่งกาย {tex}\n"
                 "• ของใช้ ของตกแต่ง ของที่ระลึก {hh} · สมุนไพรที่ไม่ใช่อาหาร {herb} · ว่าง {blank}"),
    "quadrants": "ผลการจัดกลุ่ม (Quadrant): A {a} · B {b} · C {c} · D {d}",
    "chuanchim": "OTOP ชวนชิม {n} ร้าน",
    "national_rows": "รายจังหวัด (ผู้ผลิต / ผลิตภัณฑ์ / ชวนชิม):",
    "national_row": "{no}. {name} {p} / {pr} / {c}",
    "national_only": "รายงานระดับประเทศสำหรับส่วนกลางค่ะ นี่คือรายงานพื้นที่ของท่าน",
    "year_now": "ตารางของปี {year} ไม่ได้เก็บไว้ในระบบค่ะ ตารางด้านล่างเป็นข้อมูลล่าสุด ณ {day}",
    "files": "ไฟล์รายงานฉบับเต็ม",
    "files_lines": "ลิงก์ใช้ได้ {hours} ชั่วโมง เปิดด้วยเบราว์เซอร์หรือ Excel ได้เลยค่ะ",
    "xlsx": "ดาวน์โหลด Excel",
    "csv": "ดาวน์โหลด CSV",
    "registry": "ข้อมูลทะเบียน Excel",
    "monthly_title": "รายงานประจำเดือน {month} · {area}",
    "moves": "ผู้ผลิตรายใหม่ {np} · ผลิตภัณฑ์ใหม่ {npr} · เลิกกิจการ {cl} · ย้ายออก {rl}",
    "star_head": "ช่องที่ยังไม่ครบหรือไม่ถูกต้อง (สิ้นเดือน / เดือนก่อน / เปลี่ยนแปลง), ★ = ช่องสำคัญ:",
    "star_line": "• {star}{label}: {now} / {before} / {change}",
    "no_now": "ยังไม่มีข้อมูลสรุปของเดือน {month} ค่ะ",
    "no_before": "ยังไม่มีข้อมูลสรุปของเดือนก่อนหน้า จึงยังเทียบการเปลี่ยนแปลงไม่ได้ค่ะ",
    "prev_month": "เดือนก่อน",
    "this_month": "เดือนนี้",
    "chart": "กราฟความครบถ้วน",
    "incomplete": "ดูช่องที่ยังไม่ครบ",
    "months": ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."],
}


def _n(row: dict, key: str) -> str:
    return common.num(int(row.get(key) or 0))


def row_text(row: dict) -> str:
    """One row of the department's table, in its layout: types, categories, Quadrants, ชวนชิม."""
    return "\n".join([
        T["producers"].format(total=_n(row, "producers_total"), g=_n(row, "producers_group"),
                              i=_n(row, "producers_individual"), s=_n(row, "producers_sme"),
                              b=_n(row, "producers_type_blank")),
        T["products"].format(total=_n(row, "products_total"), food=_n(row, "products_food"),
                             bev=_n(row, "products_beverage"), tex=_n(row, "products_textile_apparel"),
                             hh=_n(row, "products_household_decor_souvenir"), herb=_n(row, "products_herbal_nonfood"),
                             blank=_n(row, "products_category_blank")),
        T["quadrants"].format(a=_n(row, "quadrant_a"), b=_n(row, "quadrant_b"), c=_n(row, "quadrant_c"),
                              d=_n(row, "quadrant_d")),
        T["chuanchim"].format(n=_n(row, "chuanchim_total")),
    ])


def file_card(ctx: Ctx, kind: str, area: str | None, month: str = "") -> list[Reply]:
    """Links to the full files (signed, expiring); the registry export with the table reports.
    Empty without a signing key (no link can be made)."""
    if not ctx.signing_key:
        return []
    buttons: list[Link | Choice] = [Link(T["xlsx"], links.url(ctx, kind, area, "xlsx", month)),
                                    Link(T["csv"], links.url(ctx, kind, area, "csv", month))]
    if kind == "table":
        buttons.append(Link(T["registry"], links.url(ctx, "registry", area, "xlsx")))
    return [Card(T["files"], [T["files_lines"].format(hours=int(links.MAX_AGE.total_seconds() // 3600))], buttons)]


def chart(ctx: Ctx, area: str | None) -> list[Reply]:
    """The completeness chart of the area's child areas, fetched by LINE from the app."""
    if not ctx.signing_key:
        return []
    return [Image(links.url(ctx, "chart", area), links.url(ctx, "chart_preview", area))]


def table_report(session: Session, area: str | None) -> TableReport:
    """The nation's table, a province's, or a district's row of its province's table (the
    chat and the downloaded file both use this one function)."""
    if area and len(area) == 4:
        report = reports.province_table(session, area[:2])
        rows = [dict(r, no=1) for r in report.rows if r["area_code"] == area]
        zero = {k: 0 for k in report.total if k not in ("area_code", "no", "province")}
        total = dict(rows[0], no="") if rows else {**report.total, **zero, "area_code": area}
        return TableReport("district", area, rows, total)
    return reports.province_table(session, area or None)


def _quick(area: str | None) -> list[Choice]:
    return [Choice(T["incomplete"], postback=postback("officer.incomplete", **common.area_slots(area))),
            Choice(T["prev_month"], postback=postback("officer.monthly_report", month="prev"))]


@handler("officer.province_report", roles=OFFICERS, area=AREA_FROM_SLOTS,
         example_slots={"district_code": "$district"})
def province_report(ctx: Ctx, slots: dict) -> list[Reply]:
    """The province's row of the department's table (a district officer: their district's row)."""
    area = common.area_from_slots(ctx, {k: v for k, v in slots.items() if k in ("province_code", "district_code")})
    if area is None:
        return national_report(ctx, slots)
    note: list[Reply] = []
    if ctx.scope.role is Role.DISTRICT and not slots.get("district_code") and ctx.intent == "officer.province_report":
        # "รายงานจังหวัด" from a district officer: their district's row, and say so
        home = ctx.scope.home_area or area
        note = [Text(CORE_T["narrowed"].format(asked=common.area_label(home[:2]), home=common.area_label(home),
                                              home_short=common.short_label(home)))]
    if len(area) > 4:
        area = area[:4]
    note += _past_year(ctx, slots)
    report = table_report(ctx.session, area)
    title = T["table_title"].format(area=common.area_label(area), day=_day(ctx.today))
    return [*note, Text(f"{title}\n\n{row_text(report.total)}", quick=_quick(area)),
            *file_card(ctx, "table", area), *chart(ctx, area)]


@handler("officer.national_report", roles=OFFICERS, area=AREA_FROM_SLOTS)
def national_report(ctx: Ctx, slots: dict) -> list[Reply]:
    """The national table (central admins); other officers get their own area's report."""
    if ctx.scope.role is not Role.CENTRAL:
        return [Text(T["national_only"])] + province_report(ctx, {"year_be": slots.get("year_be")})
    report = table_report(ctx.session, None)
    note = _past_year(ctx, slots)
    lines = [T["national_row"].format(no=r["no"], name=r["province"], p=_n(r, "producers_total"),
                                      pr=_n(r, "products_total"), c=_n(r, "chuanchim_total")) for r in report.rows]
    title = T["table_title"].format(area=common.area_label(None), day=_day(ctx.today))
    return [*note, Text(f"{title}\n\n{row_text(report.total)}"), Text(T["national_rows"] + "\n" + "\n".join(lines),
                                                                 quick=_quick(None)),
            *file_card(ctx, "table", None), *chart(ctx, None)]


def _past_year(ctx: Ctx, slots: dict) -> list[Reply]:
    """"รายงานจังหวัด ปีงบ 68": the table holds today's figures only, and the officer is told so."""
    year = slots.get("year_be")
    now = ctx.today.year + 543
    if year and int(year) not in (now, now + (1 if ctx.today.month >= 10 else 0)):  # the calendar or fiscal year
        return [Text(T["year_now"].format(year=int(year), day=_day(ctx.today)))]
    return []


def _day(d: date) -> str:
    return f"{d.day} {T['months'][d.month - 1]} {d.year + 543}"


def _month_of(ctx: Ctx, text: str | None) -> date:
    this = ctx.today.replace(day=1)
    if text == "prev":
        return (this - timedelta(days=1)).replace(day=1)
    try:
        year, month = (int(x) for x in str(text).split("-"))
        return date(year - 543 if year > 2400 else year, month, 1)
    except (TypeError, ValueError):
        return this


def _change(v: int | None) -> str:
    return "-" if v is None else (f"+{v:,}" if v > 0 else f"{v:,}")


@handler("officer.monthly_report", roles=OFFICERS, area=AREA_FROM_SLOTS,
         example_slots={"district_code": "$district"})
def monthly_report(ctx: Ctx, slots: dict) -> list[Reply]:
    """The month's movements and ★ completeness against the month before, with the files."""
    area = common.area_from_slots(ctx, slots)
    if area and len(area) > 4:
        area = area[:4]
    month = _month_of(ctx, slots.get("month"))
    report = reports.monthly_report(ctx.session, month, area, today=ctx.today)
    label = f"{T['months'][month.month - 1]} {month.year + 543}"
    t = report.total
    lines = [T["monthly_title"].format(month=label, area=common.area_label(area)),
             T["moves"].format(np=common.num(t["new_producers"]), npr=common.num(t["new_products"]),
                               cl=common.num(t["closures"]), rl=common.num(t["relocations"])), ""]
    if report.now_source == "none":
        lines.append(T["no_now"].format(month=label))
    else:
        lines.append(T["star_head"])
        lines += [T["star_line"].format(star="★" if r["starred"] else "", label=r["label"],
                                        now=common.num(r["incomplete_now"]),
                                        before=common.num(r["incomplete_before"]), change=_change(r["change"]))
                  for r in report.completeness if r["total"]]
    if report.before_source == "none":
        lines.append(T["no_before"])
    key = f"{month.year}-{month.month:02d}"
    quick = [Choice(T["prev_month"], postback=postback("officer.monthly_report", month=(
        (month - timedelta(days=1)).strftime("%Y-%m")), **common.area_slots(area)))]
    return [Text("\n".join(lines), quick=quick), *file_card(ctx, "monthly", area, key)]
