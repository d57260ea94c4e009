"""Delivers outbox rows to LINE. Several senders may run at once (web processes and
`python -m bot worker`): a row is claimed with FOR UPDATE SKIP LOCKED on PostgreSQL, or with
a guarded UPDATE on SQLite, before it is sent.

What each answer of LINE leads to (timeouts, 5xx, 429, a spent quota, a used or expired reply
token, a sender killed mid-send) is decided by bot/delivery.py, the fault table of
docs/DELIVERY.md: exactly one copy, or a recorded and explained failure. Push and multicast
send X-Line-Retry-Key = the row's retry_key (a repeat answers 409 = already accepted = SENT);
a reply whose outcome is unknown is marked `in_doubt` and resolved with its own token, never
with a second copy. Messages to one user go out in order: a row waits while an older row of
the same user is unsent (except an older scheduled push that is not due yet).

Rate: each endpoint is paced at the channel's rate, shared by every process through Redis or
PostgreSQL (bot/pacing.py), else per process (bot/ratelimit.py). A spent monthly quota holds
the push (status HELD, released by the clock when the quota allows, bot/quota.py) and stops
this sender's pushes until the quota API shows room again: nothing is retried into it.
Scheduled pushes (purpose "remind:..." or "notice:...") are also held at send time during
quiet hours (20:00-08:00 Bangkok). Settings come from SENDER_* variables (`SenderConfig`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import urllib3
from linebot.v3.messaging import ApiException
from linebot.v3.messaging.rest import RESTResponse
from sqlalchemy import and_, exists, literal, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import Attempt, Decision, decide, may_have_arrived
from bot.lineapi import SEND_TIMEOUT, LineApi
from bot.outcomes import Outcomes
from bot.outbox_queries import NEWEST, NO_SYNC, WAITS, claim_statement, held  # noqa: F401
from bot.pacing import MARGIN, channel_key, make_store, shared_pacers
from bot.ratelimit import DEFAULT_RATES, RateLimiter
from models import READ_ONLY, OutboxMessage, OutboxStatus, unit_of_work, utcnow
from registry.quiet_hours import is_quiet

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
STALE_CLAIM = timedelta(minutes=2)
# A reply claimed this long ago is taken back from a dead sender (the read timeout is 5 s):
# soon enough for the retry to come while LINE's reply token (about a minute) is still valid.
REPLY_STALE = timedelta(seconds=15)
REPLY_WINDOW = timedelta(seconds=50)  # a reply token is used within this, else a push goes
QUOTA_RECHECK = timedelta(minutes=1)  # a spent quota is asked again (free) after this
BATCH = 20
# How long a claimed reply waits for an older message to its user to be sent before it is
# left to the sending loop (`Sender.deliver_claimed`).
TURN_WAIT = 0.5


@dataclass(frozen=True)
class SenderConfig:
    """How a sender claims and paces: batch size, sending threads, requests/s per endpoint,
    and after how long a claim of a dead sender is taken back."""

    batch: int = BATCH
    threads: int = 4
    lanes: int = 2  # `python -m bot worker`: claim-send-record loops side by side
    rates: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    stale_claim: timedelta = STALE_CLAIM
    reply_stale: timedelta = REPLY_STALE
    reply_window: timedelta = REPLY_WINDOW
    rate_store: str = "auto"  # auto | redis | postgres | local (bot/pacing.py)
    rate_margin: float = MARGIN  # shared slots are spaced for the rate less this share (bot/pacing.py)
    redis_url: str | None = None
    timeout: tuple[float, float] = SEND_TIMEOUT  # (connect, read) seconds of one request

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SenderConfig:
        """SENDER_BATCH, SENDER_THREADS, SENDER_LANES, SENDER_PUSH_RATE (also reply), SENDER_MULTICAST_RATE,
        SENDER_STALE_SECONDS, SENDER_REPLY_STALE_SECONDS, SENDER_REPLY_WINDOW_SECONDS,
        SENDER_RATE_STORE, SENDER_RATE_MARGIN, REDIS_URL."""
        env = os.environ if env is None else env
        push = float(env.get("SENDER_PUSH_RATE") or DEFAULT_RATES["push"])
        multicast = float(env.get("SENDER_MULTICAST_RATE") or DEFAULT_RATES["multicast"])

        def seconds(name: str, default: timedelta) -> timedelta:
            return timedelta(seconds=float(env.get(name) or default.total_seconds()))

        return cls(batch=int(env.get("SENDER_BATCH") or BATCH), threads=max(1, int(env.get("SENDER_THREADS") or 4)),
                   lanes=max(1, int(env.get("SENDER_LANES") or 2)),
                   rates={"push": push, "reply": push, "multicast": multicast},
                   stale_claim=seconds("SENDER_STALE_SECONDS", STALE_CLAIM),
                   reply_stale=seconds("SENDER_REPLY_STALE_SECONDS", REPLY_STALE),
                   reply_window=seconds("SENDER_REPLY_WINDOW_SECONDS", REPLY_WINDOW),
                   rate_store=(env.get("SENDER_RATE_STORE") or "auto").lower(),
                   rate_margin=float(env.get("SENDER_RATE_MARGIN") or MARGIN), redis_url=env.get("REDIS_URL") or None)




FREE_KINDS = ("reply", "menu")  # what a sender still sends while the quota is spent


class Sender:
    """Claims due outbox rows and sends them with the SDK."""

    def __init__(self, factory: sessionmaker[Session], api: LineApi, name: str | None = None,
                 on_menu: Callable[[OutboxMessage], None] | None = None, config: SenderConfig | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.factory = factory
        self.api = api
        self.name = name or f"sender-{uuid.uuid4().hex[:8]}"
        self.on_menu = on_menu  # rich menu links travel through the outbox too
        self.config = config or SenderConfig.from_env()
        self.clock = clock or (lambda: utcnow())  # looked up at each call (tests patch the module's utcnow)
        store = make_store(self.config.rate_store, self.config.redis_url, factory.kw.get("bind"))
        shared = (shared_pacers(store, channel_key(api.client.configuration.access_token), self.config.rates,
                                self.config.rate_margin) if store else None)
        self.limiter = RateLimiter(self.config.rates, shared=shared)
        self.quota_closed_until: datetime | None = None  # a spent quota: pushes wait until then
        self._pool: ThreadPoolExecutor | None = None
        self.outcomes = Outcomes(factory, self.name, lambda: self.clock())
        self._pool_lock = threading.Lock()

    # claiming --------------------------------------------------------------------------
    def has_work(self, now: datetime) -> bool:
        """Whether a claim could find anything: a due row that is not held, or a claim gone
        stale. Asked in a read-only transaction (on SQLite a deferred one, which takes no
        write lock): an idle loop's tick, every second, no longer holds the write lock for
        the ~2 ms of a claim while webhooks wait for it."""
        stmt = select(literal(1)).where(or_(exists().where(self._due(now)), exists().where(self._stale(now))))
        with self.factory() as session:
            session.connection(execution_options={READ_ONLY: True})
            return session.execute(stmt).first() is not None

    def claim(self, now: datetime, limit: int | None = None) -> list:  # type: ignore[type-arg]
        """Mark up to `limit` due rows as ours (SENDING) and return them (plain rows with the
        outbox's columns, no ORM objects), oldest first: one UPDATE ... RETURNING per batch."""
        if not self.has_work(now):
            return []
        with unit_of_work(self.factory) as session:
            self._release_stale(session, now)
            postgres = session.bind.dialect.name == "postgresql"  # type: ignore[union-attr]
            rows = session.execute(claim_statement(self._due(now), postgres, self.name, now,
                                                   limit or self.config.batch)).all()
        return sorted(rows, key=lambda r: r.id)

    def claim_new(self, session: Session, rows: list[OutboxMessage], now: datetime,
                  waits: bool | None = None) -> list[OutboxMessage]:
        """Claim, inside the transaction that writes them, a user's new rows (an event's
        replies, in order) for `deliver_claimed` right after commit. When an older message
        to the same user is still unsent (`waits`: that was already asked in this
        transaction, `WAITS` with row_id NEWEST), they are claimed to wait for it: mostly the
        reply to the user's previous message, delivered but its outcome not yet recorded
        (a user who answers at once); `deliver_claimed` sends them once it is, or leaves
        them to the sending loop after TURN_WAIT."""
        if rows and all(r.status is OutboxStatus.SENDING and r.claimed_by == self.name for r in rows):
            return rows  # written claimed (bot/outbox_write.py)
        rows = [r for r in rows if r.status in (None, OutboxStatus.PENDING) and r.user_id and r.kind in ("reply", "push")]
        if not rows:
            return []
        if waits is None:
            with session.no_autoflush:  # rows not flushed yet are newer than every stored row
                first = rows[0].id if rows[0].id is not None else NEWEST
                waits = session.execute(WAITS[is_quiet(now)], {"user_id": rows[0].user_id, "row_id": first,
                                                               "now": now}).first() is not None
        for row in rows:
            row.status, row.claimed_by, row.claimed_at = OutboxStatus.SENDING, self.name, now
            row.behind = waits
        return rows

    def deliver_claimed(self, rows: list[OutboxMessage]) -> bool:
        """Send rows claimed by `claim_new` (committed) in order and record the outcomes; True
        when all were sent (otherwise they are back in the outbox for the sending loop)."""
        if rows and rows[0].behind and not self._wait_turn(rows[0]):
            self._unclaim(rows)
            return False
        outcomes = [self.deliver(row) for row in rows]
        self._finish_all(list(zip(rows, outcomes, strict=True)))
        return all(d.action in ("sent", "presumed") for d in outcomes)

    def _wait_turn(self, row: OutboxMessage) -> bool:
        """Wait (up to TURN_WAIT) until no older message to the row's user is unsent; False
        if one still is. Asked again whenever this process records an outcome, and at
        growing intervals (up to 50 ms) for other processes' outcomes."""
        deadline = time.monotonic() + TURN_WAIT
        pause = 0.002
        while True:
            now = self.clock()
            with self.outcomes.single.connect() as connection:  # Core, no Session; read-only (SQLite: no write lock)
                connection.execution_options(**{READ_ONLY: True})
                if connection.execute(WAITS[is_quiet(now)], {"user_id": row.user_id, "row_id": row.id,
                                                             "now": now}).first() is None:
                    return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.outcomes.wait_recorded(min(pause, left))
            pause = min(pause * 2, 0.05)

    def _unclaim(self, rows: list[OutboxMessage]) -> None:
        """Claimed rows never sent go back to the outbox as they were (the sending loop
        sends them in their turn)."""
        with unit_of_work(self.factory) as session:
            session.execute(update(OutboxMessage).where(
                OutboxMessage.id.in_([r.id for r in rows]), OutboxMessage.claimed_by == self.name,
                OutboxMessage.status == OutboxStatus.SENDING).values(
                status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None).execution_options(**NO_SYNC))
        for row in rows:
            row.status, row.claimed_by, row.claimed_at = OutboxStatus.PENDING, None, None

    def _release_stale(self, session: Session, now: datetime) -> None:
        """Rows claimed by a sender that died mid-send go back to PENDING, in doubt: their
        request may have reached LINE (bot/delivery.py resolves that without a second copy)."""
        session.execute(
            update(OutboxMessage)
            .where(self._stale(now))
            .values(status=OutboxStatus.PENDING, claimed_by=None, in_doubt=True, not_before=now)
        )

    def _due(self, now: datetime):  # type: ignore[no-untyped-def]
        """Pending, its time come, not held on purpose (`has_work` and `claim` share it); only
        free kinds while the quota is spent."""
        due = and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now,
                   ~held(OutboxMessage, now))
        return due if self.pushes_allowed(now) else and_(due, OutboxMessage.kind.in_(FREE_KINDS))

    def _stale(self, now: datetime):  # type: ignore[no-untyped-def]
        """Claimed by a sender that has not finished for `stale_claim` (a reply: `reply_stale`):
        presumed dead."""
        return and_(OutboxMessage.status == OutboxStatus.SENDING, or_(
            OutboxMessage.claimed_at < now - self.config.stale_claim,
            and_(OutboxMessage.kind == "reply", OutboxMessage.claimed_at < now - self.config.reply_stale)))

    def _hold_paid(self, now: datetime) -> None:
        """While the quota is spent, due pushes are held (released by the clock when the
        budget allows, or sent inside the user's next reply): a pending push would also hold
        back the user's replies behind it."""
        with unit_of_work(self.factory) as session:
            session.execute(update(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.kind.in_(("push", "multicast")),
                OutboxMessage.not_before <= now).values(status=OutboxStatus.HELD,
                                                        last_error="quota: the month's quota is spent"))

    def pushes_allowed(self, now: datetime) -> bool:
        """False while the month's quota is spent: after a 429 "monthly limit" the quota is
        read again (GET quota and consumption, free) every QUOTA_RECHECK, never by sending."""
        if self.quota_closed_until is None or now < self.quota_closed_until:
            return self.quota_closed_until is None
        from bot.quota import read_quota

        quota = read_quota(self.api)
        if quota is not None and quota.left is not None and quota.left <= 0:
            self.quota_closed_until = now + QUOTA_RECHECK
            return False
        self.quota_closed_until = None
        return True

    # sending ---------------------------------------------------------------------------
    def run_once(self, now: datetime | None = None) -> int:
        """Send what is due now (or at `now`, for tests); returns how many rows were handled.

        The batch is sent first and recorded after, in one transaction: a sender killed in
        between leaves its rows SENDING; they are taken back after `stale_claim` and sent
        again with the same retry key, which LINE answers 409 (= already sent)."""
        now = now or self.clock()
        if not self.pushes_allowed(now):
            self._hold_paid(now)
        rows = self.claim(now)
        if len(rows) > 1 and self.config.threads > 1:
            with self._pool_lock:  # several lanes of one process share the sending threads
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.config.threads, thread_name_prefix=f"{self.name}-send")
            outcomes = list(self._pool.map(self.deliver, rows))
        else:
            outcomes = [self.deliver(row) for row in rows]
        if rows:
            self._finish_all(list(zip(rows, outcomes, strict=True)))
        return len(rows)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def deliver(self, row: OutboxMessage) -> Decision:
        """One attempt at the row, and what to record (bot/delivery.py decides)."""
        if row.kind == "menu":
            if self.on_menu:
                self.on_menu(row)
            return Decision("sent", None)
        reply = row.kind == "reply" and bool(row.reply_token)
        if not reply and self.quota_closed_until is not None:  # claimed before the quota closed: never sent into it
            return Decision("held", "quota: the month's quota is spent")
        self.limiter.acquire("reply" if reply else row.kind)
        attempt: Attempt | None = None
        try:
            if reply:
                self._post("/v2/bot/message/reply", {"replyToken": row.reply_token}, row)
            elif row.kind == "multicast":
                self._post("/v2/bot/message/multicast", {"to": row.recipients or []}, row, row.retry_key)
            else:
                self._post("/v2/bot/message/push", {"to": row.user_id}, row, row.retry_key)
        except ApiException as exc:
            body = exc.body or exc.reason or ""
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
            attempt = Attempt(exc.status or 0, str(body), accepted_id=headers.get("x-line-accepted-request-id"))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            attempt = Attempt(0, f"network: {exc.__class__.__name__}: {exc}", may_have_arrived=may_have_arrived(exc))
        now = self.clock()
        deadline = (row.created_at or now) + self.config.reply_window if reply else None
        decision = decide("reply" if reply else row.kind, attempt, attempts=row.attempts + 1, in_doubt=row.in_doubt,
                          now=now, token_deadline=deadline, max_attempts=MAX_ATTEMPTS)
        if decision.action == "held" and attempt is not None and attempt.quota_spent:
            self.quota_closed_until = now + QUOTA_RECHECK
        return decision

    def _post(self, path: str, head: dict, row: Any, retry_key: str | None = None) -> None:
        """POST `head` with the row's messages, the rendered LINE JSON, on the SDK's REST
        client's connection pool (its host and token; an answer other than 2xx raises its
        ApiException, as its `request` does). The typed SDK methods would first rebuild the
        JSON as pydantic models and back (20-60 ms for a ten-bubble carousel) without adding
        anything: the messages were rendered as LINE JSON, and the test fake checks them
        against LINE's OpenAPI. Its generic `call_api` walked the body and the headers again
        for every message (a tenth of the send), and its `request` encodes the body again:
        the messages' JSON text is the one written into the outbox row when the writer kept
        it (`row.encoded`), else encoded once here (UTF-8, as LINE reads it)."""
        client = self.api.client
        headers = {**client.default_headers, "Accept": "application/json", "Content-Type": "application/json",
                   "Authorization": "Bearer " + (client.configuration.access_token or "")}
        if retry_key:
            headers["X-Line-Retry-Key"] = retry_key
        messages = getattr(row, "encoded", None)  # (the sender loop's rows are Core rows: none)
        if messages is None:
            messages = json.dumps(row.messages, ensure_ascii=False)
        body = f'{json.dumps(head, ensure_ascii=False)[:-1]}, "messages": {messages}}}'.encode()
        connect, read = self.config.timeout
        try:
            response = client.rest_client.pool_manager.request(
                "POST", client.configuration.host + path, body=body, headers=headers,
                timeout=urllib3.Timeout(connect=connect, read=read))
        except urllib3.exceptions.SSLError as exc:  # (as the SDK's `request`)
            raise ApiException(status=0, reason=f"{type(exc).__name__}\n{exc}") from exc
        if not 200 <= response.status <= 299:
            raise ApiException(http_resp=RESTResponse(response))

    def _finish_all(self, results: list[tuple[OutboxMessage, Decision]]) -> None:
        """Record the outcomes of a batch (group-committed with other threads': bot/outcomes.py)."""
        self.outcomes.record(results)


class SenderThread(threading.Thread):
    """Runs a Sender until stopped; `wake()` makes it look at the outbox at once."""

    def __init__(self, sender: Sender, interval: float = 1.0) -> None:
        super().__init__(name=sender.name, daemon=True)
        self.sender = sender
        self.interval = interval
        self._wake = threading.Event()
        self._halt = threading.Event()
        self.busy = threading.Event()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._halt.set()
        self._wake.set()

    def run(self) -> None:
        while not self._halt.is_set():
            self.busy.set()
            try:
                handled = self.sender.run_once()
            except Exception:  # a database hiccup must not kill the thread
                log.exception("sender loop")
                handled = 0
            finally:
                self.busy.clear()
            if not handled:
                self._wake.wait(self.interval)
                self._wake.clear()
