"""The browser test harness: the real Flask app served over HTTP in a thread (on a free port,
talking to the fake LINE API, which also plays LINE Login), headless Chromium driven by
Selenium through Debian's chromium and chromium-driver (installed by dev.py; nothing is
downloaded at run time), and sign-in as a given LINE user through the fake's LINE Login page.

    server = LiveServer.start(settings_for(database_url, fake))   # server.url, server.app
    driver = chromium()                                          # headless, fresh profile
    sign_in(driver, server, "U...", "/console/")                  # as the officer "U..."
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from bot.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--lang=th-TH")
WAIT = 15  # seconds a page may take to load in a test
SECRET = "browser-channel-secret"
TOKEN = "browser-channel-token"
LOGIN = ("1650000099", "browser-login-secret")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    gone = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if gone:
        return (f"{', '.join(gone)} missing: install Debian's chromium and chromium-driver "
                "(`python3 dev.py test` does it when run as root)")
    return None


def settings_for(database_url: str, fake_url: str, media_dir: Path, **changes: Any) -> Settings:
    """Settings of an app served at a URL not known yet (LiveServer.start sets it)."""
    base = Settings(line_channel_secret=SECRET, line_channel_access_token=TOKEN, line_api_base_url=fake_url,
                    database_url=database_url, media_dir=media_dir, public_base_url="http://127.0.0.1",
                    secret_key="browser-signing-key", line_login_channel_id=LOGIN[0],
                    line_login_channel_secret=LOGIN[1], pii_dev_keys=True)
    return base.with_(**changes) if changes else base


@dataclass
class LiveServer:
    """The app answering HTTP on 127.0.0.1:<free port> in a daemon thread."""

    server: BaseWSGIServer
    thread: threading.Thread
    app: Any
    url: str

    @classmethod
    def start(cls, settings: Settings, **app_options: Any) -> LiveServer:
        from bot.app import create_app

        holder: dict[str, Any] = {}
        server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start), threaded=True)
        url = f"http://127.0.0.1:{server.server_port}"
        app = create_app(settings.with_(public_base_url=url), **app_options)
        holder["app"] = app
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        return cls(server, thread, app, url)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.app.extensions["otop"].close()

    @property
    def factory(self) -> Any:
        """The app's session factory (check the database after a browser step)."""
        return self.app.extensions["otop"].factory


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


def sign_in(driver: Any, server: LiveServer, user_id: str, next_path: str = "/console/") -> None:
    """Sign in as `user_id` through the app's /login and the fake's LINE Login page (the user
    id typed into its field), and wait until the browser is back on `next_path`."""
    from selenium.webdriver.common.by import By

    driver.get(f"{server.url}/login?{urllib.parse.urlencode({'next': next_path})}")
    wait_for(driver, lambda d: d.find_elements(By.NAME, "user_id_other"))
    driver.find_element(By.NAME, "user_id_other").send_keys(user_id)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]:not([name=cancel])").click()
    target = server.url + next_path
    wait_for(driver, lambda d: d.current_url.startswith(target) and d.execute_script(
        "return document.readyState") == "complete")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
