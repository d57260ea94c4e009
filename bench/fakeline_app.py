"""The fake LINE API (bot/fakeline.py) as a WSGI application of its own, for the benchmarks to
serve with gunicorn (one worker process, gthread: its counters stay in that one process) on
the same cores as the senders, instead of werkzeug's development server in the benchmark's
process (which cost ~2 ms of CPU a request, more than the sender's push).

    gunicorn --worker-class gthread --workers 1 --threads 8 --bind 127.0.0.1:PORT \\
        'bench.fakeline_app:create(access_token="bench-token", validate=True)'

Besides LINE's paths it answers, for the benchmark only:
- GET  /__fake__/stats: what the benchmark checks (arrival times of the message requests,
  their statuses, deliveries per user, retry keys, schema failures) and the server
  process's CPU seconds;
- POST /__fake__/reset: forget the requests (after the baseline).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from typing import Any

from bot import lineschema
from bot.fakeline import FakeLine


def create(access_token: str | None = None, validate: bool = True):  # type: ignore[no-untyped-def]
    """The WSGI application: a FakeLine and the two benchmark paths."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if validate:  # read the spec now, not inside the first request
        lineschema.request_errors("/v2/bot/message/push", {"to": "U" + "f" * 32, "messages": [{"type": "text", "text": "x"}]})
    fake = FakeLine(access_token=access_token, validate=validate)

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        path = environ.get("PATH_INFO", "")
        if path == "/__fake__/stats":
            return _reply(start_response, stats(fake))
        if path == "/__fake__/reset":
            fake.reset()
            return _reply(start_response, {"reset": True})
        return fake._wsgi(environ, start_response)

    app.fake = fake  # type: ignore[attr-defined]
    return app


def stats(fake: FakeLine) -> dict[str, Any]:
    with fake._lock:
        calls = [(r.path, r.at, r.status) for r in fake.requests if r.path.startswith("/v2/bot/message/")]
        per_user = Counter(u for d in fake.deliveries for u in d.to)
        accepted = Counter(d.retry_key for d in fake.deliveries)
        schema_failures = len(fake.schema_failures)
    cpu = time.process_time()
    return {"calls": calls, "users_twice": sum(1 for n in per_user.values() if n > 1), "users": len(per_user),
            "keys_twice": sum(1 for n in accepted.values() if n > 1), "schema_failures": schema_failures,
            "cpu_seconds": cpu}


def _reply(start_response, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    body = json.dumps(data).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
