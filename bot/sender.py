"""Delivers outbox rows to LINE. Several senders may run at once (web processes and
`python -m bot worker`): a row is claimed with FOR UPDATE SKIP LOCKED on PostgreSQL, or with
a guarded UPDATE on SQLite, before it is sent.

Reply rows use their token; an expired or invalid token turns the row into a push. Push and
multicast send X-Line-Retry-Key = the row's retry_key, so a retry after a crash or a timeout
never duplicates (LINE answers 409 = already accepted = SENT). 429, 5xx and network errors
back off exponentially; other 4xx fail the row with the reason. Messages to one user go out in
order: a row waits while an older row of the same user is unsent (except an older scheduled
push that is not due yet: a reminder held until 08:00 must not hold back tonight's replies).

Rate: each endpoint has a token bucket (bot/ratelimit.py) below LINE's limits, and a claimed
batch is sent by a few threads (rows of one batch never share a user, so order holds).
Scheduled pushes (purpose "remind:..." or "notice:...") are also held at send time during
quiet hours (20:00-08:00 Bangkok), so a backlog or a sender that was down never delivers them
at night. Settings come from SENDER_* environment variables (`SenderConfig.from_env`).
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import urllib3
from linebot.v3.messaging import ApiException
from sqlalchemy import and_, bindparam, exists, false, literal, or_, select, true, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from bot.lineapi import SEND_TIMEOUT, LineApi
from bot.ratelimit import DEFAULT_RATES, RateLimiter
from models import READ_ONLY, OutboxMessage, OutboxStatus, unit_of_work, utcnow
from registry.quiet_hours import is_quiet

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
BACKOFF_CAP = timedelta(minutes=10)
STALE_CLAIM = timedelta(minutes=2)
BATCH = 20
# Pushes that wait for daytime even at send time (handlers' `urgent` pushes must not use these).
SCHEDULED_PURPOSES = ("remind:", "notice:")


@dataclass(frozen=True)
class SenderConfig:
    """How a sender claims and paces: batch size, sending threads, requests/s per endpoint,
    and after how long a claim of a dead sender is taken back."""

    batch: int = BATCH
    threads: int = 4
    rates: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    stale_claim: timedelta = STALE_CLAIM

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SenderConfig:
        """SENDER_BATCH, SENDER_THREADS, SENDER_PUSH_RATE (also reply), SENDER_MULTICAST_RATE,
        SENDER_STALE_SECONDS."""
        env = os.environ if env is None else env
        push = float(env.get("SENDER_PUSH_RATE") or DEFAULT_RATES["push"])
        multicast = float(env.get("SENDER_MULTICAST_RATE") or DEFAULT_RATES["multicast"])
        return cls(batch=int(env.get("SENDER_BATCH") or BATCH), threads=max(1, int(env.get("SENDER_THREADS") or 4)),
                   rates={"push": push, "reply": push, "multicast": multicast},
                   stale_claim=timedelta(seconds=float(env.get("SENDER_STALE_SECONDS") or STALE_CLAIM.total_seconds())))


def _scheduled(model):  # type: ignore[no-untyped-def]
    return or_(*[model.purpose.startswith(p) for p in SCHEDULED_PURPOSES])


def held(model, now: datetime):  # type: ignore[no-untyped-def]
    """Scheduled pushes that wait on purpose: not due yet, or any of them in quiet hours."""
    return and_(_scheduled(model), or_(model.not_before > now, true() if is_quiet(now) else false()))


def _open(model):  # type: ignore[no-untyped-def]
    """The row is pending or being sent, written with literal values, as in the partial index
    ix_outbox_open_user: with bound values the planners cannot use that index (SQLite then
    walked every message ever sent to the user, 2 ms on the reply path after 500 of them)."""
    return model.status.in_(bindparam("open_statuses", [OutboxStatus.PENDING, OutboxStatus.SENDING],
                                      expanding=True, literal_execute=True))


def _waits_behind(user_id, row_id, now: datetime):  # type: ignore[no-untyped-def]
    """A message to `user_id` older than `row_id` is unsent (being sent, or pending and not
    held on purpose): the row waits, so that one user's messages arrive in order."""
    older = aliased(OutboxMessage)
    return exists().where(
        older.user_id == user_id, older.id < row_id,
        _open(older),  # = ix_outbox_open_user
        or_(older.status == OutboxStatus.SENDING, and_(older.status == OutboxStatus.PENDING, ~held(older, now))),
    )


def _waits_statement(quiet: bool):  # type: ignore[no-untyped-def]
    """`_waits_behind` for one user and row (bound parameters), built once: statement
    construction would cost more than the query on the reply path."""
    held = and_(_scheduled(_OLDER), or_(_OLDER.not_before > bindparam("now"), true() if quiet else false()))
    return select(literal(1)).select_from(_OLDER).where(
        _OLDER.user_id == bindparam("user_id"), _OLDER.id < bindparam("row_id"),
        _open(_OLDER),
        or_(_OLDER.status == OutboxStatus.SENDING, and_(_OLDER.status == OutboxStatus.PENDING, ~held)),
    ).limit(1)


_OLDER = aliased(OutboxMessage)
WAITS = {quiet: _waits_statement(quiet) for quiet in (False, True)}
NEWEST = 2**31 - 1  # above every row id (the largest INTEGER of PostgreSQL)


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s ... up to 10 minutes."""
    return min(timedelta(seconds=2 ** max(attempts - 1, 0)), BACKOFF_CAP)


class Sender:
    """Claims due outbox rows and sends them with the SDK."""

    def __init__(self, factory: sessionmaker[Session], api: LineApi, name: str | None = None,
                 on_menu: Callable[[OutboxMessage], None] | None = None, config: SenderConfig | None = None) -> None:
        self.factory = factory
        self.api = api
        self.name = name or f"sender-{uuid.uuid4().hex[:8]}"
        self.on_menu = on_menu  # rich menu links travel through the outbox too
        self.config = config or SenderConfig.from_env()
        self.limiter = RateLimiter(self.config.rates)
        self._pool: ThreadPoolExecutor | None = None

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

    def claim(self, now: datetime, limit: int | None = None) -> list[OutboxMessage]:
        """Mark up to `limit` due rows as ours (SENDING) and return them, oldest first."""
        if not self.has_work(now):
            return []
        limit = limit or self.config.batch
        due = and_(self._due(now), ~_waits_behind(OutboxMessage.user_id, OutboxMessage.id, now))
        with unit_of_work(self.factory) as session:
            self._release_stale(session, now)
            stmt = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
            if session.bind.dialect.name == "postgresql":  # type: ignore[union-attr]
                stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
            ids = list(session.scalars(stmt))
            claimed: list[int] = []
            for row_id in ids:
                result = session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row_id, OutboxMessage.status == OutboxStatus.PENDING)
                    .values(status=OutboxStatus.SENDING, claimed_by=self.name, claimed_at=now)
                )
                if result.rowcount == 1:
                    claimed.append(row_id)
            rows = list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)))
        return rows

    def claim_new(self, session: Session, rows: list[OutboxMessage], now: datetime,
                  waits: bool | None = None) -> list[OutboxMessage]:
        """Claim, inside the transaction that writes them, a user's new rows (an event's
        replies, in order) for `deliver_claimed` right after commit, unless an older message
        to the same user is still unsent: then they wait their turn in the outbox. `waits`:
        that was already asked in this transaction (`WAITS`, with row_id NEWEST)."""
        rows = [r for r in rows if r.status in (None, OutboxStatus.PENDING) and r.user_id and r.kind in ("reply", "push")]
        if not rows:
            return []
        if waits is None:
            with session.no_autoflush:  # rows not flushed yet are newer than every stored row
                first = rows[0].id if rows[0].id is not None else NEWEST
                waits = session.execute(WAITS[is_quiet(now)], {"user_id": rows[0].user_id, "row_id": first,
                                                               "now": now}).first() is not None
        if waits:
            return []
        for row in rows:
            row.status, row.claimed_by, row.claimed_at = OutboxStatus.SENDING, self.name, now
        return rows

    def deliver_claimed(self, rows: list[OutboxMessage]) -> bool:
        """Send rows claimed by `claim_new` (committed) in order and record the outcomes; True
        when all were sent (otherwise they are back in the outbox for the sending loop)."""
        outcomes = [self.deliver(row) for row in rows]
        self._finish_all(list(zip(rows, outcomes, strict=True)))
        return all(status == "sent" for status, _ in outcomes)

    def _release_stale(self, session: Session, now: datetime) -> None:
        """Rows claimed by a sender that died mid-send go back to PENDING."""
        session.execute(
            update(OutboxMessage)
            .where(self._stale(now))
            .values(status=OutboxStatus.PENDING, claimed_by=None)
        )

    @staticmethod
    def _due(now: datetime):  # type: ignore[no-untyped-def]
        """Pending, its time come, not held on purpose (`has_work` and `claim` share it)."""
        return and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now,
                    ~held(OutboxMessage, now))

    def _stale(self, now: datetime):  # type: ignore[no-untyped-def]
        """Claimed by a sender that has not finished for `stale_claim`: presumed dead."""
        return and_(OutboxMessage.status == OutboxStatus.SENDING,
                    OutboxMessage.claimed_at < now - self.config.stale_claim)

    # sending ---------------------------------------------------------------------------
    def run_once(self, now: datetime | None = None) -> int:
        """Send what is due now (or at `now`, for tests); returns how many rows were handled.

        The batch is sent first and recorded after, in one transaction: a sender killed in
        between leaves its rows SENDING; they are taken back after `stale_claim` and sent
        again with the same retry key, which LINE answers 409 (= already sent)."""
        rows = self.claim(now or utcnow())
        if len(rows) > 1 and self.config.threads > 1:
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

    def deliver(self, row: OutboxMessage) -> tuple[str, str | None]:
        """One attempt: ("sent"|"retry"|"failed"|"as_push", reason)."""
        if row.kind != "menu":
            self.limiter.acquire("reply" if row.kind == "reply" and row.reply_token else row.kind)
        try:
            if row.kind == "menu":
                if self.on_menu:
                    self.on_menu(row)
                return "sent", None
            if row.kind == "reply" and row.reply_token:
                self._post("/v2/bot/message/reply", {"replyToken": row.reply_token, "messages": row.messages})
            elif row.kind == "multicast":
                self._post("/v2/bot/message/multicast", {"to": row.recipients or [], "messages": row.messages},
                           row.retry_key)
            else:
                self._post("/v2/bot/message/push", {"to": row.user_id, "messages": row.messages}, row.retry_key)
            return "sent", None
        except ApiException as exc:
            status, body = exc.status or 0, (exc.body or exc.reason or "")
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            if status == 409 and row.kind != "reply":
                return "sent", "409: retry key already accepted"
            if row.kind == "reply" and status == 400 and "reply token" in str(body).lower():
                return "as_push", f"400: {body}"
            if status == 429 or status >= 500 or status == 0:
                return "retry", f"{status}: {body}"
            return "failed", f"{status}: {body}"
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return "retry", f"network: {exc.__class__.__name__}: {exc}"

    def _post(self, path: str, body: dict, retry_key: str | None = None) -> None:
        """POST the rendered LINE JSON through the SDK's client (its auth, host and
        ApiException). The typed SDK methods would first rebuild the JSON as pydantic models
        and back (20-60 ms for a ten-bubble carousel) without adding anything: the messages
        were rendered as LINE JSON, and the test fake checks them against LINE's OpenAPI."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if retry_key:
            headers["X-Line-Retry-Key"] = retry_key
        self.api.client.call_api(path, "POST", {}, [], headers, body=body, auth_settings=["Bearer"],
                                 response_types_map={}, _return_http_data_only=False,
                                 _request_timeout=SEND_TIMEOUT)

    def _finish(self, row: OutboxMessage, outcome: tuple[str, str | None]) -> None:
        self._finish_all([(row, outcome)])

    def _finish_all(self, results: list[tuple[OutboxMessage, tuple[str, str | None]]]) -> None:
        """Record the outcomes of a batch in one transaction."""
        with unit_of_work(self.factory) as session:
            for row, outcome in results:
                session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id, OutboxMessage.claimed_by == self.name)
                                .values(**self._outcome_values(row, outcome)))

    @staticmethod
    def _outcome_values(row: OutboxMessage, outcome: tuple[str, str | None]) -> dict:  # type: ignore[type-arg]
        status, reason = outcome
        now = utcnow()
        values: dict = {"attempts": OutboxMessage.attempts + 1, "claimed_by": None, "last_error": reason}
        if status == "sent":
            values |= {"status": OutboxStatus.SENT, "sent_at": now}
        elif status == "as_push":
            values |= {"status": OutboxStatus.PENDING, "kind": "push", "reply_token": None}
        elif status == "retry" and row.attempts + 1 < MAX_ATTEMPTS:
            values |= {"status": OutboxStatus.PENDING, "not_before": now + backoff(row.attempts + 1)}
        else:
            values |= {"status": OutboxStatus.FAILED}
            log.warning("outbox %s failed: %s", row.id, reason)
        return values


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
