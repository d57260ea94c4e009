"""Test and local-chat helpers: webhook bodies built like LINE builds them, signed with the
channel secret, posted to the app; what the fake LINE API received comes back.

    client.say("U...", "สวัสดี")      -> messages the user received (LINE JSON dicts)
    client.tap("U...", "i=menu")      -> after a postback
    client.send_image("U...", bytes)  -> after an image message (the fake serves the bytes)
    client.post_event(event_dict)     -> the HTTP status of the webhook call
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from bot.fakeline import FakeLine

Transport = Callable[[bytes, dict[str, str]], int]


def sign(body: bytes, secret: str) -> str:
    """X-Line-Signature: base64 of HMAC-SHA256 over the exact body bytes."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def new_event_id() -> str:
    return uuid.uuid4().hex.upper()[:26]


def base_event(kind: str, user_id: str, reply_token: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind, "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": new_event_id(), "deliveryContext": {"isRedelivery": False},
    }
    if reply_token:
        event["replyToken"] = reply_token
    return event


def body_of(*events: dict[str, Any], destination: str = "Ubot0000000000000000000000000000") -> bytes:
    return json.dumps({"destination": destination, "events": list(events)}, ensure_ascii=False).encode()


class LineClient:
    """Plays a LINE user against the app through the real webhook path."""

    def __init__(self, transport: Transport, fake: FakeLine, secret: str,
                 wait_idle: Callable[[float], bool], timeout: float = 15.0) -> None:
        self.transport = transport
        self.fake = fake
        self.secret = secret
        self.wait_idle = wait_idle
        self.timeout = timeout

    # events ----------------------------------------------------------------------------
    def text_event(self, user_id: str, text: str) -> dict[str, Any]:
        event = base_event("message", user_id, self.fake.issue_reply_token(user_id))
        event["message"] = {"type": "text", "id": str(uuid.uuid4().int)[:18], "text": text, "quoteToken": "q"}
        return event

    def postback_event(self, user_id: str, data: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        event = base_event("postback", user_id, self.fake.issue_reply_token(user_id))
        event["postback"] = {"data": data, **({"params": params} if params else {})}
        return event

    def image_event(self, user_id: str, data: bytes) -> dict[str, Any]:
        message_id = str(uuid.uuid4().int)[:18]
        self.fake.add_content(message_id, data)
        event = base_event("message", user_id, self.fake.issue_reply_token(user_id))
        event["message"] = {"type": "image", "id": message_id, "contentProvider": {"type": "line"}, "quoteToken": "q"}
        return event

    def location_event(self, user_id: str, latitude: float, longitude: float, address: str | None = None,
                       title: str | None = None) -> dict[str, Any]:
        """A LINE location message (webhook.yml `LocationMessageContent`): what "ส่งตำแหน่ง" sends."""
        event = base_event("message", user_id, self.fake.issue_reply_token(user_id))
        message: dict[str, Any] = {"type": "location", "id": str(uuid.uuid4().int)[:18],
                                   "latitude": latitude, "longitude": longitude}
        if title:
            message["title"] = title
        if address:
            message["address"] = address
        event["message"] = message
        return event

    def follow_event(self, user_id: str) -> dict[str, Any]:
        event = base_event("follow", user_id, self.fake.issue_reply_token(user_id))
        event["follow"] = {"isUnblocked": False}
        return event

    def unfollow_event(self, user_id: str) -> dict[str, Any]:
        return base_event("unfollow", user_id, None)

    # posting ---------------------------------------------------------------------------
    def post_body(self, body: bytes, signature: str | None = None) -> int:
        headers = {"Content-Type": "application/json"}
        if signature != "":
            headers["X-Line-Signature"] = signature if signature is not None else sign(body, self.secret)
        return self.transport(body, headers)

    def post_event(self, *events: dict[str, Any], wait: bool = True) -> int:
        for event in events:  # let the fake accept the reply tokens of hand-made events
            if event.get("replyToken") and event.get("source", {}).get("userId"):
                self.fake.reply_tokens.setdefault(event["replyToken"], event["source"]["userId"])
        status = self.post_body(body_of(*events))
        if wait:
            self.wait_idle(self.timeout)
        return status

    def exchange(self, user_id: str, event: dict[str, Any]) -> list[dict[str, Any]]:
        before = len(self.fake.delivered_to(user_id))
        status = self.post_event(event)
        assert status == 200, f"webhook answered {status}"
        assert not self.fake.schema_failures, f"invalid LINE request: {self.fake.schema_failures[-1]}"
        return self.fake.delivered_to(user_id)[before:]

    def say(self, user_id: str, text: str) -> list[dict[str, Any]]:
        return self.exchange(user_id, self.text_event(user_id, text))

    def tap(self, user_id: str, data: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return self.exchange(user_id, self.postback_event(user_id, data, params))

    def send_image(self, user_id: str, data: bytes) -> list[dict[str, Any]]:
        return self.exchange(user_id, self.image_event(user_id, data))

    def send_location(self, user_id: str, latitude: float, longitude: float, address: str | None = None,
                      title: str | None = None) -> list[dict[str, Any]]:
        return self.exchange(user_id, self.location_event(user_id, latitude, longitude, address, title))

    def follow(self, user_id: str) -> list[dict[str, Any]]:
        return self.exchange(user_id, self.follow_event(user_id))


def texts(messages: list[dict[str, Any]]) -> str:
    """All visible text of LINE messages, joined (for assertions)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text" and "text" in node:
                out.append(node["text"])
            for key, value in node.items():
                if key not in ("quickReply",):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(messages)
    return "\n".join(out)


def quick_replies(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The quick-reply actions of the last message (the only ones LINE shows)."""
    if not messages:
        return []
    return [item["action"] for item in (messages[-1].get("quickReply") or {}).get("items", [])]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        return None


def sign_in(client: Any, user_id: str, next_path: str = "/") -> Any:
    """Sign a Flask test client in as `user_id` through the whole LINE Login flow: the app's
    /login, the fake's authorize page (over HTTP) where the user is picked, the callback (which
    exchanges the code and verifies the ID token at the fake). Returns the callback's response."""
    start = client.get("/login?" + urllib.parse.urlencode({"next": next_path}))
    assert start.status_code == 302, start.get_data(as_text=True)
    authorize = start.headers["Location"]
    with urllib.request.urlopen(authorize, timeout=10) as page:
        assert page.status == 200
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
    form = urllib.parse.urlencode({**query, "user_id": user_id}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(urllib.request.Request(authorize.split("?")[0], data=form, method="POST"), timeout=10)
        raise AssertionError("the fake's authorize page did not redirect")
    except urllib.error.HTTPError as exc:
        assert exc.code == 302, exc.code
        back = urllib.parse.urlsplit(exc.headers["Location"])
    return client.get(f"{back.path}?{back.query}")



def liff_sign_in(client: Any, fake: Any, user_id: str, next_path: str = "/liff/form") -> Any:
    """Sign a Flask test client in as `user_id` the way the LIFF page does: the page's CSRF
    token, the ID token from the fake LIFF login page (over HTTP, as liff.login() gets it), then
    POST /liff/session. Returns the session response."""
    start = client.get("/liff/signin?" + urllib.parse.urlencode({"next": next_path}))
    assert start.status_code == 200, start.get_data(as_text=True)
    config = json.loads(start.get_data(as_text=True).split('id="liff-config" type="application/json">')[1]
                        .split("</script>")[0])
    form = urllib.parse.urlencode({"liff_id": config["liffId"], "redirect_uri": "http://localhost/liff/signin",
                                   "user_id": user_id}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(urllib.request.Request(f"{fake.url}/liff/v1/login", data=form, method="POST"), timeout=10)
        raise AssertionError("the fake's LIFF login page did not redirect")
    except urllib.error.HTTPError as exc:
        assert exc.code == 302, exc.code
        fragment = urllib.parse.urlsplit(exc.headers["Location"]).fragment
    token = dict(urllib.parse.parse_qsl(fragment))["fake_liff_id_token"]
    return post_liff_token(client, config["csrf"], token, next_path)


def post_liff_token(client: Any, csrf: str, token: str, next_path: str = "/liff/form") -> Any:
    """What the LIFF page sends after liff.getIDToken()."""
    return client.post("/liff/session", json={"id_token": token, "next": next_path}, headers={"X-CSRFToken": csrf})
