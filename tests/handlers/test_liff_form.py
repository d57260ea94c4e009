"""LIFF: sign-in with the LIFF SDK's ID token (verified at the fake LINE API's verify endpoint,
as at LINE's), and the producer's own record as web forms that do what the chat's forms do:
the same validators (Thai messages), the same saving (audit, channel "web"), ★ changes held
for the district officer with the officers told, photos stored; CSRF on every form; another
producer's record refused."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image
from sqlalchemy import select

from bot.fakelogin import FakeLogin
from bot.testing import liff_sign_in, post_liff_token, texts
from models import AccessEntry, PendingChangeStatus, Producer, Product, ProductPhoto
from tests.handlers.helpers_liff import csrf_of, section_post
from tests.handlers.producer_world import (OFFICER_A, OTHER_PRODUCER, PRODUCER, World, audits, pending_changes,
                                           world)  # noqa: F401
from tests.handlers.officer.helpers import data_of

LIFF_ID = "1650000000-testliff"


@pytest.fixture
def client(app):
    return app.test_client()


def signed_in(client, fake_line, user=PRODUCER):
    resp = liff_sign_in(client, fake_line, user)
    assert resp.status_code == 200, resp.text
    return client


# -- sign-in ---------------------------------------------------------------------------------

def test_liff_token_verified_at_the_fake_opens_a_session(client, fake_line, world: World):
    page = client.get("/liff/signin?next=/liff/form")
    assert page.status_code == 200
    html = page.text
    # the fake's SDK, never LINE's CDN, locally; the LIFF app's id; the CSRF token
    assert f'src="{fake_line.url}/liff/sdk.js"' in html and LIFF_ID in html and '"csrf": "' in html
    assert client.get("/liff/form").status_code == 302  # not signed in yet: to the LIFF sign-in
    resp = liff_sign_in(client, fake_line, PRODUCER)
    assert resp.status_code == 200 and resp.json == {"next": "/liff/form"}
    verify = [r for r in fake_line.calls("/oauth2/v2.1/verify")]
    assert verify and verify[-1].status == 200
    form = client.get("/liff/form")
    assert form.status_code == 200 and "กลุ่มทอผ้าบ้านสันกำแพง" in form.text
    assert "ผ้าไหมทอมือ" in form.text and "ขนมลับเฉพาะ" not in form.text  # own products only
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_fake_sdk_is_served_and_implements_what_the_page_uses(fake_line):
    import urllib.request

    with urllib.request.urlopen(f"{fake_line.url}/liff/sdk.js", timeout=10) as resp:
        js = resp.read().decode()
    for name in ("init", "isLoggedIn", "login", "getIDToken", "isInClient"):
        assert f"{name}:" in js


@pytest.mark.parametrize("how", ["forged", "expired", "other_channel", "garbage"])
def test_a_forged_or_expired_token_is_refused(client, fake_line, world: World, how):
    page = client.get("/liff/signin")
    csrf = csrf_of(page.text)
    if how == "forged":  # right shape and claims, signed with a key the fake never used
        now = int(time.time())
        token = FakeLogin.sign({"iss": "https://access.line.me", "sub": PRODUCER, "aud": "1650000000",
                                "iat": now, "exp": now + 600}, "not-the-key")
    elif how == "expired":
        token = fake_line.liff.id_token(LIFF_ID, PRODUCER, ttl=-5)
    elif how == "other_channel":  # a token of another LINE Login channel's LIFF app
        token = fake_line.liff.id_token("1999999999-elsewhere", PRODUCER)
    else:
        token = "not.a.token"
    resp = post_liff_token(client, csrf, token)
    assert resp.status_code == 401 and "เข้าสู่ระบบด้วย LINE ไม่สำเร็จ" in resp.json["message"]
    assert client.get("/liff/form").status_code == 302  # still not signed in


def test_the_session_post_needs_the_csrf_token(client, fake_line, world: World):
    client.get("/liff/signin")
    resp = post_liff_token(client, "wrong", fake_line.liff.id_token(LIFF_ID, PRODUCER))
    assert resp.status_code == 400
    assert client.get("/liff/form").status_code == 302


def test_next_is_only_a_path_on_this_site(client, fake_line, world: World):
    resp = liff_sign_in(client, fake_line, PRODUCER, next_path="//evil.example/x")
    assert resp.json == {"next": "/"}


# -- who may use the form ---------------------------------------------------------------------

def test_an_officer_or_unknown_user_gets_no_form(client, fake_line, world: World):
    signed_in(client, fake_line, OFFICER_A)
    resp = client.get("/liff/form")
    assert resp.status_code == 403 and "เฉพาะผู้ประกอบการ" in resp.text


def test_another_producers_product_is_refused_and_logged(client, fake_line, db, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    resp = section_post(client, page.text, "product.price", product_id=world.other_product_id, price="99")
    assert resp.status_code == 403 and "ไม่ใช่ข้อมูลของท่าน" in resp.text
    with db() as s:
        assert s.get(Product, world.other_product_id).price is None
        refused = s.scalars(select(AccessEntry).where(AccessEntry.outcome == "refused:not_own")).all()
        assert [(e.user_id, e.record_ids) for e in refused] == [(PRODUCER, str(world.other_product_id))]
        viewed = s.scalars(select(AccessEntry).where(AccessEntry.action == "record", AccessEntry.outcome == "ok")).all()
        assert [(e.user_id, e.channel) for e in viewed] == [(PRODUCER, "web")]  # the form's view is logged


def test_the_form_never_shows_another_producers_record(client, fake_line, world: World):
    signed_in(client, fake_line, OTHER_PRODUCER)
    html = client.get("/liff/form?producer_id=%d" % world.producer_id).text
    assert "ขนมลับเฉพาะ" in html and "กลุ่มทอผ้าบ้านสันกำแพง" not in html and "ผ้าไหมทอมือ" not in html


def test_every_post_needs_the_csrf_token(client, fake_line, db, world: World):
    signed_in(client, fake_line)
    resp = client.post("/liff/form", data={"section": "producer.update_phone", "phone": "0891234567"})
    assert resp.status_code == 400 and "หมดอายุ" in resp.text
    with db() as s:
        assert s.get(Producer, world.producer_id).phone == "0812345678"


# -- editing -----------------------------------------------------------------------------------

def test_phone_validated_in_thai_then_saved_with_web_audit(client, fake_line, db, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    bad = section_post(client, page.text, "producer.update_phone", phone="12345")
    assert bad.status_code == 400 and "เบอร์โทรศัพท์ไม่ถูกต้องค่ะ" in bad.text and 'value="12345"' in bad.text
    with db() as s:
        assert s.get(Producer, world.producer_id).phone == "0812345678"
    good = section_post(client, page.text, "producer.update_phone", phone="๐๘๙-๑๒๓-๔๕๖๗")
    assert good.status_code == 303 and good.headers["Location"].endswith("#producer-update_phone")
    assert "089-123-4567" in client.get("/liff/form").text  # the chat's own "saved" message
    [row] = audits(db, "producer", world.producer_id, "phone")
    assert (row.new_value, row.channel, row.actor) == ("0891234567", "web", PRODUCER)


def test_a_star_change_waits_for_the_officer_as_in_chat(client, fake_line, db, runtime, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    resp = section_post(client, page.text, "product.category", product_id=world.silk_id, category="textile")
    assert resp.status_code == 303
    after = client.get("/liff/form").text
    assert "จะมีผลเมื่อเจ้าหน้าที่พัฒนาชุมชนอำเภอยืนยัน" in after and "รอเจ้าหน้าที่ยืนยัน" in after
    [change] = pending_changes(db)
    assert (change.entity, change.entity_id, change.field, change.new_value, change.status, change.requested_by) == (
        "product", world.silk_id, "category", "textile", PendingChangeStatus.PENDING, PRODUCER)
    with db() as s:
        assert s.get(Product, world.silk_id).category is None  # not applied before the officer confirms
    assert audits(db, "product", world.silk_id, "category") == []
    runtime.wait_idle(10)
    deadline = time.monotonic() + 10
    while "ผ้าไหมทอมือ" not in texts(fake_line.delivered_to(OFFICER_A)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "ผ้าไหมทอมือ" in texts(fake_line.delivered_to(OFFICER_A))  # the officer is told, as from chat


def test_a_wrong_national_id_is_refused_in_thai_and_nothing_is_held(client, fake_line, db, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    resp = section_post(client, page.text, "producer.update_national_id", national_id="1234567890123")
    assert resp.status_code == 400 and "หลักสุดท้ายไม่ตรงกับเลขตรวจสอบ" in resp.text
    assert pending_changes(db) == []


def test_a_multi_field_section_reports_each_field(client, fake_line, db, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    resp = section_post(client, page.text, "producer.add_star", year_be="1990", stars="9")
    assert resp.status_code == 400 and resp.text.count('class="error"') == 2
    ok = section_post(client, page.text, "producer.add_star", year_be="2566", stars="4")
    assert ok.status_code == 303
    assert [a.field for a in audits(db, "producer", world.producer_id)] == ["star_ratings.2566"]


def test_sales_channels_as_checkboxes(client, fake_line, db, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    resp = section_post(client, page.text, "producer.update_sales_channels", channels=["domestic", "online"])
    assert resp.status_code == 303
    [row] = audits(db, "producer", world.producer_id, "sales_channels")
    assert row.new_value == "domestic;online" and row.channel == "web"


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def test_a_photo_from_the_phone_is_stored_as_in_chat(client, fake_line, db, app, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    assert 'accept="image/*" capture="environment"' in page.text and 'enctype="multipart/form-data"' in page.text
    bad = section_post(client, page.text, "product.photo", product_id=world.silk_id,
                       photo=(io.BytesIO(b"not a picture"), "x.jpg"))
    assert bad.status_code == 400 and 'class="error"' in bad.text
    good = section_post(client, page.text, "product.photo", product_id=world.silk_id,
                        photo=(io.BytesIO(_jpeg()), "IMG_0001.jpg"))
    assert good.status_code == 303
    with db() as s:
        [photo] = s.scalars(select(ProductPhoto).where(ProductPhoto.product_id == world.silk_id)).all()
        stored = app.config["OTOP_SETTINGS"].media_dir / photo.location
    assert stored.exists()


def test_the_edit_menu_offers_the_web_form(line_client, world: World):
    got = line_client.tap(PRODUCER, "i=producer.edit_menu")
    assert data_of(got, "เปิดในหน้าเว็บ") == "https://bot.example.org/liff/form"


def test_an_oversized_upload_is_refused_in_thai_before_it_is_read(client, fake_line, db, world: World):
    signed_in(client, fake_line)
    page = client.get("/liff/form")
    big = io.BytesIO(b"\xff" * (11 * 1024 * 1024))
    resp = section_post(client, page.text, "product.photo", product_id=world.silk_id, photo=(big, "big.jpg"))
    assert resp.status_code == 413 and "ไฟล์ใหญ่เกินไป" in resp.text
    with db() as s:
        assert s.scalars(select(ProductPhoto).where(ProductPhoto.product_id == world.silk_id)).all() == []


def test_the_sign_in_page_allows_the_sdk_and_nothing_inline(client, fake_line, world: World):
    resp = client.get("/liff/signin")
    csp = resp.headers["Content-Security-Policy"]
    assert f"script-src 'self' {fake_line.url};" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert '<script src="/liff/static/signin.js"></script>' in resp.text
    assert client.get("/liff/static/signin.js").status_code == 200


def test_without_a_liff_app_the_form_signs_in_with_line_login(settings, fake_line, world: World):
    from bot.app import create_app
    from bot.testing import sign_in

    app = create_app(settings.with_(liff_id=None))
    try:
        client = app.test_client()
        assert client.get("/liff/signin").status_code == 503  # LIFF is not configured: says so
        resp = client.get("/liff/form")
        assert resp.status_code == 302 and resp.headers["Location"] == "/login?next=/liff/form"
        back = sign_in(client, PRODUCER, next_path="/liff/form")
        assert back.headers["Location"] == "/liff/form"
        assert "กลุ่มทอผ้าบ้านสันกำแพง" in client.get("/liff/form").text
    finally:
        app.extensions["otop"].close()
