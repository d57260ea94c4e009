"""A fast start (issue 18): gunicorn's `bot.app:serve()` answers within a second or two of
starting, while the bot itself (line-bot-sdk's models, the handlers, the NLU model, PyThaiNLP's
word list, the national answers) loads in a background thread of the worker.

Until it is loaded a light app answers: `/healthz` (200, `"warming": true`), the webhook
(the signature checked with the channel secret, exactly as the SDK checks it; the events
stored for the event worker, answered 200 at once: nothing is lost and nothing waits), and a
polite Thai 503 with Retry-After for any other page. Once loaded, the bot's app takes every
request and handles what was stored meanwhile, in order per user (`bot.dispatch`).
`warm_up` makes the first answers after start cached ones: the national table and counts,
the word list that labels are cut with.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request

from bot.config import Settings
from bot.inbox import signature_ok, store_events
from models import make_engine, make_session_factory

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # as bot.webhook
T = {"starting": "ระบบกำลังเริ่มทำงานค่ะ กรุณาลองใหม่อีกครั้งในไม่กี่วินาที"}


def light_app(settings: Settings, on_request: Callable[[int], None]) -> Flask:
    """What answers while the bot loads; `on_request(+1 / -1)` counts webhook requests."""
    app = Flask("otop-starting")
    factory = make_session_factory(make_engine(settings.database_url))
    secret = settings.line_channel_secret or ""

    @app.post("/callback")
    def callback() -> Response:
        if (request.content_length or 0) > MAX_BODY:
            return Response("body too large", 413)
        body = request.get_data(as_text=True)
        if len(body) > MAX_BODY:
            return Response("body too large", 413)
        if not signature_ok(body, request.headers.get("X-Line-Signature", ""), secret):
            return Response("invalid signature", 400)
        try:
            events = json.loads(body).get("events", [])
            assert isinstance(events, list) and all(isinstance(e, dict) for e in events)
        except (ValueError, AttributeError, AssertionError):
            return Response("malformed body", 400)
        on_request(1)
        try:
            store_events(factory, events)  # handled once the bot has loaded
        finally:
            on_request(-1)
        return Response("OK", 200, mimetype="text/plain")

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "warming": True}

    @app.errorhandler(404)
    @app.errorhandler(405)
    def starting(_error: Any) -> Response:
        return Response(T["starting"], 503, {"Retry-After": "5"}, mimetype="text/plain")

    return app


class Starting:
    """The WSGI app: the light app until `build()` has returned the bot's app."""

    def __init__(self, settings: Settings, build: Callable[[], Any]) -> None:
        self._inflight = 0
        self._count_lock = threading.Lock()
        self.light = light_app(settings, self._count)
        self.full: Any = None
        self.loaded = threading.Event()
        self.thread = threading.Thread(target=self._load, args=(build,), name="warm-up", daemon=True)
        self.thread.start()

    def _count(self, delta: int) -> None:
        with self._count_lock:
            self._inflight += delta

    def _load(self, build: Callable[[], Any]) -> None:
        began = time.monotonic()
        try:
            full = build()
        except Exception:  # a worker that cannot load must not look healthy
            log.exception("the bot could not load; stopping this worker")
            os._exit(3)
        self.full = full
        while self._inflight:  # events the light app is storing now are handled too
            time.sleep(0.01)
        full.extensions["otop"].resume_unfinished()
        self.loaded.set()
        log.info("bot loaded in %.1f s", time.monotonic() - began)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        return (self.full or self.light)(environ, start_response)


def warm_up(factory: Any) -> None:
    """What the first messages after start would otherwise pay for: the national answers
    (cached from here on: `registry.cache`) and PyThaiNLP's word list (labels cut at a word,
    `bot.render.label`)."""
    from pythainlp.tokenize import word_dict_trie

    from handlers.officer.reports import table_report
    from models import read_only
    from registry.completeness import area_counts

    word_dict_trie()
    with read_only(factory) as session:
        table_report(session, None)
        area_counts(session, None)
