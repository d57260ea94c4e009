"""Recording what became of sent outbox rows, in as few transactions as possible.

Every reply thread and the sending loop hand their outcomes to one `Outcomes` per sender.
Group commit: the first caller to find no write under way writes everything handed in so
far (its own and what other threads queued meanwhile), one UPDATE per distinct outcome
(`id IN (...)`, guarded by `claimed_by`: a row taken back from us as stale is left alone),
on PostgreSQL each in autocommit (one round trip; the common one, replies sent, sent by
psycopg without SQLAlchemy's execution: `models.pg_direct`), on SQLite in one transaction. A caller returns once its outcomes are committed, by itself or by the
writer that took them, so a user's next message sees the reply as sent exactly as before.
Under load (four reply threads per process) several replies share one write.

A write that fails raises in its writer; the other callers' rows in that batch stay SENDING
and are taken back as stale by the sending loop, like rows of a sender that died mid-send
(docs/DELIVERY.md resolves them without a second copy).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import Decision
from models import OutboxMessage, OutboxStatus
from models.pg_direct import autocommit

log = logging.getLogger(__name__)


def outcome_values(decision: Decision, now: datetime) -> dict[str, Any]:
    """The columns an outcome sets on its row."""
    values: dict[str, Any] = {"attempts": OutboxMessage.attempts + 1, "claimed_by": None, "last_error": decision.reason,
                              "in_doubt": decision.in_doubt}
    if decision.action in ("sent", "presumed"):
        values |= {"status": OutboxStatus.SENT, "sent_at": now}
    elif decision.action == "as_push":
        values |= {"status": OutboxStatus.PENDING, "kind": "push", "reply_token": None, "not_before": now}
    elif decision.action == "retry":
        values |= {"status": OutboxStatus.PENDING, "not_before": decision.retry_at}
    elif decision.action == "held":
        values |= {"status": OutboxStatus.HELD}
    else:
        values |= {"status": OutboxStatus.FAILED}
        log.warning("outbox row failed: %s", decision.reason)
    return values


_TABLE = OutboxMessage.__table__
# The common outcome, built once (statement construction costs more than the statement).
_SENT = (update(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)), _TABLE.c.claimed_by == bindparam("me"))
         .values(attempts=_TABLE.c.attempts + 1, claimed_by=None, last_error=bindparam("error"),
                 in_doubt=bindparam("doubt"), status=OutboxStatus.SENT, sent_at=bindparam("now")))
# `_SENT` as PostgreSQL's text, its values as literals (`models.pg_direct`).
_SENT_SQL = (f"UPDATE outbox SET status = '{OutboxStatus.SENT.value}', attempts = attempts + 1, claimed_by = NULL, "
             "sent_at = {now}, last_error = {error}, in_doubt = {doubt} WHERE id IN ({ids}) AND claimed_by = {me}")


class Outcomes:
    """Group-committed outcome writes of one sender (`claimed_by` = its name)."""

    def __init__(self, factory: sessionmaker[Session], claimed_by: str, clock: Callable[[], datetime]) -> None:
        self.factory = factory
        self.engine = factory.kw["bind"]
        # On PostgreSQL each outcome UPDATE (and `Sender._wait_turn`'s one read) runs alone in
        # autocommit: one round trip instead of three (BEGIN, the statement, COMMIT). Every
        # UPDATE is whole on its own; the rows of one batch need not commit together.
        self.single = (self.engine.execution_options(isolation_level="AUTOCOMMIT")
                       if self.engine.dialect.name == "postgresql" else self.engine)
        self.claimed_by = claimed_by
        self.clock = clock
        self._queue: list[tuple[int, Decision]] = []
        self._queue_lock = threading.Lock()
        self._writer = threading.Lock()
        self._recorded = threading.Condition()  # notified after each committed write

    def record(self, results: list[tuple[OutboxMessage, Decision]]) -> None:
        """Record the outcomes; returns once they are committed."""
        with self._queue_lock:
            self._queue += [(row.id, decision) for row, decision in results]
        with self._writer:
            with self._queue_lock:
                batch, self._queue = self._queue, []
            if batch:
                self._write(batch)
                with self._recorded:
                    self._recorded.notify_all()

    def wait_recorded(self, timeout: float) -> None:
        """Wait until this sender's next outcome write has committed, or `timeout` seconds."""
        with self._recorded:
            self._recorded.wait(timeout)

    def _write(self, batch: list[tuple[int, Decision]]) -> None:
        groups: dict[Decision, list[int]] = {}
        for row_id, decision in batch:
            groups.setdefault(decision, []).append(row_id)
        now = self.clock()
        if self.engine.dialect.name == "postgresql" and all(d.action == "sent" for d in groups):
            # The common write (replies sent): sent by psycopg, no SQLAlchemy execution around it.
            with autocommit(self.engine) as direct:  # models/pg_direct.py
                quote = direct.quote
                for decision, ids in groups.items():
                    direct.execute(_SENT_SQL.format(
                        error=quote(decision.reason), doubt=quote(decision.in_doubt), now=quote(now),
                        ids=", ".join(quote(i) for i in ids), me=quote(self.claimed_by)))
            return
        with self.single.begin() as connection:  # Core, no Session: no ORM objects of these rows to keep in step
            for decision, ids in groups.items():
                if decision.action == "sent":
                    connection.execute(_SENT, {"ids": ids, "me": self.claimed_by, "now": now,
                                               "error": decision.reason, "doubt": decision.in_doubt})
                else:
                    connection.execute(update(_TABLE).where(_TABLE.c.id.in_(ids), _TABLE.c.claimed_by == self.claimed_by)
                                       .values(**outcome_values(decision, now)))
