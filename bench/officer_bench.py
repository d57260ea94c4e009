"""Officer intents (and the producer's read intents) at national scale: latency from the
signed webhook POST to the reply received by a local fake LINE API, per intent, beside
line-bot-sdk's echo bot and `bench/floor.py`'s floor in one round trip (the echo bot plus the
least work this bot's guarantees need, on PostgreSQL one server-side call), measured in the
same run, one user at a time. Issue 18's target: every read intent's p50 within 1.5x the
floor's p50 (`p50 / floor`).

The baseline is the SDK's own echo bot (`bench/sdk_echo.py`: examples/flask-echo of
line-bot-sdk-python, v3 API; it replies inside the webhook request), served the same way (a
threaded werkzeug server in this process) and answering the same fake. Beside it, "this bot's
echo" is this app with a handler `bench.echo` that returns the text it was given (postback, no
NLU): the cost of this bot's own path (event stored with its handling in one transaction,
account and conversation state, outbox row, reply thread) without any registry work. Officer
intents said in words go through the NLU as users would.

Phases, each with its own echo samples interleaved round by round: *warm* (the read intents,
nothing changed in the registry since their last answer: what the registry cache serves),
*cold* (each read intent right after a real change of one product in district 5001 through the
ORM: the parts of that district are counted again), *cold, whole registry* (each read intent
right after the same change made by an UPDATE statement, which bumps the whole registry's
version: everything is counted from scratch, the uncached cost), and the *writes and flows*
(request.act, set_quadrant, link codes). Samples never overlap: each waits until the previous
one's reply was answered by the fake and the app is idle. Usage (after
`python -m bot demo-data --scale full` into the database):

    python bench/officer_bench.py --db sqlite:////tmp/officer_national.db --rounds 40
    python bench/officer_bench.py --db postgresql://postgres@127.0.0.1:5432/bench --rounds 20

The keys of personal data come from the environment (PII_DEV_KEYS=1 for the demo data).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from sqlalchemy import func, select, update  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.fakeline import FakeLine  # noqa: E402
from bot.testing import base_event, body_of, sign  # noqa: E402
from bench.sdk_echo import create_echo_app  # noqa: E402
from handlers.registry import OFFICERS, handler  # noqa: E402
from handlers.replies import Text  # noqa: E402
from models import (CompletenessSnapshot, LineAccount, Producer, ProducerType, Product, Quadrant, RegistrationStatus,  # noqa: E402
                    Request, RequestKind, RequestStatus, Role, make_engine, make_session_factory, unit_of_work)
from registry import pending  # noqa: E402
from registry import workflows as wf  # noqa: E402

SECRET, TOKEN = "bench-secret", "bench-token"
DIST, DIST2, PROV, CENTRAL, ECHO, PRODUCER = ("Ubench" + x * 27 for x in "abcdef")
FLOOR = "floor (one round trip)"
PROVINCE, DISTRICT = "50", "5001"


@handler("bench.echo", roles=OFFICERS)
def echo(ctx, slots):  # type: ignore[no-untyped-def]
    """Echo the text back (the baseline)."""
    return [Text(slots.get("t", ""))]


class TimedFake(FakeLine):
    """The fake LINE API, noting when each reply reaches it (before its own schema check,
    which is test machinery, not the bot's latency)."""

    def __init__(self) -> None:
        super().__init__(access_token=TOKEN)
        self.waiting: dict[str, tuple[threading.Event, list[float]]] = {}

    def _handle(self, request, stamped):  # type: ignore[no-untyped-def]
        arrived = time.perf_counter()
        token = json.loads(request.get_data(as_text=True) or "{}").get("replyToken") \
            if request.path.endswith("/message/reply") else None
        if token in self.waiting:
            self.waiting[token][1].append(arrived)
        response = super()._handle(request, stamped)
        if token in self.waiting:  # answered (after the fake's own schema check)
            self.waiting.pop(token)[0].set()
        return response

    def signed(self, url: str, user: str, text: str | None = None,
               data: str | None = None) -> tuple[urllib.request.Request, str, threading.Event, list[float]]:
        """A signed webhook POST to `url` of a text message (or, without text, a postback with
        `data`) from `user`, with a fresh reply token; returns the request, the token, and
        the event set (with the time noted in the list) when the reply reaches this fake."""
        token = self.issue_reply_token(user)
        event = base_event("message" if text is not None else "postback", user, token)
        if text is not None:
            event["message"] = {"type": "text", "id": str(time.time_ns())[-18:], "text": text, "quoteToken": "q"}
        else:
            event["postback"] = {"data": data}
        body = body_of(event)
        done, arrived = threading.Event(), []
        self.waiting[token] = (done, arrived)
        return (urllib.request.Request(url, data=body, headers={"Content-Type": "application/json",
                                                                "X-Line-Signature": sign(body, SECRET)}),
                token, done, arrived)


def setup(factory, n_requests: int) -> dict:  # type: ignore[no-untyped-def]
    """Accounts, a snapshot of last month, open requests and pending changes in 5001."""
    with unit_of_work(factory) as s:
        for uid, role, prov, dist in ((DIST, Role.DISTRICT, PROVINCE, DISTRICT), (DIST2, Role.DISTRICT, PROVINCE, DISTRICT),
                                      (PROV, Role.PROVINCE, PROVINCE, None), (CENTRAL, Role.CENTRAL, None, None),
                                      (ECHO, Role.DISTRICT, PROVINCE, DISTRICT)):
            if s.get(LineAccount, uid) is None:
                s.add(LineAccount(user_id=uid, role=role, province_code=prov, district_code=dist, following=True))
    today = date.today()
    with unit_of_work(factory) as s:
        last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        if not s.scalar(select(func.count()).where(CompletenessSnapshot.month == last)):
            started = time.perf_counter()
            from registry.snapshots import take_snapshot
            take_snapshot(s, last)
            print(f"snapshot of {last:%Y-%m} taken in {time.perf_counter() - started:.1f} s", flush=True)
    with unit_of_work(factory) as s:
        producers = s.scalars(select(Producer).where(Producer.district_code == DISTRICT,
                                                     Producer.status == RegistrationStatus.ACTIVE)
                              .order_by(Producer.id)).all()
        open_ids = set(s.scalars(select(Request.producer_id).where(Request.status == RequestStatus.OPEN)))
        free = [p for p in producers if p.id not in open_ids]
        # Closure requests waiting for the district sub-committee (left by earlier runs, which
        # approve one step of each), then new ones from producers without an open request.
        request_ids = list(s.scalars(select(Request.id).where(
            Request.status == RequestStatus.OPEN, Request.kind == RequestKind.CLOSURE_PRESENT,
            Request.step == "district_subcommittee", Request.district_code == DISTRICT,
            Request.created_by.startswith("Ubenchprod")).order_by(Request.id).limit(n_requests)))
        for p in free[:n_requests - len(request_ids)]:
            actor = wf.Actor(f"Ubenchprod{p.id}", Role.PRODUCER, p.province_code, p.district_code, p.id)
            request_ids.append(wf.submit_closure(s, actor, p.id, "เลิกผลิต", today).request.id)
        if len(request_ids) < n_requests:
            raise SystemExit(f"district {DISTRICT} has {len(request_ids)} closure requests to approve, "
                             f"{n_requests} needed: generate the demo data again")
        for p in free[n_requests:n_requests + 5]:
            actor = wf.Actor(f"Ubenchprod{p.id}", Role.PRODUCER, p.province_code, p.district_code, p.id)
            pending.propose(s, actor, "producer", p.id, "producer_type",
                            "group" if p.producer_type is ProducerType.SME else "sme")
        products = s.scalars(select(Product.id).where(Product.district_code == DISTRICT, Product.active.is_(True))
                             .order_by(Product.id).limit(200)).all()
        name = next(p.name for p in producers if p.name)
        producer = s.get(LineAccount, PRODUCER) or LineAccount(user_id=PRODUCER, following=True)
        producer.role, producer.producer_id = Role.PRODUCER, producers[-1].id
        producer.province_code, producer.district_code = PROVINCE, DISTRICT
        s.add(producer)
    return {"requests": request_ids, "products": list(products), "producers": [p.id for p in producers],
            "name": name.split()[0][:12]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--no-floor", action="store_true", help="without bench/floor.py's one-round-trip floor")
    args = ap.parse_args()
    factory = make_session_factory(make_engine(args.db))
    data = setup(factory, args.rounds + 2)
    fake = TimedFake().start()
    # From the environment (the keys of personal data: PII_KEYS / PII_HASH_KEY, or PII_DEV_KEYS=1).
    settings = Settings.from_env().with_(line_channel_secret=SECRET, line_channel_access_token=TOKEN,
                                         line_api_base_url=fake.url, database_url=args.db,
                                         media_dir=Path("/tmp/officer-bench-media"),
                                         public_base_url="https://bot.example.org", secret_key="bench-key")
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = create_app(settings)
    runtime = app.extensions["otop"]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/callback"
    echo_server = make_server("127.0.0.1", 0, create_echo_app(SECRET, TOKEN, fake.url), threaded=True)
    threading.Thread(target=echo_server.serve_forever, daemon=True).start()
    sdk_echo_url = f"http://127.0.0.1:{echo_server.server_port}/callback"
    floor_url = None
    if not args.no_floor:  # bench/floor.py's floor (PostgreSQL: one round trip), in the same run
        sys.modules.setdefault("bench.officer_bench", sys.modules[__name__])  # run as a script: not twice
        from bench.floor import Store, create_floor_app

        floor_server = make_server("127.0.0.1", 0, create_floor_app(Store(args.db, False, one=True), fake.url),
                                   threaded=True)
        threading.Thread(target=floor_server.serve_forever, daemon=True).start()
        floor_url = f"http://127.0.0.1:{floor_server.server_port}/callback"

    def post(user: str, text: str | None = None, data_: str | None = None, to: str | None = None) -> float:
        req, _, done, arrived = fake.signed(to or url, user, text, data_)
        started = time.perf_counter()
        with urllib.request.urlopen(req) as resp:
            assert resp.status == 200
        if not done.wait(60) or not arrived:
            raise RuntimeError(f"no reply to {text or data_}")
        settle()
        return (arrived[0] - started) * 1000

    def settle() -> None:
        """Let the previous sample's leftovers (the outcome written after the reply, the
        sender loop) finish before the next sample starts: samples must not overlap."""
        runtime.wait_events(10)
        deadline = time.monotonic() + 5
        while runtime.sender_thread.busy.is_set() and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(0.005)

    reads = [  # (name, user, text, postback data): answered from the registry
        ("officer.incomplete (district, text)", DIST, "อะไรยังไม่ครบในอำเภอเมืองเชียงใหม่", None),
        ("officer.incomplete (province)", PROV, None, f"i=officer.incomplete&province_code={PROVINCE}"),
        ("officer.list_records", DIST, None, f"i=officer.list_records&district_code={DISTRICT}"
         "&field=producers.national_id&page={page}"),
        ("officer.province_report", PROV, "รายงานจังหวัด", None),
        ("officer.national_report", CENTRAL, "รายงานทั้งประเทศ", None),
        ("officer.monthly_report", PROV, "รายงานประจำเดือน", None),
        ("officer.pending_requests", DIST, "คำขอรออนุมัติ", None),
        ("officer.find", DIST, f"ค้นหา {data['name']}", None),
        ("officer.pending_changes", DIST, None, "i=officer.pending_changes"),
        ("producer: my record (ข้อมูลของฉัน)", PRODUCER, "ข้อมูลของฉัน", None),
        ("producer: what is missing (ยังขาดอะไร)", PRODUCER, "ยังขาดอะไร", None),
        ("producer: request status", PRODUCER, "สถานะคำขอของฉัน", None),
        ("producer: menu", PRODUCER, "เมนู", None),
    ]
    warm: dict[str, list[float]] = {}
    cold: dict[str, list[float]] = {}
    full: dict[str, list[float]] = {}
    writes: dict[str, list[float]] = {}

    def measure(into: dict[str, list[float]], name: str, *a, **kw) -> None:  # type: ignore[no-untyped-def]
        into.setdefault(name, []).append(post(*a, **kw))

    def read(into: dict[str, list[float]], i: int, item: tuple) -> None:  # type: ignore[type-arg]
        name, user, text, data_ = item
        if data_:
            data_ = data_.replace("{page}", str(1 + i % 3))
        measure(into, name, user, text=text, data_=data_)

    def echoes(into: dict[str, list[float]]) -> None:
        """The baseline (line-bot-sdk's echo bot), the floor and this app's own echo handler."""
        measure(into, "echo (baseline)", ECHO, text="สวัสดีค่ะ", to=sdk_echo_url)
        if floor_url:
            measure(into, FLOOR, ECHO, text="สวัสดีค่ะ", to=floor_url)
        measure(into, "this bot's echo (bench.echo)", ECHO, data_="i=bench.echo&t=สวัสดีค่ะ")

    spare = data["products"][-50:]

    def change_registry(i: int) -> None:
        """A real registry change through the ORM (a product's Quadrant): the next answer of
        every cached intent has to be computed again."""
        with unit_of_work(factory) as s:
            product = s.get(Product, spare[i % len(spare)])
            product.quadrant = Quadrant.B if product.quadrant is Quadrant.A else Quadrant.A

    def change_whole_registry(i: int) -> None:
        """The same kind of change as a statement (as bulk edits make): it bumps the whole
        registry's version, so every cached part is computed again from scratch."""
        with unit_of_work(factory) as s:
            pid = spare[i % len(spare)]
            quadrant = s.scalar(select(Product.quadrant).where(Product.id == pid))
            s.execute(update(Product).where(Product.id == pid).values(
                quadrant=Quadrant.B if quadrant is Quadrant.A else Quadrant.A))

    def write_round(i: int) -> None:
        echoes(writes)
        rid = data["requests"][i]
        measure(writes, "request.act (tap)", DIST2, data_=f"i=request.act&request_id={rid}&action=approve&step=district_subcommittee")
        measure(writes, "request.act (date)", DIST2, text="วันนี้")
        measure(writes, "request.act (confirm)", DIST2, text="ยืนยัน")
        product = data["products"][i % len(data["products"])]
        measure(writes, "officer.set_quadrant (tap)", DIST, data_=f"i=officer.set_quadrant&product_id={product}&quadrant=A")
        measure(writes, "officer.set_quadrant (confirm)", DIST, text="ยืนยัน")
        measure(writes, "officer.issue_link_code", DIST, data_=f"i=officer.issue_link_code&producer_id={data['producers'][i]}")

    load_before = os.getloadavg()
    for item in reads:  # warm-up: imports, NLU, first queries; not counted
        read({}, 0, item)
    write_round(0)
    writes.clear()
    for i in range(1, args.rounds + 1):  # warm: nothing changed since the intent's last answer
        echoes(warm)
        for item in reads:
            read(warm, i, item)
    for i in range(1, args.rounds + 1):  # cold: each answer right after a registry change
        echoes(cold)
        for item in reads:
            change_registry(i)
            read(cold, i, item)
    for i in range(1, args.rounds + 1):  # cold, whole registry: nothing cached can be used
        echoes(full)
        for item in reads:
            change_whole_registry(i)
            read(full, i, item)
    for i in range(1, args.rounds + 1):
        write_round(i)
    load_after = os.getloadavg()
    app.extensions["otop"].close()
    server.shutdown()
    echo_server.shutdown()
    fake.stop()
    dialect = args.db.split(":")[0]
    print(f"\n{dialect}: {args.rounds} rounds per phase; load average (1/5/15 min) before "
          f"{'/'.join(f'{x:.1f}' for x in load_before)}, after {'/'.join(f'{x:.1f}' for x in load_after)}")
    _table("warm (no registry change since the intent's previous answer)", warm)
    _table("cold (each answer right after a change of one record in district 5001: that district's "
           "parts are counted again)", cold)
    _table("cold, whole registry (each answer right after a change that bumps the whole registry's "
           "version: everything counted from scratch, the uncached cost)", full)
    _table("writes and flows", writes)


def _table(title: str, samples: dict[str, list[float]]) -> None:
    """Each intent beside the echo bot and, when measured, the floor (issue 18's target:
    every read intent's p50 within 1.5x the one-round-trip floor's p50 in the same run)."""
    base = samples.pop("echo (baseline)")
    floor = samples.pop(FLOOR, None)
    b50, b99 = statistics.median(base), _p99(base)
    f50 = statistics.median(floor) if floor else None
    print(f"\n{title}: echo p50 {b50:.1f} ms, p99 {b99:.1f} ms" + (f"; floor p50 {f50:.1f} ms" if f50 else ""))
    print("| intent | p50 ms | p99 ms | p50 / echo | p99 / echo | p50 / floor | p50 <= 1.5x floor |")
    print("|---|---|---|---|---|---|---|")
    print(f"| echo (baseline) | {b50:.1f} | {b99:.1f} | 1.00 | 1.00 | {b50 / f50 if f50 else float('nan'):.2f} | |")
    if floor:
        print(f"| {FLOOR} | {f50:.1f} | {_p99(floor):.1f} | {f50 / b50:.2f} | {_p99(floor) / b99:.2f} | 1.00 | |")
    for name, xs in samples.items():
        p50, p99 = statistics.median(xs), _p99(xs)
        met = ("yes" if p50 <= 1.5 * f50 else "NO") if f50 else ""
        print(f"| {name} | {p50:.1f} | {p99:.1f} | {p50 / b50:.2f} | {p99 / b99:.2f} | "
              f"{p50 / f50 if f50 else float('nan'):.2f} | {met} |", flush=True)


def _p99(xs: list[float]) -> float:
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


if __name__ == "__main__":
    main()
