"""Closed-loop load beside line-bot-sdk's echo bot, in the same run (issue 18).

Both run as the Procfile runs the bot: gunicorn, 2 workers x 4 threads (the echo bot is
`bench/sdk_echo.py`, the SDK's example). N simulated users (N = 10, 50, 200 by default), each
sending its next message as soon as the reply to the previous one has reached the local fake
LINE API; a producer/officer mix on the national demo data (producers: my record, what is
missing, the menu, request status; district officers: the district's overview, what is
missing, the producers list; central officers: the national report). For each N, the echo
bot then the bot, `--seconds` each. Printed per run: events/s, reply latency p50/p99 (signed
POST to the reply's arrival at the fake), ack p50 / p99 (POST to the webhook's 200), ack p99
of the messages sent after the start's burst (the N first messages leave at the same
instant, a burst that 8 server threads take a while to drain, and messages sent before its
last ack wait behind it: a start-up artefact of the closed loop, shown apart; how many such
messages in brackets), web CPU per message (user + system time of the gunicorn processes, from /proc,
divided by the messages answered), this client's own CPU (cores: all its threads and the
fake LINE API share one interpreter), timeouts, and the load average (the machine is shared:
figures move with it).
Start to healthy (gunicorn started -> /healthz or / answering) is printed for both.

    python bench/load_bench.py --db postgresql://postgres@127.0.0.1:5432/bench_perf --seconds 10
    python bench/load_bench.py --db sqlite:////tmp/perf_national.db --users 10,50 --seconds 8

The database needs `python -m bot demo-data --scale full`; the bench adds its accounts
(user ids starting "Uload").
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.procstat import cpu_seconds, free_port  # noqa: E402
from bench.officer_bench import SECRET, TOKEN, TimedFake, _p99  # noqa: E402
from models import LineAccount, Producer, RegistrationStatus, Role, make_engine, make_session_factory, unit_of_work  # noqa: E402

PRODUCER_TEXTS = ("ข้อมูลของฉัน", "ยังขาดอะไร", "เมนู", "สถานะคำขอของฉัน")
DISTRICT_TEXTS = ("ภาพรวมอำเภอ", "ขาดอะไรบ้าง", "รายชื่อผู้ผลิต")
CENTRAL_TEXTS = ("รายงานทั้งประเทศ",)


def accounts(db_url: str, n: int, officer_share: float) -> list[tuple[str, tuple[str, ...]]]:
    """n users: producers linked to active producers spread over the country, district
    officers of their districts, one central officer in ten officers."""
    factory = make_session_factory(make_engine(db_url))
    n_officers = max(1, round(n * officer_share))
    with unit_of_work(factory) as s:
        producers = s.execute(select(Producer.id, Producer.province_code, Producer.district_code)
                              .where(Producer.status == RegistrationStatus.ACTIVE)
                              .order_by(Producer.id).limit(40000)).all()
        rng = random.Random(18)
        chosen = rng.sample(producers, n)
        users = []
        for i, (pid, prov, dist) in enumerate(chosen):
            uid = f"Uload{i:027d}"
            if i < n_officers:
                central = i % 10 == 9
                role = Role.CENTRAL if central else Role.DISTRICT
                values = dict(role=role, province_code=None if central else prov,
                              district_code=None if central else dist, producer_id=None)
                texts = CENTRAL_TEXTS if central else DISTRICT_TEXTS
            else:
                values = dict(role=Role.PRODUCER, province_code=prov, district_code=dist, producer_id=pid)
                texts = PRODUCER_TEXTS
            account = s.get(LineAccount, uid) or LineAccount(user_id=uid, following=True)
            for k, v in values.items():
                setattr(account, k, v)
            s.add(account)
            users.append((uid, texts))
    return users


def start(app: str, env: dict[str, str], probe: str, root: Path = ROOT,
          threads: int = 4) -> tuple[subprocess.Popen, str, float, float]:
    """gunicorn as in the Procfile; returns the process, the callback URL, start to healthy
    (the probe answers) and start to loaded (the bot's /healthz no longer says "warming"), s."""
    port = free_port()
    began = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", app, "--workers", "2", "--threads", str(threads),
                             "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"],
                            cwd=root, env=dict(env, PYTHONPATH=f"{root}:{ROOT}"))
    healthy, loaded = None, 0
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1) as resp:
                warming = b"warming" in resp.read()
        except urllib.error.HTTPError:
            warming = False  # answering (the echo bot has no health page: 404 / 405 is up)
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"{app} did not start")
            time.sleep(0.05)
            continue
        healthy = healthy or time.perf_counter() - began
        loaded = 0 if warming else loaded + 1
        if loaded >= 10:  # ten answers in a row from loaded workers: both are
            break
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port}/callback", healthy, time.perf_counter() - began


def gunicorn_cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's master and workers."""
    pids = [master] + [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:
            pass
    return total


def run(fake: TimedFake, url: str, master: int, users: list[tuple[str, tuple[str, ...]]], seconds: float) -> dict:
    replies: list[float] = []
    acks: list[float] = []
    sent_acks: list[tuple[float, float]] = []  # (sent at, ack ms)
    first_acked: list[float] = []  # when each user's first message was acknowledged
    timeouts = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    barrier = threading.Barrier(len(users) + 1)

    def user(uid: str, texts: tuple[str, ...], seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        first = True
        while time.perf_counter() < stop:
            req, token, done, arrived = fake.signed(url, uid, rng.choice(texts))
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    resp.read()
                acked = time.perf_counter()
                ok = done.wait(30) and arrived
            except OSError:
                ok = False
            with lock:
                if ok:
                    acks.append((acked - began) * 1000)
                    sent_acks.append((began, (acked - began) * 1000))
                    if first:
                        first_acked.append(acked)
                    replies.append((arrived[0] - began) * 1000)
                else:
                    timeouts[0] += 1
                    fake.waiting.pop(token, None)
            first = False

    threads = [threading.Thread(target=user, args=(uid, texts, i), daemon=True) for i, (uid, texts) in enumerate(users)]
    for t in threads:
        t.start()
    cpu_before, load_before, own_before = gunicorn_cpu_seconds(master), os.getloadavg()[0], os.times()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join(seconds + 60)
    elapsed = time.perf_counter() - began
    cpu = gunicorn_cpu_seconds(master) - cpu_before
    own = os.times()
    client = (own.user + own.system - own_before.user - own_before.system) / elapsed
    n = len(replies)
    # The N first messages leave at the same instant (the barrier): measured apart, every
    # message sent after the last of them was acknowledged (before: caught in that burst).
    burst_over = max(first_acked) if len(first_acked) == len(users) else float("inf")
    acks_later = [ms for sent, ms in sent_acks if sent >= burst_over]
    return {"events/s": n / elapsed, "p50": statistics.median(replies) if n else float("nan"),
            "p99": _p99(replies) if n else float("nan"), "ack p99": _p99(acks) if n else float("nan"),
            "ack p50": statistics.median(acks) if n else float("nan"),
            "ack p99 later": _p99(acks_later) if acks_later else float("nan"), "n later": len(acks_later),
            "cpu ms/msg": cpu * 1000 / n if n else float("nan"), "timeouts": timeouts[0],
            "load": f"{load_before:.1f}/{os.getloadavg()[0]:.1f}",
            "client": client}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--users", default="10,50,200")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--officers", type=float, default=0.3, help="share of officers among the users")
    ap.add_argument("--root", type=Path, default=ROOT, help="the bot's code to run (e.g. a checkout of main)")
    ap.add_argument("--app", default="bot.app:serve()", help='gunicorn app ("bot.app:create_app()" before issue 18)')
    ap.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker, both servers (Procfile: 4)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.users.split(",")]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    users = accounts(args.db, max(sizes), args.officers)
    fake = TimedFake()
    fake.validate = False  # the schema check is test machinery (~2 ms a request), not the bot's cost
    fake.start()
    env = dict(os.environ, DATABASE_URL=args.db, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
               LINE_API_BASE_URL=fake.url, PII_DEV_KEYS="1", PYTHAINLP_OFFLINE="1", PYTHAINLP_READ_ONLY="1",
               PYTHONPATH=str(ROOT))
    echo_app = f"bench.sdk_echo:create_echo_app('{SECRET}', '{TOKEN}', '{fake.url}')"
    procs = []
    try:
        echo, echo_url, echo_start, _ = start(echo_app, env, "/", threads=args.threads)
        procs.append(echo)
        bot, bot_url, bot_start, bot_loaded = start(args.app, env, "/healthz", args.root, args.threads)
        procs.append(bot)
        print(f"{args.db.split(':')[0]}: start to healthy: echo {echo_start:.2f} s, bot {bot_start:.2f} s "
              f"(loaded and warmed: {bot_loaded:.2f} s); load average {os.getloadavg()[0]:.1f}", flush=True)
        run(fake, bot_url, bot.pid, users[:10], 2)  # warm both (first national answers, connections)
        run(fake, echo_url, echo.pid, users[:10], 1)
        print("| N | server | events/s | p50 ms | p99 ms | ack p50 / p99 ms | ack p99 after the start burst (n) | web CPU ms/msg | client CPU (cores) | timeouts | load before/after |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for n in sizes:
            for name, proc, url in (("echo", echo, echo_url), ("bot", bot, bot_url)):
                r = run(fake, url, proc.pid, users[:n], args.seconds)
                print(f"| {n} | {name} | {r['events/s']:.0f} | {r['p50']:.0f} | {r['p99']:.0f} | {r['ack p50']:.0f} / {r['ack p99']:.0f} | {r['ack p99 later']:.0f} ({r['n later']}) | "
                      f"{r['cpu ms/msg']:.1f} | {r['client']:.2f} | {r['timeouts']} | {r['load']} |", flush=True)
                time.sleep(1)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
        fake.stop()


if __name__ == "__main__":
    main()
