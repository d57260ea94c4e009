"""The officer console at national scale: each page's latency over HTTP (a threaded werkzeug
server in this process, the real app, a signed-in session cookie), beside two baselines
measured in the same run, interleaved round by round: the console's static stylesheet (served
by Flask, no database) and `/healthz` (the app's smallest dynamic answer).

Phases: *warm* (nothing changed since the page's last answer: the registry cache serves the
counts) and *after an edit* (each area / records request right after a real change of one
product in the officer's district through the ORM, as an officer's edit would: that
district's counts are recomputed). Pages: the district officer's area, records (all fields,
and one ★ field), a producer, the request queue, reports; the province officer's area; the
central admin's national area. Usage (after `python -m bot demo-data --scale full` into the
database; a snapshot of last month is taken if there is none, so the trend is computed):

    python bench/console_bench.py --db sqlite:////tmp/console_national.db --rounds 30
    python bench/console_bench.py --db postgresql://postgres@127.0.0.1:5432/bench_console
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PII_DEV_KEYS", "1")

from sqlalchemy import func, select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import logging  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.fakeline import FakeLine  # noqa: E402
from models import (CompletenessSnapshot, LineAccount, Producer, Product, Quadrant, Role, make_engine,  # noqa: E402
                    make_session_factory, unit_of_work)
from registry import snapshots  # noqa: E402

DIST, PROV, CENTRAL = ("Ubenchconsole" + x * 20 for x in "abc")
PROVINCE, DISTRICT = "50", "5001"


def setup(factory) -> dict:  # type: ignore[no-untyped-def]
    with unit_of_work(factory) as s:
        n = s.scalar(select(func.count()).select_from(Producer)) or 0
        if n < 50_000:
            raise SystemExit(f"{n} producers: generate the national demo data first (python -m bot demo-data --scale full)")
        for uid, role, prov, dist in ((DIST, Role.DISTRICT, PROVINCE, DISTRICT), (PROV, Role.PROVINCE, PROVINCE, None),
                                      (CENTRAL, Role.CENTRAL, None, None)):
            if s.get(LineAccount, uid) is None:
                s.add(LineAccount(user_id=uid, role=role, province_code=prov, district_code=dist, following=True))
        last_month = date.today().replace(day=1) - timedelta(days=1)
        if not s.scalar(select(func.count()).select_from(CompletenessSnapshot)):
            snapshots.take_snapshot(s, last_month.replace(day=1))
        producer = s.scalar(select(Producer.id).where(Producer.district_code == DISTRICT).order_by(Producer.id))
        product = s.scalar(select(Product.id).where(Product.district_code == DISTRICT).order_by(Product.id))
    return {"producers": n, "producer": producer, "product": product}


class Client:
    """Keep-alive HTTP to the app with a signed-in session cookie."""

    def __init__(self, port: int, cookie: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = cookie

    def get(self, path: str) -> float:
        start = time.perf_counter()
        self.conn.request("GET", path, headers={"Cookie": self.cookie})
        resp = self.conn.getresponse()
        body = resp.read()
        took = (time.perf_counter() - start) * 1000
        if resp.status != 200:
            raise SystemExit(f"{path}: {resp.status} {body[:300]!r}")
        return took


def cookie_for(app, user_id: str) -> str:  # type: ignore[no-untyped-def]
    """The session cookie LINE Login's callback would set (signed with the app's key)."""
    serializer = app.session_interface.get_signing_serializer(app)
    now = time.time()
    value = serializer.dumps({"uid": user_id, "until": int(now + 8 * 3600), "seen": int(now), "_permanent": True})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def touch(factory, product_id: int, i: int) -> None:  # type: ignore[no-untyped-def]
    """A real change in the district (as an officer's edit): its counts are recomputed."""
    with unit_of_work(factory) as s:
        s.get(Product, product_id).quadrant = (Quadrant.A, Quadrant.B)[i % 2]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    factory = make_session_factory(make_engine(args.db))
    facts = setup(factory)
    fake = FakeLine(access_token="bench-token").start()
    settings = Settings(line_channel_secret="bench-secret", line_channel_access_token="bench-token",
                        line_api_base_url=fake.url, database_url=args.db, media_dir=Path("/tmp/console_bench_media"),
                        public_base_url="http://127.0.0.1", secret_key="bench-key", pii_dev_keys=True)
    app = create_app(settings, parser=lambda text, ctx: None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    clients = {u: Client(port, cookie_for(app, u)) for u in (DIST, PROV, CENTRAL)}
    baseline = Client(port, "")
    warm = [("district area", DIST, f"/console/area?area={DISTRICT}"),
            ("district records (all fields)", DIST, "/console/records"),
            ("district records (★ national ID)", DIST, "/console/records?field=producers.national_id"),
            ("producer page", DIST, f"/console/producer/{facts['producer']}"),
            ("request queue", DIST, "/console/requests"),
            ("reports", DIST, "/console/reports"),
            ("province area", PROV, f"/console/area?area={PROVINCE}"),
            ("national area", CENTRAL, "/console/area?area=TH")]
    cold = [("district area, after an edit", DIST, f"/console/area?area={DISTRICT}"),
            ("district records, after an edit", DIST, "/console/records"),
            ("province area, after an edit", PROV, f"/console/area?area={PROVINCE}"),
            ("national area, after an edit", CENTRAL, "/console/area?area=TH")]
    base_rows = [("baseline: static stylesheet", "/console/static/console.css"), ("baseline: /healthz", "/healthz")]
    times: dict[str, list[float]] = {name: [] for name, *_ in warm + cold + [(n, "", "") for n, _ in base_rows]}
    first: dict[str, float] = {}
    for name, user, path in warm:  # the first answer of a page fills the cache
        first[name] = clients[user].get(path)
    for i in range(args.rounds):
        for name, user, path in warm:
            times[name].append(clients[user].get(path))
            for bname, bpath in base_rows:
                times[bname].append(baseline.get(bpath))
        for name, user, path in cold:
            touch(factory, facts["product"], i)
            times[name].append(clients[user].get(path))
    server.shutdown()
    app.extensions["otop"].close()
    fake.stop()
    kind = "PostgreSQL" if args.db.startswith("postgresql") else "SQLite"
    print(f"{kind}, {facts['producers']:,} producers, {args.rounds} rounds; machine load {os.getloadavg()[0]:.1f}")
    print(f"{'page':42} {'first':>8} {'p50':>8} {'p95':>8} {'max':>8}  (ms)")
    for name, values in times.items():
        print(f"{name:42} {first.get(name, float('nan')):8.1f} {statistics.median(values):8.1f} "
              f"{pct(values, 0.95):8.1f} {max(values):8.1f}")


if __name__ == "__main__":
    main()
