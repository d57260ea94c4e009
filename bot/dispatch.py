"""One event, one transaction: load the account, run the router, write the replies into the
outbox as LINE JSON, mark the event done. If anything fails, nothing of it is kept: the
failure is recorded separately and the user gets a polite Thai apology."""

from __future__ import annotations

import json
import logging
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

from linebot.v3.messaging import ShowLoadingAnimationRequest
from sqlalchemy.orm import Session, sessionmaker

from bot.events import parse_event, to_incoming
from bot.lineapi import CONTENT_TIMEOUT, QUICK_TIMEOUT, LineApi
from bot.render import render
from handlers.context import Ctx
from handlers.incoming import Incoming
from handlers.replies import Push, Reply, Text
from handlers.router import Parser, route
from handlers.texts import T
from registry.quiet_hours import next_allowed
from models import OFFICER_ROLES, InboundEvent, InboundStatus, LineAccount, OutboxMessage, unit_of_work, utcnow

log = logging.getLogger(__name__)


def menu_key(role) -> str | None:  # type: ignore[no-untyped-def]
    """Which rich menu a role gets: "producer", "officer", or None (the default menu)."""
    if role is None:
        return None
    return "officer" if role in OFFICER_ROLES else "producer"


class Processor:
    """Turns stored webhook events into outbox rows."""

    def __init__(self, factory: sessionmaker[Session], api: LineApi | None, parser: Parser | None,
                 public_base_url: str, media_dir: Path, on_outbox: Callable[[], None] = lambda: None,
                 signing_key: str = "") -> None:
        self.factory = factory
        self.api = api
        self.parser = parser
        self.public_base_url = public_base_url
        self.media_dir = Path(media_dir)
        self.on_outbox = on_outbox
        self.signing_key = signing_key

    def process(self, event_id: str) -> None:
        """Handle one stored event exactly once (a DONE or FAILED event is skipped)."""
        with unit_of_work(self.factory) as session:
            row = session.get(InboundEvent, event_id)
            if row is None or row.status is not InboundStatus.RECEIVED:
                return
            payload = row.payload
        raw = json.loads(payload)
        event = parse_event(raw)
        reply_token = raw.get("replyToken")
        incoming = None
        if event is not None:
            if raw.get("type") == "message" and raw.get("message", {}).get("type") == "image":
                self.show_loading(raw.get("source", {}).get("userId"))
            incoming = to_incoming(event, self._fetch, self.media_dir)
        try:
            with unit_of_work(self.factory) as session:
                row = session.get(InboundEvent, event_id, with_for_update=True)
                if row is None or row.status is not InboundStatus.RECEIVED:
                    return
                if incoming is not None:
                    self._run(session, incoming, reply_token)
                row.status, row.handled_at = InboundStatus.DONE, utcnow()
        except Exception:
            log.exception("event %s failed", event_id)
            self._record_failure(event_id, traceback.format_exc(), incoming, reply_token)
        self.on_outbox()

    def _run(self, session: Session, incoming: Incoming, reply_token: str | None) -> None:
        account = self._account(session, incoming)
        role_before = account.role
        ctx = Ctx(
            session=session, account=account, incoming=incoming, now=utcnow(),
            public_base_url=self.public_base_url, media_dir=self.media_dir,
            show_loading=lambda seconds=5: self.show_loading(incoming.user_id, seconds),
            parse=self.parser, signing_key=self.signing_key,
        )
        replies = route(ctx, self.parser)
        if incoming.kind != "unfollow" or account.following:
            enqueue(session, incoming.user_id, replies, reply_token)
        for push in ctx.pushes:
            enqueue_push(session, push, now=ctx.now)
        if incoming.chat == "user" and menu_key(account.role) != menu_key(role_before):
            session.add(OutboxMessage(kind="menu", user_id=incoming.user_id, messages=[],
                                      purpose=f"menu:{menu_key(account.role) or 'default'}",
                                      retry_key=str(uuid.uuid4())))

    def _account(self, session: Session, incoming: Incoming) -> LineAccount:
        if incoming.chat != "user":  # a group or room is nobody's account: not stored
            return LineAccount(user_id=incoming.user_id, following=True)
        account = session.get(LineAccount, incoming.user_id)
        if account is None:
            account = LineAccount(user_id=incoming.user_id, following=True, created_at=utcnow())
            session.add(account)
            session.flush()
        return account

    def _record_failure(self, event_id: str, error: str, incoming: Incoming | None, reply_token: str | None) -> None:
        with unit_of_work(self.factory) as session:
            row = session.get(InboundEvent, event_id)
            if row is not None:
                row.status, row.error, row.handled_at = InboundStatus.FAILED, error[-4000:], utcnow()
            if incoming is not None and incoming.kind not in ("unfollow",):
                enqueue(session, incoming.user_id, [Text(T["error"])], reply_token)

    def _fetch(self, message_id: str) -> bytes:
        assert self.api is not None
        return self.api.blob.get_message_content(message_id, _request_timeout=CONTENT_TIMEOUT)

    def show_loading(self, user_id: str | None, seconds: int = 5) -> None:
        """LINE's loading animation in the user's chat; best effort, never raises."""
        if self.api is None or not user_id or not user_id.startswith("U"):
            return
        try:
            self.api.messaging.show_loading_animation(
                ShowLoadingAnimationRequest(chat_id=user_id, loading_seconds=max(5, min(60, seconds // 5 * 5))),
                _request_timeout=QUICK_TIMEOUT,
            )
        except Exception as exc:
            log.info("loading animation not shown: %s", exc)


def enqueue(session: Session, user_id: str, replies: list[Reply], reply_token: str | None, purpose: str = "reply") -> list[OutboxMessage]:
    """Outbox rows for `replies`: the first batch of 5 as a reply (when there is a token),
    the rest as pushes, each with its own retry key."""
    rows = []
    for i, batch in enumerate(render(replies)):
        kind = "reply" if i == 0 and reply_token else "push"
        row = OutboxMessage(kind=kind, user_id=user_id, reply_token=reply_token if kind == "reply" else None,
                            messages=batch, retry_key=str(uuid.uuid4()), purpose=purpose, not_before=utcnow())
        session.add(row)
        rows.append(row)
    return rows


MULTICAST_MAX = 500


def enqueue_push(session: Session, push: Push, now=None) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    """Outbox rows for a push to one or many users: the same content to several users goes
    as multicast (<= 500 ids a call), otherwise push; held outside quiet hours; users who
    blocked the bot (unfollowed) are left out."""
    from sqlalchemy import select

    now = now or utcnow()
    blocked = set(session.scalars(
        select(LineAccount.user_id).where(LineAccount.user_id.in_(push.user_ids), LineAccount.following.is_(False))
    ))
    ids = [u for u in dict.fromkeys(push.user_ids) if u not in blocked]
    if not ids:
        return []
    if push.dedupe_key is not None:
        exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == push.dedupe_key))
        if exists is not None:
            return []
    not_before = now if push.urgent else next_allowed(now)
    rows = []
    batches = render(list(push.replies))
    for start in range(0, len(ids), MULTICAST_MAX):
        chunk = ids[start : start + MULTICAST_MAX]
        for i, batch in enumerate(batches):
            key = push.dedupe_key if (start == 0 and i == 0) else None
            if len(chunk) == 1:
                row = OutboxMessage(kind="push", user_id=chunk[0], messages=batch, retry_key=str(uuid.uuid4()),
                                    purpose=push.purpose, not_before=not_before, dedupe_key=key)
            else:
                row = OutboxMessage(kind="multicast", recipients=chunk, messages=batch, retry_key=str(uuid.uuid4()),
                                    purpose=push.purpose, not_before=not_before, dedupe_key=key)
            session.add(row)
            rows.append(row)
    return rows
