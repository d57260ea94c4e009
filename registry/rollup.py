"""Counts held in the database (table `area_rollups`), one row per district, per province
(the sum of its districts) and for the nation ("", the sum of the provinces): completeness
counts (every field and dataset, as `completeness.area_counts` gives them), the row of the
department's table (`reports.province_table`) and the movements of the month the row was
counted in (`reports.monthly_report`). Each row carries the registry versions it was counted
at (`registry.epoch`): the whole registry's, and its own (a district's version; a province's
or the nation's: its districts' versions combined).

Writers keep them current: before a transaction that changed the registry commits, the
districts it bumped are counted again, their provinces and the nation re-added from the
stored rows, and all of them upserted in one statement in code order. A change whose area is
unknown (it bumps the whole registry) counts every district, one grouped query per dataset,
and writes every row at that whole-registry version. Batch writers (the importer, demo data) mark their sessions
`DEFER` and call `refresh` once at the end.

Readers (`load`) take a row only while its versions are current; any other area (never
counted, or left stale by a program that bumped versions without refreshing) is counted or
summed by the reader and stored when the reader's transaction commits. So a national answer
is one row, shared by every process and kept across restarts, never a recount of the
registry on an officer's message, and a row is never read for a registry it was not counted
from. The process cache (`registry.cache`) sits on top: a repeated answer does not read it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models import READ_ONLY, AreaRollup
from registry import epoch, gazetteer
from registry.completeness import (DATASETS, SPECS, AreaCompleteness, DatasetCount, FieldCount, _count_columns,
                                   rules_for)
from registry.province_table import COUNT_COLUMNS
from registry.reports import MOVES, PRODUCER_SUMS, PRODUCT_SUMS, month_moves, report_row

DEFER = "registry_rollup.defer"  # session.info: do not count on commit (the caller calls `refresh`)
REGROUP_ABOVE = 8  # more stale districts than this: count the whole registry in one pass per dataset
# {"f": [[total, missing, invalid] per rule], "d": [[total, starred] per dataset], "r": the table's row or
# None, "m": [the month counted (ISO date of its 1st), new producers, new products, closures, relocations]}
Payload = dict[str, Any]

T = AreaRollup.__table__
RULES = rules_for(None)
_EXTRA = {"producers": PRODUCER_SUMS, "products": PRODUCT_SUMS, "chuanchim": []}


def _statement(dataset: str, some: bool):  # type: ignore[no-untyped-def]
    """Counts per district of one dataset (completeness and the table's columns): of the
    districts bound as `codes` (and their provinces, `provinces`: the index leads with the
    province), or of every district."""
    spec = SPECS[dataset]
    district = spec.table.c.district_code
    q = (select(district.label("area"), *_count_columns(spec, [r for r in RULES if r.dataset == dataset]),
                *_EXTRA[dataset]).select_from(spec.from_).where(spec.active))
    if some:
        q = q.where(spec.table.c.province_code.in_(bindparam("provinces", expanding=True)),
                    district.in_(bindparam("codes", expanding=True)))
    return q.group_by(district)


_COUNT = {(name, some): _statement(name, some) for name in DATASETS for some in (False, True)}
_READ_SOME = select(T.c.area_code, T.c.whole_version, T.c.version, T.c.counts).where(
    T.c.area_code.in_(bindparam("codes", expanding=True)))
_PENDING = "registry_rollup.pending"  # session.info: (transaction, rows its readers computed, to store)


def every_district() -> list[str]:
    return [d.code for p in gazetteer.provinces() for d in gazetteer.districts(p.code)]


def count(session: Session, codes: list[str] | None) -> dict[str, Payload]:
    """The payloads of `codes` (None: every district of the gazetteer) counted afresh, one
    grouped query per dataset."""
    wanted = every_district() if codes is None else list(codes)
    per: dict[str, dict[str, Any]] = {c: {} for c in wanted}
    params = {} if codes is None else {"codes": wanted, "provinces": sorted({c[:2] for c in wanted})}
    for name in DATASETS:
        for row in session.execute(_COUNT[name, codes is not None], params):
            if row.area in per:
                per[row.area][name] = row._asdict()
    month = date.today().replace(day=1)
    moves = _moves_of(session, month, codes)
    return {c: {**_payload(per[c]), "m": [month.isoformat(), *(moves.get(c, {}).get(k, 0) for k in MOVES)]}
            for c in wanted}


def _moves_of(session: Session, month: date, codes: list[str] | None) -> dict[str, dict[str, int]]:
    """The month's movements per district of `codes` (None: every district)."""
    if codes is None:
        return month_moves(session, month, None)
    if len(codes) == 1:
        return month_moves(session, month, codes[0])
    moves: dict[str, dict[str, int]] = {}
    for province in sorted({c[:2] for c in codes}):
        moves.update(month_moves(session, month, province))
    return moves


def moves(session: Session, codes: list[str], month: date) -> dict[str, dict[str, int]] | None:
    """The movements of `month` of each area of `codes` from its row (None when the rows hold
    another month: they hold the month they were counted in)."""
    payloads = load(session, codes)
    if any(p.get("m") is None or p["m"][0] != month.isoformat() for p in payloads.values()):
        return None
    return {c: dict(zip(MOVES, p["m"][1:], strict=True)) for c, p in payloads.items()}


def _payload(rows: dict[str, dict[str, Any]]) -> Payload:
    fields, index = [], {name: 0 for name in DATASETS}
    for rule in RULES:
        row, i = rows.get(rule.dataset, {}), index[rule.dataset]
        index[rule.dataset] += 1
        fields.append([int(row.get("n") or 0), int(row.get(f"m{i}") or 0), int(row.get(f"i{i}") or 0)])
    datasets = [[int(rows.get(d, {}).get("n") or 0), int(rows.get(d, {}).get("star") or 0)] for d in DATASETS]
    row = report_row(rows.get("producers", {}), rows.get("products", {}), rows.get("chuanchim", {})) if rows else None
    return {"f": fields, "d": datasets, "r": row}


def to_counts(code: str | None, name: str | None, payload: Payload, dataset: str | None = None) -> AreaCompleteness:
    """A payload as `area_counts(code, dataset)` answers (fields and datasets in its order)."""
    result = AreaCompleteness(code, name)
    for rule, (total, missing, invalid) in zip(RULES, payload["f"], strict=True):
        if dataset is None or rule.dataset == dataset:
            result.fields.append(FieldCount(rule.key, rule.label_th, rule.dataset, rule.starred, total, missing,
                                            invalid))
    for ds, (total, starred) in zip(DATASETS, payload["d"], strict=True):
        if dataset is None or ds == dataset:
            result.datasets[ds] = DatasetCount(ds, total, starred)
    return result


def report_row_of(payload: Payload) -> dict[str, int] | None:
    """The district's row of the department's table (None: the district has no records)."""
    row = payload["r"]
    return None if row is None else {key: row[key] for key in COUNT_COLUMNS}


def load(session: Session, codes: list[str]) -> dict[str, Payload]:
    """The payloads of `codes` (districts, provinces, "" the nation) at the registry versions
    this transaction reads: stored rows whose versions are current; the others computed (a
    district counted, a province or the nation summed from its parts) and stored when this
    transaction commits (one statement then, so rows are locked in one order by everyone)."""
    found = epoch.rows(session, _area_of(codes))
    if found is None:  # no version row: nothing can be keyed
        found = {epoch.WHOLE: 0}
        return _get(session, codes, found, {}, {})
    fresh: dict[str, Payload] = {}
    got = _get(session, codes, found, {}, fresh)
    if fresh and not epoch.has_uncommitted_bump(session) and \
            not session.connection().get_execution_options().get(READ_ONLY):
        tx = session.get_transaction()
        pending_tx, rows = session.info.get(_PENDING, (None, {}))
        rows = rows if pending_tx is tx else {}
        rows.update(_rows(fresh, found))
        session.info[_PENDING] = (tx, rows)
    return got


def _area_of(codes: list[str]) -> str | None:
    """The area whose version rows cover `codes` (None: the nation)."""
    if codes and all(c and c[:2] == codes[0][:2] for c in codes):
        return codes[0][:2] if any(len(c) == 2 for c in codes) or len({c[:4] for c in codes}) > 1 else codes[0][:4]
    return None


@functools.lru_cache(maxsize=128)
def _children(area: str) -> tuple[str, ...]:
    """The parts an aggregate row is the sum of: a province's districts, the nation's provinces."""
    if not area:
        return tuple(p.code for p in gazetteer.provinces())
    return tuple(d.code for d in gazetteer.districts(area))


@functools.lru_cache(maxsize=128)
def _districts(area: str) -> tuple[str, ...]:
    return tuple(every_district()) if not area else _children(area)


def _version(area: str, found: dict[str, int]) -> int:
    """A row's own version: a district's; for a province or the nation, its districts' versions
    combined (each bump writes a fresh random number, so any change of one changes it)."""
    if len(area) == 4:
        return found.get(area, 0)
    combined = 0
    for district in _districts(area):
        combined ^= found.get(district, 0)
    return combined


def _current_rows(session: Session, codes: list[str], found: dict[str, int]) -> dict[str, dict[str, Any]]:
    """The stored rows of `codes` that are current: counted at the whole registry's version and
    the area's own that this transaction reads (both exactly: a row a reader counted before a
    whole-registry change committed, and stored after it, is never taken; a full refresh
    writes every row at its version). Keyed by area, the values as stored."""
    whole = found[epoch.WHOLE]
    rows = session.connection().execute(_READ_SOME, {"codes": codes})
    return {r.area_code: r.counts for r in rows if r.whole_version == whole and r.version == _version(r.area_code, found)}


def _get(session: Session, codes: list[str], found: dict[str, int], have: dict[str, Payload],
         fresh: dict[str, Payload]) -> dict[str, Payload]:
    """`codes`' payloads: from `have` (computed in this transaction), current stored rows, or
    computed (added to `have` and `fresh`)."""
    got = {c: have[c] for c in codes if c in have}
    rest = [c for c in codes if c not in got]
    if rest:
        got.update(_current_rows(session, rest, found))
    missing = [c for c in codes if c not in got]
    districts = [c for c in missing if len(c) == 4]
    if districts:
        counted = count(session, None if len(districts) > REGROUP_ABOVE else districts)
        if len(districts) > REGROUP_ABOVE:  # every district was counted: keep them all
            counted = {c: p for c, p in counted.items() if c not in have}
        else:
            counted = {c: counted[c] for c in districts}
        have.update(counted)
        fresh.update(counted)
        got.update({c: counted[c] for c in districts})
    aggregates = sorted((c for c in missing if len(c) != 4), key=len, reverse=True)  # provinces first
    for area in aggregates:
        parts = _get(session, list(_children(area)), found, have, fresh)
        have[area] = fresh[area] = got[area] = _sum(parts.values())
    return got


def _sum(parts: Iterable[Payload]) -> Payload:
    """The payload of an area made of `parts` (its report row None when no part has records)."""
    fields = [[0, 0, 0] for _ in RULES]
    datasets = [[0, 0] for _ in DATASETS]
    row: dict[str, int] | None = None
    parts = list(parts)
    months = {part["m"][0] if part.get("m") else None for part in parts}
    moves = [months.pop(), 0, 0, 0, 0] if len(months) == 1 and None not in months else None
    for part in parts:
        if moves is not None:
            for i in range(1, 5):
                moves[i] += part["m"][i]
        for into, add in zip(fields, part["f"], strict=True):
            into[0] += add[0]
            into[1] += add[1]
            into[2] += add[2]
        for into, add in zip(datasets, part["d"], strict=True):
            into[0] += add[0]
            into[1] += add[1]
        if part["r"] is not None:
            row = dict.fromkeys(COUNT_COLUMNS, 0) if row is None else row
            for key in COUNT_COLUMNS:
                row[key] += part["r"][key]
    return {"f": fields, "d": datasets, "r": row, "m": moves}


def refresh(session: Session, districts: Iterable[str] | None = None) -> int:
    """Count `districts` (None: every district) again, sum their provinces and the nation
    again, and store them at the versions this transaction sees (its own bumps included).
    Returns the rows stored."""
    codes = None if districts is None else sorted(set(districts))
    if codes == []:
        return 0
    found = epoch.rows(session, None)
    if found is None:
        return 0
    if codes is None or len(codes) > REGROUP_ABOVE * 8:
        return _refresh_all(session, found, codes)
    counted = {c: p for c, p in count(session, codes).items() if c in set(codes)}
    have, fresh = dict(counted), dict(counted)
    provinces = sorted({c[:2] for c in counted if c[:2] in _PROVINCES()})
    # What the sums need besides the counted districts (their provinces' other districts, the
    # other provinces), read in one statement; whatever is not current is computed by `_get`.
    others = [c for p in provinces for c in _children(p) if c not in have] + \
        [p for p in _children("") if p not in provinces]
    if others:
        have.update(_current_rows(session, others, found))
    _get(session, provinces + [""], found, have, fresh)
    return _store_with_pending(session, _rows(fresh, found))


def _refresh_all(session: Session, found: dict[str, int], codes: list[str] | None) -> int:
    """Every district counted, every province and the nation summed, and every row written at
    this version (one statement). Writing only the rows whose counts changed, with a mark that
    the others were checked, let a reader that had counted a district before this change and
    stored it after it leave a stale row that the mark made current (seen on PostgreSQL)."""
    counted = count(session, None)
    every = {**counted}
    for province in _children(""):
        every[province] = _sum(counted[d] for d in _districts(province))
    every[""] = _sum(every[p] for p in _children(""))
    # Rows of codes outside the gazetteer (and the old mark) go: a reader counts them again.
    session.connection().execute(delete(T).where(T.c.area_code.not_in(list(every))))
    return _store_with_pending(session, _rows(every, found))


def _store_with_pending(session: Session, rows: dict[str, dict[str, Any]]) -> int:
    """Store `rows`, with what this transaction's readers computed (`rows` win)."""
    pending_tx, waiting = session.info.pop(_PENDING, (None, {}))
    if pending_tx is session.get_transaction():
        rows = {**waiting, **rows}
    _store(session, rows)
    return len(rows)


@functools.lru_cache(maxsize=1)
def _PROVINCES() -> frozenset[str]:  # noqa: N802
    return frozenset(p.code for p in gazetteer.provinces())


def _rows(payloads: dict[str, Payload], found: dict[str, int]) -> dict[str, dict[str, Any]]:
    return {c: {"area_code": c, "whole_version": found[epoch.WHOLE], "version": _version(c, found), "counts": p}
            for c, p in payloads.items()}


def _store(session: Session, rows: dict[str, dict[str, Any]]) -> None:
    """Upsert `rows` in one statement, in code order (every writer locks them in that order)."""
    if not rows:
        return
    conn = session.connection()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(T).values([rows[c] for c in sorted(rows)])
    conn.execute(stmt.on_conflict_do_update(index_elements=[T.c.area_code], set_={
        "whole_version": stmt.excluded.whole_version, "version": stmt.excluded.version,
        "counts": stmt.excluded.counts}))


def nothing_on_commit(session: Session) -> bool:
    """`_refresh_on_commit` would write nothing at this session's commit (flushed already):
    a caller that commits the transaction with SQL of its own (`bot.outbox_write`) may do so
    only then, as the hook runs after that commit."""
    if session.in_nested_transaction() or session.info.get(DEFER):
        return True
    if epoch.bumped_scopes(session):
        return False
    pending_tx, rows = session.info.get(_PENDING, (None, {}))
    return not (pending_tx is session.get_transaction() and rows)


@event.listens_for(Session, "before_commit")
def _refresh_on_commit(session: Session) -> None:
    """The districts this transaction bumped counted again, with their provinces and the
    nation, before it commits; or the rows its readers computed, stored."""
    if session.in_nested_transaction():
        return
    if session.info.get(DEFER):
        session.info.pop(_PENDING, None)
        return
    session.flush()  # what is still pending bumps its districts (before_flush)
    scopes = epoch.bumped_scopes(session)
    districts = {c for c in scopes if len(c) == 4}
    if epoch.WHOLE in scopes or districts:
        refresh(session, None if epoch.WHOLE in scopes else districts)
        return
    pending_tx, rows = session.info.pop(_PENDING, (None, {}))
    if pending_tx is session.get_transaction() and rows:
        _store(session, rows)
