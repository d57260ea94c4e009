"""Outcomes of sent rows are group-committed: what several threads hand in while a write is
under way goes into the next transaction together, one UPDATE per distinct outcome, and each
caller returns once its rows are recorded."""

from __future__ import annotations

import threading
import time

from sqlalchemy import event, select

from bot.delivery import Decision
from bot.dispatch import enqueue
from bot.outcomes import Outcomes
from handlers.replies import Text
from models import OutboxMessage, OutboxStatus, unit_of_work, utcnow


def _claimed(db, n: int, name: str) -> list[OutboxMessage]:
    with unit_of_work(db) as s:
        rows = [enqueue(s, f"U{i:032x}", [Text("ทดสอบ")], None)[0] for i in range(n)]
        for row in rows:
            row.status, row.claimed_by, row.claimed_at = OutboxStatus.SENDING, name, utcnow()
    return rows


def test_outcomes_of_waiting_threads_share_one_transaction(db, engine):
    rows = _claimed(db, 4, "me")
    outcomes = Outcomes(db, "me", utcnow)
    statements: list[str] = []
    listener = lambda conn, cursor, stmt, *a: statements.append(stmt.split(None, 1)[0].upper())  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with outcomes._writer:  # a write under way: the callers queue behind it
            threads = [threading.Thread(target=outcomes.record, args=([(row, decision)],))
                       for row, decision in zip(rows, [Decision("sent", None)] * 3 + [Decision("retry", "500", utcnow())])]
            for t in threads:
                t.start()
            while len(outcomes._queue) < 4:
                time.sleep(0.01)
        for t in threads:
            t.join(10)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert [s for s in statements if s not in ("BEGIN", "COMMIT")] == ["UPDATE", "UPDATE"]  # sent, retry
    assert statements.count("BEGIN") <= 1
    with db() as s:
        got = {r.id: r for r in s.scalars(select(OutboxMessage))}
    assert [got[r.id].status for r in rows] == [OutboxStatus.SENT] * 3 + [OutboxStatus.PENDING]
    assert all(got[r.id].attempts == 1 and got[r.id].claimed_by is None for r in rows)


def test_rows_taken_back_from_the_sender_are_left_alone(db):
    [row] = _claimed(db, 1, "someone-else")
    Outcomes(db, "me", utcnow).record([(row, Decision("sent", None))])
    with db() as s:
        assert s.get(OutboxMessage, row.id).status is OutboxStatus.SENDING
