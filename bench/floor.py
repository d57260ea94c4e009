"""The floor under issue 6's latency target: line-bot-sdk's echo bot, plus the least that a bot
with this one's guarantees must do before it may reply, written with the raw database driver
(no SQLAlchemy, no NLU, no registry work), measured beside the plain SDK echo bot in the same
run, the same way as `bench/officer_bench.py` (signed webhook POST to the reply's arrival at
the local fake LINE API).

Per event, in one transaction, before the reply: the event row (de-duplication of
redeliveries), the user's account locked (PostgreSQL: its own statement, see
`bot.dispatch._LOCK`) and read with the conversation row and the ordering probe, the reply's
outbox row (a reply that survives a crash), commit. Then the reply is sent inline, inside the
webhook request, exactly as the echo bot does (the real bot sends it from a reply thread, which
costs more). Connections come from a small pool, as SQLAlchemy's would.

Whatever an intent does (reading the registry, a workflow step) comes on top of this. If the
floor alone is above 1.5x the echo bot, no intent can meet the target without dropping one of
those guarantees. Usage, on a database made by `python -m bot db upgrade` (any data):

    python bench/floor.py --db sqlite:////tmp/officer_national.db --rounds 300
    python bench/floor.py --db postgresql://postgres@127.0.0.1:5432/bench --rounds 300 [--pipeline]

`--pipeline` (PostgreSQL): the statements in two round trips (psycopg's pipeline mode: the
event row, the lock and the account read in one; the outbox row and the commit in the other).

`--one` (PostgreSQL): one round trip. The same statements in a server-side function
(`floor_event`, created by the bench: event row, account lock, account read, outbox row),
called by one statement on an autocommit connection, which commits durably when it ends
(psycopg sends no BEGIN then). Without `--pipeline` / `--one` psycopg sends BEGIN itself:
six round trips (BEGIN, four statements, COMMIT), the pipelined mode three.

SQLite has no round trips: the database is a library inside the process, so every mode is
the same four statements and the commit (BEGIN IMMEDIATE ... COMMIT) as function calls; what
costs there is the commit's fsync of the WAL (synchronous=NORMAL: at checkpoints only).
`--one` on SQLite measures the plain mode.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import queue
import sqlite3
import statistics
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask, request  # noqa: E402
from linebot.v3 import WebhookHandler  # noqa: E402
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage  # noqa: E402
from linebot.v3.webhooks import MessageEvent, TextMessageContent  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bench.officer_bench import ECHO, SECRET, TOKEN, TimedFake, _p99  # noqa: E402
from bench.sdk_echo import create_echo_app  # noqa: E402


NOW = "2026-01-01 00:00:00"
EVENT = ("INSERT INTO inbound_events (event_id, user_id, payload, status, received_at, handled_at) "
         "VALUES (?, ?, ?, 'done', ?, ?) ON CONFLICT (event_id) DO NOTHING RETURNING event_id")
LOCK = "SELECT user_id FROM line_accounts WHERE user_id = ? FOR UPDATE"
ACCOUNT = ("SELECT a.user_id, a.role, a.province_code, a.district_code, s.user_id, EXISTS (SELECT 1 FROM outbox o "
           "WHERE o.user_id = a.user_id AND o.status IN ('pending', 'sending')) FROM line_accounts a "
           "LEFT JOIN conversation_states s ON s.user_id = a.user_id WHERE a.user_id = ?")
OUTBOX = ("INSERT INTO outbox (kind, user_id, reply_token, messages, retry_key, purpose, status, attempts, "
          "not_before, created_at, claimed_by, claimed_at) "
          "VALUES ('reply', ?, ?, ?, ?, 'reply', 'sending', 0, ?, ?, 'floor', ?) RETURNING id")
SENT = "UPDATE outbox SET status = 'sent', claimed_by = NULL WHERE id = ?"
# The same four statements server-side (PostgreSQL), one call = one round trip with the commit.
FUNCTION = """
CREATE OR REPLACE FUNCTION floor_event(p_event text, p_user text, p_payload text, p_now timestamptz,
                                       p_token text, p_messages text, p_retry text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE row_id integer;
BEGIN
  INSERT INTO inbound_events (event_id, user_id, payload, status, received_at, handled_at)
  VALUES (p_event, p_user, p_payload, 'done', p_now, p_now) ON CONFLICT (event_id) DO NOTHING;
  IF NOT FOUND THEN RETURN NULL; END IF;  -- a redelivery
  PERFORM user_id FROM line_accounts WHERE user_id = p_user FOR UPDATE;
  PERFORM a.user_id, a.role, a.province_code, a.district_code, s.user_id,
          EXISTS (SELECT 1 FROM outbox o WHERE o.user_id = a.user_id AND o.status IN ('pending', 'sending'))
    FROM line_accounts a LEFT JOIN conversation_states s ON s.user_id = a.user_id WHERE a.user_id = p_user;
  INSERT INTO outbox (kind, user_id, reply_token, messages, retry_key, purpose, status, attempts,
                      not_before, created_at, claimed_by, claimed_at)
  VALUES ('reply', p_user, p_token, p_messages::json, p_retry, 'reply', 'sending', 0, p_now, p_now, 'floor', p_now)
  RETURNING id INTO row_id;
  RETURN row_id;
END $$"""
ONE = "SELECT floor_event(%s, %s, %s, %s, %s, %s, %s)"


class Store:
    """The floor's transaction with the raw driver, on a pool of connections."""

    def __init__(self, url: str, pipeline: bool, one: bool = False) -> None:
        self.sqlite = url.startswith("sqlite")
        self.pipeline = pipeline and not self.sqlite
        self.one = one and not self.sqlite
        self.url = url
        self.pool: queue.LifoQueue[Any] = queue.LifoQueue()
        for _ in range(4):
            self.pool.put(self._connect())
        if self.one:
            conn = self.pool.get()
            conn.execute(FUNCTION)
            conn.commit()
            self.pool.put(conn)

    def _connect(self) -> Any:
        if self.sqlite:
            conn = sqlite3.connect(self.url.split("sqlite:///", 1)[1], isolation_level=None, check_same_thread=False)
            for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000"):
                conn.execute(f"PRAGMA {pragma}")
            return conn
        import psycopg

        return psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))

    def _sql(self, statement: str) -> str:
        return statement if self.sqlite else statement.replace("?", "%s")

    def handle(self, event: dict[str, Any], reply_text: str) -> int:
        """The event's transaction; returns the outbox row's id."""
        conn = self.pool.get()
        try:
            uid = event["source"]["userId"]
            event_values = (event["webhookEventId"], uid, json.dumps(event, ensure_ascii=False), NOW, NOW)
            outbox_values = (uid, event["replyToken"], json.dumps([{"type": "text", "text": reply_text}],
                             ensure_ascii=False), str(uuid.uuid4()), NOW, NOW, NOW)
            if self.sqlite:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(EVENT, event_values).fetchone()
                conn.execute(ACCOUNT, (uid,)).fetchone()
                row_id = conn.execute(OUTBOX, outbox_values).fetchone()[0]
                conn.execute("COMMIT")
            elif self.one:
                conn.autocommit = True
                try:
                    row_id = conn.execute(ONE, (event["webhookEventId"], uid, event_values[2], NOW,
                                                *outbox_values[1:4])).fetchone()[0]
                finally:
                    conn.autocommit = False
            elif self.pipeline:
                with conn.pipeline() as pipe:
                    cursors = [conn.execute(self._sql(EVENT), event_values), conn.execute(self._sql(LOCK), (uid,)),
                               conn.execute(self._sql(ACCOUNT), (uid,))]
                    pipe.sync()
                    for cursor in cursors:
                        cursor.fetchone()
                with conn.pipeline():
                    cursor = conn.execute(self._sql(OUTBOX), outbox_values)
                    conn.commit()
                    row_id = cursor.fetchone()[0]
            else:
                conn.execute(self._sql(EVENT), event_values).fetchone()
                conn.execute(self._sql(LOCK), (uid,)).fetchone()
                conn.execute(self._sql(ACCOUNT), (uid,)).fetchone()
                row_id = conn.execute(self._sql(OUTBOX), outbox_values).fetchone()[0]
                conn.commit()
            return row_id
        finally:
            self.pool.put(conn)

    def sent(self, row_id: int) -> None:
        """Record the outcome (after the reply; not part of the measured latency)."""
        conn = self.pool.get()
        try:
            if self.sqlite:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(SENT, (row_id,))
                conn.execute("COMMIT")
            else:
                conn.execute(self._sql(SENT), (row_id,))
                conn.commit()
        finally:
            self.pool.put(conn)

    def prepare(self, user_id: str) -> None:
        """The echo user's account (the floor reads it)."""
        conn = self.pool.get()
        try:
            sql = "INSERT INTO line_accounts (user_id, following, reminders_opt_out, created_at) " \
                  "VALUES (?, true, false, ?) ON CONFLICT (user_id) DO NOTHING"
            if self.sqlite:
                conn.execute(sql.replace("true", "1").replace("false", "0"), (user_id, NOW))
            else:
                conn.execute(self._sql(sql), (user_id, NOW))
                conn.commit()
        finally:
            self.pool.put(conn)


def create_floor_app(store: Store, api_host: str) -> Flask:
    """The SDK's echo bot with the floor's transaction before its reply."""
    app = Flask("floor")
    configuration = Configuration(access_token=TOKEN, host=api_host)
    handler = WebhookHandler(SECRET)
    current = threading.local()

    @app.route("/callback", methods=["POST"])
    def callback() -> str:
        body = request.get_data(as_text=True)
        current.raw = json.loads(body)["events"]
        handler.handle(body, request.headers["X-Line-Signature"])
        return "OK"

    @handler.add(MessageEvent, message=TextMessageContent)
    def handle_message(event: MessageEvent) -> None:
        row_id = store.handle(current.raw[0], event.message.text)
        with ApiClient(configuration) as api_client:
            MessagingApi(api_client).reply_message_with_http_info(
                ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text=event.message.text)]))
        store.sent(row_id)

    return app


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--pipeline", action="store_true")
    ap.add_argument("--one", action="store_true", help="PostgreSQL: one round trip (a server-side function)")
    args = ap.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    fake = TimedFake().start()
    store = Store(args.db, args.pipeline, args.one)
    store.prepare(ECHO)
    urls = {}
    for name, app in (("echo (baseline)", create_echo_app(SECRET, TOKEN, fake.url)),
                      ("floor", create_floor_app(store, fake.url))):
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls[name] = f"http://127.0.0.1:{server.server_port}/callback"

    def post(url: str) -> float:
        req, _, done, arrived = fake.signed(url, ECHO, "สวัสดีค่ะ")
        started = time.perf_counter()
        with urllib.request.urlopen(req) as resp:
            assert resp.status == 200
        if not done.wait(10) or not arrived:
            raise RuntimeError("no reply")
        time.sleep(0.005)
        return (arrived[0] - started) * 1000

    samples: dict[str, list[float]] = {name: [] for name in urls}
    load_before = os.getloadavg()
    for i in range(args.rounds + 10):  # the first 10 rounds warm up
        for name, url in urls.items():
            ms = post(url)
            if i >= 10:
                samples[name].append(ms)
    fake.stop()
    base = statistics.median(samples["echo (baseline)"])
    label = args.db.split(":")[0] + (" (pipelined)" if store.pipeline else "") + (" (one round trip)" if store.one else "")
    print(f"{label}: {args.rounds} rounds, load average before {'/'.join(f'{x:.1f}' for x in load_before)}, "
          f"after {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| | p50 ms | p99 ms | p50 / echo |")
    print("|---|---|---|---|")
    for name, xs in samples.items():
        print(f"| {name} | {statistics.median(xs):.2f} | {_p99(xs):.2f} | {statistics.median(xs) / base:.2f} |")


if __name__ == "__main__":
    main()
