"""Configuration from environment variables, in one place. Read when the app is created,
never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_DB_PATH = Path("var") / "otop.db"
REAL_LINE_API = "https://api.line.me"


class ConfigError(RuntimeError):
    """The configuration cannot run the bot; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    line_channel_secret: str | None
    line_channel_access_token: str | None
    line_api_base_url: str | None  # None = the real API (api.line.me and api-data.line.me)
    database_url: str
    media_dir: Path
    public_base_url: str
    secret_key: str | None  # signs download links; defaults to the channel secret
    timezone: str = "Asia/Bangkok"
    line_login_channel_id: str | None = None  # LINE Login (web sign-in); see bot/web/auth.py
    line_login_channel_secret: str | None = None
    login_session_hours: float = 8.0  # how long a web sign-in lasts at most
    login_idle_minutes: float = 60.0  # a web sign-in unused this long ends (bot/web/security.py)
    line_oa_url: str = "https://line.me/R/"  # the bot's chat in LINE (LINE_OA_URL, e.g. https://line.me/R/ti/p/@id): the console links back to it
    liff_id: str | None = None  # LIFF_ID: the LIFF app of the LINE Login channel (bot/web/liff.py)
    pii_keys: str | None = None  # PII_KEYS: base64 32-byte keys, newest first (models.pii)
    pii_hash_key: str | None = None  # PII_HASH_KEY: the lookup-hash key
    pii_dev_keys: bool = False  # PII_DEV_KEYS=1: the public development keys (local chat, tests)
    # WEBHOOK_BUSY_AT: events a process handles at once (request threads and the event
    # worker; an image's download is not counted) before the webhook stores further bodies
    # for the event worker and answers at once (bot/runtime.py); 0 = always store.
    webhook_busy_at: int = 2

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        db = env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
        return cls(
            line_channel_secret=env.get("LINE_CHANNEL_SECRET") or None,
            line_channel_access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN") or None,
            line_api_base_url=(env.get("LINE_API_BASE_URL") or None),
            database_url=db,
            media_dir=Path(env.get("MEDIA_DIR") or "var/media"),
            public_base_url=(env.get("PUBLIC_BASE_URL") or "http://localhost:8000").rstrip("/"),
            secret_key=env.get("SECRET_KEY") or None,
            timezone=env.get("BOT_TIMEZONE") or "Asia/Bangkok",
            line_login_channel_id=env.get("LINE_LOGIN_CHANNEL_ID") or None,
            line_login_channel_secret=env.get("LINE_LOGIN_CHANNEL_SECRET") or None,
            login_session_hours=float(env.get("LOGIN_SESSION_HOURS") or 8),
            login_idle_minutes=float(env.get("LOGIN_IDLE_MINUTES") or 60),
            line_oa_url=env.get("LINE_OA_URL") or "https://line.me/R/",
            liff_id=env.get("LIFF_ID") or None,
            pii_keys=env.get("PII_KEYS") or None,
            pii_hash_key=env.get("PII_HASH_KEY") or None,
            pii_dev_keys=env.get("PII_DEV_KEYS") == "1",
            webhook_busy_at=int(env.get("WEBHOOK_BUSY_AT") or 2),
        )

    def with_(self, **changes) -> Settings:  # type: ignore[no-untyped-def]
        return replace(self, **changes)

    @property
    def signing_key(self) -> str:
        return self.secret_key or self.line_channel_secret or ""

    @property
    def liff_base(self) -> str:
        """Where links to LIFF pages point: LINE's LIFF URL (https://liff.line.me/<LIFF_ID>, which
        opens the endpoint URL {PUBLIC_BASE_URL}/liff inside LINE) in production; empty (the
        pages' own URL) with the fake LINE API or without a LIFF app."""
        return f"https://liff.line.me/{self.liff_id}" if self.liff_id and not self.line_api_base_url else ""

    def require_pii(self):  # type: ignore[no-untyped-def]
        """The keys of personal data (models.pii.Keyring); refuses to run without them (the
        development keys only with PII_DEV_KEYS=1), with a clear message."""
        from models import pii

        env = {"PII_KEYS": self.pii_keys or "", "PII_HASH_KEY": self.pii_hash_key or "",
               "PII_DEV_KEYS": "1" if self.pii_dev_keys else ""}
        try:
            return pii.keyring_from_env(env)
        except pii.PiiKeyError as exc:
            raise ConfigError(str(exc)) from exc

    def require_line(self) -> None:
        """Refuse to run the webhook without the channel's secrets, with a clear message."""
        missing = [
            name
            for name, value in (
                ("LINE_CHANNEL_SECRET", self.line_channel_secret),
                ("LINE_CHANNEL_ACCESS_TOKEN", self.line_channel_access_token),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                "Missing configuration: "
                + ", ".join(missing)
                + ". Set them in the environment (see README, 'Configuration'); "
                "for a local try without LINE run `python -m bot chat`."
            )
