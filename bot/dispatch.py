"""One event, one transaction: load the account, run the router, write the replies into the
outbox as LINE JSON, mark the event done. If anything fails, nothing of it is kept: the
failure is recorded separately and the user gets a polite Thai apology.

Two ways in:

- `handle_now` (text, postback, follow, ...): in the webhook's own thread, the event row is
  inserted in the same transaction as its handling (its id makes a redelivery a no-op), and
  the user's replies are claimed for sending right after the webhook has answered (no hand
  over to another thread, no second claim: the reply is on its way ~1 ms after commit);
- `process` (image messages, whose content is fetched from LINE first, and events left
  unhandled by a restart): stored first by the webhook (`store_events`), handled by the
  event worker; the sender thread delivers. A stored event's payload is sealed while it
  waits (handled as the user typed it) and replaced by its redacted form when it is taken
  or fails (`bot.inbox`).
"""

from __future__ import annotations

import json
import logging
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from datetime import datetime
from typing import Any

from linebot.v3.messaging import ShowLoadingAnimationRequest
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker

from bot.dispatch_queries import (  # noqa: F401 (tests import _ACCOUNT and BEGIN_EVENT here)
    ACCOUNT_CORE, ACCOUNT_KEYS, BEGIN_EVENT, BEGIN_EVENT_CORE, CONVERSATION_KEYS, _ACCOUNT, _LOCK, _OLDEST_STORED, _STORED, _TAKE, _TAKE_OLDEST, TAKE_EVENT_CORE,
)
from bot.events import incoming_from_raw, parse_event, to_incoming
from bot.inbox import event_id, event_values, insert_event, redacted, store_events, waiting  # noqa: F401 (store_events: callers import it here)
from bot.outbox_write import (  # noqa: F401 (enqueue, enqueue_push: callers import them here)
    COMMITTED_IN_SQL, MULTICAST_MAX, enqueue, enqueue_push, insert_claimed, insert_claimed_and_commit)
from bot.pg_begin import first_row
from bot.lineapi import CONTENT_TIMEOUT, QUICK_TIMEOUT, LineApi
from bot.quota import ride_along
from bot.sender import NEWEST, Sender
from registry.ids import redact
from registry.quiet_hours import is_quiet
from handlers.context import NOT_LOADED, Ctx
from handlers.incoming import Incoming
from handlers.replies import Text
from handlers.router import Parser, route
from handlers.texts import T
from models import OFFICER_ROLES, ConversationState, InboundEvent, InboundStatus, LineAccount, OutboxMessage, unit_of_work, utcnow

log = logging.getLogger(__name__)


def menu_key(role) -> str | None:  # type: ignore[no-untyped-def]
    """Which rich menu a role gets (bot.richmenu.MENUS): "producer", "district", "province",
    "central", or None (the default menu)."""
    if role is None:
        return None
    return role.value


@dataclass(frozen=True)
class Deferred:
    """`Processor.handle_now` stored the event for the event worker instead of handling it."""

    event_id: str


def handled_later(event: dict[str, Any]) -> bool:
    """Events handled by the event worker, after the webhook has answered: an image's content
    must be fetched from LINE first (a network call that may be slow)."""
    return event.get("type") == "message" and (event.get("message") or {}).get("type") == "image"


class Processor:
    """Turns webhook events into outbox rows."""

    def __init__(self, factory: sessionmaker[Session], api: LineApi | None, parser: Parser | None,
                 public_base_url: str, media_dir: Path, on_outbox: Callable[[], None] = lambda: None,
                 signing_key: str = "", sender: Sender | None = None, liff_base: str = "") -> None:
        self.factory = factory
        self.api = api
        self.parser = parser
        self.public_base_url = public_base_url
        self.media_dir = Path(media_dir)
        self.on_outbox = on_outbox
        self.signing_key = signing_key
        self.sender = sender
        self.liff_base = liff_base

    def handle_now(self, raw: dict[str, Any]) -> list[OutboxMessage] | Deferred:
        """Store and handle one event in the calling thread, in one transaction. Returns the
        user's reply rows claimed for `Sender.deliver_claimed` (to call once the transaction
        is committed, which it is on return): empty for a redelivery, or when an older
        message to the user is unsent (the sending loop keeps the order then). `Deferred`:
        an earlier event of the user waits for the event worker, so this one was stored
        for it too (handed over by the caller), unhandled."""
        reply_token = raw.get("replyToken")
        incoming = incoming_from_raw(raw)
        claimed: list[OutboxMessage] = []
        more = False
        info: dict[str, Any] = {}  # the session's, read after a failure
        try:
            with unit_of_work(self.factory) as session:
                info = session.info
                locked = None  # the account's lock: not taken yet
                found = None  # the account as `_account` returns it, read already
                if incoming is not None and incoming.chat == "user" and session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
                    # One statement: event row, account lock, account read (`BEGIN_EVENT`).
                    now = utcnow()
                    row = first_row(session.connection(), BEGIN_EVENT_CORE, event_values(
                        raw, InboundStatus.DONE, now) | {"account": incoming.user_id, "now": now, "quiet": is_quiet(now)}
                    )  # (with the BEGIN, by psycopg alone: bot/pg_begin.py)
                    if row is None:
                        return []  # a redelivery
                    locked = bool(row[1])
                    if locked:
                        found = found_account(session, row[2:])
                elif not insert_event(session, raw, InboundStatus.DONE):
                    return []
                if incoming is not None:
                    ran = self._run(session, incoming, reply_token, defer=True, locked=locked, found=found,
                                    commit=found is not None)
                    if ran is None:
                        session.execute(update(InboundEvent).where(InboundEvent.event_id == event_id(raw))
                                        .values(status=InboundStatus.RECEIVED, handled_at=None, payload=waiting(raw)))
                        return Deferred(event_id(raw))
                    replies, more, waits = ran
                    if self.sender is not None:
                        claimed = self.sender.claim_new(session, replies, utcnow(), waits=waits)
                    more = more or len(claimed) < len(replies)
        except Exception:
            log.exception("event %s failed", event_id(raw))
            if not info.get(COMMITTED_IN_SQL):  # (after the reply's COMMIT the event is done: its
                # reply stands, claimed, for the sender's recovery of stale claims; no apology)
                self._record_failure(event_id(raw), traceback.format_exc(), incoming, reply_token, raw)
            self.on_outbox()
            return []
        if more:
            self.on_outbox()  # pushes, a menu change, or replies that wait their turn
        return claimed

    def process(self, event_id: str, raw: dict[str, Any] | None = None) -> list[OutboxMessage]:
        """Handle a stored event exactly once (a DONE or FAILED event is skipped), after the
        same user's stored events received before it: whichever thread or process gets
        to a user's events first handles them oldest first. Returns the reply rows claimed
        for `Sender.deliver_claimed`, as `handle_now` does. `raw`: the event as the webhook
        received it: when it is its user's oldest stored event, it is handled from it in one
        transaction, with no read of the stored row (whose payload, sealed, holds the same)."""
        if raw is not None and not handled_later(raw) and (user_id := (raw.get("source") or {}).get("userId")):
            first = self._process_one(event_id, raw, oldest_of=user_id)
            if first is not None:
                return first
        with unit_of_work(self.factory) as session:
            row = session.get(InboundEvent, event_id)
            if row is None or row.status is not InboundStatus.RECEIVED:
                return []
            user_id = row.user_id
        claimed: list[OutboxMessage] = []
        while user_id is not None:
            with unit_of_work(self.factory) as session:
                oldest = session.scalar(_OLDEST_STORED, {"user_id": user_id})
            if oldest is None:
                return claimed
            claimed += self._process_one(oldest) or []
            if oldest == event_id:
                return claimed
        return self._process_one(event_id) or []

    def _process_one(self, event_id: str, raw: dict[str, Any] | None = None,
                     oldest_of: str | None = None) -> list[OutboxMessage] | None:
        """Handle one stored event (its stored payload, or `raw`). With `oldest_of` (a user
        id), None when another event of that user was stored before it and is unhandled,
        or when this one was handled meanwhile: nothing is done then."""
        if raw is None:
            with unit_of_work(self.factory) as session:
                row = session.get(InboundEvent, event_id)
                if row is None or row.status is not InboundStatus.RECEIVED:
                    return []
                payload = row.payload
            raw = json.loads(payload)
        reply_token = raw.get("replyToken")
        if handled_later(raw):  # an image: its content fetched with line-bot-sdk's model
            event = parse_event(raw)
            if event is not None:
                self.show_loading(raw.get("source", {}).get("userId"))
            incoming = None if event is None else to_incoming(event, self._fetch, self.media_dir)
        else:
            incoming = incoming_from_raw(raw)
        claimed: list[OutboxMessage] = []
        more = True
        info: dict[str, Any] = {}  # the session's, read after a failure
        try:
            with unit_of_work(self.factory) as session:
                info = session.info
                # Taken (row locked, marked done) in one statement; a row another thread or
                # process handled meanwhile is left alone. Undone with the rest on failure.
                # With `oldest_of`, only if it is that user's oldest stored event (else None:
                # `process` takes the user's events in order, and sees one handled meanwhile).
                locked = None
                found = None  # the account as `_account` returns it, read already
                now = utcnow()
                take = {"taken": event_id, "at": now, "settled": redacted(raw)}
                if oldest_of is not None and incoming is not None and incoming.chat == "user" \
                        and session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
                    # One statement: the event taken, the account locked and read (`take_event`).
                    row = first_row(  # (with the BEGIN, by psycopg alone: bot/pg_begin.py)
                        session.connection(), TAKE_EVENT_CORE, take | {
                            "oldest_of": oldest_of, "account": incoming.user_id, "now": now,
                            "quiet": is_quiet(now)})
                    if row is None:
                        return None
                    locked = bool(row[1])
                    if locked:
                        found = found_account(session, row[2:])
                elif oldest_of is not None:
                    if session.connection().execute(_TAKE_OLDEST, take | {"oldest_of": oldest_of}).first() is None:
                        return None
                elif session.connection().execute(_TAKE, take).first() is None:
                    return []
                more = False
                if incoming is not None:
                    replies, more, waits = self._run(session, incoming, reply_token, locked=locked,  # type: ignore[misc]
                                                     found=found, commit=locked is not None)
                    if self.sender is not None:
                        claimed = self.sender.claim_new(session, replies, utcnow(), waits=waits)
                    more = more or len(claimed) < len(replies)
        except Exception:
            log.exception("event %s failed", event_id)
            if not info.get(COMMITTED_IN_SQL):  # (as in `handle_now`: after the reply's COMMIT the event is done)
                self._record_failure(event_id, traceback.format_exc(), incoming, reply_token)
            claimed, more = [], True
        if more:
            self.on_outbox()
        return claimed

    def _run(self, session: Session, incoming: Incoming, reply_token: str | None, defer: bool = False,
             locked: bool | None = None, found: tuple | None = None, commit: bool = False
             ) -> tuple[list[OutboxMessage], bool, bool | None] | None:
        """Route the event; returns the outbox rows of the replies to its user, whether other
        rows (pushes, a rich menu change) were written too, and whether an older message to
        the user was unsent when the event began (None: not known). With `defer`, None
        (nothing done) when an earlier event of the user waits for the event worker. `locked`:
        whether the account was locked already (None: not tried, see `_account`); `found`:
        what `_account` returns, read already with the lock (`BEGIN_EVENT`). `commit`
        (PostgreSQL): the transaction may be committed here, with the reply's row in one round
        trip (`insert_claimed_and_commit`), when that row is all there is left to write; the
        caller's commit then has nothing to do."""
        now = utcnow()
        account, conversation, waits, has_held, stored = found or self._account(session, incoming, now, locked)
        if defer and stored:
            return None
        role_before = account.role
        ctx = Ctx(
            session=session, account=account, incoming=incoming, now=now,
            public_base_url=self.public_base_url, media_dir=self.media_dir,
            show_loading=lambda seconds=5: self.show_loading(incoming.user_id, seconds),
            parse=self.parser, signing_key=self.signing_key, conversation=conversation,
            liff_base=self.liff_base,
        )
        replies = route(ctx, self.parser)
        rows: list[OutboxMessage] = []
        fast = (incoming.kind != "unfollow" or account.following) and self.sender is not None \
            and waits is not None and not has_held  # the common case: written claimed, with Core
        if fast and commit and not ctx.pushes and menu_key(account.role) == menu_key(role_before) \
                and (done := insert_claimed_and_commit(session, incoming.user_id, replies, reply_token,
                                                       self.sender.name, now, waits)) is not None:  # type: ignore[union-attr]
            return done, False, waits  # written and committed: nothing else to write
        if fast:  # bot/outbox_write.py
            rows = insert_claimed(session.connection(), incoming.user_id, replies, reply_token, self.sender.name,
                                  now, waits)
        elif incoming.kind != "unfollow" or account.following:
            rows = enqueue(session, incoming.user_id, replies, reply_token)
            if has_held and rows and rows[0].kind == "reply":
                ride_along(session, incoming.user_id, rows[0], now)  # held pushes go free with it
        more = False
        for push in ctx.pushes:
            more = bool(enqueue_push(session, push, now=ctx.now)) or more
        if incoming.chat == "user" and menu_key(account.role) != menu_key(role_before):
            session.add(OutboxMessage(kind="menu", user_id=incoming.user_id, messages=[],
                                      purpose=f"menu:{menu_key(account.role) or 'default'}",
                                      retry_key=str(uuid.uuid4())))
            more = True
        return rows, more, waits

    def _account(self, session: Session, incoming: Incoming, now: datetime,
                 locked: bool | None = None) -> tuple[LineAccount, Any, bool | None, bool, bool]:
        """The sender's account, locked, read with their conversation row (None: not in one),
        whether an older message to them is unsent (`Sender.claim_new` needs that; None: not
        known), whether a push to them is held (it rides along with the reply) and whether
        an earlier event of theirs waits for the event worker, see `_ACCOUNT`; a new user's
        account is created. `locked`: the lock was asked already, with the taken event
        (`TAKE_EVENT_CORE` or `BEGIN_EVENT` when it found no account; False: no
        account to lock)."""
        if incoming.chat != "user":  # a group or room is nobody's account: not stored
            return LineAccount(user_id=incoming.user_id, following=True), NOT_LOADED, None, False, False
        # Locked: one user's events are handled one after the other, even when two webhook
        # requests (or two processes) carry them at once (SQLite's writers queue anyway).
        postgres = session.bind.dialect.name == "postgresql"  # type: ignore[union-attr]
        if locked is None and postgres:
            locked = session.connection().execute(_LOCK, {"user_id": incoming.user_id}).first() is not None
        if not postgres or locked:
            row = session.connection().execute(ACCOUNT_CORE[is_quiet(now)], {"user_id": incoming.user_id, "now": now,
                                                                             "row_id": NEWEST}).first()
            if row is not None:
                return found_account(session, row)
        insert = pg_insert if postgres else sqlite_insert
        session.execute(insert(LineAccount).values(user_id=incoming.user_id, following=True, created_at=utcnow())
                        .on_conflict_do_nothing(index_elements=["user_id"]))
        account = session.get(LineAccount, incoming.user_id, with_for_update=True)
        assert account is not None
        stored = session.execute(_STORED, {"user_id": incoming.user_id}).first() is not None  # a first message deferred
        return account, session.get(ConversationState, incoming.user_id), None, False, stored

    def _record_failure(self, event_id: str, error: str, incoming: Incoming | None, reply_token: str | None,
                        raw: dict[str, Any] | None = None) -> None:
        """The event as FAILED with the error (inserted if its handling transaction stored
        nothing; a stored event's sealed payload replaced by the redacted one), and an
        apology to the user."""
        with unit_of_work(self.factory) as session:
            if raw is not None:
                insert_event(session, raw, InboundStatus.FAILED)
            row = session.get(InboundEvent, event_id)
            if row is not None:
                if row.status is InboundStatus.RECEIVED:
                    row.payload = redacted(json.loads(row.payload))
                row.status, row.error, row.handled_at = InboundStatus.FAILED, redact(error[-4000:]), utcnow()
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


def found_account(session: Session, values: Any) -> tuple[LineAccount, Any, bool, bool, bool]:
    """What `Processor._account` returns, from a row of the account's columns, the
    conversation's (all None: not in one) and the three probes (`ACCOUNT_CORE`, `BEGIN_EVENT`)."""
    n = len(ACCOUNT_KEYS)
    conversation = values[n:n + len(CONVERSATION_KEYS)]
    return (loaded(session, LineAccount, ACCOUNT_KEYS, values[:n]),
            None if conversation[0] is None else loaded(session, ConversationState, CONVERSATION_KEYS, conversation),
            bool(values[-3]), bool(values[-2]), bool(values[-1]))


def loaded(session: Session, cls: type, keys: tuple[str, ...], values: Any) -> Any:
    """A persistent object of `cls` in `session` from its row's values (every column, as the
    columns' types return them), as if the ORM had loaded it, without the ORM's loading
    (row processors built per result: more than the statement's own cost on the webhook's
    path). Changes to it are flushed as to any loaded object; relationships load lazily."""
    obj = cls._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    obj.__dict__.update(zip(keys, values))
    make_transient_to_detached(obj)
    session.add(obj)
    return obj
