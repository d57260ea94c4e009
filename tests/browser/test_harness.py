"""The harness itself: a real Chromium signs in through the fake LINE Login and comes back to
the page it asked for, holding an HttpOnly session cookie; without signing in a page holding
personal data asks to sign in."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from models import LineAccount, Role, unit_of_work
from tests.browser import harness

OFFICER = "U" + "b" * 31 + "1"


def test_sign_in_through_the_fake_line_login_in_a_real_browser(db, live_server, browser):
    with unit_of_work(db) as s:
        s.add(LineAccount(user_id=OFFICER, role=Role.DISTRICT, province_code="50", district_code="5001",
                          following=True))
    harness.sign_in(browser, live_server, OFFICER, "/healthz")
    assert browser.current_url == live_server.url + "/healthz"
    assert '"ok"' in browser.find_element(By.TAG_NAME, "body").text
    cookie = browser.get_cookie("otop_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert browser.execute_script("return document.cookie") == ""  # not readable by scripts


def test_without_signing_in_a_download_asks_to_sign_in(live_server, browser):
    browser.get(live_server.url + "/login/callback?code=x&state=forged")
    assert "เข้าสู่ระบบไม่สำเร็จ" in browser.page_source
    assert browser.get_cookie("otop_session") is None or "uid" not in browser.get_cookie("otop_session")["value"]
