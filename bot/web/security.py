"""Web security shared by every page with a form or a session: CSRF protection (Flask-WTF's
CSRFProtect on every POST/PUT/PATCH/DELETE, the token tied to the session), session expiry
(absolute and idle), and a few response headers.

    init_security(app)          # in create_app, after auth.init_app

- CSRF: every form carries `<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">`
  (Jinja global from Flask-WTF); a script sends it as the `X-CSRFToken` header. A request
  without a valid token is refused with a Thai page (400) before the view runs. Not
  concerned: the LINE webhook (`/callback`, signed with X-Line-Signature instead, answered
  before Flask by bot/webhook.py). The token lives as long
  as the session (WTF_CSRF_TIME_LIMIT = None: the session's own expiry bounds it).
- Sessions: a sign-in lasts LOGIN_SESSION_HOURS (8 h; bot/web/auth.py stores the end in the
  signed cookie) and ends earlier after LOGIN_IDLE_MINUTES (60) without a request. Either way
  the next page asks to sign in again (the cookie is cleared).
- Headers on every answer: `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
  `X-Frame-Options: DENY`; HTML pages also get a Content-Security-Policy allowing only this
  site's own scripts, styles and images (nothing from a CDN).
"""

from __future__ import annotations

import time
from flask import Flask, Response, current_app, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect

from bot.web.pages import page

csrf = CSRFProtect()

T = {
    "csrf": ("แบบฟอร์มหมดอายุ", "ขออภัยค่ะ แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากหน้าของระบบ จึงยังไม่ได้บันทึกอะไร "
             "กรุณาเปิดหน้าเดิมใหม่แล้วลองอีกครั้งค่ะ"),
    "reload": "เปิดหน้าแรกของระบบ",
}
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
TOUCH_EVERY = 60  # seconds: how often the idle clock in the cookie is moved on


def init_security(app: Flask) -> None:
    """CSRF on every form, idle expiry of sign-ins, security headers."""
    settings = app.config["OTOP_SETTINGS"]
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config.setdefault("WTF_CSRF_SSL_STRICT", True)
    app.config["LOGIN_IDLE_SECONDS"] = int(settings.login_idle_minutes * 60)
    csrf.init_app(app)  # LINE's webhook never reaches Flask (bot/webhook.py): nothing to exempt

    @app.errorhandler(CSRFError)
    def csrf_refused(exc: CSRFError) -> Response:
        current_app.logger.warning("CSRF refused %s %s: %s", request.method, request.path, exc.description)
        return page(T["csrf"], 400, link=(T["reload"], "/console/"))

    app.before_request(_expire_idle)
    app.after_request(_headers)


def _expire_idle() -> None:
    """A signed-in session unused for longer than LOGIN_IDLE_SECONDS is ended."""
    if "uid" not in session:
        return
    now = time.time()
    seen = session.get("seen")
    idle = current_app.config["LOGIN_IDLE_SECONDS"]
    if isinstance(seen, (int, float)) and now - seen > idle:
        session.clear()
        return
    if not isinstance(seen, (int, float)) or now - seen > TOUCH_EVERY:
        session["seen"] = int(now)


def _headers(resp: Response) -> Response:
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    if resp.mimetype == "text/html":
        resp.headers.setdefault("Content-Security-Policy", CSP)
    return resp

