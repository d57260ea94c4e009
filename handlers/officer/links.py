"""Signed, expiring download links (bots cannot send files): the token names exactly what to
serve (kind, area, month, format) and is signed with Settings.signing_key; bot/downloads.py
checks signature and age before generating the file. The token carries no user identity: the
area was checked when the officer asked, and the link only ever serves that area."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from itsdangerous import URLSafeTimedSerializer

SALT = "otop-download-v1"
MAX_AGE = timedelta(hours=24)
KINDS = ("table", "monthly", "registry", "chart", "chart_preview")


def serializer(key: str) -> URLSafeTimedSerializer:
    if not key:
        raise ValueError("no signing key configured")
    return URLSafeTimedSerializer(key, salt=SALT)


def make_token(key: str, kind: str, area: str | None, fmt: str = "", month: str = "") -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown download kind {kind!r}")
    return serializer(key).dumps({"k": kind, "a": area or "", "f": fmt, "m": month})


def read_token(key: str, token: str, max_age: timedelta = MAX_AGE) -> dict[str, Any]:
    """The payload; raises itsdangerous.SignatureExpired / BadSignature (BadData)."""
    return serializer(key).loads(token, max_age=int(max_age.total_seconds()))


def url(ctx: Any, kind: str, area: str | None, fmt: str = "", month: str = "") -> str:
    """The https link under PUBLIC_BASE_URL for the officer's chat."""
    return f"{ctx.public_base_url}/download/{make_token(ctx.signing_key, kind, area, fmt, month)}"
