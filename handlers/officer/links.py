"""Signed, expiring download links (bots cannot send files): the token names exactly what to
serve (kind, area, month, format) and for whom it was made (`u`, the officer's LINE user id),
and is signed with Settings.signing_key; bot/downloads.py checks signature and age before
generating the file. A link names what to fetch, it never grants it: files with personal
data (kind "registry") are served only to a signed-in officer whose area covers the file
(bot/web/auth.py); aggregate reports and charts are served to whoever holds the link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from itsdangerous import URLSafeTimedSerializer

from handlers.replies import Link

SALT = "otop-download-v1"
MAX_AGE = timedelta(hours=24)
KINDS = ("table", "monthly", "registry", "chart", "chart_preview")
PERSONAL = frozenset({"registry"})  # kinds whose files hold personal data: sign-in and area check


def serializer(key: str) -> URLSafeTimedSerializer:
    if not key:
        raise ValueError("no signing key configured")
    return URLSafeTimedSerializer(key, salt=SALT)


def make_token(key: str, kind: str, area: str | None, fmt: str = "", month: str = "", user: str = "") -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown download kind {kind!r}")
    data = {"k": kind, "a": area or "", "f": fmt, "m": month}
    return serializer(key).dumps({**data, "u": user} if user else data)


def read_token(key: str, token: str, max_age: timedelta = MAX_AGE) -> dict[str, Any]:
    """The payload; raises itsdangerous.SignatureExpired / BadSignature (BadData)."""
    return serializer(key).loads(token, max_age=int(max_age.total_seconds()))


def read_expired(key: str, token: str) -> dict[str, Any]:
    """The payload of a token whose signature holds but which has expired (to log what it
    named); raises BadData when the signature does not hold."""
    return serializer(key).loads(token)


WEB_LABEL = "เปิดในหน้าเว็บ"


def console(ctx: Any, path: str, **query: Any) -> Link:
    """"เปิดในหน้าเว็บ": the officer console's page for a long task begun in chat. The link
    names what to open; signing in with LINE decides who may (bot/web/console)."""
    args = {k: v for k, v in query.items() if v not in (None, "")}
    return Link(WEB_LABEL, f"{ctx.public_base_url}/console/{path}" + (f"?{urlencode(args)}" if args else ""))


def area_arg(area: str | None) -> str:
    """An area as the console's ?area= names it ("TH": the whole country)."""
    return area or "TH"


def url(ctx: Any, kind: str, area: str | None, fmt: str = "", month: str = "") -> str:
    """The https link under PUBLIC_BASE_URL for the officer's chat."""
    user = ctx.account.user_id if kind in PERSONAL else ""
    return f"{ctx.public_base_url}/download/{make_token(ctx.signing_key, kind, area, fmt, month, user)}"
