#!/usr/bin/env python3
"""The project's two commands, needing only Python 3.11+ and pip.

    python3 dev.py start   # set up .venv, database, demo data; open the local chat
    python3 dev.py test    # set up .venv; run the tests (SQLite, and PostgreSQL when
                           # TEST_DATABASE_URL is set)

Any further arguments of `start` go to `python -m bot chat`; `test` passes them to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed"


def _deps_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> None:
    """Create .venv and install the project with its dev extras when pyproject.toml changed."""
    if not PY.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _deps_hash():
        return
    print("installing dependencies into .venv (first run takes a few minutes) ...", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_deps_hash())


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("PYTHAINLP_OFFLINE", "1")
    e.setdefault("PYTHAINLP_READ_ONLY", "1")
    if not e.get("PII_KEYS"):
        e.setdefault("PII_DEV_KEYS", "1")  # public development keys (models/pii.py): local use only
    return e


def start(args: list[str]) -> int:
    ensure_venv()
    subprocess.run([str(PY), "-m", "bot", "setup-demo"], check=True, cwd=ROOT, env=env())
    return subprocess.call([str(PY), "-m", "bot", "chat", *args], cwd=ROOT, env=env())


def test(args: list[str]) -> int:
    ensure_venv()
    runs = [("SQLite", None)]
    if os.environ.get("TEST_DATABASE_URL"):
        runs.append(("PostgreSQL", os.environ["TEST_DATABASE_URL"]))
    worst = 0
    for label, url in runs:
        print(f"\n=== tests on {label} ===", flush=True)
        e = env()
        e.pop("TEST_DATABASE_URL", None)
        if url:
            e["TEST_DATABASE_URL"] = url
        code = subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=e)
        worst = worst or code
    return worst


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"start", "test"}:
        print(__doc__)
        return 2
    return {"start": start, "test": test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
