"""The shared pacing stores (bot/pacing.py): slots 1/rate apart whoever takes them, in Redis
(when one answers; CI runs it) and in PostgreSQL (with TEST_DATABASE_URL)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from bot.pacing import MARGIN, PostgresStore, RedisStore, SharedPacer, make_store
from tests.bot.test_delivery_crash import redis_url


@pytest.fixture(params=["redis", "postgres"])
def store(request, engine):
    if request.param == "redis":
        url = redis_url()
        if url is None:
            pytest.skip("no Redis")
        return RedisStore(url, prefix=f"otop-test:{uuid.uuid4().hex}:")
    if engine.dialect.name != "postgresql":
        pytest.skip("needs TEST_DATABASE_URL")
    return PostgresStore(engine)


def test_reservations_follow_each_other(store):
    name = f"t-{uuid.uuid4().hex[:8]}"
    first = store.reserve(name, 0.01, 10)
    second = store.reserve(name, 0.01, 10)
    assert abs(first) < 0.05 and 0.05 < second - first < 0.15


def test_two_pacers_share_one_rate(store):
    """Two pacers (as two processes would) at 100/s together: 200 slots take ~2 s, and no
    second holds more than 101 of them."""
    name = f"t-{uuid.uuid4().hex[:8]}"
    stamps: list[float] = []
    lock = threading.Lock()

    def run(pacer: SharedPacer) -> None:
        for _ in range(100):
            pacer.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=run, args=(SharedPacer(store, name, 100),)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    stamps.sort()
    assert stamps[-1] - stamps[0] >= 1.8
    most = max(sum(1 for s in stamps if a <= s < a + 1) for a in stamps)
    assert most <= 101 + 5  # (+ the threads' wake-up jitter)


def test_without_a_store_the_local_chat_paces_per_process(engine):
    assert make_store("auto", None, engine) is None or engine.dialect.name == "postgresql"
    assert make_store("auto", "redis://127.0.0.1:1/0", None) is None  # Redis down: falls back, no error


class _MemoryStore:
    """The stores' GCRA in memory, on the test's clock."""

    def __init__(self, clock) -> None:  # type: ignore[no-untyped-def]
        self.clock, self.tat = clock, 0.0

    def reserve(self, name: str, interval: float, n: int) -> float:
        start = max(self.tat, self.clock())
        self.tat = start + n * interval
        return start - self.clock()


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.oversleep = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds + self.oversleep


def test_slots_leave_a_margin_below_the_rate():
    """At 100/s with the default 8 % margin the slots are 1/92 s apart: a second holds at most 93."""
    assert MARGIN == 0.08
    clock = _Clock()
    pacer = SharedPacer(_MemoryStore(clock), "t", 100, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(300):
        pacer.acquire()
        stamps.append(clock())
    most = max(sum(1 for s in stamps if a <= s < a + 1) for a in stamps)
    assert most <= 93


def test_a_slot_overslept_is_thrown_away_not_sent_late():
    """A thread that wakes 30 ms after its slot (a busy machine) does not send then: it takes a
    new slot, so late requests never bunch up behind each other."""
    clock = _Clock()
    pacer = SharedPacer(_MemoryStore(clock), "t", 100, margin=0.05, clock=clock, sleep=clock.sleep)
    pacer.acquire()  # the first block, taken now
    clock.oversleep = 0.03
    slots = []
    original = pacer._take

    def take() -> float:
        slot = original()
        slots.append(slot)
        return slot

    pacer._take = take  # type: ignore[method-assign]
    pacer.acquire()
    clock.oversleep = 0.0
    assert len(slots) >= 2  # the overslept slot was refused
    assert clock() - slots[-1] <= 0.02  # the request leaves within 20 ms of the slot it uses
