"""Province and national completeness counts assembled from per-district counts, each cached
under its district's version (`registry.cache.parts`; the nation's from per-province sums,
`registry.cache.province_sums`): after a change in one district only that district is
counted again; with many stale districts the area is counted in one grouped pass. A
province's sum is itself cached under all its districts' versions (`registry.cache.assembled`).
Counts add up exactly: every record lies in one district (district codes begin with the
province code)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sqlalchemy import select

from registry import cache, gazetteer
from registry.completeness import (DATASETS, SPECS, AreaCompleteness, DatasetCount, FieldCount, _area_counts,
                                   _count_columns, _EmptyRow, _fill, area_filter, copy_counts, rules_for)


def assembled_counts(session: Session, area: str | None, dataset: str | None) -> AreaCompleteness | None:
    """`area_counts(area, dataset)` for a province or the nation (None), or None when the
    cache cannot be used."""
    name = f"completeness.district_counts.{dataset}"
    one = lambda d: _area_counts.uncached(session, d, dataset)  # type: ignore[attr-defined]  # noqa: E731
    if area:
        place = gazetteer.by_code(area)
        districts = [d.code for d in gazetteer.districts(area)]
        total = cache.assembled(session, name, area, districts, one,
                                lambda _m: _by_district(session, area, dataset, districts),
                                lambda parts: sum_of(area, place.name_th if place else None, parts))
        return None if total is None else copy_counts(total)  # the cached sum is shared
    provinces = [p.code for p in gazetteer.provinces()]
    every = [d.code for p in provinces for d in gazetteer.districts(p)]
    sums = cache.province_sums(session, name, provinces, one, lambda _m: _by_district(session, None, dataset, every),
                               lambda p, parts: sum_of(p, None, parts))
    return None if sums is None else sum_of(None, None, [sums[p] for p in provinces])


def _by_district(session: Session, area: str | None, dataset: str | None,
                 districts: list[str]) -> dict[str, AreaCompleteness]:
    """The counts of every district of an area (None: the nation), one grouped query per dataset."""
    results = {code: AreaCompleteness(code, None) for code in districts}
    rules = rules_for(dataset)
    for name in [dataset] if dataset else DATASETS:
        spec = SPECS[name]
        ds_rules = [r for r in rules if r.dataset == name]
        group = spec.table.c.district_code
        q = (select(group.label("area"), *_count_columns(spec, ds_rules)).select_from(spec.from_)
             .where(spec.active, area_filter(spec.table, area)).group_by(group))
        rows = {row.area: row for row in session.execute(q)}
        for code, res in results.items():
            _fill(res, name, ds_rules, rows.get(code, _EmptyRow()))
    return results


def sum_of(code: str | None, name: str | None, parts: list[AreaCompleteness]) -> AreaCompleteness:
    """The counts of an area made of `parts` (same fields and datasets, in the same order)."""
    result = AreaCompleteness(code, name)
    for part in parts:
        add_counts(result, part)
    return result


def add_counts(into: AreaCompleteness, other: AreaCompleteness) -> None:
    """Add `other`'s counts to `into` (same fields and datasets; `into` may still be empty)."""
    if not into.fields:
        into.fields = [FieldCount(f.key, f.label_th, f.dataset, f.starred) for f in other.fields]
        into.datasets = {k: DatasetCount(k) for k in other.datasets}
    for mine, theirs in zip(into.fields, other.fields, strict=True):
        mine.total += theirs.total
        mine.missing += theirs.missing
        mine.invalid += theirs.invalid
    for k, d in other.datasets.items():
        into.datasets[k].total += d.total
        into.datasets[k].starred_incomplete += d.starred_incomplete
