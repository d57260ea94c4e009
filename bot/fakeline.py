"""An in-process fake of the LINE Messaging API and data (content) API.

A real HTTP server on 127.0.0.1 (werkzeug, a free port, a thread), so line-bot-sdk talks to
it over HTTP exactly as to api.line.me when `Configuration(host=fake.url)`. It records every
request, validates message bodies against messaging-api.yml, answers 409 to a repeated
X-Line-Retry-Key, refuses used or expired reply tokens, serves image content for message ids,
keeps rich menus, and can be programmed to be slow or failing:

    fake.program("/v2/bot/message/reply", delay=10)           # next call answers after 10 s
    fake.program("/v2/bot/message/", status=500, times=3)     # next 3 calls answer 500
    fake.program("/v2/bot/message/reply", status=500, for_seconds=60)  # an outage (fake's clock)
    fake.expire_reply_tokens()                                # tokens seen so far are stale
    fake.quota = 100                                          # the monthly quota; 429 once spent

It also serves LINE Login's authorize, token and verify endpoints (bot/fakelogin.py;
`fake.login.users` are offered on its sign-in page), and a fake LIFF SDK with its login page
under /liff/ (bot/fakeliff.py; `fake.liff.id_token(liff_id, user_id)` gives a test the ID
token liff.getIDToken() would).

Reply tokens also expire `reply_token_ttl` seconds (about a minute, as on LINE) after they are
issued, by the fake's `clock` (time.monotonic unless a test gives its own). Pushes and
multicasts count against `quota` by recipients, as LINE counts them; GET /v2/bot/message/quota
and /quota/consumption answer from it. `delivery_counts()` (deliveries per user) and
`max_per_second()` (requests in any one-second window) are what the fault tests and the
benchmark check.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from bot import lineschema
from bot.fakeliff import FakeLiff
from bot.fakelogin import FakeLogin

SEND_PATHS = {"/v2/bot/message/reply": "reply", "/v2/bot/message/push": "push", "/v2/bot/message/multicast": "multicast"}


@dataclass
class Recorded:
    """One request as the fake saw it, with the status it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 0
    at: float = field(default_factory=time.monotonic)  # arrival, real monotonic time


@dataclass
class Delivery:
    """A message request the fake accepted: what the users would see."""

    kind: str  # reply | push | multicast
    to: list[str]
    messages: list[dict[str, Any]]
    reply_token: str | None = None
    retry_key: str | None = None


@dataclass
class _Rule:
    prefix: str
    status: int | None
    delay: float
    times: int
    until: float | None = None  # by the fake's clock: the rule holds until then (times ignored)


class FakeLine:
    """The fake API; `start()` it, point the SDK at `url`, read `deliveries`."""

    def __init__(self, access_token: str | None = None, clock: Callable[[], float] = time.monotonic,
                 reply_token_ttl: float = 60.0, validate: bool = True) -> None:
        self.access_token = access_token
        self.validate = validate  # against messaging-api.yml (benchmarks may skip it: it costs ~2 ms a request)
        self.clock = clock
        self.reply_token_ttl = reply_token_ttl
        self.token_issued: dict[str, float] = {}
        self.quota: int | None = None  # None: no target limit (type "none")
        self.consumption = 0
        self.requests: list[Recorded] = []
        self.deliveries: list[Delivery] = []
        self.schema_failures: list[tuple[str, Any, list[str]]] = []
        self.contents: dict[str, tuple[bytes, str]] = {}
        self.reply_tokens: dict[str, str] = {}  # token -> user id (issued by the test client)
        self.used_tokens: set[str] = set()
        self.expired_tokens: set[str] = set()
        self.retry_keys: dict[str, int] = {}  # retry key -> requests that carried it (accepted or 409)
        self.accepted: dict[str, str] = {}  # retry key -> the accepted request's id
        self.rich_menus: dict[str, dict[str, Any]] = {}
        self.rich_menu_aliases: dict[str, str] = {}  # alias id -> rich menu id
        self.rich_menu_images: dict[str, bytes] = {}
        self.user_menus: dict[str, str] = {}
        self.default_menu: str | None = None
        self.profiles: dict[str, str] = {}
        self.login = FakeLogin()
        self.liff = FakeLiff(self.login)
        self._rules: list[_Rule] = []
        self._lock = threading.RLock()
        self._server = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeLine:
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="fakeline", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    # programming -----------------------------------------------------------------------
    def program(self, prefix: str, *, status: int | None = None, delay: float = 0.0, times: int = 1,
                for_seconds: float | None = None) -> None:
        """The next `times` calls to paths starting with `prefix` (or every call during the
        next `for_seconds` of the fake's clock) wait `delay` s, then answer `status` (None =
        handle normally)."""
        until = None if for_seconds is None else self.clock() + for_seconds
        with self._lock:
            self._rules.append(_Rule(prefix, status, delay, times, until))

    def expire_reply_tokens(self) -> None:
        with self._lock:
            self.expired_tokens |= set(self.reply_tokens)

    def issue_reply_token(self, user_id: str) -> str:
        token = uuid.uuid4().hex
        with self._lock:
            self.reply_tokens[token] = user_id
            self.token_issued[token] = self.clock()
        return token

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        self.contents[message_id] = (data, content_type)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.deliveries.clear()
            self._rules.clear()
            self.quota, self.consumption = None, 0

    # reading ---------------------------------------------------------------------------
    def delivered_to(self, user_id: str) -> list[dict[str, Any]]:
        """Messages a user received, in order (replies are attributed via their token)."""
        with self._lock:
            return [m for d in self.deliveries if user_id in d.to for m in d.messages]

    def calls(self, path_prefix: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(path_prefix)]

    def delivery_counts(self) -> Counter[str]:
        """How many accepted message requests reached each user (1 = exactly once)."""
        with self._lock:
            return Counter(u for d in self.deliveries for u in d.to)

    def max_per_second(self, path_prefix: str = "/v2/bot/message/") -> int:
        """The most requests to `path_prefix` that arrived within any one second (the
        channel's rate limit is per second, whichever process sends)."""
        return busiest_second(sorted(r.at for r in self.calls(path_prefix)))

    def new_month(self) -> None:
        """LINE's monthly count starts again."""
        with self._lock:
            self.consumption = 0

    # serving ---------------------------------------------------------------------------
    def _wsgi(self, environ, start_response):  # type: ignore[no-untyped-def]
        arrived = time.monotonic()  # before the body is read and parsed: where LINE would count it
        request = Request(environ)
        response = self._handle(request, arrived)
        return response(environ, start_response)

    def _handle(self, request: Request, arrived: float) -> Response:
        path = request.path
        body: Any = None
        if request.mimetype == "application/json":
            try:
                body = json.loads(request.get_data(as_text=True) or "null")
            except ValueError:
                return _json({"message": "invalid JSON"}, 400)
        recorded = Recorded(request.method, path, dict(request.headers), body, at=arrived)
        with self._lock:
            self.requests.append(recorded)
            now = self.clock()
            rule = next((r for r in self._rules if path.startswith(r.prefix)
                         and (now < r.until if r.until is not None else r.times > 0)), None)
            if rule is not None and rule.until is None:
                rule.times -= 1
        if rule is not None and rule.delay:
            time.sleep(rule.delay)
        if rule is not None and rule.status is not None:
            recorded.status = rule.status
            return _json({"message": f"programmed failure {rule.status}"}, rule.status)
        if path.startswith("/oauth2/"):  # LINE Login: a browser or a channel secret, no bearer token
            response = self.login.handle(request, path)
            recorded.status = response.status_code
            return response
        if path.startswith("/liff/"):  # the fake LIFF SDK and its login page (a browser)
            response = self.liff.handle(request, path)
            recorded.status = response.status_code
            return response
        if self.access_token and request.headers.get("Authorization") != f"Bearer {self.access_token}":
            recorded.status = 401
            return _json({"message": "Authentication failed"}, 401)
        response = self._route(request, path, body)
        recorded.status = response.status_code
        return response

    def _route(self, request: Request, path: str, body: Any) -> Response:
        errors = lineschema.request_errors(path, body) if request.method == "POST" and self.validate else []
        if errors:
            with self._lock:
                self.schema_failures.append((path, body, errors))
            return _json({"message": "The request body has 1 error(s)", "details": errors}, 400)
        if path in SEND_PATHS and request.method == "POST":
            return self._send(SEND_PATHS[path], request, body)
        if path == "/v2/bot/message/quota":
            return _json({"type": "none"} if self.quota is None else {"type": "limited", "value": self.quota})
        if path == "/v2/bot/message/quota/consumption":
            return _json({"totalUsage": self.consumption})
        if path == "/v2/bot/chat/loading/start":
            return _json({}, 202)
        if m := re.fullmatch(r"/v2/bot/profile/([^/]+)", path):
            uid = m.group(1)
            return _json({"userId": uid, "displayName": self.profiles.get(uid, "ผู้ใช้ทดสอบ")})
        if m := re.fullmatch(r"/v2/bot/message/([^/]+)/content", path):
            if m.group(1) not in self.contents:
                return _json({"message": "Not found"}, 404)
            data, ctype = self.contents[m.group(1)]
            return Response(data, 200, content_type=ctype)
        return self._rich_menu(request, path, body)

    def _send(self, kind: str, request: Request, body: dict[str, Any]) -> Response:
        retry_key = request.headers.get("X-Line-Retry-Key")
        with self._lock:
            if kind == "reply":
                token = body["replyToken"]
                stale = self.clock() - self.token_issued.get(token, self.clock()) > self.reply_token_ttl
                if token in self.used_tokens or token in self.expired_tokens or token not in self.reply_tokens or stale:
                    return _json({"message": "Invalid reply token"}, 400)
                self.used_tokens.add(token)
                to = [self.reply_tokens[token]]
            else:
                to = body["to"] if isinstance(body["to"], list) else [body["to"]]
                if retry_key and retry_key in self.accepted:
                    self.retry_keys[retry_key] = self.retry_keys.get(retry_key, 0) + 1
                    return _json({"message": "The retry key is already accepted",
                                  "sentMessages": []}, 409, {"x-line-accepted-request-id": self.accepted[retry_key]})
                if self.quota is not None and self.consumption + len(to) > self.quota:
                    return _json({"message": "You have reached your monthly limit."}, 429)
                self.consumption += len(to)
                if retry_key:
                    self.retry_keys[retry_key] = self.retry_keys.get(retry_key, 0) + 1
                    self.accepted[retry_key] = _next_id()
            self.deliveries.append(Delivery(kind, to, body["messages"], body.get("replyToken"), retry_key))
        return _json({"sentMessages": [{"id": _next_id()} for _ in body["messages"]]})

    def _rich_menu(self, request: Request, path: str, body: Any) -> Response:
        method = request.method
        if path.startswith("/v2/bot/richmenu/alias"):
            return self._alias(method, path, body)
        if path == "/v2/bot/richmenu" and method == "POST":
            menu_id = f"richmenu-{uuid.uuid4().hex}"
            self.rich_menus[menu_id] = {**body, "richMenuId": menu_id}
            return _json({"richMenuId": menu_id})
        if path == "/v2/bot/richmenu/list":
            return _json({"richmenus": list(self.rich_menus.values())})
        if m := re.fullmatch(r"/v2/bot/richmenu/([^/]+)/content", path):
            if m.group(1) not in self.rich_menus:
                return _json({"message": "Not found"}, 404)
            if method == "POST":
                self.rich_menu_images[m.group(1)] = request.get_data()
                return _json({})
            return Response(self.rich_menu_images.get(m.group(1), b""), 200, content_type="image/png")
        if m := re.fullmatch(r"/v2/bot/richmenu/([^/]+)", path):
            if method == "DELETE":
                self.rich_menus.pop(m.group(1), None)
                return _json({})
            menu = self.rich_menus.get(m.group(1))
            return _json(menu) if menu else _json({"message": "Not found"}, 404)
        if m := re.fullmatch(r"/v2/bot/user/all/richmenu/([^/]+)", path):
            self.default_menu = m.group(1)
            return _json({})
        if (m := re.fullmatch(r"/v2/bot/user/([^/]+)/richmenu", path)) and method == "DELETE":
            self.user_menus.pop(m.group(1), None)
            return _json({})
        if m := re.fullmatch(r"/v2/bot/user/([^/]+)/richmenu/([^/]+)", path):
            if m.group(2) not in self.rich_menus:
                return _json({"message": "Not found"}, 404)
            self.user_menus[m.group(1)] = m.group(2)
            return _json({})
        return _json({"message": f"fake has no {method} {path}"}, 404)


    def _alias(self, method: str, path: str, body: Any) -> Response:
        """Rich menu aliases: create, list, get, update, delete (as the spec describes them)."""
        if path == "/v2/bot/richmenu/alias" and method == "POST":
            if body["richMenuAliasId"] in self.rich_menu_aliases:
                return _json({"message": "conflict richmenu alias id"}, 400)
            if body["richMenuId"] not in self.rich_menus:
                return _json({"message": "richmenu not found"}, 400)
            self.rich_menu_aliases[body["richMenuAliasId"]] = body["richMenuId"]
            return _json({})
        if path == "/v2/bot/richmenu/alias/list":
            return _json({"aliases": [{"richMenuAliasId": a, "richMenuId": m}
                                      for a, m in self.rich_menu_aliases.items()]})
        alias = path.rsplit("/", 1)[1]
        if alias not in self.rich_menu_aliases:
            return _json({"message": "Not found"}, 404)
        if method == "DELETE":
            del self.rich_menu_aliases[alias]
            return _json({})
        if method == "POST":
            if body["richMenuId"] not in self.rich_menus:
                return _json({"message": "richmenu not found"}, 400)
            self.rich_menu_aliases[alias] = body["richMenuId"]
            return _json({})
        return _json({"richMenuAliasId": alias, "richMenuId": self.rich_menu_aliases[alias]})


class _Handler(WSGIRequestHandler):
    """werkzeug's handler, without formatting an access log line nobody reads (benchmarks
    silence werkzeug's logger: the line cost the fake ~5 % of a push)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if logging.getLogger("werkzeug").isEnabledFor(logging.INFO):
            super().log_request(code, size)


def busiest_second(stamps: list[float]) -> int:
    """The most of these sorted times that fall within any one second."""
    most, start = 0, 0
    for end, at in enumerate(stamps):
        while at - stamps[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


_IDS = itertools.count(10**17)


def _next_id() -> str:
    """A message or request id, unique in this process (uuid4 cost the fake ~10 % of a push)."""
    return str(next(_IDS))


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status, headers=headers, content_type="application/json")
