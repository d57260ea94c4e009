"""A producer opens the LIFF form in a real (headless) Chromium: the page loads the LIFF SDK (the
fake LINE API's fake of it: nothing downloaded), logs in through the fake's LIFF login page,
sends the ID token, which the server has the fake's verify endpoint check, and lands on the
form of their own record. A phone change is saved and audited (channel "web"); a ★ change (a
product's category) waits for the district officer: a pending change, the record unchanged,
no audit row until the officer confirms."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from models import AuditEntry, OutboxMessage, PendingChange, PendingChangeStatus, Producer, Product
from tests.browser import harness
from tests.handlers.producer_world import OFFICER_A, PRODUCER, make_world
from tests.line_fixtures import TOKEN

LIFF_ID = f"{harness.LOGIN[0]}-browserliff"


@pytest.fixture
def liff_server(db, database_url, fake_line, tmp_path, daytime):
    server = harness.LiveServer.start(harness.settings_for(database_url, fake_line.url, tmp_path / "media",
                                                           liff_id=LIFF_ID,
                                                           # the session's fake LINE API's token: pushes get through
                                                           line_channel_access_token=TOKEN))
    yield server
    server.stop()


def _open_form_signed_in(browser, server, user_id: str) -> None:
    browser.get(server.url + "/liff/form")
    # not signed in: the LIFF page, whose liff.login() leads to the fake's LIFF login page
    harness.wait_for(browser, lambda d: d.find_elements(By.NAME, "user_id_other"))
    assert "/liff/v1/login" in browser.current_url
    browser.find_element(By.NAME, "user_id_other").send_keys(user_id)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name=cancel])").click()
    harness.wait_for(browser, lambda d: d.current_url == server.url + "/liff/form"
                     and d.execute_script("return document.readyState") == "complete")


def _section(browser, anchor: str):  # type: ignore[no-untyped-def]
    return browser.find_element(By.ID, anchor)


def _type_phone(browser, text: str) -> str:  # type: ignore[no-untyped-def]
    """Type a phone number into its section and save; the section's text afterwards."""
    phone = _section(browser, "producer-update_phone")
    field = phone.find_element(By.NAME, "phone")
    field.clear()
    field.send_keys(text)
    _submit(browser, phone)
    return browser.find_element(By.ID, "producer-update_phone").text


def _submit(browser, form) -> None:  # type: ignore[no-untyped-def]
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    harness.wait_for(browser, lambda d: d.execute_script("return document.readyState") == "complete"
                     and d.find_elements(By.CSS_SELECTOR, ".notice, .alert, .error"))


def test_a_producer_edits_their_record_and_the_star_change_waits(db, liff_server, browser, fake_line):
    world = make_world(db)
    _open_form_signed_in(browser, liff_server, PRODUCER)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "กลุ่มทอผ้าบ้านสันกำแพง" in body and "ผ้าไหมทอมือ" in body and "ขนมลับเฉพาะ" not in body

    # a wrong phone: the chat's Thai message, nothing saved
    assert "เบอร์โทรศัพท์ไม่ถูกต้องค่ะ" in _type_phone(browser, "12345")
    # a good one: saved at once, audited as a web edit
    assert "089-123-4567" in _type_phone(browser, "089-123-4567")

    # ★ the silk's category: held for the officer
    anchor = f"product-category-{world.silk_id}"
    category = _section(browser, anchor)
    Select(category.find_element(By.NAME, "category")).select_by_value("textile")
    _submit(browser, category)
    assert "จะมีผลเมื่อเจ้าหน้าที่พัฒนาชุมชนอำเภอยืนยัน" in browser.find_element(By.ID, anchor).text
    assert "รอเจ้าหน้าที่ยืนยัน" in browser.find_element(By.ID, f"product-{world.silk_id}").text

    with liff_server.factory() as s:
        assert s.get(Producer, world.producer_id).phone == "0891234567"
        [phone_audit] = s.scalars(select(AuditEntry).where(AuditEntry.field == "phone")).all()
        assert (phone_audit.actor, phone_audit.channel, phone_audit.new_value) == (PRODUCER, "web", "0891234567")
        [change] = s.scalars(select(PendingChange)).all()
        assert (change.entity, change.entity_id, change.field, change.new_value, change.status,
                change.requested_by) == ("product", world.silk_id, "category", "textile",
                                         PendingChangeStatus.PENDING, PRODUCER)
        assert s.get(Product, world.silk_id).category is None  # waits for the officer
        assert s.scalars(select(AuditEntry).where(AuditEntry.field == "category")).all() == []
        notices = s.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "notice:change_proposed")).all()
        assert any(OFFICER_A in ([n.user_id] + list(n.recipients or [])) for n in notices)
    deadline = time.monotonic() + 10  # and the officer is told in chat, as when the change comes from chat
    while time.monotonic() < deadline and not fake_line.delivered_to(OFFICER_A):
        time.sleep(0.1)
    assert fake_line.delivered_to(OFFICER_A)


def test_the_form_needs_a_linked_producer(db, liff_server, browser):
    make_world(db)
    browser.get(liff_server.url + "/liff/form")
    harness.wait_for(browser, lambda d: d.find_elements(By.NAME, "user_id_other"))
    browser.find_element(By.NAME, "user_id_other").send_keys(OFFICER_A)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name=cancel])").click()
    harness.wait_for(browser, lambda d: "เฉพาะผู้ประกอบการ" in d.page_source)
