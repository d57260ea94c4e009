"""Screenshots of the LIFF pages at phone width, taken as a newcomer would see them: the local
chat's app and fake LINE API on the demo data, headless Chromium opening the producer form,
signing in as demo-producer on the fake's LIFF login page, and one refused edit.

    python -m bot setup-demo
    PYTHONPATH=. python -m tests.browser.liff_screenshots docs/screenshots
"""

from __future__ import annotations

import sys
from pathlib import Path

from selenium.webdriver.common.by import By

from bot.chat import ChatSession
from bot.config import Settings
from tests.browser import harness

PHONE = (390, 844)


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    chat = ChatSession(Settings.from_env(), "demo-producer", deploy_menus=False)
    driver = harness.chromium(*PHONE)
    shots = []
    try:
        url = chat.base_url + "/liff/form"
        driver.get(url)
        harness.wait_for(driver, lambda d: d.find_elements(By.NAME, "user_id"))
        [r for r in driver.find_elements(By.NAME, "user_id") if r.get_attribute("value") == chat.user][0].click()
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name=cancel])").click()
        harness.wait_for(driver, lambda d: d.current_url == url
                         and d.execute_script("return document.readyState") == "complete")
        shots.append(out / "liff-form-phone.png")
        driver.save_screenshot(str(shots[-1]))
        form = driver.find_element(By.ID, "producer-update_phone")
        field = form.find_element(By.NAME, "phone")
        field.clear()
        field.send_keys("0812")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        harness.wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error"))
        driver.execute_script("document.getElementById('producer-update_phone').scrollIntoView()")
        shots.append(out / "liff-refused-phone.png")
        driver.save_screenshot(str(shots[-1]))
    finally:
        driver.quit()
        chat.close()
    return shots


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
