"""Headless Chromium for the browser tests (tests/browser) and `python -m bot screenshots`:
Debian's `chromium` driven by Selenium through Debian's `chromium-driver` (both installed by
dev.py; Selenium is a dev dependency; nothing is downloaded at run time), and signing in as a
given LINE user through the fake LINE API's LINE Login page (bot/fakelogin.py).

    driver = chromium(width=390)
    sign_in(driver, "http://127.0.0.1:8000", "U...", "/console/")
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--lang=th-TH",
         "--hide-scrollbars")
WAIT = 15  # seconds a page may take to load


def missing_browser() -> str | None:
    """Why Chromium cannot run here, or None."""
    gone = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if gone:
        return (f"{', '.join(gone)} missing: install Debian's chromium and chromium-driver "
                "(`python3 dev.py test` does it when run as root)")
    return None


def chromium(width: int = 1366, height: int = 900) -> Any:
    """Headless Chromium through chromium-driver, with a fresh profile (removed at quit)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="otop-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT * 2)
    quit_ = driver.quit

    def quit_and_clean() -> None:
        try:
            quit_()
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    driver.quit = quit_and_clean  # type: ignore[method-assign]
    return driver


def wait_for(driver: Any, condition: Any, timeout: float = WAIT) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def sign_in(driver: Any, base_url: str, user_id: str, next_path: str = "/console/") -> None:
    """Sign in as `user_id` through the app's /login and the fake's LINE Login page (the user
    id typed into its field), and wait until the browser is back on `next_path`."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base_url}/login?{urllib.parse.urlencode({'next': next_path})}")
    wait_for(driver, lambda d: d.find_elements(By.NAME, "user_id_other"))
    driver.find_element(By.NAME, "user_id_other").send_keys(user_id)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name=cancel])").click()
    wait_for(driver, lambda d: d.current_url.startswith(base_url) and "/login" not in d.current_url
             and d.execute_script("return document.readyState") == "complete")


def full_page(driver: Any, path: Path, width: int, max_height: int = 6000) -> None:
    """A screenshot of the whole page at `width` CSS pixels (up to `max_height`)."""
    driver.set_window_size(width, 900)
    wait_for(driver, lambda d: d.execute_script("return document.fonts.status") == "loaded")
    height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), max_height)
    driver.set_window_size(width, max(height, 600))
    driver.save_screenshot(str(path))
