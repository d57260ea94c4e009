"""LIFF pages: sign-in inside LINE, and the producer's own record as web forms (docs/LIFF.md).

Sign-in: a LIFF page (`/liff/`, `/liff/signin?next=`) loads the LIFF SDK (LINE's CDN in
production; the fake LINE API's small fake SDK locally and in tests), runs `liff.init`,
`liff.login()` when not logged in, and posts `liff.getIDToken()` to `POST /liff/session`. The
server has LINE's verify endpoint check the token (POST /oauth2/v2.1/verify with id_token and
client_id = the LINE Login channel the LIFF app belongs to, as LINE documents), checks the
claims again (`bot.web.auth.verify_id_token`) and opens the same signed session as LINE Login.
Profile data sent by the page is never trusted: only the verified token's `sub`.

Producer form (`/liff/form`): every section a producer may edit in chat, one form each
(bot/web/liff_forms.py runs the chat flow's validators and `on_done`). The record is always the
signed-in producer's own (`ctx.scope`); a product id in a form is honoured only for their own
product, anything else is refused and logged. Every POST carries a CSRF token, checked before
the view runs (Flask-WTF, bot/web/security.py).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, send_from_directory
from flask import session as web_session
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from bot.dispatch import enqueue_push
from bot.web import auth, liff_forms
from bot.web.liff_texts import T
from bot.web.pages import page
from handlers.producer import common
from handlers.producer.record import issue_line, pending_line, producer_lines, product_lines
from handlers.producer.record_data import load_record
from handlers.registry import PRODUCERS
from models import LineAccount, read_only, unit_of_work, utcnow
from registry import access_log
from registry.media import MAX_BYTES

log = logging.getLogger(__name__)
bp = Blueprint("liff", __name__, url_prefix="/liff", template_folder="templates", static_folder="static/liff",
               static_url_path="/static")

CDN_SDK = "https://static.line-scdn.net/liff/edge/2/sdk.js"
# What the LIFF SDK talks to (LINE's API and login, its own files), beside this site.
LINE_HOSTS = "https://api.line.me https://access.line.me https://liffsdk.line-scdn.net https://liff.line.me"
MAX_UPLOAD = MAX_BYTES + 256 * 1024  # the picture and the form's other fields


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # first of all request hooks: the size limit holds before anything (CSRF) reads the form
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_upload)


def _limit_upload() -> None:
    if request.path.startswith("/liff/"):
        request.max_content_length = MAX_UPLOAD


FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"


@bp.get("/font/<any('NotoSansThai-Regular.ttf', 'NotoSansThai-Bold.ttf'):name>")
def font(name: str) -> Response:
    """The bundled Thai font (the charts' own), for browsers without one (headless Chromium)."""
    return send_from_directory(FONTS, name, mimetype="font/ttf", max_age=86400)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> Response:
    return page(("ไฟล์ใหญ่เกินไป", T["too_large"].format(mb=MAX_BYTES // 2**20)), 413)


def sdk_url(settings: Any) -> str:
    """LINE's LIFF SDK, or the fake LINE API's fake of it (nothing downloaded locally)."""
    return f"{settings.line_api_base_url}/liff/sdk.js" if settings.line_api_base_url else CDN_SDK


def _settings() -> Any:
    return current_app.config["OTOP_SETTINGS"]


def _signin_csp(sdk: str) -> str:
    """The sign-in page's Content-Security-Policy: bot/web/security.py's, plus the SDK's host
    (LINE's CDN, or the fake LINE API locally) and the LINE hosts the SDK calls."""
    origin = "/".join(sdk.split("/")[:3])
    return (f"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            f"script-src 'self' {origin}; connect-src 'self' {LINE_HOSTS}; object-src 'none'; "
            f"base-uri 'self'; frame-ancestors 'none'")


# ------------------------------------------------------------------ sign-in


@bp.get("")
@bp.get("/")
@bp.get("/signin")
def signin() -> Response | str:
    """The LIFF endpoint page: init the SDK, log in, send the ID token, go on to `next`."""
    settings = _settings()
    if not settings.liff_id or auth.LoginConfig.of(settings) is None:
        return page(T["not_configured"], 503)
    config = {"liffId": settings.liff_id, "next": auth._safe_next(request.args.get("next") or "/liff/form"),
              "session": "/liff/session", "csrf": generate_csrf(), "failed": T["sign_in_failed"]}
    sdk = sdk_url(settings)
    resp = Response(render_template("liff/signin.html", T=T, sdk=sdk,
                                    config=json.dumps(config, ensure_ascii=False).replace("</", "<\\/")),
                    200, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = _signin_csp(sdk)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/session")
def open_session() -> tuple[dict[str, str], int]:
    """Verify the LIFF ID token at LINE and sign the browser in as its user."""
    config = auth.LoginConfig.of(_settings())
    if config is None or not _settings().liff_id:
        return {"message": T["not_configured"][1]}, 503
    body = request.get_json(silent=True) or {}
    token = body.get("id_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        return {"message": T["sign_in_failed"]}, 400
    try:
        claims = auth.verify_id_token(config, token, None)
    except auth.LoginError as exc:
        log.warning("LIFF sign-in refused: %s", exc)
        return {"message": T["sign_in_failed"]}, 401
    auth.open_session(claims["sub"])
    return {"next": auth._safe_next(body.get("next"))}, 200


# ------------------------------------------------------------------ the producer form


def _refusal() -> Response | None:
    """Not signed in: to the LIFF sign-in (LINE Login without a LIFF app), then back here; not
    a linked producer: refused."""
    if auth.current_user_id() is None:
        start = "/liff/signin" if _settings().liff_id else "/login"
        return redirect(f"{start}?next=/liff/form", 302)  # type: ignore[return-value]
    refusal = auth.check(PRODUCERS)
    return page(T["producers_only"], 403) if refusal else None


def _ctx(session: Any) -> Any:
    settings, runtime = _settings(), current_app.extensions["otop"]
    account = session.get(LineAccount, auth.current_user_id())
    return liff_forms.web_ctx({"session": session, "account": account, "now": utcnow(),
                               "public_base_url": settings.public_base_url, "media_dir": settings.media_dir,
                               "parse": runtime.processor.parser, "signing_key": settings.signing_key,
                               "liff_base": settings.liff_base})


@bp.get("/form")
def form() -> Response | str:
    refusal = _refusal()
    if refusal is not None:
        return refusal
    return _render(status=200)


def _render(status: int, failed: liff_forms.Section | None = None) -> Response:
    """The form page (with `failed`: that section as submitted, with its errors)."""
    runtime = current_app.extensions["otop"]
    with read_only(runtime.factory) as session:
        ctx = _ctx(session)
        producer = common.my_producer(ctx)
        if producer is None:
            return page(T["producers_only"], 403)
        products = common.own_products(ctx)
        sections = liff_forms.sections(ctx, producer, products)
        if failed is not None:
            sections = [failed if (s.flow, s.product_id) == (failed.flow, failed.product_id) else s for s in sections]
        view = load_record(ctx.session, producer.id)  # the chat's record card, from two queries
        assert view is not None
        waiting = view.waiting
        records = [_summary(producer, producer_lines(view), view.issues, None,
                            [c for c in waiting if c.entity == "producer"])]
        records += [_summary(pv.product, product_lines(pv), pv.issues, pv.product.id,
                             [c for c in waiting if c.entity == "product" and c.entity_id == pv.product.id])
                    for pv in view.products]
        html = render_template("liff/form.html", T=T, records=records, sections=sections, csrf=generate_csrf(),
                               flash=session_flash(), products=products,
                               chat_url=_settings().line_oa_url)
        seen = {"user_id": ctx.user_id, "role": ctx.account.role, "ids": [producer.id], "area": producer.district_code}
    with unit_of_work(runtime.factory) as log_session:  # the view of personal fields is logged
        access_log.record(log_session, channel="web", action="record", what="producer", **seen)
    resp = Response(html, status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _summary(record: Any, lines: list[str], issues: list[Any], product_id: int | None,
             waiting: list[Any]) -> dict[str, Any]:
    return {"title": record.name or record.code, "id": product_id,
            "lines": lines, "issues": [issue_line(i) for i in issues], "waiting": [pending_line(c) for c in waiting]}


def session_flash() -> dict[str, Any] | None:
    return web_session.pop("liff_flash", None)


@bp.post("/form")
def save() -> Response:
    """One section submitted: validated and saved as the chat form would, or shown again with
    the reasons in Thai (nothing written)."""
    refusal = _refusal()
    if refusal is not None:
        return refusal
    name, raw_id = request.form.get("section", ""), request.form.get("product_id", "").strip()
    product_id = int(raw_id) if raw_id.isdigit() else (None if not raw_id else -1)
    flow = liff_forms.flow_of(name, product_id)
    if flow is None:
        return page(T["unknown_section"], 404)
    upload = request.files.get("photo")
    photo = upload.read(MAX_UPLOAD) if upload is not None and upload.filename else None
    runtime = current_app.extensions["otop"]
    with unit_of_work(runtime.factory) as session:
        ctx = _ctx(session)
        producer = common.my_producer(ctx)
        if product_id is not None and liff_forms.own_product(ctx, product_id) is None:
            access_log.record(session, user_id=ctx.user_id, role=ctx.account.role, channel="web", action="record",
                              what="product", ids=[max(product_id, 0)],
                              area=producer.district_code if producer else None, outcome="refused:not_own")
            refused = True
        else:
            refused = False
            outcome = liff_forms.submit(ctx, flow, request.form, request.form.getlist, photo, product_id)
            if outcome.saved:
                for push in ctx.pushes:
                    enqueue_push(session, push, now=ctx.now)
            else:
                session.rollback()  # nothing half-written
    if refused:
        return page(T["not_yours"], 403)
    if not outcome.saved:
        return _render(400, _failed(flow.name, product_id, outcome.errors))
    if ctx.pushes:
        runtime.outbox_written()
    anchor = flow.name.replace(".", "-") + (f"-{product_id}" if product_id else "")
    web_session["liff_flash"] = {"anchor": anchor, "messages": outcome.messages}
    return redirect(f"/liff/form#{anchor}", 303)  # type: ignore[return-value]


def _failed(name: str, product_id: int | None, errors: dict[str, str]) -> liff_forms.Section:
    """The submitted section again, with what was typed and the reasons."""
    runtime = current_app.extensions["otop"]
    with read_only(runtime.factory) as s:
        ctx = _ctx(s)
        producer = common.my_producer(ctx)
        product = liff_forms.own_product(ctx, product_id) if product_id else None
        failed = liff_forms.section(ctx, name, producer, product)
    for f in failed.fields:
        if f.kind == "checks":
            f.value = request.form.getlist(f.name)
        elif f.kind != "file":
            f.value = request.form.get(f.name, "")
        f.error = errors.get(f.name, "")
    failed.error = errors.get("", T["fix_below"])
    return failed
