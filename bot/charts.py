"""Charts (matplotlib, the bundled Noto Sans Thai with DejaVu Sans for digits and Latin):
the completeness of every field in the child areas of an area (provinces of the country,
districts of a province, sub-districts of a district), and a square preview for LINE.

The chart is a grid: one row per child area (the least complete first), one column per
completeness field (★ fields first), each cell the share of the area's records whose field
is filled and valid, coloured on a scale that starts near the lowest value so differences
between areas show. The preview is drawn for LINE's square crop: the area, its overall
rates and its five weakest fields, readable at 240 px.

`python -m bot chart --area 57 --out DIR` draws both to look at (docs/CHARTS.md)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from registry import completeness, targets, thai_dates  # noqa: E402
from registry.completeness import AreaCompleteness  # noqa: E402
from registry.labels_th import DATASET_LABELS  # noqa: E402

FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
T = {
    "title": "ความครบถ้วนของข้อมูลทุกช่อง {level}",
    "subtitle": "{area} · ข้อมูล ณ {day}",
    "level": {None: "รายจังหวัด", 2: "รายอำเภอ", 4: "รายตำบล"},
    "legend": ("ตัวเลขในช่อง = ร้อยละของรายการที่กรอกช่องนั้นครบและถูกต้อง · ★ = ช่องสำคัญ · "
               "ช่องว่าง = ไม่มีรายการ · เรียงจากพื้นที่ที่ครบน้อยที่สุด"),
    "colourbar": "ร้อยละที่ครบ",
    "records": "{name} ({n:,})",
    "preview_title": "ความครบถ้วน",
    "preview_star": "ช่องสำคัญ ★ {rate}",
    "preview_all": "ทุกช่อง {rate}",
    "preview_weakest": "ช่องที่ขาดมากที่สุด",
    "none": "ยังไม่มีข้อมูลในพื้นที่นี้",
}
COLOURS = LinearSegmentedColormap.from_list("gaps", ["#c0392b", "#f39c12", "#f7dc6f", "#27ae60"])
MAX_ROWS = 80


@cache
def _fonts() -> None:
    """Register the bundled Thai font; digits and Latin fall back to DejaVu Sans (matplotlib's own)."""
    for name in ("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"):
        font_manager.fontManager.addfont(str(FONT_DIR / name))
    plt.rcParams["font.family"] = ["Noto Sans Thai", "DejaVu Sans"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    dataset: str
    starred: bool


def _columns(areas: list[AreaCompleteness]) -> list[Column]:
    """Every field with records somewhere in the areas: ★ first, then in dataset order."""
    present = {f.key for a in areas for f in a.fields if f.total}
    rules = [r for r in completeness.RULES if r.key in present]
    rules.sort(key=lambda r: (not r.starred, completeness.DATASETS.index(r.dataset), completeness.RULES.index(r)))
    return [Column(r.key, field_label(r.key), r.dataset, r.starred) for r in rules]


def field_label(key: str) -> str:
    """A field's label on a chart: ★ for the required ones, ชวนชิม's named as such."""
    rule = completeness.RULE_BY_KEY[key]
    prefix = "ชวนชิม: " if rule.dataset == "chuanchim" else ""
    return ("★" if rule.starred else "") + prefix + rule.label_th


def _records(a: AreaCompleteness) -> int:
    return sum(d.total for d in a.datasets.values())


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    plt.close(fig)
    return buf.getvalue()


def _day(today) -> str:  # type: ignore[no-untyped-def]
    return thai_dates.long_date(today)


def completeness_chart(session: Session, area: str | None, area_label: str, today=None) -> bytes:  # type: ignore[no-untyped-def]
    """The grid of every field's completeness per child area, as PNG."""
    return _png(completeness_figure(session, area, area_label, today))


def completeness_figure(session: Session, area: str | None, area_label: str, today=None):  # type: ignore[no-untyped-def]
    """The chart as a matplotlib figure (tests read its texts; the caller closes it)."""
    from datetime import date

    _fonts()
    children = [c for c in completeness.child_area_counts(session, area) if _records(c)]
    children.sort(key=lambda c: (targets.all_fields_rate(c), c.area_code or ""))
    children = children[:MAX_ROWS]
    columns = _columns(children)
    rates = [[(c.field(col.key).rate * 100 if c.field(col.key).total else math.nan) for col in columns]
             for c in children]
    values = [v for row in rates for v in row if not math.isnan(v)]
    low = max(0.0, math.floor((min(values) if values else 0) / 10) * 10 - 5)
    rows, cols = max(len(children), 1), max(len(columns), 1)
    width, height = 3.6 + 0.78 * cols, 2.7 + 0.34 * rows
    fig = plt.figure(figsize=(width, height), dpi=100)
    ax = fig.add_axes((2.3 / width, 0.9 / height, 0.78 * cols / width, 0.34 * rows / height))
    cax = fig.add_axes(((2.4 + 0.78 * cols) / width, 0.9 / height, 0.18 / width, 0.34 * rows / height))
    level = T["level"][len(area) if area else None]
    fig.text(0.01, 1 - 0.25 / height, T["title"].format(level=level), fontsize=17, weight="bold", va="top")
    fig.text(0.01, 1 - 0.62 / height, T["subtitle"].format(area=area_label, day=_day(today or date.today())),
             fontsize=13, va="top")
    fig.text(0.01, 0.25 / height, T["legend"], fontsize=9.5, color="#555555", va="bottom")
    if not children:
        ax.axis("off")
        ax.text(0.5, 0.5, T["none"], ha="center", va="center", fontsize=14)
        return fig
    image = ax.imshow(rates, cmap=COLOURS, vmin=low, vmax=100, aspect="auto")
    for i, row in enumerate(rates):
        for j, v in enumerate(row):
            if not math.isnan(v):
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=9,
                        color="white" if v < low + (100 - low) * 0.3 else "#222222")
    ax.set_xticks(range(len(columns)), [c.label for c in columns], rotation=35, ha="left", fontsize=9.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(children)), [T["records"].format(name=c.area_name or c.area_code, n=_records(c))
                                         for c in children], fontsize=10)
    for boundary in _dataset_boundaries(columns):
        ax.axvline(boundary - 0.5, color="white", linewidth=3)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(image, cax=cax)
    bar.set_label(T["colourbar"], fontsize=10)
    return fig


def _dataset_boundaries(columns: list[Column]) -> list[int]:
    """Where the ★ group ends and each dataset's other fields begin (a white line)."""
    groups = [("star" if c.starred else c.dataset) for c in columns]
    return [i for i in range(1, len(groups)) if groups[i] != groups[i - 1]]


def preview_chart(session: Session, area: str | None, area_label: str, size: int = 480) -> bytes:
    """A square JPEG for LINE's preview: the area, its ★ and all-field rates, its five weakest
    fields as bars (LINE crops previews to a square, so the picture is made square)."""
    fig = preview_figure(session, area, area_label, size)
    buf = io.BytesIO()
    fig.savefig(buf, format="jpeg", dpi=100, pil_kwargs={"quality": 85})
    plt.close(fig)
    return buf.getvalue()


def preview_figure(session: Session, area: str | None, area_label: str, size: int = 480):  # type: ignore[no-untyped-def]
    _fonts()
    counts = completeness.area_counts(session, area)
    fig = plt.figure(figsize=(size / 100, size / 100), dpi=100)
    fig.text(0.05, 0.95, T["preview_title"], fontsize=22, weight="bold", va="top")
    fig.text(0.05, 0.84, area_label, fontsize=15, va="top")
    fields = sorted((f for f in counts.fields if f.total), key=lambda f: f.rate)[:5]
    if not fields:
        fig.text(0.05, 0.5, T["none"], fontsize=15)
    else:
        fig.text(0.05, 0.73, T["preview_star"].format(rate=f"{counts.starred_rate * 100:.1f}%") + "   "
                 + T["preview_all"].format(rate=f"{targets.all_fields_rate(counts) * 100:.1f}%"), fontsize=13, va="top")
        fig.text(0.05, 0.63, T["preview_weakest"], fontsize=12, color="#555555", va="top")
        ax = fig.add_axes((0.05, 0.05, 0.9, 0.52))
        labels = [field_label(f.key) for f in fields][::-1]
        vals = [f.rate * 100 for f in fields][::-1]
        ax.barh(range(len(vals)), vals, color=[COLOURS(v / 100) for v in vals], height=0.7)
        for i, (name, v) in enumerate(zip(labels, vals)):
            ax.text(1, i, f"{name} {v:.0f}%", va="center", ha="left", fontsize=13, color="#111111")
        ax.set_xlim(0, 100)
        ax.axis("off")
    return fig


__all__ = ["DATASET_LABELS", "completeness_chart", "preview_chart"]
