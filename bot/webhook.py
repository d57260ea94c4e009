"""POST /callback: verify the signature over the raw body and parse it with line-bot-sdk v3,
hand the events to the runtime (handled in this thread, one transaction each: see
`bot.dispatch`), answer 200. The replies are sent by the runtime's reply threads, so LINE's
API being slow never delays the answer."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, request
from linebot.v3.exceptions import InvalidSignatureError

bp = Blueprint("webhook", __name__)

# A webhook body larger than this is refused (413) before anything is parsed or stored. LINE
# sends a few events per request, and a text message is at most 5,000 characters (~15 KB).
MAX_BODY = 1024 * 1024


@bp.post("/callback")
def callback() -> Response:
    """LINE's webhook endpoint."""
    runtime = current_app.extensions["otop"]
    if (request.content_length or 0) > MAX_BODY:
        abort(413, "body too large")
    body = request.get_data(as_text=True)
    if len(body) > MAX_BODY:
        abort(413, "body too large")
    signature = request.headers.get("X-Line-Signature", "")
    try:
        events = runtime.webhook_parser.parse(body, signature)  # verifies, then parses (typed events)
        raw_events = json.loads(body).get("events", [])
    except InvalidSignatureError:
        abort(400, "invalid signature")
    except (ValueError, KeyError, TypeError):
        abort(400, "malformed body")
    runtime.deliver_soon(runtime.receive(raw_events, events))
    return Response("OK", 200, mimetype="text/plain")
