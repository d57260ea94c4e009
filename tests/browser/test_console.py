"""The officer console in a real browser (headless Chromium): a district officer signs in
through LINE Login (the fake's), filters the incomplete records, fixes one, moves a closure
request through a step, and the database and the audit show it; another district's record is
refused on the server."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from models import AccessEntry, AuditEntry, Producer, Request, RequestStep, unit_of_work
from registry import workflows as wf
from tests.browser import harness
from tests.handlers.officer.helpers import DIST, OTHER, officers
from tests.registry import factories as f


@pytest.fixture
def world(db):
    officers(db)
    with unit_of_work(db) as s:
        complete = f.producer(s, "5001", products=1)
        gap = f.producer(s, "5001", products=1)
        gap.producer_type = None  # a ★ field missing
        gap.phone = None
        theirs = f.producer(s, "5002", products=1)
        closing = f.producer(s, "5001", products=0)
        outcome = wf.submit_closure(s, f.producer_actor(closing), closing.id, "อายุมากแล้ว", date(2026, 1, 31))
        return {"complete": complete.id, "gap": gap.id, "gap_name": gap.name, "complete_name": complete.name,
                "theirs": theirs.id, "request": outcome.request.id}


def _css(driver, selector):  # type: ignore[no-untyped-def]
    return driver.find_element(By.CSS_SELECTOR, selector)


def _submit(driver, form):  # type: ignore[no-untyped-def]
    """Submit and wait for the next page: the old one gone first (the old page's readyState is
    "complete" too, and its elements go stale under a test that reads them too early)."""
    from selenium.common.exceptions import WebDriverException

    def gone(_driver) -> bool:  # type: ignore[no-untyped-def]
        # selenium's staleness_of, also for chromedriver's other answer about a node of a page
        # being replaced ("Node with given id does not belong to the document", seen under load)
        try:
            old_page.is_enabled()
        except WebDriverException:  # StaleElementReferenceException included
            return True
        return False

    old_page = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    harness.wait_for(driver, gone)
    harness.wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def test_a_district_officer_works_through_the_console(db, live_server, signed_in, world):
    driver = signed_in(DIST, "/console/area")
    assert "ความครบถ้วนของข้อมูล อำเภอเมืองเชียงใหม่" in _css(driver, "h1").text
    assert driver.find_elements(By.CSS_SELECTOR, "figure.chart ul.bars span.bar")

    # the records behind the number: filter by a ★ field
    driver.get(live_server.url + "/console/records")
    Select(_css(driver, "#f-field")).select_by_value("producers.producer_type")
    _css(driver, "#f-go").click()
    harness.wait_for(driver, lambda d: "field=producers.producer_type" in d.current_url)
    rows = driver.find_elements(By.CSS_SELECTOR, "#records tbody tr")
    assert [r.get_attribute("data-id") for r in rows] == [f"producers-{world['gap']}"]
    assert "★ลักษณะผู้ประกอบการ" in rows[0].text
    # sorting and the filter box work in the page
    _css(driver, "#records thead th:nth-child(2)").click()
    assert _css(driver, "#records thead th:nth-child(2)").get_attribute("aria-sort") == "ascending"

    # fix it on the record page
    rows[0].find_element(By.CSS_SELECTOR, "a").click()
    harness.wait_for(driver, lambda d: f"/console/producer/{world['gap']}" in d.current_url)
    form = _css(driver, "#producer_type").find_element(By.XPATH, "./ancestor::form")
    Select(_css(driver, "#producer_type")).select_by_value("individual")
    _submit(driver, form)
    assert "บันทึกแล้วค่ะ" in _css(driver, "p.flash.ok").text
    phone = _css(driver, "#phone")
    phone.send_keys("081 234 5678")
    _submit(driver, phone.find_element(By.XPATH, "./ancestor::form"))
    assert "081-234-5678" in _css(driver, "p.flash.ok").text or "0812345678" in _css(driver, "p.flash.ok").text
    bad = _css(driver, "#phone")
    bad.send_keys("12")
    _submit(driver, bad.find_element(By.XPATH, "./ancestor::form"))
    assert "เบอร์โทรศัพท์ไม่ถูกต้อง" in _css(driver, "p.flash.error").text

    # the filtered list no longer holds it
    driver.get(live_server.url + "/console/records?field=producers.producer_type")
    assert not driver.find_elements(By.CSS_SELECTOR, "#records tbody tr")

    # a closure request moves one step
    driver.get(live_server.url + "/console/requests")
    section = _css(driver, f"#request-{world['request']}")
    assert "รอคณะอนุกรรมการ นตผ. อำเภอพิจารณา" in section.text
    form = section.find_element(By.CSS_SELECTOR, "form.act")
    today = datetime.now(timezone(timedelta(hours=7))).date().isoformat()
    driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "meeting_date"), today)
    _submit(driver, form)
    assert "อนุมัติแล้วค่ะ" in _css(driver, "p.flash.ok").text
    assert "รอ สพอ. ยกเลิกทะเบียนในระบบ" in _css(driver, f"#request-{world['request']}").text

    with db() as s:
        fixed = s.get(Producer, world["gap"])
        assert fixed.producer_type.value == "individual" and fixed.phone == "0812345678" and fixed.phone_valid
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "producer",
                                                   AuditEntry.entity_id == world["gap"]).order_by(AuditEntry.id)).all()
        assert [(a.field, a.new_value, a.actor, a.channel) for a in audit] == [
            ("producer_type", "individual", DIST, "web"), ("phone", "0812345678", DIST, "web")]
        req = s.get(Request, world["request"])
        assert req.step == "district_cancel"
        step = s.scalars(select(RequestStep).where(RequestStep.request_id == req.id)
                         .order_by(RequestStep.id.desc())).first()
        assert (step.action, step.actor, step.meeting_date.isoformat()) == ("approve", DIST, today)
        views = s.scalars(select(AccessEntry).where(AccessEntry.user_id == DIST, AccessEntry.channel == "web")).all()
        assert {("record", str(world["gap"]), "ok"), ("list", str(world["gap"]), "ok")} <= {
            (v.action, v.record_ids, v.outcome) for v in views}


def test_another_districts_record_is_refused_in_the_browser(db, live_server, signed_in, world):
    driver = signed_in(DIST, f"/console/producer/{world['theirs']}")
    assert "ไม่ใช่พื้นที่ของท่าน" in _css(driver, "h1").text
    assert "กลุ่มทดสอบ" not in driver.page_source
    driver.get(live_server.url + "/console/area?area=5002")
    assert "ไม่ใช่พื้นที่ของท่าน" in _css(driver, "h1").text
    with db() as s:
        refused = s.scalars(select(AccessEntry).where(AccessEntry.outcome == "refused:other_area")).all()
        assert [(r.user_id, r.channel, r.record_ids) for r in refused] == [(DIST, "web", str(world["theirs"]))]


def test_the_console_works_at_phone_width(live_server, signed_in, world, browser):
    browser.set_window_size(390, 844)
    driver = signed_in(OTHER, "/console/area")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400  # the page itself does not scroll sideways; wide tables scroll in their box
    assert _css(driver, "a.chat").is_displayed()
