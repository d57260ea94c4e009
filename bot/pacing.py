"""The channel's rate limit shared by every sender process: slots handed out from one store
(Redis when REDIS_URL is set, else PostgreSQL when that is the database), so that web
processes and workers together never exceed the channel's configured rate (SENDER_PUSH_RATE,
below LINE's per-channel limits) in any one second.

The store keeps, per channel and endpoint, the time of the next free slot (GCRA, the
"generic cell rate algorithm"): slots are evenly spaced whoever takes them. Why no second
can hold more than the configured rate `R` where LINE counts (the request's arrival):

- the slots are spaced for `R × (1 − margin)` (SENDER_RATE_MARGIN, 8 %), so any one-second
  window of slot times holds at most `R × (1 − margin) + 1`;
- a request leaves within `LATE` (20 ms) of its slot: a thread that wakes later than that
  (a busy machine) throws the slot away and takes a new one, never sends late in a burst;
  a slot's local time is read after the store answered, so it is never early;
- together a window of departures holds at most `R × (1 − margin) × (1 + LATE) + 1`
  (93.8 % of R); what is left (about 60 ms of a second) absorbs the requests' jitter on the
  way to LINE (with 5 % the fake counted up to 100.4 % of R on a machine at load 13-17).

A process reserves a block of consecutive slots at a time (50 ms worth; at 1,500/s one store
round trip per 69 requests). The store's own clock is used (Redis TIME, PostgreSQL
clock_timestamp()), so the hosts' clocks need not agree.

Without a shared store (SQLite: the local chat, a single process) `bot.ratelimit`'s
in-process token buckets pace alone. SENDER_RATE_STORE = auto | redis | postgres | local.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Mapping

from sqlalchemy.engine import Engine

from models.pg_direct import autocommit

log = logging.getLogger(__name__)
BLOCK_SECONDS = 0.05  # a process reserves this much of the channel's time at once
LATE = 0.02  # a slot more than this late is thrown away (its time has gone to nobody)
MARGIN = 0.08  # slots are spaced for the rate less this share: room for the requests' jitter

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

_RESERVE_SQL = """
INSERT INTO rate_slots (name, tat) VALUES ({name}, extract(epoch from clock_timestamp()) + {span})
ON CONFLICT (name) DO UPDATE
   SET tat = greatest(rate_slots.tat, extract(epoch from clock_timestamp())) + {span}
RETURNING tat - {span} - extract(epoch from clock_timestamp())
""".strip()


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
    """Slots in the rate_slots table: one upsert per block, a statement in autocommit (its own
    transaction, one round trip), sent by psycopg alone (`models.pg_direct`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def reserve(self, name: str, interval: float, n: int) -> float:
        with autocommit(self.engine) as direct:
            sql = _RESERVE_SQL.format(name=direct.quote(name), span=direct.quote(float(n * interval)))
            return float(direct.execute(sql).fetchone()[0])


class SharedPacer:
    """Paces one endpoint of one channel below `rate` requests/s across processes: `acquire()`
    blocks until this process's next slot and returns the seconds waited. Thread-safe."""

    def __init__(self, store, name: str, rate: float, margin: float = MARGIN,  # type: ignore[no-untyped-def]
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if not 0 <= margin < 1:
            raise ValueError("margin must be in [0, 1)")
        self.store, self.name, self.rate = store, name, float(rate)
        self.interval = 1.0 / (self.rate * (1 - margin))
        self.block = max(1, int(self.rate * (1 - margin) * BLOCK_SECONDS))
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
                self._next, self._left = self._clock() + wait, self.block  # read after the answer: never early
            slot = self._next
            self._next += self.interval
            self._left -= 1
            return slot

    def acquire(self) -> float:
        """Wait for a slot and return the seconds waited; a slot overslept by more than LATE
        (the thread woke late) is thrown away and another taken."""
        waited = 0.0
        while True:
            slot = self._take()
            wait = slot - self._clock()
            if wait > 0:
                self._sleep(wait)
                waited += wait
            if self._clock() - slot <= LATE:
                return waited


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


def shared_pacers(store, channel: str, rates: Mapping[str, float],  # type: ignore[no-untyped-def]
                  margin: float = MARGIN) -> dict[str, SharedPacer]:
    return {endpoint: SharedPacer(store, f"{channel}:{endpoint}", rate, margin) for endpoint, rate in rates.items()}
