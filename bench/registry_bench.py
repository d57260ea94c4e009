#!/usr/bin/env python3
"""Registry core benchmark at national scale (98,151 producers, 223,255 products).

    python bench/registry_bench.py [--db sqlite|postgresql|both] [--pg-url URL]

For each database: demo-data generation, export (CSV, XLSX), import of the national CSV
export into an emptied registry, re-import (no changes), missing-field counts for one
district (median / p95 over every district with records) and the all-province reports.
Each heavy step runs in its own subprocess, which reports its wall time, peak RSS
(resource.getrusage(RUSAGE_SELF).ru_maxrss; for the import also its parsing helper's,
RUSAGE_CHILDREN, and the sum), its CPU seconds (user + system; the helper's apart) and the
1-minute load average at its end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

AS_OF = date(2024, 1, 26)
SQLITE_URL = "sqlite:////tmp/registry_bench.db"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test_registry"


def _factory(url: str):  # type: ignore[no-untyped-def]
    from models import make_engine, make_session_factory

    return make_session_factory(make_engine(url))


def step(name: str, url: str, work: str) -> dict:  # type: ignore[type-arg]
    """Run one step in this process (called in a subprocess) and return its figures."""
    started = time.perf_counter()
    extra: dict = {}  # type: ignore[type-arg]
    if name == "reset":
        if url.startswith("sqlite:///"):
            for suffix in ("", "-wal", "-shm"):
                Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
        else:
            from sqlalchemy import text

            from models import make_engine

            engine = make_engine(url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        from bot.db import upgrade

        upgrade(url)
    elif name == "demo":
        from registry.demo import generate

        extra["rows"] = generate(_factory(url), scale="full", seed=1, as_of=AS_OF).rows
    elif name in ("export_csv", "export_xlsx"):
        from registry.exporter import export_registry

        fmt = name.split("_")[1]
        with _factory(url)() as session:
            res = export_registry(session, Path(work) / fmt, fmt=fmt)
        extra["bytes"] = sum(p.stat().st_size for p in res.paths)
    elif name == "wipe":
        from models import unit_of_work
        from registry.demo import wipe_registry

        with unit_of_work(_factory(url)) as session:
            wipe_registry(session)
    elif name in ("import", "reimport"):
        from registry.importer import import_files

        report = import_files(_factory(url), sorted((Path(work) / "csv").glob("*.csv")))
        extra["counts"] = {s: vars(c) for s, c in report.sheets.items()}
    elif name == "queries":
        extra.update(queries(url))
    # A large import parses in a helper process: its peak is reported too, and their sum.
    # CPU seconds (user + system) too: on a loaded machine they vary far less than wall time.
    usage = {who: resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)}
    peak, child = (round(u.ru_maxrss / 1024) for u in usage.values())
    cpu, child_cpu = (round(u.ru_utime + u.ru_stime, 1) for u in usage.values())
    return {"step": name, "seconds": round(time.perf_counter() - started, 2), "peak_mb": peak, "cpu_s": cpu,
            **({"helper_peak_mb": child, "peak_total_mb": peak + child, "helper_cpu_s": child_cpu} if child else {}),
            "load": round(os.getloadavg()[0], 2), **extra}


def queries(url: str) -> dict:  # type: ignore[type-arg]
    from sqlalchemy import distinct, select

    from models import Producer
    from registry import cache
    from registry.completeness import area_counts, child_area_counts
    from registry.reports import province_table

    out: dict = {}  # type: ignore[type-arg]
    with _factory(url)() as session:
        districts = list(session.scalars(select(distinct(Producer.district_code)).order_by(Producer.district_code)))
        area_counts(session, districts[0])  # warm up
        times = []
        for code in districts:
            t = time.perf_counter()
            area_counts(session, code)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        out["districts"] = len(districts)
        out["district_counts_ms_median"] = round(statistics.median(times), 2)
        out["district_counts_ms_p95"] = round(times[int(len(times) * 0.95) - 1], 2)
        out["district_counts_ms_max"] = round(times[-1], 2)
        for label, fn in (("province_table_ms", lambda: province_table(session)),
                          ("province_completeness_ms", lambda: child_area_counts(session, None)),
                          ("national_counts_ms", lambda: area_counts(session, None))):
            for suffix, use_cache in (("_uncached", False), ("_cached", True)):  # uncached: the cost after
                cache.enabled = use_cache                                         # a restart or a bulk change
                runs = []
                for _ in range(3):
                    t = time.perf_counter()
                    fn()
                    runs.append((time.perf_counter() - t) * 1000)
                out[label.replace("_ms", suffix + "_ms")] = round(statistics.median(runs), 1)
    return out


def run(url: str, work: str, name: str) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run([sys.executable, __file__, "--step", name, "--url", url, "--work", work],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"step {name} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench(url: str) -> list[dict]:  # type: ignore[type-arg]
    results = []
    with tempfile.TemporaryDirectory() as work:
        for name in ("reset", "demo", "export_csv", "export_xlsx", "wipe", "import", "reimport", "queries"):
            r = run(url, work, name)
            print(json.dumps(r, ensure_ascii=False), flush=True)
            results.append(r)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--pg-url", default=PG_URL)
    ap.add_argument("--sqlite-url", default=SQLITE_URL)
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.url, args.work), ensure_ascii=False))
        return
    urls = {"sqlite": [args.sqlite_url], "postgresql": [args.pg_url],
            "both": [args.sqlite_url, args.pg_url]}[args.db]
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}", flush=True)
    for url in urls:
        print(f"== {url}", flush=True)
        bench(url)


if __name__ == "__main__":
    main()
