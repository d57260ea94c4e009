"""Per-district counts held in the database (table `district_rollups`): each district's
completeness counts (every field and dataset, as `completeness.area_counts` gives them) and its
row of the department's table (`reports.province_table`), stored with the registry versions
they were counted at (`registry.epoch`: the whole registry's and the district's).

Writers keep them current: when a transaction that changed the registry commits, the districts
it bumped are counted again in that transaction (a change whose area is unknown, which bumps
the whole registry, counts every district: one grouped query per dataset). Batch writers (the
importer, demo data) mark their sessions `DEFER` and call `refresh` once at the end.

Readers (`load`) take a district's row only while both its versions are still current; any
other district (never counted, or left stale by a writer outside the bot that bumped versions
without refreshing) is counted by the reader and stored for the next one. So a province's or
the nation's answer is a sum of stored rows (~930 for the nation) shared by every process and
kept across restarts, never a recount of the registry on an officer's message, and a stored
row can never be read for a registry it was not counted from. The process cache
(`registry.cache`) sits on top: a repeated answer does not read the rows again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from models import READ_ONLY, DistrictRollup
from registry import epoch, gazetteer
from registry.completeness import (DATASETS, SPECS, AreaCompleteness, DatasetCount, FieldCount, _count_columns,
                                   rules_for)
from registry.province_table import COUNT_COLUMNS
from registry.reports import PRODUCER_SUMS, PRODUCT_SUMS, report_row

DEFER = "registry_rollup.defer"  # session.info: do not count on commit (the caller calls `refresh`)
REGROUP_ABOVE = 8  # more stale districts than this: count the whole registry in one pass per dataset
Payload = dict[str, Any]  # {"f": [[total, missing, invalid] per rule], "d": [[total, starred] per dataset], "r": row}

T = DistrictRollup.__table__
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
_READ_ALL = select(T.c.district_code, T.c.whole_version, T.c.district_version, T.c.counts)
_READ_SOME = _READ_ALL.where(T.c.district_code.in_(bindparam("codes", expanding=True)))


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
    return {c: _payload(per[c]) for c in wanted}


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
    """The payloads of `codes` at the registry versions this transaction reads: stored rows
    whose versions are current, the others counted (and stored when the session may write)."""
    area = codes[0][:2] if codes and all(c[:2] == codes[0][:2] for c in codes) else None
    found = epoch.rows(session, area)
    if found is None:  # no version row: nothing can be keyed
        return count(session, codes)
    whole = found[epoch.WHOLE]
    wanted = set(codes)
    result = session.connection().execute(_READ_ALL) if len(codes) > 64 else \
        session.connection().execute(_READ_SOME, {"codes": codes})
    got = {r.district_code: r.counts for r in result
           if r.district_code in wanted and r.whole_version == whole and r.district_version == found.get(r.district_code, 0)}
    missing = [c for c in codes if c not in got]
    if missing:
        counted = count(session, None if len(missing) > REGROUP_ABOVE else missing)
        fresh = {c: counted[c] for c in missing}
        got.update(fresh)
        if not epoch.has_uncommitted_bump(session) and \
                not session.connection().get_execution_options().get(READ_ONLY):
            _store(session, fresh, found)
    return got


def refresh(session: Session, districts: Iterable[str] | None = None) -> int:
    """Count `districts` (None: every district) again and store them at the versions this
    transaction sees (its own bumps included). Returns the rows stored."""
    codes = None if districts is None else sorted(set(districts))
    if codes == []:
        return 0
    area = codes[0][:2] if codes and all(c[:2] == codes[0][:2] for c in codes) else None
    found = epoch.rows(session, area)
    if found is None:
        return 0
    counted = count(session, None if codes is None or len(codes) > REGROUP_ABOVE * 8 else codes)
    if codes is not None:
        counted = {c: counted[c] for c in codes if c in counted}
    _store(session, counted, found)
    return len(counted)


def _store(session: Session, payloads: dict[str, Payload], found: dict[str, int]) -> None:
    if not payloads:
        return
    conn = session.connection()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(T).values([{"district_code": c, "whole_version": found[epoch.WHOLE],
                              "district_version": found.get(c, 0), "counts": p} for c, p in sorted(payloads.items())])
    conn.execute(stmt.on_conflict_do_update(index_elements=[T.c.district_code], set_={
        "whole_version": stmt.excluded.whole_version, "district_version": stmt.excluded.district_version,
        "counts": stmt.excluded.counts}))


@event.listens_for(Session, "before_commit")
def _refresh_on_commit(session: Session) -> None:
    """The districts this transaction bumped, counted again before it commits."""
    if session.in_nested_transaction() or session.info.get(DEFER):
        return
    session.flush()  # what is still pending bumps its districts (before_flush)
    scopes = epoch.bumped_scopes(session)
    if scopes:
        refresh(session, None if epoch.WHOLE in scopes else scopes)
