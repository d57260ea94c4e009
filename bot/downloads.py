"""GET /download/<token>: reports as files (XLSX / CSV) and chart images, generated on request
for exactly the area in a signed, expiring token (handlers/officer/links.py), and the registry
export of the area, built in a separate process and served from disk (bot/export_files.py):
until it is ready the link answers 202 with a Thai page that refreshes itself. Expired or
tampered tokens get 403 with a Thai page (and never start a build).

The registry export holds national IDs: it is served only to a signed-in officer whose area
covers it (bot/web/auth.py; the link names the officer it was made for, but holding it grants
nothing). Every download of a file, and every refused attempt at the registry export, goes
into the access log (registry.access_log)."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, Response, current_app, request, send_file
from itsdangerous import BadData, SignatureExpired

from bot.web import auth
from bot.web.pages import page
from handlers.officer import links
from handlers.officer.reports import table_report
from models import read_only, unit_of_work
from registry import access_log

bp = Blueprint("downloads", __name__)

EXPIRED = ("ลิงก์หมดอายุแล้ว", "ลิงก์ดาวน์โหลดนี้หมดอายุแล้วค่ะ กรุณาขอรายงานใหม่ในแชต LINE OTOP")
INVALID = ("ลิงก์ไม่ถูกต้อง", "ลิงก์ดาวน์โหลดนี้ไม่ถูกต้องค่ะ กรุณาขอรายงานใหม่ในแชต LINE OTOP")
PREPARING = ("กำลังเตรียมไฟล์", "กำลังเตรียมไฟล์ข้อมูลทะเบียนให้ค่ะ เมื่อไฟล์พร้อม หน้านี้จะดาวน์โหลดไฟล์ให้เอง"
             "โดยอัตโนมัติ กรุณาเปิดหน้านี้ค้างไว้ ข้อมูลทั้งประเทศใช้เวลาประมาณหนึ่งนาทีค่ะ")
FAILED = ("เตรียมไฟล์ไม่สำเร็จ", "ขออภัยค่ะ ระบบเตรียมไฟล์นี้ไม่สำเร็จ กรุณาเปิดลิงก์อีกครั้งภายหลัง"
          " หากยังไม่สำเร็จ กรุณาติดต่อผู้ดูแลระบบค่ะ")
REFRESH_SECONDS = {True: 5, False: 2}  # the whole country (~40 s) / an area (seconds)
MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _refuse(text: tuple[str, str]) -> Response:
    return page(text, 403)


def _month(text: str) -> date:
    year, month = (int(x) for x in text.split("-"))
    return date(year, month, 1)


def _log(kind: str, area: str | None, outcome: str = "ok", made_for: str = "") -> None:
    """One access-log entry for this request, in a transaction of its own. The signed-in user
    when there is one; otherwise the officer the link was made for, marked as such."""
    account = auth.current_account()
    uid = account.user_id if account else (auth.current_user_id() or (f"link:{made_for}" if made_for else "anonymous"))
    with unit_of_work(current_app.extensions["otop"].factory) as session:
        access_log.record(session, user_id=uid, role=account.role if account else None, channel="web",
                          action="download", what=kind, area=area, outcome=outcome)


@bp.get("/download/<token>")
def download(token: str) -> Response:
    """Serve what the token names, if its signature holds and it has not expired (and, for
    personal data, to a signed-in officer of the area)."""
    from registry import report_files
    from registry.reports import monthly_report

    settings = current_app.config["OTOP_SETTINGS"]
    try:
        data = links.read_token(settings.signing_key, token)
    except SignatureExpired:
        named = links.read_expired(settings.signing_key, token)
        if named.get("k") in links.PERSONAL:
            _log(named["k"], named.get("a") or None, "refused:expired", named.get("u", ""))
        return _refuse(EXPIRED)
    except BadData:
        return _refuse(INVALID)
    kind, area, fmt = data.get("k"), data.get("a") or None, data.get("f") or "xlsx"
    runtime = current_app.extensions["otop"]
    stamp = date.today().isoformat()
    if kind in links.PERSONAL:
        if fmt not in MIME or kind != "registry":
            return _refuse(INVALID)
        refusal = auth.check(auth.OFFICERS, area)
        if refusal is not None:
            _log(kind, area, f"refused:{refusal.reason}", data.get("u", ""))
            return refusal.response
        return _registry(settings, runtime, area, stamp)
    with read_only(runtime.factory) as session:  # reports, charts: reads only, no write lock
        if kind in ("chart", "chart_preview"):
            from bot import charts
            from handlers.officer.common import area_label

            if kind == "chart_preview":
                jpeg = charts.preview_chart(session, area, area_label(area))
                return send_file(io.BytesIO(jpeg), mimetype="image/jpeg", max_age=300)
            png = charts.completeness_chart(session, area, area_label(area))
            return send_file(io.BytesIO(png), mimetype="image/png", max_age=300)
        if fmt not in MIME:
            return _refuse(INVALID)
        if kind == "table":
            body = report_files.to_bytes(table_report(session, area), fmt)
        elif kind == "monthly":
            body = report_files.to_bytes(monthly_report(session, _month(data["m"]), area, today=date.today()), fmt)
        else:
            return _refuse(INVALID)
    _log(str(kind), area, made_for=data.get("u", ""))
    name = f"otop-{kind}-{area or 'TH'}-{data.get('m') or stamp}.{fmt}"
    return send_file(io.BytesIO(body), mimetype=MIME[fmt], as_attachment=True, download_name=name)


def _registry(settings, runtime, area: str | None, stamp: str) -> Response:  # type: ignore[no-untyped-def]
    """The registry export (import format, one XLSX) of the area: the finished file for the
    registry's current version, else a build in the background and a page that refreshes
    itself. The refresh carries `since` (when this page first asked): a file whose build
    started after it is served even if the registry changed again meanwhile."""
    from bot import export_files

    since = request.args.get("since", type=int)
    asked = since if since is not None else export_files.now_ms()
    with read_only(runtime.factory) as session:
        key = export_files.version_key(session, area)
    status = export_files.request(settings.media_dir, area, key, database_url=settings.database_url,
                                  since_ms=since)
    if status.path is not None:
        try:
            fh = open(status.path, "rb")
        except FileNotFoundError:  # replaced by a newer build since it was found: wait for that
            status = export_files.Status()
        else:
            _log("registry", area)
            resp = send_file(fh, mimetype=MIME["xlsx"], as_attachment=True,
                             download_name=f"otop-registry-{area or 'TH'}-{stamp}.xlsx")
            resp.headers["Cache-Control"] = "no-store"
            return resp
    if status.error is not None:
        resp = page(FAILED, 503)
    else:
        refresh = f'<meta http-equiv="refresh" content="{REFRESH_SECONDS[area is None]}; url=?since={asked}">'
        resp = page(PREPARING, 202, head=refresh)
        resp.headers["X-Export-Build"] = "started" if status.started else "running"
    resp.headers["Cache-Control"] = "no-store"
    return resp
