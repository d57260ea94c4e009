"""A province's completeness counts assembled from its districts' counts, each cached under
its district's version (`registry.cache.parts`): after a change in one district only that
district is counted again; with many stale districts the province is counted in one grouped
pass (`child_area_counts`). Counts add up exactly: every record of a province lies in one of
its districts (district codes begin with the province code)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry import cache, gazetteer
from registry.completeness import AreaCompleteness, DatasetCount, FieldCount, _area_counts, child_area_counts


def province_counts(session: Session, province: str, dataset: str | None) -> AreaCompleteness | None:
    """`area_counts(province, dataset)`, or None when the cache cannot be used."""
    districts = [d.code for d in gazetteer.districts(province)]
    parts = cache.parts(session, f"completeness.district_counts.{dataset}", districts,
                        lambda d: _area_counts.uncached(session, d, dataset),  # type: ignore[attr-defined]
                        lambda _missing: {a.area_code: a for a in child_area_counts(session, province, dataset)})
    if parts is None:
        return None
    place = gazetteer.by_code(province)
    return sum_of(province, place.name_th if place else None, [parts[d] for d in districts])


def sum_of(code: str | None, name: str | None, parts: list[AreaCompleteness]) -> AreaCompleteness:
    """The counts of an area made of `parts` (same fields and datasets, in the same order)."""
    result = AreaCompleteness(code, name)
    first = parts[0]
    result.fields = [FieldCount(f.key, f.label_th, f.dataset, f.starred) for f in first.fields]
    result.datasets = {k: DatasetCount(k) for k in first.datasets}
    for part in parts:
        for mine, theirs in zip(result.fields, part.fields, strict=True):
            mine.total += theirs.total
            mine.missing += theirs.missing
            mine.invalid += theirs.invalid
        for k, d in part.datasets.items():
            result.datasets[k].total += d.total
            result.datasets[k].starred_incomplete += d.starred_incomplete
    return result
