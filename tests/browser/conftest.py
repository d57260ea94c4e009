"""Fixtures of the browser tests: `live_server` (the app over HTTP on a free port, on the
emptied test database, with the fake LINE API and its LINE Login), `browser` (headless
Chromium, one per session, cookies cleared around each test) and `signed_in(user_id, path)`.
Without chromium and chromium-driver the tests are skipped with a message, except on CI
(CI=true), where they fail: CI must run them."""

from __future__ import annotations

import pytest

from tests.browser import harness
from tests.line_fixtures import fake_line, fake_line_server  # noqa: F401


@pytest.fixture(scope="session")
def _chromium():
    why = harness.missing_browser()
    if why:
        if harness.in_ci():
            pytest.fail(why)
        pytest.skip(why)
    driver = harness.chromium()
    yield driver
    driver.quit()


@pytest.fixture
def live_server(db, database_url, fake_line, tmp_path):
    server = harness.LiveServer.start(harness.settings_for(database_url, fake_line.url, tmp_path / "media"))
    yield server
    server.stop()


@pytest.fixture
def browser(_chromium):
    _chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    _chromium.set_window_size(1366, 900)
    yield _chromium
    _chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})


@pytest.fixture
def signed_in(browser, live_server):
    """signed_in(user_id, path="/console/") -> the driver, on `path`, signed in as user_id."""

    def go(user_id: str, path: str = "/console/"):  # type: ignore[no-untyped-def]
        harness.sign_in(browser, live_server, user_id, path)
        return browser

    return go
