"""bot/web/security.py through the app: idle sessions end, security headers on answers, and
the LINE webhook stays exempt from CSRF (it is signed by LINE instead)."""

from __future__ import annotations

import time

from bot.testing import sign_in
from models import LineAccount, Role, unit_of_work

OFFICER = "U" + "b" * 31 + "2"


def _officer(db) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=OFFICER, role=Role.DISTRICT, province_code="50", district_code="5001",
                          following=True))


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    with client.session_transaction() as sess:
        return "uid" in sess


def test_a_session_unused_longer_than_the_idle_limit_ends(app, db, monkeypatch):
    _officer(db)
    client = app.test_client()
    sign_in(client, OFFICER)
    client.get("/healthz")  # the idle clock starts
    assert _signed_in(client)
    idle = app.config["LOGIN_IDLE_SECONDS"]
    assert idle == 3600
    now = time.time()
    monkeypatch.setattr("bot.web.security.time.time", lambda: now + idle - 5)
    client.get("/healthz")  # used within the limit: still signed in, clock moved on
    assert _signed_in(client)
    monkeypatch.setattr("bot.web.security.time.time", lambda: now + 2 * idle)
    client.get("/healthz")
    assert not _signed_in(client)


def test_answers_carry_security_headers(app):
    resp = app.test_client().get("/logout")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]


def test_the_webhook_is_exempt_from_csrf(line_client):
    assert line_client.post_event(line_client.text_event("U" + "0" * 32, "สวัสดี")) == 200
