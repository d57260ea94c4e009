"""Registry exports built in the background for download links (no Flask here).

The registry export of the whole country takes some 40 s (longer under load): more than
gunicorn's timeout, and all of it holding the GIL of a web process. So `GET /download/<token>`
for kind "registry" serves a finished file from disk, or starts a build in a separate process
(`python -m bot export-file`) and answers with a page that refreshes itself until the file
is there.

Files, under `<MEDIA_DIR>/exports/` (`slug` = the area code, or "TH" for the whole country):

- `registry-<slug>-v<key>-s<ms>.xlsx`: a finished export. `key` is a digest of the registry
  versions the area's data depends on (`registry.epoch.versions`: the "" row and the area's
  district rows; every row for the nation). Every change to a record of the area writes a
  fresh random number into one of those rows in the same transaction, so a file whose key
  equals the current key holds exactly the current data, and a file built before a change is
  never taken for current. The builder reads the key and the data in one read transaction (a
  snapshot on SQLite; REPEATABLE READ on PostgreSQL), so the key is exactly the data's.
  `ms` is when the build started (Unix milliseconds, before its transaction began): the page
  that waits for a file carries the time of its first request (`since`), and any file whose
  build started after it is served to that page even when the registry has changed again
  meanwhile (at national scale an edit somewhere in the country every minute would otherwise
  make every finished file stale before the page saw it, and the page would wait forever).
- `registry-<slug>.lock`: a build is running (created with O_EXCL by whoever starts it; the
  builder removes it). It names the build process; one whose process is gone (on this host), or older than
  `STALE_LOCK`, is dead and may be taken over.
- `registry-<slug>.failed`: the last build of the area failed (JSON: when, what). A page
  waiting since before that time says so instead of refreshing; a new request starts a new
  build. Written before the lock is removed, so a page never sees neither.
- `.tmp-<slug>-<token>/`: a build in progress; the finished file is moved out of it with an
  atomic rename, so a half-written file is never served.

A successful build removes the other files of its area and anything in the folder untouched
for `KEEP` (a day).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

FOLDER = "exports"
STALE_LOCK = 15 * 60  # seconds: a lock older than this belongs to a dead build
KEEP = 24 * 3600  # seconds: files untouched this long are removed by the next successful build
_FILE = re.compile(r"registry-(?P<slug>TH|\d{2}|\d{4}|\d{6})-v(?P<key>[0-9a-f]{16})-s(?P<ms>\d+)\.xlsx")


@dataclass(frozen=True)
class Status:
    """What a download request finds: a file to serve (`path`), a build under way
    (`started`: by this request), or a failed build (`error`)."""

    path: Path | None = None
    started: bool = False
    error: str | None = None

    @property
    def building(self) -> bool:
        return self.path is None and self.error is None


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def exports_dir(media_dir: str | Path) -> Path:
    return Path(media_dir) / FOLDER


def slug(area: str | None) -> str:
    """The area's part of the file names; refuses anything but an area code."""
    if not area:
        return "TH"
    if not (area.isascii() and area.isdigit() and len(area) in (2, 4, 6)):
        raise ValueError(f"area code must have 2, 4 or 6 digits: {area!r}")
    return area


def version_key(session: Session, area: str | None) -> str:
    """A digest of the registry versions the area's export depends on."""
    from models.epoch import RegistryEpoch
    from registry import epoch

    found = epoch.versions(session, area)
    if found is None:  # the "" row is missing (migration 0003 creates it): every row, a superset
        found = tuple(sorted(session.execute(select(RegistryEpoch.scope, RegistryEpoch.version)).tuples()))
    return hashlib.sha256(repr(("registry", area or "", found)).encode()).hexdigest()[:16]


def find(media_dir: str | Path, area: str | None, key: str, since_ms: int | None = None) -> Path | None:
    """The finished file for the area at version `key`, else (with `since_ms`) the newest one
    whose build started at or after `since_ms`; None when there is none."""
    folder = exports_dir(media_dir)
    want = slug(area)
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return None
    current, recent = [], []
    for name in names:
        m = _FILE.fullmatch(name)
        if not m or m["slug"] != want:
            continue
        started = int(m["ms"])
        if m["key"] == key:
            current.append((started, name))
        elif since_ms is not None and started >= since_ms:
            recent.append((started, name))
    best = max(current or recent, default=None)
    return folder / best[1] if best else None


def request(media_dir: str | Path, area: str | None, key: str, *, database_url: str,
            since_ms: int | None = None) -> Status:
    """The download endpoint's one call: the file to serve, or start a build (unless one is
    running, or the build this page waited for failed)."""
    folder = exports_dir(media_dir)
    name = slug(area)
    if path := find(media_dir, area, key, since_ms):
        return Status(path=path)
    lock, failed = folder / f"registry-{name}.lock", folder / f"registry-{name}.failed"
    folder.mkdir(parents=True, exist_ok=True)
    token = _acquire(lock)  # the check and the claim in one step: of two requests, one wins
    if token is None:
        return Status()
    # The build that just released the lock may have finished this very file.
    if path := find(media_dir, area, key, since_ms):
        _release(lock, token)
        return Status(path=path)
    failure = _read_failure(failed)
    if failure is not None and since_ms is not None and failure[0] >= since_ms:
        _release(lock, token)  # the build this page waited for failed: say so, do not loop
        return Status(error=failure[1])
    _remove(failed)  # a new click (or a page that asked after the failure): try again
    try:
        _spawn(media_dir, area, token, database_url)
    except Exception:
        _release(lock, token)
        raise
    return Status(started=True)


def build(factory: sessionmaker[Session], media_dir: str | Path, area: str | None, *,
          token: str | None = None) -> Path | None:
    """Build the area's file (in this process). `token`: the lock is already held under it
    (the web process took it before starting this process); without, take it here. None when
    another build of the area holds the lock. On failure: logged, recorded in the failure
    marker, no file and no lock left; the exception is raised again."""
    from models import read_only
    from registry.exporter import export_registry

    folder = exports_dir(media_dir)
    name = slug(area)
    folder.mkdir(parents=True, exist_ok=True)
    lock, failed = folder / f"registry-{name}.lock", folder / f"registry-{name}.failed"
    if token is None:
        token = _acquire(lock)
        if token is None:
            return None
    elif _lock_token(lock) != token:
        log.warning("export %s: the lock is no longer ours (taken over as stale?); not building", name)
        return None
    tmp = folder / f".tmp-{name}-{token}"
    try:
        started = now_ms()
        with read_only(factory) as session:  # one snapshot for the key and every chunk, no write lock
            key = version_key(session, area)
            result = export_registry(session, tmp, fmt="xlsx", province=area)
        final = folder / f"registry-{name}-v{key}-s{started}.xlsx"
        os.replace(result.paths[0], final)
        log.info("export %s built in %.1f s: %s", name, result.seconds, final.name)
        _remove(failed)
        _clean(folder, name, keep=final)
        return final
    except BaseException as exc:
        log.exception("export %s failed", name)
        _write_failure(failed, f"{type(exc).__name__}: {exc}")
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _release(lock, token)


# ---------------------------------------------------------------- the build process


def _spawn(media_dir: str | Path, area: str | None, token: str, database_url: str) -> None:
    """`python -m bot export-file` in a process of its own (its own session: it outlives a
    web worker that gunicorn restarts). The database URL goes through the environment, not
    the command line (`ps` shows that). A thread waits for it, so no zombie is left, and
    records a failure if it died without recording one (killed, or refused to start)."""
    env = dict(os.environ, DATABASE_URL=database_url, MEDIA_DIR=str(Path(media_dir).resolve()))
    args = [sys.executable, "-m", "bot", "export-file", "--token", token]
    if area:
        args += ["--area", area]
    proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
    folder, name = exports_dir(media_dir), slug(area)
    _write_lock(folder / f"registry-{name}.lock", token, proc.pid)  # the lock names its builder
    threading.Thread(target=_reap, args=(proc, folder, name, token), name=f"export-{name}", daemon=True).start()


def _reap(proc: subprocess.Popen[bytes], folder: Path, name: str, token: str) -> None:
    code = proc.wait()
    lock = folder / f"registry-{name}.lock"
    if code != 0 and _lock_token(lock) == token:
        log.error("export %s: the build process exited with code %s", name, code)
        _write_failure(folder / f"registry-{name}.failed", f"the build process exited with code {code}")
        _release(lock, token)


# ---------------------------------------------------------------- markers


def _acquire(lock: Path) -> str | None:
    """Create the lock (O_EXCL: one winner); a stale one is removed first. The token written
    in it lets only its owner release it. None when a live build holds it."""
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _alive(lock):
                return None
            # Dead (older than STALE_LOCK). Two requests may both get here; the second could
            # remove the lock the first has just made: then two builds of the same file run,
            # each into its own temporary folder, and the later rename wins. Harmless, and only
            # after a build died.
            _remove(lock)
            continue
        token = secrets.token_hex(8)
        with os.fdopen(fd, "w") as fh:
            json.dump(_lock_content(token, os.getpid()), fh)
        return token
    return None


def _lock_content(token: str, pid: int) -> dict[str, object]:
    return {"token": token, "pid": pid, "host": socket.gethostname(), "at": now_ms()}


def _write_lock(lock: Path, token: str, pid: int) -> None:
    """Name the build process in our lock (atomically; only while the lock is ours)."""
    if _lock_token(lock) != token:
        return
    _write_json(lock, _lock_content(token, pid))


def _write_json(path: Path, data: dict[str, object]) -> None:
    """Replace `path` atomically (readers see the old content or the new, never half)."""
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def _alive(lock: Path) -> bool:
    """A lock younger than STALE_LOCK, unless the process it names (on this host) is gone: a
    build that died with the web process that started it (nobody left to record it) does not
    keep its area waiting for the 15 minutes."""
    try:
        if time.time() - lock.stat().st_mtime >= STALE_LOCK:
            return False
        data = json.loads(lock.read_text())
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return True  # being written: young, so presumed alive
    pid = data.get("pid") if isinstance(data, dict) else None
    if isinstance(pid, int) and data.get("host") == socket.gethostname():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # alive, someone else's
            pass
    return True


def _lock_token(lock: Path) -> str | None:
    try:
        return json.loads(lock.read_text()).get("token")
    except (OSError, ValueError, AttributeError):
        return None


def _release(lock: Path, token: str) -> None:
    if _lock_token(lock) == token:
        _remove(lock)


def _write_failure(path: Path, error: str) -> None:
    try:
        _write_json(path, {"at": now_ms(), "error": error[:500]})
    except OSError:
        log.exception("could not record the failure in %s", path)


def _read_failure(path: Path) -> tuple[int, str] | None:
    """(when, what) of the area's last failed build, or None."""
    try:
        data = json.loads(path.read_text())
        return int(data["at"]), str(data.get("error") or "")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        try:
            return int(path.stat().st_mtime * 1000), "unreadable failure marker"
        except OSError:
            return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _clean(folder: Path, name: str, keep: Path) -> None:
    """Remove the area's other files, and anything untouched for KEEP."""
    old = time.time() - KEEP
    for entry in folder.iterdir():
        if entry == keep:
            continue
        m = _FILE.fullmatch(entry.name)
        try:
            if (m and m["slug"] == name) or entry.stat().st_mtime < old:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()
        except FileNotFoundError:
            pass
