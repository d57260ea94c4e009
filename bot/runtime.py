"""What the web process runs besides Flask: the webhook's events are handled in the request's
own thread (`receive`), their replies sent right after the webhook has answered (`deliver`);
image messages go to the event worker (a one-thread pool); the background sender thread
delivers pushes, retries and whatever waited its turn. Kept on the app as
`app.extensions["otop"]`; tests wait with `wait_idle(timeout)`."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import and_, func, or_, select

from bot.config import Settings
from bot.dispatch import Deferred, Processor, handled_later, store_events
from bot.inbox import event_id
from bot.lineapi import LineApi
from bot.sender import Sender, SenderThread, held
from handlers.router import Parser
from models import (
    InboundEvent,
    InboundStatus,
    OutboxMessage,
    OutboxStatus,
    make_engine,
    make_session_factory,
    unit_of_work,
    utcnow,
)

log = logging.getLogger(__name__)
REPLY_THREADS = 4  # replies in flight at once per process (each waits on LINE's API)
EVENT_THREADS = 2


def _log_failure(future: Future[None]) -> None:
    if future.exception() is not None:
        log.error("event processing crashed", exc_info=future.exception())


class Runtime:
    """Database, SDK clients, event worker and sender of one process."""

    def __init__(self, settings: Settings, parser: Parser | None, start_sender: bool = True) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.factory = make_session_factory(self.engine)
        self.api = LineApi(settings)
        self.sender = Sender(self.factory, self.api, on_menu=self._link_menu)
        self.sender_thread = SenderThread(self.sender)
        self.processor = Processor(self.factory, self.api, parser, settings.public_base_url,
                                   settings.media_dir, on_outbox=self._outbox_written,
                                   signing_key=settings.signing_key, sender=self.sender,
                                   liff_base=settings.liff_base)
        # The event worker: stored events (images, bodies received while busy). Two threads:
        # `Processor.process` keeps each user's events in order whichever thread takes them.
        self._pool = ThreadPoolExecutor(max_workers=EVENT_THREADS, thread_name_prefix="events")
        self.busy_at = settings.webhook_busy_at  # WEBHOOK_BUSY_AT (bot/config.py)
        self._handling = 0  # events being handled now, by request threads or the event worker
        self._replies = ThreadPoolExecutor(max_workers=REPLY_THREADS, thread_name_prefix="replies")
        self._futures: set[Future[None]] = set()  # handed over and not finished (or failed)
        self._lock = threading.Lock()  # the webhook (server threads) adds, a finished future removes itself
        self._left_to_loop = threading.Event()
        if start_sender:
            self.sender_thread.start()

    def receive(self, raw_events: list[dict[str, Any]]) -> list[OutboxMessage]:
        """Handle a webhook body's events (LINE's JSON, in order):
        each in its own transaction, in this thread; from the first image message on, the
        rest are stored for the event worker (so one body's events keep their order). When
        the process is busy (`busy_at` events already being handled in it, by request
        threads or by the event worker: an image's download there is not handling), the
        whole body is stored for the event worker at once (one statement on PostgreSQL) and
        the webhook answers without waiting for the handling. Under load the event worker
        is always handling, so every body is stored: handling in the request's thread then
        shared the two cores with the others' and made that request's ack wait for it. An
        event whose user has an earlier event waiting for the worker is stored for it too
        (`Deferred`): one user's events are handled in order whichever way they came. Returns the reply rows to pass to
        `deliver` once the webhook has answered."""
        with self._lock:
            busy = self._handling >= self.busy_at
            if not busy:
                self._handling += 1
        if busy:
            self.submit(store_events(self.factory, raw_events), raw_events)
            return []
        claimed: list[OutboxMessage] = []
        try:
            for i, raw in enumerate(raw_events):
                if handled_later(raw):
                    self.submit(store_events(self.factory, raw_events[i:]), raw_events[i:])
                    break
                got = self.processor.handle_now(raw)
                if isinstance(got, Deferred):
                    self.submit([got.event_id, *store_events(self.factory, raw_events[i + 1:])], raw_events[i:])
                    break
                claimed += got
        finally:
            with self._lock:
                self._handling -= 1
        return claimed

    def deliver_soon(self, rows: list[OutboxMessage]) -> None:
        """Send the replies `receive` claimed, in a reply thread (the webhook answers
        meanwhile). One user's rows are never in two threads at once: `Sender.claim_new`
        claims nothing while an older message to the user is unsent."""
        if rows:
            self._track(self._replies.submit(self.deliver, rows))

    def deliver(self, rows: list[OutboxMessage]) -> None:
        """Send claimed replies now; what could not be sent goes back to the sending loop,
        which also looks again if rows were left to it meanwhile (a reply that waited behind
        these, a push): it may have found them waiting and gone back to sleep."""
        try:
            sent = self.sender.deliver_claimed(rows)
        except Exception:  # a database hiccup: the claim expires and the loop sends them
            log.exception("direct reply failed")
            sent = False
        if not sent:
            self._outbox_written()  # and again when the next delivery ends (what it waited for)
        elif self._left_to_loop.is_set():
            self._left_to_loop.clear()
            self.sender_thread.wake()

    def _outbox_written(self) -> None:
        """Rows for the sending loop were committed: wake it, and remember it for `deliver`."""
        self._left_to_loop.set()
        self.sender_thread.wake()

    def outbox_written(self) -> None:
        """Called by web pages that committed outbox rows (pushes to officers): send them."""
        self._outbox_written()

    def submit(self, event_ids: list[str], raw_events: list[dict[str, Any]] = ()) -> None:  # type: ignore[assignment]
        """Handle these stored events on the event worker (after the webhook has answered).
        `raw_events`: the webhook's own copies of (some of) them (LINE's JSON), handled from
        memory when they come first in their user's queue (`Processor.process`)."""
        in_hand = {event_id(raw): raw for raw in raw_events}
        for eid in event_ids:
            self._track(self._pool.submit(self._process, eid, in_hand.get(eid)))

    def _track(self, future: Future[None]) -> None:
        """Kept for `wait_events` / `wait_idle` until it has finished (a failed one: until
        they have seen it): a process that never waits keeps none of them."""
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._finished)

    def _finished(self, future: Future[None]) -> None:
        _log_failure(future)
        if future.exception() is None:
            with self._lock:
                self._futures.discard(future)

    def _process(self, event_id: str, raw: dict[str, Any] | None = None) -> None:
        """A stored event on the event worker; its replies are sent at once, as the webhook's.
        Counted as handling (`receive`'s busy), unless it is an image (a download from LINE)."""
        counted = raw is None or not handled_later(raw)
        if counted:
            with self._lock:
                self._handling += 1
        try:
            self.deliver_soon(self.processor.process(event_id, raw))
        finally:
            if counted:
                with self._lock:
                    self._handling -= 1

    def resume_unfinished(self, older_than: float = 0) -> None:
        """Events stored but not handled (a restart, a crashed web process) are handled now."""
        cutoff = utcnow() - timedelta(seconds=older_than)
        with unit_of_work(self.factory) as session:
            ids = list(session.scalars(select(InboundEvent.event_id).where(
                InboundEvent.status == InboundStatus.RECEIVED, InboundEvent.received_at <= cutoff,
            ).order_by(InboundEvent.received_at)))
        self.submit(ids)

    def wait_events(self, timeout: float) -> None:
        """Wait for the work handed to the event worker and the reply threads so far."""
        with self._lock:
            futures, self._futures = self._futures, set()
        for future in futures:
            future.result(timeout=timeout)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until events are handled and the outbox has nothing left to send."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                self._futures = {f for f in self._futures if not f.done()}
                busy_events = bool(self._futures)
            if not busy_events and self.outbox_pending() == 0 and not self.sender_thread.busy.is_set():
                return True
            self.sender_thread.wake()
            time.sleep(0.02)
        return False

    def outbox_pending(self) -> int:
        """Messages being sent or still to send, retries included, but not scheduled pushes
        held for later on purpose (a notice queued at night waits for 08:00)."""
        now = utcnow()
        with unit_of_work(self.factory) as session:
            return session.scalar(select(func.count()).select_from(OutboxMessage).where(
                or_(OutboxMessage.status == OutboxStatus.SENDING,
                    and_(OutboxMessage.status == OutboxStatus.PENDING, ~held(OutboxMessage, now))))) or 0

    def _link_menu(self, row: OutboxMessage) -> None:
        from bot import richmenu

        richmenu.link_user(self.api, row.user_id or "", row.purpose.split(":", 1)[1])

    def close(self) -> None:
        self.sender_thread.stop()
        self._pool.shutdown(wait=True, cancel_futures=False)
        self._replies.shutdown(wait=True, cancel_futures=False)
        if self.sender_thread.is_alive():
            self.sender_thread.join(timeout=10)
        self.sender.close()
        self.api.close()
        self.engine.dispose()
