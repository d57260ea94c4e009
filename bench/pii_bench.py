#!/usr/bin/env python3
"""What encrypting personal fields at rest costs (models.pii), beside a baseline in the same run.

    python bench/pii_bench.py [--db sqlite|postgresql|both] [--scale small|full] [--pg-url URL]

For each database, twice: "plain" (the same code with a keyring whose seal/open are the
identity: the columns hold the values as typed, the lookup hash is still computed) and
"encrypted" (AES-256-GCM, the real keyring). Each time: a fresh schema, demo data (not
timed), export of the registry as CSV, import of that export into an emptied registry, then
search by national ID (the keyed-hash lookup and decrypting the record) for 2,000 IDs.
Figures: wall seconds; for the search, microseconds per lookup (median).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from models import pii  # noqa: E402

SQLITE_URL = "sqlite:////tmp/pii_bench.db"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test_pdpa_crypto_bench"


class PlainKeyring(pii.Keyring):
    """The baseline: values stored as they are (what the code did before encryption)."""

    def seal(self, plaintext: str, purpose: str) -> str:
        return plaintext

    def open(self, token: str, purpose: str) -> str:
        return token


def _reset(url: str) -> None:
    from sqlalchemy import text

    from bot.db import upgrade
    from models import make_engine

    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    else:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)


def run(url: str, scale: str, mode: str) -> dict[str, float]:
    from sqlalchemy import select

    from models import Producer, make_engine, make_session_factory, unit_of_work
    from models.pii import blind_national_id
    from registry.demo import generate, wipe_registry
    from registry.exporter import export_registry
    from registry.importer import import_files

    pii.configure((PlainKeyring if mode == "plain" else pii.Keyring)([pii.DEV_KEY], pii.DEV_HASH_KEY, dev=True))
    _reset(url)
    factory = make_session_factory(make_engine(url))
    generate(factory, scale=scale, seed=1, as_of=date(2024, 1, 26))
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with factory() as s:
            export_registry(s, tmp, fmt="csv")
        out["export"] = time.perf_counter() - started
        with factory() as s:
            ids = [n for n in s.scalars(select(Producer.national_id)) if n and len(n) == 13]
        with unit_of_work(factory) as s:
            wipe_registry(s)
        started = time.perf_counter()
        report = import_files(factory, sorted(Path(tmp).glob("*.csv")), actor="bench")
        out["import"] = time.perf_counter() - started
        out["producers"] = report.sheets["producers"].created
    sample = random.Random(1).sample(ids, min(2000, len(ids)))
    times = []
    with factory() as s:
        for nid in sample:
            t0 = time.perf_counter()
            found = s.scalars(select(Producer).where(Producer.national_id_hash == blind_national_id(nid))).first()
            assert found is not None and found.national_id == nid
            times.append(time.perf_counter() - t0)
            s.expunge_all()
    out["search_us"] = statistics.median(times) * 1e6
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--scale", choices=["small", "full"], default="small")
    ap.add_argument("--pg-url", default=PG_URL)
    args = ap.parse_args()
    urls = {"sqlite": SQLITE_URL, "postgresql": args.pg_url}
    chosen = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(f"scale {args.scale}; load {os.getloadavg()[0]:.1f}")
    print("| database | step | plain | encrypted | cost |")
    print("|---|---|---|---|---|")
    for db in chosen:
        plain = run(urls[db], args.scale, "plain")
        enc = run(urls[db], args.scale, "encrypted")
        for step, unit in (("export", "s"), ("import", "s"), ("search_us", "µs")):
            name = {"search_us": "search by national ID (median)"}.get(step, f"{step} ({int(enc['producers'])} producers)")
            print(f"| {db} | {name} | {plain[step]:.2f} {unit} | {enc[step]:.2f} {unit} | "
                  f"{(enc[step] / plain[step] - 1) * 100:+.0f}% |", flush=True)


if __name__ == "__main__":
    main()
