"""Two officers acting on the same step at once: one transition, one clear error.

Real threads, each with its own session and transaction, on the test database (SQLite or
PostgreSQL).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone

from sqlalchemy import select

from factories import (CR, CR_MUEANG, audit_of, count_rows, district_officer, producer,
                       producer_actor, province_officer)
from models import Producer, Request, RequestStep, StatusChange, unit_of_work
from registry import workflows as wf

NOW = datetime(2024, 3, 1, 3, 0, tzinfo=timezone.utc)
MEETING = date(2024, 2, 28)


def _filed(db) -> tuple[int, int]:
    with unit_of_work(db) as s:
        p = producer(s)
        rid = wf.submit_closure(s, producer_actor(p), p.id, "เลิกผลิต", date(2024, 3, 31)).request.id
        return p.id, rid


def _outcome(fn):
    """Run fn; return "ok" or the WorkflowError class it raised."""
    try:
        fn()
        return "ok"
    except wf.WorkflowError as exc:
        return type(exc)


def test_second_officer_waits_then_gets_stale_step(db):
    """A acts and holds its transaction open; B blocks on the row, then sees the new step."""
    _, rid = _filed(db)
    acted = threading.Event()
    a, b = district_officer(n=1), province_officer(n=1)

    def first():
        with unit_of_work(db) as s:
            wf.act(s, a, rid, "approve", expected_step="district_subcommittee",
                   meeting_date=MEETING, now=NOW)
            acted.set()
            time.sleep(0.5)  # still uncommitted

    def second():
        assert acted.wait(10)
        start = time.monotonic()
        with unit_of_work(db) as s:
            try:
                wf.act(s, b, rid, "approve", expected_step="district_subcommittee",
                       meeting_date=MEETING, now=NOW)
            finally:
                second.waited = time.monotonic() - start  # type: ignore[attr-defined]

    with ThreadPoolExecutor(2) as pool:
        fa, fb = pool.submit(_outcome, first), pool.submit(_outcome, second)
        assert (fa.result(), fb.result()) == ("ok", wf.StaleStep)
    assert second.waited >= 0.3  # type: ignore[attr-defined]  # it was blocked by A's lock
    with unit_of_work(db) as s:
        rows = s.scalars(select(RequestStep).where(RequestStep.request_id == rid,
                                                   RequestStep.from_step == "district_subcommittee")).all()
        assert [(r.action, r.actor) for r in rows] == [("approve", a.actor_id)]
        assert s.get(Request, rid).version == 2 and s.get(Request, rid).step == "district_cancel"


def test_simultaneous_taps_make_one_transition(db):
    """Both threads start together (barrier) on each of several requests; always one winner."""
    officers = [district_officer(n=1), district_officer(n=2)]
    for _ in range(4):
        pid, rid = _filed(db)
        with unit_of_work(db) as s:
            wf.act(s, province_officer(), rid, "approve", meeting_date=MEETING, now=NOW)
        barrier = threading.Barrier(2)

        def cancel(officer):
            barrier.wait(10)
            with unit_of_work(db) as s:
                wf.act(s, officer, rid, "cancel_in_system", expected_step="district_cancel", now=NOW)

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda o: _outcome(lambda: cancel(o)), officers))
        assert sorted(map(str, results)) == sorted(["ok", str(wf.AlreadyDone)])
        with unit_of_work(db) as s:
            winner = officers[results.index("ok")].actor_id
            cancels = s.scalars(select(RequestStep).where(RequestStep.request_id == rid,
                                                          RequestStep.action == "cancel_in_system")).all()
            assert [c.actor for c in cancels] == [winner]
            assert len(s.scalars(select(StatusChange).where(StatusChange.producer_id == pid)).all()) == 1
            assert audit_of(s, "producer", pid) == [("status", "active", "closed", winner)]


def test_reject_racing_approve(db):
    """A reject and an approve of the same step: exactly one of them lands."""
    _, rid = _filed(db)
    barrier = threading.Barrier(2)

    def approve():
        barrier.wait(10)
        with unit_of_work(db) as s:
            wf.act(s, district_officer(n=1), rid, "approve", expected_step="district_subcommittee",
                   meeting_date=MEETING, now=NOW)

    def refuse():
        barrier.wait(10)
        with unit_of_work(db) as s:
            wf.reject(s, district_officer(n=2), rid, "ไม่ผ่าน", expected_step="district_subcommittee")

    with ThreadPoolExecutor(2) as pool:
        results = [f.result() for f in (pool.submit(_outcome, approve), pool.submit(_outcome, refuse))]
    assert results.count("ok") == 1
    assert [r for r in results if r != "ok"][0] in (wf.StaleStep, wf.AlreadyDone)
    with unit_of_work(db) as s:
        assert len(s.scalars(select(RequestStep).where(
            RequestStep.request_id == rid, RequestStep.from_step == "district_subcommittee")).all()) == 1


def test_two_new_district_officers_register_once(db):
    """Relocation: two officers of the new district register at once → one new producer."""
    with unit_of_work(db) as s:
        p = producer(s)
        rid = wf.submit_relocation(s, producer_actor(p), p.id, CR, CR_MUEANG).request.id
    with unit_of_work(db) as s:
        wf.act(s, district_officer(), rid, "cancel_in_system", now=NOW)
    barrier = threading.Barrier(2)

    def register(officer):
        barrier.wait(10)
        return _outcome(lambda: _register(officer))

    def _register(officer):
        with unit_of_work(db) as s:
            wf.act(s, officer, rid, "register", expected_step="new_district_register", now=NOW)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(register, [district_officer(CR_MUEANG, 1), province_officer(CR, 1)]))
    assert sorted(map(str, results)) == sorted(["ok", str(wf.AlreadyDone)])
    with unit_of_work(db) as s:
        assert count_rows(s, Producer) == 2
        assert len([r for r in s.scalars(select(RequestStep).where(RequestStep.request_id == rid))
                    if r.action == "register"]) == 1
