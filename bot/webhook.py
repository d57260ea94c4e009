"""POST /callback: verify the signature over the raw body, read the JSON, hand the events to
the runtime (handled in this thread, one transaction each: see `bot.dispatch`), answer 200.
The replies are sent by the runtime's reply threads, so LINE's API being slow never delays
the answer.

A plain WSGI layer in front of Flask (`install`): LINE's requests need nothing of Flask's
(no cookie, no CSRF form, no page), and its request context, routing, hooks and response
objects cost more than the signature check. The events are read as LINE's JSON
(`bot.events.incoming_from_raw`); line-bot-sdk's typed models are built only for image
messages (the event worker fetches their content with them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from bot.inbox import signature_ok

# A webhook body larger than this is refused (413) before anything is parsed or stored. LINE
# sends a few events per request, and a text message is at most 5,000 characters (~15 KB).
MAX_BODY = 1024 * 1024
PATH = "/callback"


def _answer(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def callback(runtime: Any, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """LINE's webhook endpoint."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        return _answer(start_response, "400 BAD REQUEST", "malformed body")
    if length > MAX_BODY:
        return _answer(start_response, "413 REQUEST ENTITY TOO LARGE", "body too large")
    raw = environ["wsgi.input"].read(length if length >= 0 else MAX_BODY + 1)  # no length: chunked
    if len(raw) > MAX_BODY:
        return _answer(start_response, "413 REQUEST ENTITY TOO LARGE", "body too large")
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _answer(start_response, "400 BAD REQUEST", "invalid signature")
    if not signature_ok(body, environ.get("HTTP_X_LINE_SIGNATURE", ""), runtime.settings.line_channel_secret or ""):
        return _answer(start_response, "400 BAD REQUEST", "invalid signature")
    try:
        events = json.loads(body).get("events", [])
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            raise ValueError("events")
    except (ValueError, AttributeError):
        return _answer(start_response, "400 BAD REQUEST", "malformed body")
    runtime.deliver_soon(runtime.receive(events))
    return _answer(start_response, "200 OK", "OK")


def install(app: Any, runtime: Any) -> None:
    """Answer POST /callback before Flask sees the request; everything else goes to Flask."""
    flask_app = app.wsgi_app

    def wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "POST":
            return callback(runtime, environ, start_response)
        return flask_app(environ, start_response)

    app.wsgi_app = wsgi_app
