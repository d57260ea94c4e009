"""Streaming import of the exchange format (CSV files or one XLSX workbook).

Rows are read one at a time and written in batches, one transaction per batch, through the
session factory the caller gives: a national file runs in bounded memory. Every row is all
or nothing: it is fully parsed and checked before anything is written, and if a batch fails
in the database anyway, its rows are retried one by one so that only the bad row is
rejected. Unchanged rows are not written at all, so importing the same file twice changes
nothing the second time (no updates, no audit rows).

Every change is audited (channel "import"): one `_created` row per new record, one row per
changed field or list of an existing record.

Registry versions (`registry.epoch`, which cached answers are keyed by): a batch bumps, in its
transaction, the districts it changes and only those: a new record's district; a changed
record's district, and its new district too when it moves (this covers its list rows and a
producer's status history); for a changed producer, also its products' districts (they count
only while their producer is active, and move with it). The districts are known before
anything is written: from the parsed rows and the stored rows already read, plus one query
for the products of a batch's changed producers. A batch that changes nothing bumps nothing,
and cached answers about districts that no batch touched stay valid. The writes themselves
do not bump anything (COPY and executemany bypass the Session; statements run through it
carry `CALLER_BUMPS`).

This module reads the files, batches the rows, retries a failed batch row by row and keeps the
report; writing one batch (compare, write, audit, bump) is `registry.import_batch`.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from registry import epoch, rollup
from registry.import_batch import BatchContext, apply_batch
from registry.import_format import ID_COLUMN, SHEETS, SheetSource, sources_of
from registry.import_rows import parsed_events, use_helper
from registry.import_values import Parsed, RowError
from registry.labels_th import REJECT_REASONS
from registry.spreadsheet import csv_row


@dataclass
class Reject:
    sheet: str
    row: int
    code: str  # reason code
    detail: str
    record_id: str = ""
    source: str = ""

    @property
    def reason_th(self) -> str:
        return REJECT_REASONS.get(self.code, self.code)


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    """What an import did: counts per sheet, every rejected row, columns kept aside."""

    files: list[str] = field(default_factory=list)
    sheets: dict[str, SheetCounts] = field(default_factory=lambda: {s: SheetCounts() for s in SHEETS})
    rejects: list[Reject] = field(default_factory=list)
    unknown_columns: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # files refused whole: then nothing was imported
    duplicates: list[str] = field(default_factory=list)  # imported, but the ID is another record's too
    seconds: float = 0.0

    ok = property(lambda self: not (self.rejects or self.problems), doc="Every row of every file imported.")

    def lines(self) -> list[str]:
        if self.refused:  # see registry.import_check
            return ["nothing imported: a file cannot be read whole", *self.problems]
        out = [f"{s}: created {c.created}, updated {c.updated}, unchanged {c.unchanged}, rejected {c.rejected}"
               for s, c in self.sheets.items()]
        out += [f"unknown columns in {src} (kept aside, not imported): {', '.join(cols)}"
                for src, cols in self.unknown_columns.items()]
        out += self.problems + [f"duplicate national ID: {d}" for d in self.duplicates]
        out += [f"{r.source} row {r.row} [{r.sheet}] {r.record_id}: {r.code} ({r.reason_th}) {r.detail}"
                for r in self.rejects[:50]]
        if len(self.rejects) > 50:
            out.append(f"... and {len(self.rejects) - 50} more rejected rows")
        return out

    def write_rejects(self, path: str | Path) -> None:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["source", "sheet", "row", "record_id", "reason_code", "reason_th", "detail"])
            for r in self.rejects:  # details quote the file's cells: formulas written as text
                w.writerow(csv_row([r.source, r.sheet, r.row, r.record_id, r.code, r.reason_th, r.detail]))

def _fast_commit(session: Session) -> None:
    """On PostgreSQL, commit a batch without waiting for its WAL flush to disk (this
    transaction only). A server crash can lose the last fraction of a second of batches,
    never part of a batch nor consistency; importing the file again restores them."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def _batch_session(factory: sessionmaker[Session]) -> Session:
    """A batch's session: the per-district counts held in the database are counted once at the
    end of the import (`_count_districts`), not per batch."""
    session = factory()
    session.info[rollup.DEFER] = True
    return session


def _applied(session: Session, sheet: str, batch: list[tuple[int, Parsed]], ctx: BatchContext) -> list:  # type: ignore[type-arg]
    outcome = apply_batch(session, sheet, batch, ctx)
    session.flush()
    ctx.bumped |= epoch.bumped_scopes(session)
    return outcome


def _count_districts(factory: sessionmaker[Session], ctx: BatchContext) -> None:
    """The districts the import changed, counted again (`registry.rollup`): one transaction."""
    if ctx.bumped:
        with factory() as session, session.begin():
            rollup.refresh(session, None if epoch.WHOLE in ctx.bumped else ctx.bumped)


def _flush(factory: sessionmaker[Session], src: SheetSource, batch: list[tuple[int, Parsed]],
           report: ImportReport, ctx: BatchContext) -> None:
    try:
        with _batch_session(factory) as session, session.begin():
            _fast_commit(session)
            outcome = _applied(session, src.sheet, batch, ctx)
    except SQLAlchemyError:
        outcome = []
        for item in batch:  # find the bad row: one transaction per row
            try:
                with _batch_session(factory) as session, session.begin():
                    _fast_commit(session)
                    outcome += _applied(session, src.sheet, [item], ctx)
            except SQLAlchemyError as exc:
                outcome.append((item[0], item[1], RowError("bad_value", str(exc.orig or exc)[:200])))
    counts = report.sheets[src.sheet]
    for number, x, result in outcome:
        if isinstance(result, RowError):
            _reject(report, src, number, x.code, result, ctx)
        else:
            setattr(counts, result, getattr(counts, result) + 1)


def _reject(report: ImportReport, src: SheetSource, number: int, record_id: str, err: RowError, ctx: BatchContext) -> None:
    report.sheets[src.sheet].rejected += 1
    report.rejects.append(Reject(src.sheet, number, err.code, err.detail, record_id, src.label))
    if src.sheet == "producers" and record_id:
        ctx.rejected_producers.add(record_id)


def import_files(factory: sessionmaker[Session], paths: Iterable[str | Path], *, actor: str | None = None,
                 batch_size: int = 1000, today: date | None = None,
                 parse_in_helper: bool | None = None) -> ImportReport:
    """Import the given files (three CSVs recognised by name or header, or one XLSX with
    sheets producers/products/chuanchim), producers first; commits per batch.

    `parse_in_helper`: parse in a helper process while this one writes (None: for large
    files on a multi-core machine, see registry.import_rows)."""
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    report = ImportReport(files=[p.name for p in paths])
    sources, report.problems, report.refused = sources_of(paths)
    if report.refused:  # a file that cannot be read whole: nothing is imported, nothing half-written
        report.problems = report.refused + report.problems
        report.seconds = time.perf_counter() - started
        return report
    ctx = BatchContext(actor=(actor or "import:" + ",".join(report.files))[:100], today=today or date.today())
    helper = use_helper(paths) if parse_in_helper is None else parse_in_helper
    src: SheetSource | None = None
    for event in parsed_events(sources, batch_size, in_process=not helper):
        if event[0] == "source":
            _, src, unknown, has_id = event
            if unknown:
                report.unknown_columns[src.label] = unknown
            if not has_id:
                report.problems.append(f"{src.label}: no {ID_COLUMN[src.sheet]} column; sheet skipped")
            continue
        _, rejects, batch = event
        assert src is not None
        for number, code, reason, detail in rejects:
            _reject(report, src, number, code, RowError(reason, detail), ctx)
        if batch:
            _flush(factory, src, batch, report, ctx)
    _count_districts(factory, ctx)
    report.duplicates = [ctx.duplicates[n] for n in sorted(ctx.duplicates)]
    report.seconds = time.perf_counter() - started
    return report
