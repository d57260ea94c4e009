"""A province officer sets a district's completeness target in chat (issue 16).

Intent `officer.set_target`, slots: `district_code` (4 digits), `percent` (1-100) and
`date` (a `date`, or text such as "31/3/2570"). The weekly digest and the monthly league
table then show the district's progress toward it (`registry.targets`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.context import Ctx
from handlers.engine import Flow, register_flow, start
from handlers.officer import common
from handlers.registry import AREA_FROM_SLOTS, handler
from handlers.replies import Reply, Text
from models import Role
from registry import targets, thai_dates

T = {
    "how": ("ตั้งเป้าความครบถ้วนได้โดยพิมพ์ชื่ออำเภอ เปอร์เซ็นต์ และวันที่ค่ะ "
            "เช่น \"ตั้งเป้าอำเภอ{district} 90% ภายใน 31/3/{year}\""),
    "need_district": "ขอชื่ออำเภอในจังหวัด{province}ที่จะตั้งเป้าด้วยค่ะ",
    "need_percent": "ขอเป้าหมายเป็นเปอร์เซ็นต์ระหว่าง 1 ถึง 100 ค่ะ",
    "need_date": "ขอวันที่ครบกำหนดแบบ วัน/เดือน/ปี พ.ศ. ที่ยังไม่ผ่านมาค่ะ",
    "confirm": "จะตั้งเป้าให้อำเภอ{district}: {measure} {percent}% ภายใน {due} ยืนยันไหมคะ",
    "title": "ตั้งเป้าความครบถ้วน",
    "set": "ตั้งเป้าให้อำเภอ{district}แล้วค่ะ: {measure} {percent}% ภายใน {due}",
    "footer": "ความคืบหน้าจะแสดงในสรุปประจำสัปดาห์ของอำเภอและสรุปประจำเดือนของจังหวัดค่ะ",
}


def _percent(value: object) -> int | None:
    try:
        n = round(float(str(value).strip().rstrip("%").strip()))
    except (TypeError, ValueError):
        return None
    return n if 1 <= n <= 100 else None


def _due(ctx: Ctx, value: object) -> date | None:
    day = value if isinstance(value, date) else common.parse_day(str(value or ""), ctx.today)
    return day if day is not None and day >= ctx.today else None


@handler("officer.set_target", roles=frozenset({Role.PROVINCE, Role.CENTRAL}), area=AREA_FROM_SLOTS,
         example_slots={"district_code": "$district", "percent": "90", "date": "31/12/2600"})
def set_target(ctx: Ctx, slots: dict) -> list[Reply]:
    """Record a district's completeness target and show its progress toward it."""
    district = str(slots.get("district_code") or "")
    percent, due = _percent(slots.get("percent")), _due(ctx, slots.get("date"))
    province = ctx.scope.home_area or ""
    problems = []
    if len(district) != 4 or common.gazetteer.by_code(district) is None:
        problems.append(T["need_district"].format(province=common.area_label(province[:2] or None)
                                                  .removeprefix("จังหวัด")))
    if percent is None:
        problems.append(T["need_percent"])
    if due is None:
        problems.append(T["need_date"])
    if problems:
        example = next(iter(common.gazetteer.districts(province[:2] or "57")), None)
        how = T["how"].format(district=example.name_th if example else "เมืองเชียงราย",
                              year=thai_dates.be_year(ctx.today) + 1)
        return [Text("\n".join([*problems, how]))]
    return start(ctx, TARGET_FLOW, context={"district": district, "percent": percent, "due": due.isoformat()})


def _worded(key: str, values: dict[str, Any]) -> str:
    name = common.gazetteer.by_code(values["district"])
    return T[key].format(district=name.name_th if name else values["district"], measure=targets.TEXTS["measure"],
                         percent=values["percent"], due=thai_dates.long_date(date.fromisoformat(values["due"])))


def _save(ctx: Ctx, values: dict[str, Any]) -> list[Reply]:
    """Confirmed: record the target and show the district's progress toward it."""
    district, due = values["district"], date.fromisoformat(values["due"])
    if not ctx.scope.allows_area(district):
        return [Text(common.refuse_area(ctx))]
    targets.set_target(ctx.session, district, values["percent"], due, ctx.account.user_id, now=ctx.now)
    lines = [_worded("set", values), *targets.progress_lines(targets.progress(ctx.session, district, ctx.today), ctx.today)]
    return [Text("\n".join([*lines, T["footer"]]))]


TARGET_FLOW = register_flow(Flow(
    name="officer.set_target", title_th=T["title"], slots=[],  # the values travel as the context payload
    on_done=_save, confirm_th=lambda values: _worded("confirm", values),
    roles=frozenset({Role.PROVINCE, Role.CENTRAL})))
