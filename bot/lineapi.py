"""line-bot-sdk v3 clients built from Settings: one Configuration whose host redirects both
api.line.me and api-data.line.me when LINE_API_BASE_URL is set (tests, local chat)."""

from __future__ import annotations

from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob

from bot.config import Settings

SEND_TIMEOUT = (3.0, 5.0)  # (connect, read) seconds: a slow API must not hold a sender long
QUICK_TIMEOUT = (2.0, 2.0)  # loading animation, profile: best effort
CONTENT_TIMEOUT = (3.0, 20.0)  # image content can be a few MB


def configuration(settings: Settings) -> Configuration:
    """SDK configuration: the token, the optional host override, no hidden urllib3 retries."""
    config = Configuration(access_token=settings.line_channel_access_token or "", host=settings.line_api_base_url)
    config.retries = False  # the outbox does the retrying, with backoff, visibly
    return config


class LineApi:
    """The SDK clients on one connection pool (thread-safe urllib3 pool)."""

    def __init__(self, settings: Settings) -> None:
        self.client = ApiClient(configuration(settings))
        self.messaging = MessagingApi(self.client)
        self.blob = MessagingApiBlob(self.client)

    def close(self) -> None:
        self.client.close()
