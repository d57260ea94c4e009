#!/usr/bin/env python3
"""What encrypting personal fields at rest costs (models.pii), beside a baseline in the same run.

    python bench/pii_bench.py [--db sqlite|postgresql|both] [--scale small|full] [--pg-url URL]
                              [--modes plain,encrypted]

For each database, twice: "plain" (the same code with a keyring whose seal/open are the
identity: the columns hold the values as typed, the lookup hash is still computed: the code
before encryption) and "encrypted" (AES-256-GCM, the real keyring). Each time, every step in
its own subprocess (`bench/registry_bench.py`'s steps: wall time, peak RSS of the process and
of the import's parsing helper, CPU seconds of the process (+ the helper's; a database server's
own CPU is not counted), the 1-minute load average at its end): a fresh schema, demo
data, export of the registry as CSV, import of that export into an emptied registry,
re-import of the same file (nothing changes), then search by national ID (the keyed-hash
lookup and decrypting the record) for 2,000 IDs (median microseconds per lookup).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from models import pii  # noqa: E402

SQLITE_URL = "sqlite:////tmp/pii_bench.db"
PG_URL = "postgresql://postgres@127.0.0.1:5432/bench_pdpa"
STEPS = ("reset", "demo", "export_csv", "wipe", "import", "reimport", "search")


class PlainKeyring(pii.Keyring):
    """The baseline: values stored as they are (what the code did before encryption)."""

    def seal(self, plaintext: str, purpose: str) -> str:
        return plaintext

    def open(self, token: str, purpose: str) -> str:
        return token


def search(url: str) -> dict:  # type: ignore[type-arg]
    from sqlalchemy import select

    from models import Producer, make_engine, make_session_factory
    from models.pii import blind_national_id

    factory = make_session_factory(make_engine(url))
    with factory() as s:
        ids = [n for n in s.scalars(select(Producer.national_id)) if n and len(n) == 13]
    times = []
    with factory() as s:
        for nid in random.Random(1).sample(ids, min(2000, len(ids))):
            t0 = time.perf_counter()
            found = s.scalars(select(Producer).where(Producer.national_id_hash == blind_national_id(nid))).first()
            assert found is not None and found.national_id == nid
            times.append(time.perf_counter() - t0)
            s.expunge_all()
    return {"search_us": round(statistics.median(times) * 1e6)}


def step(name: str, url: str, work: str, mode: str, scale: str) -> dict:  # type: ignore[type-arg]
    """One step in this (sub)process, under the mode's keyring."""
    import bench.registry_bench as rb

    pii.configure((PlainKeyring if mode == "plain" else pii.Keyring)([pii.DEV_KEY], pii.DEV_HASH_KEY, dev=True))
    if name == "search":
        started = time.perf_counter()
        out = search(url)
        return {"step": name, "seconds": round(time.perf_counter() - started, 2),
                "load": round(os.getloadavg()[0], 2), **out}
    if name == "demo" and scale != "full":
        from registry.demo import generate

        started = time.perf_counter()
        generate(rb._factory(url), scale=scale, seed=1, as_of=rb.AS_OF)  # noqa: SLF001
        return {"step": name, "seconds": round(time.perf_counter() - started, 2), "load": round(os.getloadavg()[0], 2)}
    return rb.step(name, url, work)


def run(url: str, work: str, name: str, mode: str, scale: str) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run([sys.executable, __file__, "--step", name, "--url", url, "--work", work,
                           "--mode", mode, "--scale", scale], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"step {name} ({mode}) failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def figure(r: dict) -> str:  # type: ignore[type-arg]
    if "search_us" in r:
        return f"{r['search_us']} µs [{r['load']}]"
    mb = r.get("peak_total_mb", r.get("peak_mb"))
    cpu = "" if "cpu_s" not in r else f", CPU {r['cpu_s']}" + (f" + {r['helper_cpu_s']}" if "helper_cpu_s" in r else "") + " s"
    return f"{r['seconds']:.1f} s" + (f", {mb} MB" if mb else "") + cpu + f" [{r['load']}]"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--scale", choices=["small", "full"], default="small")
    ap.add_argument("--pg-url", default=PG_URL)
    ap.add_argument("--modes", default="plain,encrypted")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--mode", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.url, args.work, args.mode, args.scale), ensure_ascii=False))
        return
    urls = {"sqlite": SQLITE_URL, "postgresql": args.pg_url}
    modes = args.modes.split(",")
    print(f"scale {args.scale}; {os.cpu_count()} cores; load at start {os.getloadavg()[0]:.1f}", flush=True)
    for db in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        results: dict[str, dict[str, dict]] = {}  # type: ignore[type-arg]
        for mode in modes:
            with tempfile.TemporaryDirectory() as work:
                for name in STEPS:
                    r = run(urls[db], work, name, mode, args.scale)
                    print(f"{db} {mode} " + json.dumps(r, ensure_ascii=False), file=sys.stderr, flush=True)
                    results.setdefault(name, {})[mode] = r
        print(f"\n| {db} | " + " | ".join(modes) + " | cost |\n|---|" + "---|" * (len(modes) + 1))
        for name in ("export_csv", "import", "reimport", "search"):
            row = results[name]
            key = "search_us" if name == "search" else "seconds"
            cost = (f"{(row[modes[-1]][key] / row[modes[0]][key] - 1) * 100:+.0f}%" if len(modes) > 1 else "")
            print(f"| {name} | " + " | ".join(figure(row[m]) for m in modes) + f" | {cost} |", flush=True)


if __name__ == "__main__":
    main()
