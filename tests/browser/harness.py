"""The browser test harness: the real Flask app served over HTTP in a thread (on a free port,
talking to the fake LINE API, which also plays LINE Login), headless Chromium driven by
Selenium through Debian's chromium and chromium-driver (bot/browser.py; installed by dev.py;
nothing is downloaded at run time), and sign-in as a given LINE user through the fake's LINE Login page.

    server = LiveServer.start(settings_for(database_url, fake))   # server.url, server.app
    driver = chromium()                                          # headless, fresh profile
    sign_in(driver, server, "U...", "/console/")                  # as the officer "U..."
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from bot import browser
from bot.browser import chromium, missing_browser, wait_for
from bot.config import Settings

SECRET = "browser-channel-secret"
TOKEN = "browser-channel-token"
LOGIN = ("1650000099", "browser-login-secret")


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


def sign_in(driver: Any, server: LiveServer, user_id: str, next_path: str = "/console/") -> None:
    """Sign in as `user_id` through the fake's LINE Login page (bot.browser.sign_in)."""
    browser.sign_in(driver, server.url, user_id, next_path)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


__all__ = ["LiveServer", "chromium", "in_ci", "missing_browser", "settings_for", "sign_in", "wait_for"]
