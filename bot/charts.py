"""Charts as PNG (Pillow): ★ completeness of the child areas of an area (provinces of the
country, districts of a province, sub-districts of a district).

The bundled Noto Sans Thai has Thai glyphs only, so text is drawn in runs: Thai with it,
digits, Latin and signs with Pillow's own bundled font."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from registry import completeness

FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
WIDTH, ROW, TOP, LEFT, RIGHT = 1040, 34, 110, 300, 110
TITLE = "ความครบถ้วนของข้อมูลสำคัญ (ผู้ผลิตและผลิตภัณฑ์)"
SUBTITLE = "{area}"
LEGEND = "แถบ = สัดส่วนรายการที่กรอกช่องสำคัญครบ, ตัวเลขท้ายแถบ = % และจำนวนรายการ"
_RUNS = re.compile(r"[\u0e00-\u0e7f]+(?:\s+[\u0e00-\u0e7f]+)*|[^\u0e00-\u0e7f]+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("NotoSansThai-Bold.ttf" if bold else "NotoSansThai-Regular.ttf")), size)


@cache
def _latin(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill, bold: bool = False) -> float:  # type: ignore[no-untyped-def]
    """Draw `text` in script runs (Thai / the rest) each in a font that has its glyphs; returns
    the x where it ends."""
    x, y = xy
    for run in _RUNS.findall(text):
        font = _font(size, bold) if _THAI.search(run) else _latin(size)
        offset = 0 if font is not _latin(size) else size * 0.18  # the two fonts' baselines differ
        draw.text((x, y + offset), run, font=font, fill=fill)
        x += draw.textlength(run, font=font)
    return x


def _colour(rate: float) -> tuple[int, int, int]:
    return (46, 160, 67) if rate >= 0.9 else (240, 173, 78) if rate >= 0.7 else (217, 83, 79)


def completeness_chart(session: Session, area: str | None, area_label: str) -> bytes:
    """Bars of ★ completeness per child area, lowest first (where work is needed)."""
    children = [c for c in completeness.child_area_counts(session, area)
                if sum(d.total for n, d in c.datasets.items() if n != "chuanchim")]
    children.sort(key=lambda c: (c.starred_rate, c.area_code or ""))
    height = TOP + 36 + ROW * max(len(children), 1) + 40
    img = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(img)
    _text(draw, (24, 14), TITLE, 28, (33, 33, 33), bold=True)
    _text(draw, (24, 54), SUBTITLE.format(area=area_label), 24, (33, 33, 33), bold=True)
    _text(draw, (24, 92), LEGEND, 18, (110, 110, 110))
    span = WIDTH - LEFT - RIGHT
    for i, c in enumerate(children):
        y = TOP + 36 + i * ROW
        records = sum(d.total for n, d in c.datasets.items() if n != "chuanchim")
        _text(draw, (24, y), (c.area_name or c.area_code or "")[:22], 20, (33, 33, 33))
        draw.rectangle((LEFT, y + 6, LEFT + span, y + ROW - 6), fill=(238, 238, 238))
        draw.rectangle((LEFT, y + 6, LEFT + int(span * c.starred_rate), y + ROW - 6), fill=_colour(c.starred_rate))
        _text(draw, (LEFT + span + 8, y + 2), f"{c.starred_rate * 100:.0f}% | {records:,}", 16, (80, 80, 80))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def preview(png: bytes, size: int = 240) -> bytes:
    """LINE's preview image: the top of the chart, square, as JPEG."""
    with Image.open(io.BytesIO(png)) as img:
        side = min(img.width, img.height)
        thumb = img.convert("RGB").crop((0, 0, side, side))
        thumb.thumbnail((size, size))
        buf = io.BytesIO()
        thumb.save(buf, "JPEG", quality=85)
        return buf.getvalue()
