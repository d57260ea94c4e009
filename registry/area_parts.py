"""Completeness counts of a district, a province or the nation from the rows held in the
database (`registry.rollup`: a district's counts, a province's and the nation's sums, kept
current by the writers), each answer cached in the process under the versions it depends on
(`registry.cache`): a change anywhere never makes a reader count the registry again. Counts
add up exactly: every record lies in one district (district codes begin with the province
code)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registry import cache, gazetteer
from registry.completeness import AreaCompleteness, DatasetCount, FieldCount, copy_counts


def held_counts(session: Session, code: str, dataset: str | None) -> AreaCompleteness:
    """`area_counts(code, dataset)` of a district, a province or the nation (""), from its row
    held in the database (cached under the area's versions; a copy the caller may change)."""
    from registry import rollup
    from registry.completeness import rules_for

    rules_for(dataset)  # an unknown dataset is refused, as counting it would be
    place = gazetteer.by_code(code) if code else None
    return cache.get_or_compute(
        session, ("completeness.rollup", code, dataset),
        lambda: rollup.to_counts(code or None, place.name_th if place else None, rollup.load(session, [code])[code],
                                 dataset),
        code or None, copy_counts)


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
