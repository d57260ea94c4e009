"""Sign-in with LINE for the web (LINE Login v2.1, OpenID Connect), and the access checks of
pages and downloads that hold personal data.

    @bp.get("/console/<area>")
    @login_required(roles=OFFICERS, area=lambda kw: kw["area"])
    def console(area): account = current_account(); ...

Flow: `GET /login?next=/path` stores a random `state` and `nonce` in the session and sends the
browser to LINE's authorize page; LINE sends it back to `GET /login/callback?code&state`; the
code is exchanged at the token endpoint for an ID token, which LINE's verify endpoint checks
(signature, expiry, channel, nonce) and whose claims are checked again here (`iss`
https://access.line.me, `aud` our channel id, `exp`, `nonce`). The session then holds the
LINE user id (`sub`): the LINE Login channel must belong to the same provider as the
Messaging API channel, so it is the user id the bot knows from chat. The role and area are
read from `line_accounts` on every request (a role taken away counts at once).

The session is Flask's signed cookie (SECRET_KEY): HttpOnly, SameSite=Lax, Secure when
PUBLIC_BASE_URL is https, valid for LOGIN_SESSION_HOURS (signature age and a stored expiry).
With LINE_API_BASE_URL set (the local chat, tests) all three endpoints are at that base: the
fake LINE API (bot/fakeline.py) serves them, with a page where a local user picks who they are.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from html import escape
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, redirect, request, session

from bot.web.pages import page
from handlers.permissions import Scope
from models import LineAccount, Role

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)

ISSUER = "https://access.line.me"
AUTHORIZE = "https://access.line.me/oauth2/v2.1/authorize"
API = "https://api.line.me"
TIMEOUT = 10  # seconds, for the token and verify calls
OFFICERS = frozenset({Role.DISTRICT, Role.PROVINCE, Role.CENTRAL})

T = {
    "sign_in": ("กรุณาเข้าสู่ระบบ", "ข้อมูลนี้มีข้อมูลส่วนบุคคล จึงเปิดได้เฉพาะเจ้าหน้าที่ที่เข้าสู่ระบบด้วยบัญชี LINE "
                "ที่ใช้กับแชต LINE OTOP ค่ะ"),
    "sign_in_button": "เข้าสู่ระบบด้วย LINE",
    "not_configured": ("ยังเปิดใช้การเข้าสู่ระบบไม่ได้", "ระบบยังไม่ได้ตั้งค่าการเข้าสู่ระบบด้วย LINE "
                       "กรุณาติดต่อผู้ดูแลระบบค่ะ"),
    "failed": ("เข้าสู่ระบบไม่สำเร็จ", "ขออภัยค่ะ เข้าสู่ระบบด้วย LINE ไม่สำเร็จ กรุณาเปิดลิงก์จากแชต LINE OTOP "
               "แล้วลองใหม่อีกครั้งค่ะ"),
    "cancelled": ("ยกเลิกการเข้าสู่ระบบ", "ท่านยกเลิกการเข้าสู่ระบบแล้วค่ะ หากต้องการเปิดข้อมูล "
                  "กรุณาเปิดลิงก์จากแชตอีกครั้งค่ะ"),
    "not_officer": ("เฉพาะเจ้าหน้าที่", "ข้อมูลนี้เปิดได้เฉพาะเจ้าหน้าที่พัฒนาชุมชนที่ดูแลพื้นที่นี้ค่ะ "
                    "บัญชี LINE ที่เข้าสู่ระบบไม่ใช่บัญชีเจ้าหน้าที่"),
    "other_area": ("ไม่ใช่พื้นที่ของท่าน", "ข้อมูลนี้เป็นของพื้นที่ที่ท่านไม่ได้ดูแล จึงเปิดไม่ได้ค่ะ "
                   "หากได้รับลิงก์ต่อมาจากผู้อื่น กรุณาขอข้อมูลของพื้นที่ท่านเองในแชต LINE OTOP"),
    "signed_out": ("ออกจากระบบแล้ว", "ออกจากระบบเรียบร้อยแล้วค่ะ"),
}


@dataclass(frozen=True)
class LoginConfig:
    channel_id: str
    channel_secret: str
    authorize_url: str
    token_url: str
    verify_url: str
    redirect_uri: str

    @classmethod
    def of(cls, settings: Any) -> LoginConfig | None:
        if not (settings.line_login_channel_id and settings.line_login_channel_secret):
            return None
        base = settings.line_api_base_url
        return cls(settings.line_login_channel_id, settings.line_login_channel_secret,
                   f"{base}/oauth2/v2.1/authorize" if base else AUTHORIZE,
                   f"{base or API}/oauth2/v2.1/token", f"{base or API}/oauth2/v2.1/verify",
                   f"{settings.public_base_url}/login/callback")


class LoginError(Exception):
    """LINE refused, or what it sent does not hold."""


def init_app(app: Flask, settings: Any) -> None:
    """Session cookie settings and the blueprint."""
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
                      SESSION_COOKIE_NAME="otop_session",
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.login_session_hours))
    app.register_blueprint(bp)


# ------------------------------------------------------------------ who is signed in


def current_user_id() -> str | None:
    """The signed-in LINE user id, or None (never signed in, or the session expired)."""
    uid, until = session.get("uid"), session.get("until")
    if not isinstance(uid, str) or not isinstance(until, (int, float)) or until < time.time():
        return None
    return uid


def current_account() -> LineAccount | None:
    """The signed-in user's LineAccount as it is now (read once per request)."""
    if "otop_account" not in g:
        uid = current_user_id()
        account = None
        if uid:
            with current_app.extensions["otop"].factory() as s:
                account = s.get(LineAccount, uid)
                if account is not None:
                    s.expunge(account)
        g.otop_account = account
    return g.otop_account


def current_scope() -> Scope:
    return Scope.of(current_account())


def in_line() -> bool:
    """The request comes from LINE's in-app browser (its User-Agent carries "Line/")."""
    return " Line/" in (request.headers.get("User-Agent") or "")


def sign_in_url(next_path: str | None = None) -> str:
    """Where to sign in, then come back to `next_path` (default: this request): inside LINE,
    the LIFF page when a LIFF app is configured (bot/web/liff.py), elsewhere LINE Login."""
    target = next_path if next_path is not None else request.full_path.rstrip("?")
    start = "/liff/signin" if in_line() and current_app.config["OTOP_SETTINGS"].liff_id else "/login"
    return f"{start}?" + urllib.parse.urlencode({"next": target})


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused (`reason` goes to the access log), and the page to show."""

    reason: str
    response: Response


def check(roles: frozenset[Role | None] = OFFICERS, area: str | None | bool = False) -> Refusal | None:
    """The one check of pages and downloads: signed in, in one of `roles`, and (unless `area` is
    False) covering `area` (None or "" = the whole country). None when allowed."""
    if current_user_id() is None:
        url = sign_in_url()
        # inside LINE the LIFF page signs in without a page to click through: go there at once
        head = f'<meta http-equiv="refresh" content="0; url={escape(url)}">' if url.startswith("/liff/") else ""
        return Refusal("not_signed_in", page(T["sign_in"], 401, head=head, link=(T["sign_in_button"], url)))
    scope = current_scope()
    if scope.role not in roles:
        return Refusal("not_officer" if OFFICERS <= roles else "role", page(T["not_officer"], 403))
    if area is not False and not scope.allows_area(area or None):  # type: ignore[arg-type]
        return Refusal("other_area", page(T["other_area"], 403))
    return None


def login_required(roles: frozenset[Role | None] = OFFICERS,
                   area: Callable[[dict[str, Any]], str | None] | None = None) -> Callable[..., Any]:
    """Decorator: the view runs only for a signed-in user in `roles` whose area covers
    `area(view_kwargs)` (when given); otherwise the refusal page."""

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(**kwargs: Any) -> Any:
            refusal = check(roles, area(kwargs) if area else False)
            return refusal.response if refusal else view(**kwargs)

        return guarded

    return wrap


# ------------------------------------------------------------------ LINE Login


def _config() -> LoginConfig | None:
    return LoginConfig.of(current_app.config["OTOP_SETTINGS"])


def _safe_next(value: str | None) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


@bp.get("/login")
def login() -> Response:
    """Send the browser to LINE's authorize page (state and nonce kept in the session)."""
    config = _config()
    if config is None:
        return page(T["not_configured"], 503)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session["login"] = {"state": state, "nonce": nonce, "next": _safe_next(request.args.get("next"))}
    query = urllib.parse.urlencode({"response_type": "code", "client_id": config.channel_id,
                                    "redirect_uri": config.redirect_uri, "state": state,
                                    "scope": "openid profile", "nonce": nonce})
    return redirect(f"{config.authorize_url}?{query}", 302)  # type: ignore[return-value]


@bp.get("/login/callback")
def callback() -> Response:
    """LINE sent the browser back: exchange the code, verify the ID token, sign in."""
    config = _config()
    pending = session.pop("login", None)
    if config is None:
        return page(T["not_configured"], 503)
    if request.args.get("error"):
        return page(T["cancelled"], 401)
    state = request.args.get("state") or ""
    if not isinstance(pending, dict) or not hmac.compare_digest(str(pending.get("state", "")), state):
        log.warning("login callback: state missing or different")
        return page(T["failed"], 400)
    try:
        claims = verify_id_token(config, exchange_code(config, request.args.get("code") or ""), pending["nonce"])
    except LoginError as exc:
        log.warning("login failed: %s", exc)
        return page(T["failed"], 401)
    open_session(claims["sub"])
    return redirect(_safe_next(pending.get("next")), 302)  # type: ignore[return-value]


def open_session(user_id: str) -> None:
    """Sign the browser in as the LINE user `user_id` (whose ID token was verified): a fresh
    session (nothing from before sign-in is kept), valid for LOGIN_SESSION_HOURS."""
    hours = current_app.config["OTOP_SETTINGS"].login_session_hours
    session.clear()
    session.permanent = True
    session["uid"] = user_id
    session["until"] = int(time.time() + hours * 3600)


@bp.get("/logout")
def logout() -> Response:
    session.clear()
    return page(T["signed_out"], 200)


def _post_form(url: str, fields: dict[str, str]) -> dict[str, Any]:
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return json.loads(resp.read().decode())
    except urllib.error.HTTPError as exc:
        raise LoginError(f"{url} answered {exc.code}: {exc.read()[:200]!r}") from None
    except (OSError, ValueError) as exc:
        raise LoginError(f"{url}: {exc}") from None


def exchange_code(config: LoginConfig, code: str) -> str:
    """The ID token for an authorization code (token endpoint)."""
    if not code:
        raise LoginError("no code")
    answer = _post_form(config.token_url, {"grant_type": "authorization_code", "code": code,
                                           "redirect_uri": config.redirect_uri, "client_id": config.channel_id,
                                           "client_secret": config.channel_secret})
    token = answer.get("id_token")
    if not isinstance(token, str) or not token:
        raise LoginError("no id_token in the token response (was the openid scope granted?)")
    return token


def verify_id_token(config: LoginConfig, id_token: str, nonce: str | None) -> dict[str, Any]:
    """LINE's verify endpoint checks the signature, expiry, channel and nonce; the claims it
    returns are checked again here. `nonce` None: a LIFF ID token (liff.getIDToken()), which
    carries none."""
    fields = {"id_token": id_token, "client_id": config.channel_id}
    if nonce is not None:
        fields["nonce"] = nonce
    claims = _post_form(config.verify_url, fields)
    problems = [name for name, ok in (
        ("iss", claims.get("iss") == ISSUER),
        ("aud", str(claims.get("aud")) == config.channel_id),
        ("exp", isinstance(claims.get("exp"), (int, float)) and claims["exp"] > time.time()),
        ("nonce", nonce is None or hmac.compare_digest(str(claims.get("nonce", "")), nonce)),
        ("sub", isinstance(claims.get("sub"), str) and bool(claims.get("sub"))),
    ) if not ok]
    if problems:
        raise LoginError(f"ID token claims do not hold: {problems}")
    return claims
