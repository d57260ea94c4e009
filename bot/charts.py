"""Charts as PNG (Pillow, the bundled Noto Sans Thai): ★ completeness of the child areas of an
area (provinces of the country, districts of a province, sub-districts of a district)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from registry import completeness

FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
WIDTH, ROW, TOP, LEFT, RIGHT = 1040, 34, 110, 300, 90
TITLE = "ความครบถ้วนของข้อมูล ★ (ผู้ผลิตและผลิตภัณฑ์) — {area}"
LEGEND = "แถบ = สัดส่วนรายการที่กรอกช่อง ★ ครบ · ตัวเลขท้ายแถบ = จำนวนรายการ"


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / ("NotoSansThai-Bold.ttf" if bold else "NotoSansThai-Regular.ttf")), size)


def _colour(rate: float) -> tuple[int, int, int]:
    return (46, 160, 67) if rate >= 0.9 else (240, 173, 78) if rate >= 0.7 else (217, 83, 79)


def completeness_chart(session: Session, area: str | None, area_label: str) -> bytes:
    """Bars of ★ completeness per child area, lowest first (where work is needed)."""
    children = [c for c in completeness.child_area_counts(session, area)
                if sum(d.total for n, d in c.datasets.items() if n != "chuanchim")]
    children.sort(key=lambda c: (c.starred_rate, c.area_code or ""))
    height = TOP + ROW * max(len(children), 1) + 40
    img = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(img)
    draw.text((24, 18), TITLE.format(area=area_label), font=_font(30, True), fill=(33, 33, 33))
    draw.text((24, 62), LEGEND, font=_font(20), fill=(110, 110, 110))
    small = _font(20)
    span = WIDTH - LEFT - RIGHT
    for i, c in enumerate(children):
        y = TOP + i * ROW
        records = sum(d.total for n, d in c.datasets.items() if n != "chuanchim")
        draw.text((24, y), (c.area_name or c.area_code or "")[:22], font=small, fill=(33, 33, 33))
        draw.rectangle((LEFT, y + 6, LEFT + span, y + ROW - 6), fill=(238, 238, 238))
        draw.rectangle((LEFT, y + 6, LEFT + int(span * c.starred_rate), y + ROW - 6), fill=_colour(c.starred_rate))
        draw.text((LEFT + span + 8, y), f"{c.starred_rate * 100:.0f}% · {records:,}", font=_font(16), fill=(80, 80, 80))
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
