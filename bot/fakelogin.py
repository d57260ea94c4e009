"""The LINE Login v2.1 part of the fake LINE API (bot/fakeline.py serves it): an authorize
page where a local user picks who they are, the token endpoint, and the ID-token verify
endpoint, shaped as LINE documents them, so web sign-in (bot/web/auth.py) runs and is tested
without LINE credentials.

- `GET /oauth2/v2.1/authorize?response_type=code&client_id&redirect_uri&state&scope&nonce`:
  a page listing `users` (name -> LINE user id) and a field for any user id; choosing one
  (`POST` to the same path) redirects to `redirect_uri?code=...&state=...`. A "cancel" button
  redirects with `error=access_denied`, as LINE does.
- `POST /oauth2/v2.1/token` (form: grant_type=authorization_code, code, redirect_uri,
  client_id, client_secret): a code is used once, within 10 minutes, with the same
  redirect_uri and client_id it was issued for; answers access_token, id_token, ...
- `POST /oauth2/v2.1/verify` (form: id_token, client_id, nonce?, user_id?): the claims of an
  ID token this fake issued (HS256 over the channel secret given at the token exchange, or
  over the fake's own key of the channel for LIFF tokens, bot/fakeliff.py), if its signature holds, it has not expired, and client_id / nonce / user_id match; else 400.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from html import escape
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

ISSUER = "https://access.line.me"
CODE_TTL = 600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FakeLogin:
    """State of the fake's LINE Login: issued codes and ID tokens, the users to pick from."""

    def __init__(self) -> None:
        self.users: dict[str, str] = {}  # shown on the authorize page: name -> LINE user id
        self.channel_secrets: dict[str, str] = {}  # client_id -> secret; empty: any secret accepted
        self.id_token_ttl = 3600
        self._codes: dict[str, dict[str, Any]] = {}
        self._secrets: dict[str, str] = {}  # client_id -> the secret tokens were signed with
        self.liff_keys: dict[str, str] = {}  # client_id -> the fake's key of LIFF ID tokens
        self._lock = threading.Lock()

    def handle(self, request: Request, path: str) -> Response:
        if path == "/oauth2/v2.1/authorize":
            return self._authorize(request)
        if path == "/oauth2/v2.1/token" and request.method == "POST":
            return self._token(request)
        if path == "/oauth2/v2.1/verify" and request.method == "POST":
            return self._verify(request)
        return _json({"error": "not_found", "error_description": f"fake has no {request.method} {path}"}, 404)

    # authorize -------------------------------------------------------------------------
    def _authorize(self, request: Request) -> Response:
        args = request.form if request.method == "POST" else request.args
        params = {k: args.get(k, "") for k in ("response_type", "client_id", "redirect_uri", "state", "scope", "nonce")}
        missing = [k for k in ("client_id", "redirect_uri", "state") if not params[k]]
        if params["response_type"] != "code" or missing or "openid" not in params["scope"].split():
            return _json({"error": "invalid_request", "error_description": f"bad authorize request {missing}"}, 400)
        if request.method == "GET":
            return Response(self.page(params), 200, content_type="text/html; charset=utf-8")
        sep = "&" if "?" in params["redirect_uri"] else "?"
        if args.get("cancel"):
            query = urlencode({"error": "access_denied", "error_description": "The user cancelled", "state": params["state"]})
            return Response("", 302, headers={"Location": params["redirect_uri"] + sep + query})
        user = (args.get("user_id_other") or args.get("user_id") or "").strip()
        if not user:
            return Response(self.page(params, error="เลือกผู้ใช้ก่อนค่ะ"), 400, content_type="text/html; charset=utf-8")
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = {**params, "sub": self.users.get(user, user), "at": time.time()}
        query = urlencode({"code": code, "state": params["state"]})
        return Response("", 302, headers={"Location": params["redirect_uri"] + sep + query})

    def page(self, params: dict[str, str], error: str = "") -> str:
        hidden = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in params.items())
        choices = "".join(f'<p><label><input type="radio" name="user_id" value="{escape(uid)}"> {escape(name)}'
                          f' <small>{escape(uid)}</small></label></p>' for name, uid in self.users.items())
        return (f'<!doctype html><html lang="th"><meta charset="utf-8"><title>LINE Login (จำลอง)</title>'
                f'<body style="font-family:sans-serif;max-width:36em;margin:2em auto"><h1>LINE Login (จำลอง)</h1>'
                f'<p>ระบบทดลองในเครื่อง: เลือกว่าท่านเป็นผู้ใช้คนใด</p><p style="color:#c00">{escape(error)}</p>'
                f'<form method="post">{hidden}{choices}<p>หรือ LINE user id: <input name="user_id_other"></p>'
                f'<p><button type="submit">เข้าสู่ระบบ</button> <button type="submit" name="cancel" value="1">'
                f'ยกเลิก</button></p></form></body></html>')

    # token -----------------------------------------------------------------------------
    def _token(self, request: Request) -> Response:
        form = request.form
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None or time.time() - grant["at"] > CODE_TTL:
            return _json({"error": "invalid_grant", "error_description": "invalid authorization code"}, 400)
        if form.get("redirect_uri") != grant["redirect_uri"] or form.get("client_id") != grant["client_id"]:
            return _json({"error": "invalid_grant", "error_description": "redirect_uri or client_id differs"}, 400)
        secret = form.get("client_secret", "")
        expected = self.channel_secrets.get(grant["client_id"])
        if not secret or (expected is not None and not hmac.compare_digest(secret, expected)):
            return _json({"error": "invalid_client", "error_description": "invalid client_secret"}, 400)
        with self._lock:
            self._secrets[grant["client_id"]] = secret
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": grant["sub"], "aud": grant["client_id"], "exp": now + self.id_token_ttl,
                  "iat": now, "amr": ["pwd"], "name": "ผู้ใช้ทดสอบ"}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        return _json({"access_token": secrets.token_urlsafe(24), "expires_in": 2592000, "id_token": self.sign(claims, secret),
                      "refresh_token": secrets.token_urlsafe(16), "scope": grant["scope"], "token_type": "Bearer"})

    @staticmethod
    def sign(claims: dict[str, Any], secret: str) -> str:
        """An ID token: a JWT signed HS256 with the channel secret, as LINE signs web logins."""
        head = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
        body = _b64(json.dumps(claims, ensure_ascii=False).encode())
        mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        return f"{head}.{body}.{_b64(mac)}"

    def liff_key(self, client_id: str) -> str:
        """The fake's signing key of LIFF ID tokens of a channel (made on first use)."""
        with self._lock:
            return self.liff_keys.setdefault(client_id, secrets.token_hex(16))

    # verify ----------------------------------------------------------------------------
    def _verify(self, request: Request) -> Response:
        form = request.form
        bad = _json({"error": "invalid_request", "error_description": "Invalid IdToken."}, 400)
        try:
            head, body, mac = form.get("id_token", "").split(".")
            claims = json.loads(_unb64(body))
        except ValueError:
            return bad
        client = form.get("client_id", "")
        keys = [k for k in (self._secrets.get(client), self.liff_keys.get(client)) if k]
        if not keys or claims.get("aud") != client:
            return bad
        try:
            given = _unb64(mac)
        except ValueError:
            return bad
        if not any(hmac.compare_digest(given, hmac.new(k.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
                   for k in keys):
            return bad
        if claims.get("exp", 0) <= time.time():
            return _json({"error": "invalid_request", "error_description": "IdToken expired."}, 400)
        if form.get("nonce") and form.get("nonce") != claims.get("nonce"):
            return _json({"error": "invalid_request", "error_description": "Invalid nonce."}, 400)
        if form.get("user_id") and form.get("user_id") != claims.get("sub"):
            return _json({"error": "invalid_request", "error_description": "Invalid user_id."}, 400)
        return _json(claims)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status, content_type="application/json")
