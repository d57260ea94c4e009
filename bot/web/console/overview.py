"""The area's completeness: every field (★ first) with its rate now and at the end of last
month, as a table and a bar chart, and every field by sub-area (provinces of the country,
districts of a province, sub-districts of a district). Counts come from
`registry.completeness` (cached per district, as the chat's answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Response
from markupsafe import Markup

from bot.web import auth
from bot.web.console import base
from registry import completeness, gazetteer, targets
from registry.completeness import AreaCompleteness
from registry.labels_th import DATASET_LABELS


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str
    dataset: str
    starred: bool
    total: int
    missing: int
    invalid: int
    rate: float
    before: float | None  # the rate at the end of last month (None: no snapshot)

    @property
    def delta(self) -> float | None:
        return None if self.before is None else (self.rate - self.before) * 100


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    records: int
    starred_rate: float
    rates: dict[str, float | None]  # field key -> rate (None: no records of that dataset)
    before: float | None  # ★ rate at the end of last month

    def cells(self, keys: list[str]) -> Markup:
        """The row's rate cells, built here: a national page has ~1,300 of them, and a
        template expression per cell cost ~40 ms. Numbers and fixed class names only."""
        out = []
        for key in keys:
            v = self.rates.get(key)
            if v is None:
                out.append('<td class="n" data-sort="-1">-</td>')
            else:
                low = " low" if v < LOW else ""
                out.append(f'<td class="n{low}" data-sort="{v:.4f}">{v * 100:.0f}</td>')
        return Markup("".join(out))


LOW = 0.8  # a sub-area's field rate below this is shown in red


def _ordered(counts: AreaCompleteness) -> list[completeness.FieldCount]:
    order = completeness.DATASETS
    return sorted(counts.fields, key=lambda f: (order.index(f.dataset), not f.starred))


def field_rows(counts: AreaCompleteness, before: AreaCompleteness | None) -> list[FieldRow]:
    old = {f.key: f for f in before.fields} if before else {}
    rows = []
    for f in _ordered(counts):
        prior = old.get(f.key)
        rows.append(FieldRow(f.key, f.label_th, f.dataset, f.starred, f.total, f.missing, f.invalid, f.rate,
                             prior.rate if prior is not None and prior.total else None))
    return rows


def children(area: str | None) -> list[gazetteer.Place]:
    if not area:
        return list(gazetteer.provinces())
    if len(area) == 2:
        return list(gazetteer.districts(area))
    if len(area) == 4:
        return list(gazetteer.subdistricts(area))
    return []


def _records(counts: AreaCompleteness) -> int:
    return sum(d.total for d in counts.datasets.values())


def area_rows(session, area: str | None, today: date) -> list[AreaRow]:  # type: ignore[no-untyped-def]
    """Every field's rate in each sub-area, with the ★ rate last month where snapshots reach
    (districts and above)."""
    rows = []
    for place in children(area):
        counts = completeness.area_counts(session, place.code)
        before = completeness.previous_snapshot(session, today, place.code) if len(place.code) <= 4 else None
        rates = {f.key: (f.rate if counts.datasets[f.dataset].total else None) for f in counts.fields}
        rows.append(AreaRow(place.code, place.name_th, _records(counts), counts.starred_rate, rates,
                            before.starred_rate if before is not None and _records(before) else None))
    return rows


@auth.login_required()
def view() -> Response:
    area, refused = base.asked_area()
    if refused is not None:
        return refused
    with base.read_ctx() as ctx:
        counts = completeness.area_counts(ctx.session, area)
        before = None
        if not area or len(area) <= 4:
            before = completeness.previous_snapshot(ctx.session, ctx.today, area)
        month = completeness.previous_month(ctx.session, ctx.today) if before is not None else None
        rows = field_rows(counts, before)
        subareas = area_rows(ctx.session, area, ctx.today)
    return base.render("overview.html", area=area, area_label=base.area_label(area), counts=counts,
                       rows=rows, subareas=subareas, datasets=DATASET_LABELS, month=month,
                       starred_rate=counts.starred_rate, all_rate=targets.all_fields_rate(counts),
                       before_rate=before.starred_rate if before is not None and _records(before) else None,
                       up=_up(area))


def _up(area: str | None) -> str | None:
    """The area one level up ("TH": the country), when the officer covers it."""
    if not area:
        return None
    parent = {2: "", 4: area[:2], 6: area[:4]}[len(area)]
    return (parent or "TH") if auth.current_scope().allows_area(parent or None) else None
