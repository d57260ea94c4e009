#!/usr/bin/env python3
"""The project's two commands, needing only Python 3.11+ and pip.

    python3 dev.py start   # set up .venv, database, demo data; open the local chat
    python3 dev.py test    # set up .venv; run the tests (SQLite, and PostgreSQL when
                           # TEST_DATABASE_URL is set)

Both also make sure Debian's `chromium` and `chromium-driver` are installed (the browser
tests in tests/browser and `python -m bot screenshots` drive them; nothing is downloaded at
run time): with apt-get when missing and run as root, otherwise a message says what to run.

Any further arguments of `start` go to `python -m bot chat`; `test` passes them to pytest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
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


BROWSER = {"chromium": Path("/usr/bin/chromium"), "chromium-driver": Path("/usr/bin/chromedriver")}


def ensure_browser() -> bool:
    """Debian's chromium and its driver, for the browser tests: installed with apt-get when
    missing (as root); otherwise say how. True when both are there."""
    missing = [pkg for pkg, path in BROWSER.items() if not path.exists()]
    if not missing:
        return True
    how = f"apt-get install -y {' '.join(missing)}"
    if not shutil.which("apt-get"):
        print(f"browser tests need {', '.join(missing)} (Debian packages) at /usr/bin: "
              "install them with your system's package manager", flush=True)
        return False
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"browser tests need Debian's {', '.join(missing)}: run `sudo {how}` "
              "(tests/browser is skipped until then)", flush=True)
        return False
    print(f"installing {', '.join(missing)} with apt-get (browser tests) ...", flush=True)
    quiet = {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=False, env={**os.environ, **quiet})
    done = subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
                          env={**os.environ, **quiet})
    if done.returncode != 0 or not all(path.exists() for path in BROWSER.values()):
        print(f"could not install {', '.join(missing)}: browser tests will fail or be skipped", flush=True)
        return False
    return True


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("PYTHAINLP_OFFLINE", "1")
    e.setdefault("PYTHAINLP_READ_ONLY", "1")
    if not e.get("PII_KEYS"):
        e.setdefault("PII_DEV_KEYS", "1")  # public development keys (models/pii.py): local use only
    return e


def start(args: list[str]) -> int:
    ensure_venv()
    ensure_browser()
    subprocess.run([str(PY), "-m", "bot", "setup-demo"], check=True, cwd=ROOT, env=env())
    return subprocess.call([str(PY), "-m", "bot", "chat", *args], cwd=ROOT, env=env())


def test(args: list[str]) -> int:
    ensure_venv()
    ensure_browser()
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
