#!/usr/bin/env python3
"""Scan a database for national IDs stored in plain text (PDPA, issue 15), at any scale.

    PII_DEV_KEYS=1 python bench/pii_scan.py --url DATABASE_URL [--also 13DIGITS ...]

Reads every national ID the registry holds through the models (decrypted), plus any given
with --also (IDs typed in a chat session), then reads every row of every table as stored
(raw SQL: what is on disk, not what the models decrypt) and reports each text in which one
of those IDs appears: with or without dashes, spaces or dots, in Thai digits too. Exit code 1
when anything is found. The test `tests/bot/test_pii_at_rest.py` does the same at small scale.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

_RUN = re.compile(r"\d{13}")
_SEPARATORS = re.compile(r"[\s\-–.]")


def plain_ids(factory, wanted: set[str]) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(table, ID) for every stored text of any table holding one of `wanted` in plain text."""
    from sqlalchemy import text

    from models import Base
    from registry.ids import arabic_digits

    found = []
    with factory() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(text(f'SELECT * FROM "{table.name}"')):
                for value in row:
                    if value is None or isinstance(value, int | float):
                        continue
                    flat = _SEPARATORS.sub("", arabic_digits(str(value)))
                    found += [(table.name, run) for run in _RUN.findall(flat) if run in wanted]
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--also", nargs="*", default=[])
    args = ap.parse_args()
    from sqlalchemy import func, select

    from models import Base, Producer, make_engine, make_session_factory

    factory = make_session_factory(make_engine(args.url))
    started = time.perf_counter()
    with factory() as s:
        wanted = {n for n in s.scalars(select(Producer.national_id)) if n and len(n) == 13} | set(args.also)
        rows = {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}
    found = plain_ids(factory, wanted)
    print(f"{len(wanted):,} national IDs looked for in {sum(rows.values()):,} rows of {len(rows)} tables "
          f"({', '.join(f'{t} {n:,}' for t, n in rows.items() if n)}); {time.perf_counter() - started:.0f} s")
    print(f"found in plain text: {len(found)}" + "".join(f"\n  {t}: {nid}" for t, nid in found[:20]))
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
