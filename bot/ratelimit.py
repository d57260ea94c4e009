"""Per-endpoint token buckets, so a sender stays below LINE's rate limits (push and reply
2,000 requests/s, multicast 200 requests/s; see /work/shared/line/README.md).

The limits are per channel: with a shared store (bot/pacing.py: Redis or PostgreSQL) every
process takes its slots from the channel's one schedule, and SENDER_PUSH_RATE is the rate of
the whole channel. Without one (SQLite, one process) the per-process buckets pace alone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

# Defaults: a margin below the platform's limits.
DEFAULT_RATES: dict[str, float] = {"push": 1500.0, "reply": 1500.0, "multicast": 150.0}


class TokenBucket:
    """`rate` tokens per second, holding at most `burst`; `acquire()` blocks until a token
    is free and returns the seconds it waited. Thread-safe."""

    def __init__(self, rate: float, burst: float | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        # A burst of a tenth of a second's worth keeps any 1-second window under the rate.
        self.burst = float(burst if burst is not None else max(1.0, rate / 10))
        self._clock, self._sleep = clock, sleep
        self._tokens = self.burst
        self._last = clock()
        self._lock = threading.Lock()

    def _reserve(self) -> float:
        """Take a token (possibly going into debt); the wait until it is really ours."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def acquire(self) -> float:
        wait = self._reserve()
        if wait > 0:
            self._sleep(wait)
        return wait


class RateLimiter:
    """One pacer per endpoint ("push", "reply", "multicast"): the channel's shared one
    (`shared`, bot.pacing) when given, else a process-local bucket; unknown endpoints are free."""

    def __init__(self, rates: Mapping[str, float] | None = None, shared: Mapping | None = None,  # type: ignore[type-arg]
                 **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.buckets = dict(shared or {}) or {name: TokenBucket(rate, **kwargs)
                                              for name, rate in (rates or DEFAULT_RATES).items()}
        self.shared = bool(shared)

    def acquire(self, endpoint: str) -> float:
        bucket = self.buckets.get(endpoint)
        return bucket.acquire() if bucket else 0.0
