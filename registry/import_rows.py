"""The reading half of an import: rows read, parsed and checked, in file order, in batches.

`parsed_events(sources, batch_size, in_process)` yields, per source, first
`("source", src, unknown_columns, has_id_column)`, then `("rows", rejects, batch)` events:
`rejects` are the rows refused by parsing since the previous event, as
(row number, record id, reason code, detail), and `batch` the parsed rows that follow them,
as (row number, Parsed); a batch has at most `batch_size` rows.

Parsing is pure Python and roughly half of an import's work, so for large files it runs in a
helper process (forked, so it shares this process's imported code and caches) while this
process writes to the database: a two-stage pipeline that uses both cores. The helper
sends its events through a bounded queue, so memory stays flat. Small files, and processes
that run threads (fork would copy them in an unknown state), parse in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from queue import Empty
from typing import Any

from registry.import_check import MAX_CELL
from registry.import_format import ID_COLUMN, SheetSource
from registry.import_values import Parsed, RowError, parse_row

# Files smaller than this (in all) are parsed in-process: a helper costs more than it saves.
PIPELINE_MIN_BYTES = 4_000_000
QUEUE_BATCHES = 4  # batches in flight between the helper and the writer

Event = tuple[Any, ...]


def _events(sources: list[SheetSource], batch_size: int) -> Iterator[Event]:
    for src in sources:
        header, rows = src.rows()
        has_id = ID_COLUMN[src.sheet] in header.positions
        yield ("source", src, header.unknown, has_id)
        if not has_id:
            continue
        seen: set[str] = set()
        rejects: list[tuple[int, str, str, str]] = []
        batch: list[tuple[int, Parsed]] = []
        id_column = ID_COLUMN[src.sheet]
        for number, rec in rows:
            code = rec.get(id_column, "").strip()
            try:
                if code and code in seen:
                    raise RowError("duplicate_id", code)
                if max(map(len, rec.values()), default=0) > MAX_CELL:
                    big = max(rec, key=lambda k: len(rec[k]))
                    raise RowError("cell_too_large", f"{big}: {len(rec[big]):,} characters (limit {MAX_CELL:,})")
                seen.add(code)
                batch.append((number, parse_row(src.sheet, rec)))
            except RowError as err:
                rejects.append((number, code, err.code, err.detail))
            if len(batch) >= batch_size:
                yield ("rows", rejects, batch)
                rejects, batch = [], []
        if batch or rejects:
            yield ("rows", rejects, batch)


def _helper(sources: list[SheetSource], batch_size: int, queue: Any) -> None:
    try:
        for event in _events(sources, batch_size):
            queue.put(event)
        queue.put(None)
    except BaseException:  # noqa: BLE001 - reported to the writer, which re-raises
        queue.put(("error", traceback.format_exc()))


def use_helper(paths: list[Path]) -> bool:
    """Whether to parse in a helper process: large input, 2+ cores, fork, no other threads."""
    try:
        size = sum(p.stat().st_size for p in paths)
    except OSError:
        return False
    return (size >= PIPELINE_MIN_BYTES and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def parsed_events(sources: list[SheetSource], batch_size: int, in_process: bool = True) -> Iterator[Event]:
    """The events of `sources` (see the module doc), parsed here or in a helper process."""
    if in_process:
        yield from _events(sources, batch_size)
        return
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=QUEUE_BATCHES)
    helper = ctx.Process(target=_helper, args=(sources, batch_size, queue), name="import-parse", daemon=True)
    helper.start()
    try:
        while True:
            try:
                event = queue.get(timeout=1.0)
            except Empty:
                if not helper.is_alive():
                    raise RuntimeError(f"import parsing helper exited ({helper.exitcode})") from None
                continue
            if event is None:
                break
            if event[0] == "error":
                raise RuntimeError(f"import parsing failed in the helper process:\n{event[1]}")
            yield event
    finally:
        if helper.is_alive():
            helper.terminate()
        helper.join()
        queue.close()
