"""The LIFF part of the fake LINE API (bot/fakeline.py serves it under /liff/): a small fake of
the LIFF SDK and the page its `liff.login()` opens, so LIFF pages (bot/web/liff.py) run locally
and in tests without a LINE account and without downloading LINE's SDK.

- `GET /liff/sdk.js`: the fake SDK (bot/assets/fake-liff-sdk.js): liff.init, isLoggedIn,
  login, getIDToken, getDecodedIDToken, isInClient, closeWindow.
- `GET /liff/v1/login?liff_id&redirect_uri`: a page where a local user picks who they are
  (the users of `FakeLogin.users`, or any user id); `POST` sends the browser back to
  `redirect_uri#fake_liff_id_token=<ID token>`, where the SDK's `liff.init` takes it.

The ID token is what LINE's LIFF gives: `aud` = the LINE Login channel the LIFF app belongs to
(the LIFF ID's part before "-"), `iss` https://access.line.me, no nonce. The fake signs it with
a key of its own per channel (`FakeLogin.liff_keys`) and its POST /oauth2/v2.1/verify checks it
as it checks LINE Login's tokens: a forged or expired token is refused there.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from bot.fakelogin import ISSUER, FakeLogin, _json

SDK = Path(__file__).resolve().parent / "assets" / "fake-liff-sdk.js"


class FakeLiff:
    """The fake's LIFF endpoints; ID tokens are issued and verified by `login`."""

    def __init__(self, login: FakeLogin) -> None:
        self.login = login

    def handle(self, request: Request, path: str) -> Response:
        if path == "/liff/sdk.js":
            return Response(SDK.read_bytes(), 200, content_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "no-store"})
        if path == "/liff/v1/login":
            return self._login(request)
        return _json({"error": "not_found", "error_description": f"fake has no {request.method} {path}"}, 404)

    def _login(self, request: Request) -> Response:
        args = request.form if request.method == "POST" else request.args
        params = {k: args.get(k, "") for k in ("liff_id", "redirect_uri")}
        if not params["liff_id"] or "-" not in params["liff_id"] or not params["redirect_uri"].startswith("http"):
            return _json({"error": "invalid_request", "error_description": "liff_id and redirect_uri needed"}, 400)
        if request.method == "GET":
            return Response(self.login.page(params), 200, content_type="text/html; charset=utf-8")
        user = (args.get("user_id_other") or args.get("user_id") or "").strip()
        if not user:
            return Response(self.login.page(params, error="เลือกผู้ใช้ก่อนค่ะ"), 400,
                            content_type="text/html; charset=utf-8")
        token = self.id_token(params["liff_id"], self.login.users.get(user, user))
        back = params["redirect_uri"].split("#")[0] + "#" + urlencode({"fake_liff_id_token": token})
        return Response("", 302, headers={"Location": back})

    def id_token(self, liff_id: str, user_id: str, ttl: float | None = None) -> str:
        """An ID token as liff.getIDToken() gives it to `user_id` in the LIFF app `liff_id`."""
        channel = liff_id.split("-")[0]
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": user_id, "aud": channel, "iat": now,
                  "exp": now + int(self.login.id_token_ttl if ttl is None else ttl),
                  "amr": ["linesso"], "name": "ผู้ใช้ทดสอบ"}
        return FakeLogin.sign(claims, self.login.liff_key(channel))
