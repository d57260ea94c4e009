"""Province and national completeness counts assembled from per-district counts, each cached
under its district's version (`registry.cache.parts`; the nation's from per-province sums,
`registry.cache.province_sums`) and taken from the rows held in the database
(`registry.rollup`), which writers keep current: a change in one district never makes a
reader count the registry again. A province's sum is itself cached under all its districts'
versions (`registry.cache.assembled`). A district's own counts come from its row too.
Counts add up exactly: every record lies in one district (district codes begin with the
province code)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry import cache, gazetteer
from registry.completeness import AreaCompleteness, DatasetCount, FieldCount, copy_counts


def assembled_counts(session: Session, area: str | None, dataset: str | None) -> AreaCompleteness | None:
    """`area_counts(area, dataset)` for a province or the nation (None), or None when the
    cache cannot be used."""
    from registry import rollup

    name = f"completeness.district_counts.{dataset}"

    def held(missing: list[str]) -> dict[str, AreaCompleteness]:  # the districts' rows held in the database
        return {d: rollup.to_counts(d, None, p, dataset) for d, p in rollup.load(session, missing).items()}

    one = lambda d: held([d])[d]  # noqa: E731
    if area:
        place = gazetteer.by_code(area)
        districts = [d.code for d in gazetteer.districts(area)]
        total = cache.assembled(session, name, area, districts, one, held,
                                lambda parts: sum_of(area, place.name_th if place else None, parts))
        return None if total is None else copy_counts(total)  # the cached sum is shared
    provinces = [p.code for p in gazetteer.provinces()]
    sums = cache.province_sums(session, name, provinces, one, held, lambda p, parts: sum_of(p, None, parts))
    return None if sums is None else sum_of(None, None, [sums[p] for p in provinces])


def district_counts(session: Session, code: str, dataset: str | None) -> AreaCompleteness:
    """`area_counts(code, dataset)` of a district, from its row held in the database (cached
    under the district's versions; a copy the caller may change)."""
    from registry import rollup
    from registry.completeness import rules_for

    rules_for(dataset)  # an unknown dataset is refused, as counting it would be
    place = gazetteer.by_code(code)
    return cache.get_or_compute(
        session, ("completeness.district", code, dataset),
        lambda: rollup.to_counts(code, place.name_th if place else None, rollup.load(session, [code])[code], dataset),
        code, copy_counts)


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
