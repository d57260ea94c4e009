"""`Ctx`: everything a handler may use for one event. Handlers never commit; the bot layer
owns the transaction (one per event)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from handlers.incoming import Incoming
from handlers.permissions import Scope
from models import LineAccount

BANGKOK = timezone(timedelta(hours=7))
NOT_LOADED: Any = object()  # Ctx.conversation before anyone looked


@dataclass
class Ctx:
    """One event's context.

    session: the event's unit of work (flush if you need ids, never commit).
    account: the sender's LineAccount (identity from the event source, created if new).
    scope: what the account may see (`scope.filter(select(...), Model)`, `scope.allows_area`).
    incoming: the event. now: aware UTC time of handling. slots: the intent's slots.
    public_base_url / media_dir: where links point and where media files live.
    signing_key: the key download links are signed with (empty: no links can be made).
    show_loading: call before slow work (shows LINE's loading animation; no-op in tests).
    """

    session: Session
    account: LineAccount
    incoming: Incoming
    now: datetime
    public_base_url: str = "http://localhost:8000"
    media_dir: Path = Path("var/media")
    slots: Mapping[str, Any] = field(default_factory=dict)
    intent: str | None = None
    show_loading: Callable[[int], None] = lambda seconds=5: None
    parse: Callable[..., Any] | None = None
    pushes: list[Any] = field(default_factory=list)  # handlers.replies.Push values to send
    signing_key: str = ""  # signs download links (Settings.signing_key); see handlers/officer/links.py
    # The user's ConversationState row (None: no conversation) when the bot layer loaded it
    # with the account; kept current by handlers.engine, the only code that adds or deletes it.
    conversation: Any = NOT_LOADED
    # Where LIFF pages open (Settings.liff_base): https://liff.line.me/<LIFF_ID> in production;
    # empty: {public_base_url}/liff (the local chat, tests). See `web_page`.
    liff_base: str = ""
    # audit / access-log channel: "chat", or "web" for the officer console (bot/web/console)
    # and the LIFF forms (bot/web/liff.py)
    channel: str = "chat"

    def push(self, user_ids, replies, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Queue messages to other users (see handlers.replies.Push); written with this event."""
        from handlers.replies import Push

        ids = (user_ids,) if isinstance(user_ids, str) else tuple(user_ids)
        if ids:
            self.pushes.append(Push(ids, tuple(replies), **kwargs))

    def web_page(self, path: str) -> str:
        """The link to a LIFF page (`path` under /liff, e.g. "/form"), opened inside LINE."""
        return f"{self.liff_base or self.public_base_url + '/liff'}{path}"

    @property
    def scope(self) -> Scope:
        return Scope.of(self.account)

    @property
    def user_id(self) -> str:
        return self.account.user_id

    @property
    def today(self) -> date:
        """The date in Thailand (what users mean by "today")."""
        return self.now.astimezone(BANGKOK).date()
