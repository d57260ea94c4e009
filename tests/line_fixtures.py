"""Fixtures for tests that go through LINE: the fake LINE API (one server for the session,
whose every received message must be valid against messaging-api.yml), the app on the test
database, and `line_client` to play users. Imported by tests/bot and tests/handlers conftests."""

from __future__ import annotations

import pytest

from bot.app import create_app
from bot.config import Settings
from bot.fakeline import FakeLine
from bot.testing import LineClient

SECRET = "test-channel-secret"
TOKEN = "test-channel-token"


@pytest.fixture(scope="session")
def fake_line_server():
    """The fake LINE API for the whole session; at the end, every message it received must
    have been valid (checked on receipt as well: an invalid body gets a 400)."""
    fake = FakeLine(access_token=TOKEN).start()
    yield fake
    fake.stop()
    assert not fake.schema_failures, f"invalid LINE requests during the session: {fake.schema_failures}"


@pytest.fixture
def fake_line(fake_line_server):
    """The session's fake, with this test's requests only and no programmed failures."""
    fake_line_server.reset()
    yield fake_line_server
    failures = list(fake_line_server.schema_failures)
    assert not failures, f"invalid LINE requests: {failures}"


@pytest.fixture
def settings(database_url, fake_line, tmp_path) -> Settings:
    return Settings(
        line_channel_secret=SECRET, line_channel_access_token=TOKEN, line_api_base_url=fake_line.url,
        database_url=database_url, media_dir=tmp_path / "media", public_base_url="https://bot.example.org",
        secret_key="test-signing-key", line_login_channel_id="1650000000",
        line_login_channel_secret="test-login-secret", pii_dev_keys=True, liff_id="1650000000-testliff",
    )


@pytest.fixture
def app(db, settings):
    """The app on an emptied test database, talking to the fake LINE API."""
    application = create_app(settings)
    yield application
    application.extensions["otop"].close()


@pytest.fixture
def runtime(app):
    return app.extensions["otop"]


@pytest.fixture
def line_client(app, fake_line) -> LineClient:
    http = app.test_client()

    def transport(body: bytes, headers: dict[str, str]) -> int:
        return http.post("/callback", data=body, headers=headers).status_code

    return LineClient(transport, fake_line, SECRET, app.extensions["otop"].wait_idle)
