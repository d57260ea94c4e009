"""Reports and downloads of the officer's area: the department's table row (the chat's
`table_report`), and links to the existing download mechanism (bot/downloads.py, signed
tokens of handlers/officer/links.py): the table and the monthly report as XLSX / CSV, the
registry export (personal data: served only to a signed-in officer of the area), the chart."""

from __future__ import annotations

from datetime import timedelta

from flask import Response

from bot.web import auth
from bot.web.console import base
from handlers.officer import links
from handlers.officer.reports import row_text, table_report


@auth.login_required()
def view() -> Response:
    """GET /console/reports."""
    area = base.home_area()
    area = area[:4] if area and len(area) > 4 else area
    with base.read_ctx() as ctx:
        report = table_report(ctx.session, area)
        month = (ctx.today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        url = lambda kind, fmt="", m="": links.url(ctx, kind, area, fmt, m)  # noqa: E731
        files = [("รายงานตามแบบของกรม (Excel)", url("table", "xlsx")), ("รายงานตามแบบของกรม (CSV)", url("table", "csv")),
                 (f"รายงานประจำเดือน {month} (Excel)", url("monthly", "xlsx", month)),
                 (f"รายงานประจำเดือน {month} (CSV)", url("monthly", "csv", month)),
                 ("ข้อมูลทะเบียนทั้งหมด (Excel, มีข้อมูลส่วนบุคคล)", url("registry", "xlsx"))]
        chart = url("chart")
    return base.render("reports.html", area_label=base.area_label(area), summary=row_text(report.total).split("\n"),
                       files=files, chart=chart, hours=int(links.MAX_AGE.total_seconds() // 3600))
