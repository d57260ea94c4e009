"""NLU figures: accuracy (all / held-out / dev), keyword baseline, latency, warm-up, import, memory.

Latency is measured two ways: over the evaluation set (varied text, each utterance in its own
context, the set run 20 times), and as the median of one officer message repeated (the
messages issue 6 was measured with). Nothing in `parse` caches by text, so both show the cost
of new text.

Run single-core:  taskset -c 0 python bench/nlu_bench.py
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_time() -> float:
    """Seconds to `import nlu` in a fresh interpreter (median of 3)."""
    code = "import time; t=time.perf_counter(); import nlu; print(time.perf_counter()-t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                 env=os.environ).stdout) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    base = rss_mb()
    t = time.perf_counter()
    import nlu  # noqa: F401
    from nlu import parse, warm_up
    from nlu.evaluation import keyword_baseline, load, score
    imported = rss_mb()
    t_import_here = time.perf_counter() - t

    warm = warm_up()
    warmed = rss_mb()

    examples = load()
    parts = {"all": examples, "heldout": [e for e in examples if e.split == "heldout"],
             "dev": [e for e in examples if e.split == "dev"]}
    baseline = keyword_baseline()
    print(f"{'part':8} {'n':>4} {'intent':>7} {'place':>11} {'slots':>11} | {'keyword baseline intent':>24}")
    for name, part in parts.items():
        s = score(part, parse)
        b = score(part, baseline)
        print(f"{name:8} {s.n:4d} {s.intent_accuracy:7.1%} {s.place_accuracy:6.1%} n={s.place_n:<3d}"
              f" {s.slot_accuracy:6.1%} n={s.slot_n:<3d} | {b.intent_accuracy:24.1%}")

    times = []
    for _ in range(20):
        for e in examples:
            t0 = time.perf_counter_ns()
            parse(e.text, e.context)
            times.append(time.perf_counter_ns() - t0)
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] / 1000  # noqa: E731
    print(f"parse latency over {len(times)} calls: p50 {p(0.50):.0f} µs, p90 {p(0.90):.0f} µs, "
          f"p99 {p(0.99):.0f} µs, max {times[-1] / 1000:.0f} µs")
    # The independent sets: text written apart from the rules, each line in its role's context,
    # beside the keyword baseline timed on the same lines in the same run.
    from nlu.eval_sets import FRESH, INDEPENDENT, SHARED_DEV, load_jsonl

    lines = load_jsonl(INDEPENDENT) + load_jsonl(FRESH) + (load_jsonl(SHARED_DEV) if SHARED_DEV.exists() else [])
    pairs = [(ln.text, ln.context) for ln in lines]
    for label, fn in (("parse", parse), ("keyword baseline", baseline)):
        ts = []
        for _ in range(5):
            for text, ctx in pairs:
                t0 = time.perf_counter_ns()
                fn(text, ctx)
                ts.append(time.perf_counter_ns() - t0)
        ts.sort()
        q = lambda x: ts[min(len(ts) - 1, int(x * len(ts)))] / 1000  # noqa: E731
        print(f"{label:16} over the independent sets ({len(ts)} calls): p50 {q(0.50):.0f} µs, "
              f"p99 {q(0.99):.0f} µs, max {ts[-1] / 1000:.0f} µs")
    print(f"load average: {os.getloadavg()}")
    from nlu import Context

    district = Context(role="district", province_code="50", district_code="5001")
    province = Context(role="province", province_code="50")
    for text, ctx in (("อะไรยังไม่ครบในอำเภอเมืองเชียงใหม่", district), ("รายงานจังหวัด", province),
                      ("คำขอรออนุมัติ", district), ("ค้นหา น้ำพริกแม่บุญ", district)):
        runs = []
        for _ in range(2000):
            t0 = time.perf_counter_ns()
            parse(text, ctx)
            runs.append(time.perf_counter_ns() - t0)
        print(f"  repeated, median of 2000: {statistics.median(runs) / 1000:4.0f} µs  {text} ({ctx.role})")
    print(f"warm_up(): {warm * 1000:.0f} ms")
    print(f"import nlu: {import_time() * 1000:.0f} ms in a fresh interpreter ({t_import_here * 1000:.0f} ms here)")
    print(f"RSS: interpreter {base:.1f} MB, +{imported - base:.1f} MB import, +{warmed - imported:.1f} MB warm-up "
          f"(NLU total +{warmed - base:.1f} MB)")
    try:
        print(f"CPU affinity: {sorted(os.sched_getaffinity(0))}")
    except AttributeError:
        pass


if __name__ == "__main__":
    main()
