"""GET /download/<token>: reports as files (XLSX / CSV), the registry export of an area, and
chart images, generated on request for exactly the area in a signed, expiring token
(handlers/officer/links.py). Expired or tampered tokens get 403 with a Thai page."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, current_app, send_file
from itsdangerous import BadData, SignatureExpired

from handlers.officer import links
from handlers.officer.reports import table_report
from models import unit_of_work

bp = Blueprint("downloads", __name__)

PAGE = """<!doctype html><html lang="th"><meta charset="utf-8"><title>{title}</title>
<body style="font-family:sans-serif;max-width:36em;margin:3em auto"><h1>{title}</h1><p>{body}</p></body></html>"""
EXPIRED = ("ลิงก์หมดอายุแล้ว", "ลิงก์ดาวน์โหลดนี้หมดอายุแล้วค่ะ กรุณาขอรายงานใหม่ในแชต LINE OTOP")
INVALID = ("ลิงก์ไม่ถูกต้อง", "ลิงก์ดาวน์โหลดนี้ไม่ถูกต้องค่ะ กรุณาขอรายงานใหม่ในแชต LINE OTOP")
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _refuse(page: tuple[str, str]) -> Response:
    return Response(PAGE.format(title=page[0], body=page[1]), status=403, mimetype="text/html")


def _month(text: str) -> date:
    year, month = (int(x) for x in text.split("-"))
    return date(year, month, 1)


@bp.get("/download/<token>")
def download(token: str) -> Response:
    """Serve what the token names, if its signature holds and it has not expired."""
    from registry import report_files
    from registry.reports import monthly_report

    settings = current_app.config["OTOP_SETTINGS"]
    try:
        data = links.read_token(settings.signing_key, token)
    except SignatureExpired:
        return _refuse(EXPIRED)
    except BadData:
        return _refuse(INVALID)
    kind, area, fmt = data.get("k"), data.get("a") or None, data.get("f") or "xlsx"
    runtime = current_app.extensions["otop"]
    stamp = date.today().isoformat()
    with unit_of_work(runtime.factory) as session:
        if kind in ("chart", "chart_preview"):
            from bot import charts
            from handlers.officer.common import area_label

            png = charts.completeness_chart(session, area, area_label(area))
            if kind == "chart_preview":
                return send_file(io.BytesIO(charts.preview(png)), mimetype="image/jpeg", max_age=300)
            return send_file(io.BytesIO(png), mimetype="image/png", max_age=300)
        if fmt not in MIME:
            return _refuse(INVALID)
        if kind == "table":
            body = report_files.to_bytes(table_report(session, area), fmt)
        elif kind == "monthly":
            body = report_files.to_bytes(monthly_report(session, _month(data["m"]), area, today=date.today()), fmt)
        elif kind == "registry":
            return _registry(session, area, stamp)
        else:
            return _refuse(INVALID)
    name = f"otop-{kind}-{area or 'TH'}-{data.get('m') or stamp}.{fmt}"
    return send_file(io.BytesIO(body), mimetype=MIME[fmt], as_attachment=True, download_name=name)


def _registry(session, area: str | None, stamp: str) -> Response:  # type: ignore[no-untyped-def]
    """The registry export (import format, one XLSX) of the area."""
    from registry.exporter import export_registry

    with tempfile.TemporaryDirectory() as tmp:
        result = export_registry(session, tmp, fmt="xlsx", province=area)
        body = Path(result.paths[0]).read_bytes()
    return send_file(io.BytesIO(body), mimetype=MIME["xlsx"], as_attachment=True,
                     download_name=f"otop-registry-{area or 'TH'}-{stamp}.xlsx")
