"""Reminders benchmark: personal nudges to 10,000 producers of the national demo data,
planned and written by `bot.remind`, delivered by `python -m bot worker` processes through the
fake LINE API (served by gunicorn, gthread, one worker process: bench/fakeline_app.py; or by
werkzeug in this process with `--fake werkzeug`), with the time and the request rate
against the configured rate (SENDER_PUSH_RATE) and the platform's limit (push: 2,000
requests/s), the busiest one-second window of all workers together (the fake counts), and
duplicates (deliveries per user). The workers run on the benchmark's clock (`worker
--clock-start`, a Monday 10:00 in Bangkok), so quiet hours never hold them, whatever the hour.
`--budget N` plans within a budget of N messages: the rest must be held, none failed. The fake
checks every body against LINE's OpenAPI (the spec is read before the clock runs;
`--no-validate` skips the check). `--rate R` is the channel's rate (SENDER_PUSH_RATE), `--store`
where the workers share it (SENDER_RATE_STORE); `--resend` sends the nudges of an earlier run's
--work database (or --pg-url) again, without the setup and the plan; `--worker-root DIR` runs
the workers from another checkout (main's, to compare the sender back to back). It prints the
CPU per push of the workers (from their first push), of the fake's process, and of the
PostgreSQL backends serving the workers (from /proc; PostgreSQL on this machine).

Build the national data once, then run:

    DATABASE_URL=sqlite:////tmp/remind_national.db python -m bot demo-data --scale full
    python bench/remind_bench.py [--source /tmp/remind_national.db] [--producers 10000] [--workers 2] [--budget N]

or on PostgreSQL (the national data is generated into that database when it has none; the
benchmark's own rows from an earlier run are deleted first):

    python bench/remind_bench.py --pg-url postgresql://postgres@127.0.0.1:5432/bench_remind

The source database is copied first (the run adds accounts, outbox and reminder rows).
Sender settings come from SENDER_* variables (defaults of bot.sender.SenderConfig).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot import remind as runner  # noqa: E402
from bench.procstat import cpu_seconds, free_port  # noqa: E402
from bot.fakeline import busiest_second  # noqa: E402
from models import (LineAccount, OutboxMessage, OutboxStatus, Producer, RegistrationStatus, Role,  # noqa: E402
                    make_engine, make_session_factory, unit_of_work)
from registry.completeness import issues_for_records  # noqa: E402
from registry.reminders import ReminderConfig  # noqa: E402
from bot.sender import SenderConfig  # noqa: E402

TOKEN, SECRET = "bench-token", "bench-secret"
PUSH_LIMIT = 2000
NOW = datetime(2026, 3, 9, 3, 0, tzinfo=timezone.utc)  # a Monday, 10:00 in Bangkok


def setup_accounts(factory, n: int) -> int:  # type: ignore[no-untyped-def]
    """LINE accounts for the first `n` active producers whose record misses something."""
    made = 0
    with unit_of_work(factory) as s:
        last = 0
        while made < n:
            ids = list(s.scalars(select(Producer.id).where(Producer.status == RegistrationStatus.ACTIVE, Producer.id > last)
                                 .order_by(Producer.id).limit(2000)))
            if not ids:
                break
            last = ids[-1]
            own = issues_for_records(s, "producers", ids)
            rows = s.execute(select(Producer.id, Producer.province_code, Producer.district_code).where(Producer.id.in_(ids)))
            for pid, prov, dist in rows:
                if made < n and own.get(pid):
                    s.add(LineAccount(user_id=f"U{pid:032x}", role=Role.PRODUCER, province_code=prov, district_code=dist,
                                      producer_id=pid, following=True))
                    made += 1
    return made


def fake_capacity(fake: FakeServer, n: int = 2000, threads: int = 8) -> float:
    """The baseline, measured in the same run: push requests/s the fake LINE API (validating
    every body against LINE's OpenAPI) answers to a bare urllib3 client in this process with
    `threads` threads, no database. The sender cannot go faster than this here."""
    import json
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    import urllib3

    pool = urllib3.PoolManager(maxsize=threads)
    body = json.dumps({"to": "U" + "f" * 32, "messages": [{"type": "text", "text": "ทดสอบ"}]}).encode()

    def one(_: int) -> int:
        return pool.request("POST", fake.url + "/v2/bot/message/push", body=body, headers={
            "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json",
            "X-Line-Retry-Key": str(uuid.uuid4())}).status

    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as ex:
        assert set(ex.map(one, range(n))) == {200}
    rate = n / (time.perf_counter() - t0)
    fake.reset()
    return rate


class FakeServer:
    """The fake LINE API the workers send to: served by gunicorn (gthread, one worker process,
    so its counters stay in one process; the default) or by werkzeug's development server in
    this process (`--fake werkzeug`, as before). `stats()` is what bench.fakeline_app reports."""

    def __init__(self, kind: str, validate: bool, threads: int = 16) -> None:
        import urllib3

        self.kind, self._http = kind, urllib3.PoolManager()
        if kind == "werkzeug":
            from bench.fakeline_app import create, stats

            self._app = create(TOKEN, validate)
            self._stats = lambda: stats(self._app.fake)
            self.url = self._app.fake.start().url
            self.pid = os.getpid()
            return
        self.url = f"http://127.0.0.1:{free_port()}"
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self._proc = subprocess.Popen([gunicorn, "--worker-class", "gthread", "--workers", "1", "--threads", str(threads),
                                       "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "300",
                                       f"bench.fakeline_app:create(access_token={TOKEN!r}, validate={validate})"],
                                      cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 60
        while True:
            try:
                self.stats()
                break
            except Exception:
                if time.monotonic() > deadline or self._proc.poll() is not None:
                    raise SystemExit("the fake LINE API (gunicorn) did not start")
                time.sleep(0.2)
        children = Path(f"/proc/{self._proc.pid}/task/{self._proc.pid}/children").read_text().split()
        self.pid = int(children[0])  # the one worker process: the fake's CPU is counted there

    def stats(self) -> dict:  # type: ignore[type-arg]
        if self.kind == "werkzeug":
            return self._stats()
        import json

        return json.loads(self._http.request("GET", self.url + "/__fake__/stats").data)

    def reset(self) -> None:
        if self.kind == "werkzeug":
            self._app.fake.reset()
        else:
            self._http.request("POST", self.url + "/__fake__/reset")

    def stop(self) -> None:
        if self.kind == "werkzeug":
            self._app.fake.stop()
        else:
            self._proc.terminate()
            self._proc.wait(10)


def _database_cpu(factory) -> float | None:  # type: ignore[no-untyped-def]
    """CPU seconds of the PostgreSQL backends of this database other than this session (the
    workers' connections, opened for the run), read from /proc: PostgreSQL on this machine."""
    from sqlalchemy import text

    with factory() as s:
        if s.bind.dialect.name != "postgresql":
            return None
        pids = s.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                              "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")).all()
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:  # a backend that ended meanwhile
            pass
    return total


def prepare_postgres(url: str, engine, factory) -> None:  # type: ignore[no-untyped-def]
    """Migrate; generate the national demo data when the database has none; remove the rows an
    earlier run of this benchmark added (accounts, outbox, reminder log)."""
    from sqlalchemy import delete

    from bot.db import upgrade
    from models import ReminderLog
    from registry.demo import generate

    upgrade(url, engine)
    with factory() as s:
        empty = s.scalar(select(Producer.id).limit(1)) is None
    if empty:
        t0 = time.perf_counter()
        generate(factory, scale="full", seed=1)
        print(f"national demo data generated in {time.perf_counter() - t0:.1f} s")
    with unit_of_work(factory) as s:
        for model in (OutboxMessage, ReminderLog, LineAccount):
            s.execute(delete(model))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default="/tmp/remind_national.db")
    ap.add_argument("--work", default="/tmp/remind_bench.db")
    ap.add_argument("--producers", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-validate", dest="validate", action="store_false",
                    help="the fake skips checking bodies against LINE's OpenAPI (it checks every one by default)")
    ap.add_argument("--rate", type=float, default=None, help="SENDER_PUSH_RATE for the workers (the channel's rate)")
    ap.add_argument("--store", choices=["auto", "redis", "postgres", "local"], default=None, help="SENDER_RATE_STORE")
    ap.add_argument("--resend", action="store_true",
                    help="reuse --work as planned by an earlier run: its nudges are set pending again (no setup, no plan)")
    ap.add_argument("--budget", type=int, default=None, help="REMIND_MONTHLY_BUDGET for the plan (messages)")
    ap.add_argument("--pg-url", default=None, help="Run on this PostgreSQL database instead of an SQLite copy.")
    ap.add_argument("--fake", choices=["gunicorn", "werkzeug"], default="gunicorn",
                    help="how the fake LINE API is served: gunicorn gthread, one worker (default), or werkzeug in this process")
    ap.add_argument("--worker-root", default=str(ROOT),
                    help="run the workers from this checkout (e.g. main's, to compare the sender's code back to back)")
    args = ap.parse_args()

    if args.resend:
        url = args.pg_url or f"sqlite:///{args.work}"
        engine = make_engine(url)
        factory = make_session_factory(engine)
        resend(factory)
    elif args.pg_url:
        url = args.pg_url
        engine = make_engine(url)
        factory = make_session_factory(engine)
        prepare_postgres(url, engine, factory)
    else:
        shutil.copyfile(args.source, args.work)
        url = f"sqlite:///{args.work}"
        engine = make_engine(url)
        factory = make_session_factory(engine)
    print(f"database: {engine.dialect.name}")
    if not args.resend:
        plan(factory, args)
    send(url, factory, args)


def resend(factory) -> None:  # type: ignore[no-untyped-def]
    """The nudges of an earlier run, pending again as they were planned (same rows and keys)."""
    from sqlalchemy import update

    with unit_of_work(factory) as s:
        n = s.execute(update(OutboxMessage).where(OutboxMessage.purpose == "remind:nudge",
                                                  OutboxMessage.status != OutboxStatus.HELD)
                      .values(status=OutboxStatus.PENDING, attempts=0, sent_at=None, claimed_by=None, claimed_at=None,
                              in_doubt=False, last_error=None, not_before=NOW)).rowcount
    print(f"resend: {n:,} nudges of an earlier run pending again")


def plan(factory, args) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    made = setup_accounts(factory, args.producers)
    print(f"setup: {made:,} LINE accounts for incomplete producers in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    config = ReminderConfig(monthly_budget=args.budget)
    report = runner.run(factory, NOW, config, jobs=("nudge",))
    plans = report.plans
    print(f"plan + write: {len(plans):,} nudges, {report.outbox_rows:,} outbox rows in {report.seconds:.1f} s"
          + (f"; budget {args.budget:,}: {len(report.held):,} held ({report.held_cost:,} messages)" if args.budget else ""))
    again = runner.run(factory, NOW, config, jobs=("nudge",))
    print(f"second run: {len(again.plans)} planned, {again.written} written (idempotent)")


def send(url: str, factory, args) -> None:  # type: ignore[no-untyped-def]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log line per request
    fake = FakeServer(args.fake, args.validate)  # reads LINE's spec before the clock runs (about 2 s)
    baseline = fake_capacity(fake)
    print(f"baseline: the fake LINE API ({args.fake}) answers {baseline:,.0f} push req/s to a bare client "
          f"(8 threads, no database; bodies {'validated' if args.validate else 'not validated'})")
    env = {**os.environ, "DATABASE_URL": url, "LINE_API_BASE_URL": fake.url, "LINE_CHANNEL_SECRET": SECRET,
           "LINE_CHANNEL_ACCESS_TOKEN": TOKEN}
    if args.rate:
        env["SENDER_PUSH_RATE"] = f"{args.rate:g}"
    if args.store:
        env["SENDER_RATE_STORE"] = args.store
    settings = {k: v for k, v in env.items() if k.startswith("SENDER_")}
    load_before = os.getloadavg()[0]
    fake_cpu0 = cpu_seconds(fake.pid)
    t0 = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "-m", "bot", "worker", "--clock-start", NOW.isoformat()],
                                cwd=args.worker_root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(args.workers)]
    samples: list[tuple[float, float]] = []  # (monotonic time, the workers' CPU seconds so far)
    try:
        while True:
            samples.append((time.monotonic(), sum(cpu_seconds(w.pid) for w in workers)))
            with factory() as s:
                left = s.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                    OutboxMessage.purpose == "remind:nudge"))
            if not left:
                break
            if any(w.poll() is not None for w in workers):
                raise SystemExit("a worker died")
            time.sleep(0.2)
        workers_cpu_end = sum(cpu_seconds(w.pid) for w in workers)
        database_cpu = _database_cpu(factory)
    finally:
        for w in workers:
            w.terminate()
            w.wait(10)
    wall = time.perf_counter() - t0
    load_after = os.getloadavg()[0]
    stats = fake.stats()
    fake_cpu = cpu_seconds(fake.pid) - fake_cpu0
    calls = [(at, status) for path, at, status in stats["calls"] if path == "/v2/bot/message/push"]
    stamps = sorted(at for at, _ in calls)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    rate = (len(calls) - 1) / span if span else 0.0
    # the workers' CPU from the sample just before the first push (start-up and imports excluded)
    started = max((cpu for at, cpu in samples if at <= stamps[0]), default=samples[0][1]) if stamps else 0.0
    sender_ms = 1000 * (workers_cpu_end - started) / max(1, len(calls))
    fake_ms = 1000 * fake_cpu / max(1, len(calls))
    configured = SenderConfig.from_env(env).rates["push"]
    busiest = busiest_second(stamps)
    with factory() as s:
        statuses = Counter(dict(s.execute(select(OutboxMessage.status, func.count()).where(
            OutboxMessage.purpose == "remind:nudge").group_by(OutboxMessage.status)).all()))
    print(f"send: {len(calls):,} push requests by {args.workers} worker(s) {settings or '(default SENDER_* settings)'}, "
          f"pacing store: {SenderConfig.from_env(env).rate_store} (REDIS_URL {'set' if env.get('REDIS_URL') else 'unset'})"
          + ("" if args.worker_root == str(ROOT) else f", workers' code from {args.worker_root}"))
    print(f"      first to last request {span:.1f} s ({wall:.1f} s with worker start-up): {rate:,.0f} req/s = "
          f"{rate / configured:.0%} of the configured {configured:,.0f}/s, {rate / baseline:.0%} of the baseline; "
          f"{rate / PUSH_LIMIT:.0%} of LINE's "
          f"{PUSH_LIMIT:,} req/s; busiest one-second window {busiest:,} requests "
          f"({busiest / configured:.1%} of the configured rate, {busiest / PUSH_LIMIT:.0%} of LINE's limit)")
    database = (f"PostgreSQL's backends serving the workers {1000 * database_cpu / max(1, len(calls)):.2f} ms"
                if database_cpu is not None else "the database is in the senders' processes (SQLite)")
    print(f"      CPU per push: senders {sender_ms:.2f} ms (both workers, from their first push), fake LINE API "
          f"{fake_ms:.2f} ms ({args.fake}), {database}")
    print(f"      nudge rows: {', '.join(f'{k.value} {n:,}' for k, n in sorted(statuses.items()))}; users with more than "
          f"one delivery: {stats['users_twice']}; retry keys accepted more than once: {stats['keys_twice']}; "
          f"409s: {sum(1 for _, status in calls if status == 409)}; "
          f"schema failures: {stats['schema_failures']}{'' if args.validate else ' (bodies not validated)'}")
    print(f"      load average (1 min) {load_before:.1f} before sending, {load_after:.1f} after, on {os.cpu_count()} cores")
    fake.stop()


if __name__ == "__main__":
    main()
