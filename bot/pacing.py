"""The channel's rate limit shared by every sender process: slots handed out from one store
(Redis when REDIS_URL is set, else PostgreSQL when that is the database), so that web
processes and workers together stay below LINE's per-channel limits.

The store keeps, per channel and endpoint, the time of the next free slot (GCRA, the
"generic cell rate algorithm"): slots are 1/rate apart, whoever takes them, so no second
ever holds more than rate + 1 of them. A process reserves a small block of consecutive
slots at a time (50 ms worth: at 1,500/s one store round trip per 75 requests) and hands
them to its threads; a slot whose time is long past is thrown away, never used late in a
burst. The store's own clock is used (Redis TIME, PostgreSQL clock_timestamp()), so the
hosts' clocks need not agree.

Without a shared store (SQLite: the local chat, a single process) `bot.ratelimit`'s
in-process token buckets pace alone. SENDER_RATE_STORE = auto | redis | postgres | local.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping

from sqlalchemy import text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
BLOCK_SECONDS = 0.05  # a process reserves this much of the channel's time at once
LATE = 0.02  # a slot more than this late is skipped (its time has gone to nobody)

# KEYS[1]: the slot key; ARGV: interval (s), slots wanted. Returns the seconds from the
# store's now to the first reserved slot, as a string (Lua numbers become integers in replies).
REDIS_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local start = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local tat = start + n * interval
redis.call('SET', KEYS[1], string.format('%.6f', tat), 'PX', math.ceil((tat - now) * 1000) + 60000)
return string.format('%.6f', start - now)
"""

POSTGRES_RESERVE = text("""
INSERT INTO rate_slots (name, tat) VALUES (:name, extract(epoch from clock_timestamp()) + :span)
ON CONFLICT (name) DO UPDATE
   SET tat = greatest(rate_slots.tat, extract(epoch from clock_timestamp())) + :span
RETURNING tat - :span - extract(epoch from clock_timestamp())
""")


class RedisStore:
    """Slots in Redis, one key per channel and endpoint, reserved by an atomic Lua script."""

    def __init__(self, url: str, prefix: str = "otop:rate:") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self._script = self.client.register_script(REDIS_SCRIPT)

    def reserve(self, name: str, interval: float, n: int) -> float:
        return float(self._script(keys=[self.prefix + name], args=[repr(interval), n]))


class PostgresStore:
    """Slots in the rate_slots table: one upsert per block, in its own short transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def reserve(self, name: str, interval: float, n: int) -> float:
        with self.engine.begin() as conn:
            return float(conn.execute(POSTGRES_RESERVE, {"name": name, "span": n * interval}).scalar_one())


class SharedPacer:
    """Paces one endpoint of one channel at `rate` requests/s across processes: `acquire()`
    blocks until this process's next slot and returns the seconds waited. Thread-safe."""

    def __init__(self, store, name: str, rate: float,  # type: ignore[no-untyped-def]
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.store, self.name, self.rate = store, name, float(rate)
        self.interval = 1.0 / self.rate
        self.block = max(1, int(self.rate * BLOCK_SECONDS))
        self._clock, self._sleep = clock, sleep
        self._next = 0.0  # local monotonic time of the next slot of the current block
        self._left = 0
        self._lock = threading.Lock()

    def _take(self) -> float:
        with self._lock:
            now = self._clock()
            if self._left and self._next < now - LATE:  # skip the slots whose time has passed
                skipped = min(self._left, int((now - LATE - self._next) / self.interval) + 1)
                self._left -= skipped
                self._next += skipped * self.interval
            if not self._left:
                wait = self.store.reserve(self.name, self.interval, self.block)
                self._next, self._left = self._clock() + wait, self.block
            slot = self._next
            self._next += self.interval
            self._left -= 1
            return slot

    def acquire(self) -> float:
        wait = self._take() - self._clock()
        if wait > 0:
            self._sleep(wait)
        return max(wait, 0.0)


def channel_key(access_token: str | None) -> str:
    """A short, non-secret name for the channel (its token's hash): limits are per channel."""
    return hashlib.sha256((access_token or "local").encode()).hexdigest()[:12]


def make_store(kind: str, redis_url: str | None, engine: Engine | None):  # type: ignore[no-untyped-def]
    """The shared store SENDER_RATE_STORE asks for ("auto": Redis when REDIS_URL is set and
    answers, else PostgreSQL when it is the database); None = per-process buckets only."""
    if kind == "local":
        return None
    if kind in ("auto", "redis") and redis_url:
        try:
            store = RedisStore(redis_url)
            store.client.ping()
            return store
        except Exception as exc:  # the local chat and SQLite setups run without Redis
            if kind == "redis":
                raise
            log.warning("pacing: Redis at %s unavailable (%s); falling back", redis_url, exc)
    if kind in ("auto", "postgres") and engine is not None and engine.dialect.name == "postgresql":
        return PostgresStore(engine)
    if kind == "postgres":
        raise ValueError("SENDER_RATE_STORE=postgres needs a PostgreSQL DATABASE_URL")
    return None


def shared_pacers(store, channel: str, rates: Mapping[str, float]) -> dict[str, SharedPacer]:  # type: ignore[no-untyped-def]
    return {endpoint: SharedPacer(store, f"{channel}:{endpoint}", rate) for endpoint, rate in rates.items()}
