"""PDPA: a registry-export link (national IDs) names what to fetch and never grants it. Opened
without signing in, by a producer, by an officer of another area, after expiry, it is refused
with a Thai page and logged; the officer it was made for (or one whose area covers it) gets
the file after signing in with LINE Login (the fake LINE API's), and that is logged too."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from bot.testing import sign_in
from models import AccessEntry, unit_of_work
from tests.handlers.officer.helpers import DIST, OTHER, PROV, PRODUCER, data_of, follow_download, link_producer, officers
from tests.registry import factories as f


@pytest.fixture
def registry(db):
    officers(db)
    with unit_of_work(db) as s:
        p = f.producer(s, "5001", products=1, national_id="3500100000011")
        f.producer(s, "5002", products=1)
    link_producer(db, p.id)
    return db


def _link(line_client, user: str = DIST) -> str:
    """The registry-export link the chat gives the district officer of Mueang Chiang Mai."""
    got = line_client.tap(user, "i=officer.province_report")
    return urlparse(data_of(got, "ข้อมูลทะเบียน Excel")).path


def _log(db) -> list[tuple[str, str, str | None, str]]:  # type: ignore[no-untyped-def]
    with db() as s:
        return [(e.user_id, e.what, e.area_code, e.outcome) for e in
                s.scalars(select(AccessEntry).where(AccessEntry.action == "download").order_by(AccessEntry.id))]


def test_the_officer_it_was_made_for_signs_in_and_gets_the_file(line_client, registry, app):
    path = _link(line_client)
    client = app.test_client()
    first = client.get(path)
    assert first.status_code == 401 and "กรุณาเข้าสู่ระบบ" in first.text and "เข้าสู่ระบบด้วย LINE" in first.text
    assert _log(registry) == [(f"link:{DIST}", "registry", "5001", "refused:not_signed_in")]
    # the button leads through LINE Login and back to the link
    login = urlparse(first.text.split('href="')[1].split('"')[0].replace("&amp;", "&"))
    assert login.path == "/login" and parse_qs(login.query)["next"] == [path]
    back = sign_in(client, DIST, next_path=path)
    assert back.status_code == 302 and back.headers["Location"] == path
    cookie = back.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie and "Expires=" in cookie
    resp = follow_download(client, path)
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    assert _log(registry)[-1] == (DIST, "registry", "5001", "ok")


def test_a_province_officer_covering_the_area_gets_it_too(line_client, registry, app):
    path = _link(line_client)
    client = app.test_client()
    sign_in(client, PROV)
    assert follow_download(client, path).status_code == 200
    assert _log(registry)[-1] == (PROV, "registry", "5001", "ok")


@pytest.mark.parametrize("who, reason, words", [
    (OTHER, "other_area", "ไม่ใช่พื้นที่ของท่าน"),       # a district officer of Chom Thong
    (PRODUCER, "not_officer", "เฉพาะเจ้าหน้าที่"),       # a producer signed in with LINE
    ("U" + "9" * 32, "not_officer", "เฉพาะเจ้าหน้าที่"),  # a LINE user the bot does not know
])
def test_a_forwarded_link_is_refused_to_anyone_else(line_client, registry, app, who, reason, words):
    path = _link(line_client)
    client = app.test_client()
    sign_in(client, who)
    resp = client.get(path)
    assert resp.status_code == 403 and words in resp.text and b"PK" not in resp.data[:2]
    assert _log(registry) == [(who, "registry", "5001", f"refused:{reason}")]


def test_an_expired_link_is_refused_even_to_its_officer(line_client, registry, app, monkeypatch):
    from itsdangerous.timed import TimestampSigner

    real = time.time
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(real()) - 2 * 86400)
    path = _link(line_client)
    monkeypatch.undo()
    client = app.test_client()
    sign_in(client, DIST)
    resp = client.get(path)
    assert resp.status_code == 403 and "หมดอายุ" in resp.text
    assert _log(registry) == [(DIST, "registry", "5001", "refused:expired")]


def test_an_expired_sign_in_asks_again(line_client, registry, app):
    path = _link(line_client)
    client = app.test_client()
    sign_in(client, DIST)
    with client.session_transaction() as s:  # LOGIN_SESSION_HOURS later (the cookie's own age is checked too)
        s["until"] = time.time() - 1
    resp = client.get(path)
    assert resp.status_code == 401 and _log(registry)[-1][-1] == "refused:not_signed_in"


def test_a_callback_with_a_forged_state_or_a_reused_code_signs_nobody_in(registry, app, fake_line):
    client = app.test_client()
    start = client.get("/login?next=/x")
    query = parse_qs(urlparse(start.headers["Location"]).query)
    assert query["scope"] == ["openid profile"] and query["nonce"] and query["state"]
    assert client.get("/login/callback?code=abc&state=forged").status_code == 400
    assert client.get("/login/callback?error=access_denied&state=x").status_code == 401
    # an open redirect is never followed: next must be a path on this site
    other = app.test_client()
    assert sign_in(other, DIST, next_path="//evil.example.org/x").headers["Location"] == "/"


def test_an_id_token_the_verify_endpoint_refuses_signs_nobody_in(registry, app, fake_line, monkeypatch):
    fake_line.login.id_token_ttl = -5  # LINE issues it already expired: verify says so
    client = app.test_client()
    try:
        resp = sign_in(client, DIST, next_path="/x")
    finally:
        fake_line.login.id_token_ttl = 3600
    assert resp.status_code == 401 and "เข้าสู่ระบบไม่สำเร็จ" in resp.text
    with client.session_transaction() as s:
        assert "uid" not in s


def test_without_login_configuration_the_page_says_so(registry, settings, fake_line):
    from bot.app import create_app

    app = create_app(settings.with_(line_login_channel_id=None))
    try:
        resp = app.test_client().get("/login")
    finally:
        app.extensions["otop"].close()
    assert resp.status_code == 503 and "ผู้ดูแลระบบ" in resp.text


def test_aggregate_reports_stay_plain_links_and_are_logged(line_client, registry, app):
    got = line_client.tap(DIST, "i=officer.province_report")
    resp = app.test_client().get(urlparse(data_of(got, "ดาวน์โหลด CSV")).path)
    assert resp.status_code == 200
    assert _log(registry) == [("anonymous", "table", "5001", "ok")]


def test_login_required_decorator_guards_a_page(registry, app):
    """The reusable piece a web console builds on: role and area from the signed-in account."""
    from flask import Flask

    from bot.web.auth import current_account, login_required

    @login_required(area=lambda kw: kw["area"])
    def view(area: str) -> str:
        return f"hello {current_account().user_id} {area}"

    app.add_url_rule("/t/<area>", "t", view)
    client = app.test_client()
    assert client.get("/t/5001").status_code == 401
    sign_in(client, DIST)
    assert client.get("/t/5001").text == f"hello {DIST} 5001"
    assert client.get("/t/5002").status_code == 403
    assert isinstance(app, Flask)
