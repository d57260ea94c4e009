"""Issue 16: charts that show the gaps. One chart per area level (provinces of the country,
districts of a province, sub-districts of a district) with its Thai title and every
completeness field that has records, a colour scale that starts near the lowest value, and a
square preview for LINE's crop."""

from __future__ import annotations

import io
from datetime import date

import pytest
from matplotlib import pyplot as plt
from PIL import Image

from bot import charts
from registry import completeness
from tests.registry import factories as f
from models import unit_of_work


@pytest.fixture
def area(db):
    with unit_of_work(db) as s:
        for i in range(3):
            f.producer(s, "5001", products=2, national_id=None if i else "1101700203451")
        f.producer(s, "5002", products=1)
        f.producer(s, "5701", products=1)
    return db


def _texts(fig) -> str:  # type: ignore[no-untyped-def]
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() + ax.texts]
    return "\n".join(found)


@pytest.mark.parametrize("code, label, level", [(None, "ทั่วประเทศ", "รายจังหวัด"),
                                                ("50", "จังหวัดเชียงใหม่", "รายอำเภอ"),
                                                ("5001", "อำเภอเมืองเชียงใหม่", "รายตำบล")])
def test_a_chart_per_area_level_with_its_title_and_every_field(area, code, label, level):
    with area() as s:
        fig = charts.completeness_figure(s, code, label, today=date(2026, 12, 7))
        counts = completeness.area_counts(s, code)
        png = charts.completeness_chart(s, code, label, today=date(2026, 12, 7))
    text = _texts(fig)
    assert f"ความครบถ้วนของข้อมูลทุกช่อง {level}" in text and f"{label} · ข้อมูล ณ 7 ธันวาคม 2569" in text
    for field in counts.fields:  # every field with records, not only the ★ ones
        if field.total:
            assert charts.field_label(field.key) in text, field.key
    assert "★เลขประจำตัวประชาชน" in text and "รูปภาพผลิตภัณฑ์" in text and "มาตรฐานผลิตภัณฑ์" in text
    assert "ร้อยละของรายการที่กรอกช่องนั้นครบและถูกต้อง" in text  # the numbers are explained, in Thai
    plt.close(fig)
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.width > 600


def test_the_scale_starts_near_the_lowest_value_so_differences_show(area):
    with area() as s:
        fig = charts.completeness_figure(s, "50", "จังหวัดเชียงใหม่")
    grid = fig.axes[0].images[0]
    values = [v for row in grid.get_array().filled(float("nan")).tolist() for v in row if v == v]
    low, high = grid.get_clim()
    assert high == 100 and min(values) - 15 <= low <= min(values)
    plt.close(fig)


def test_the_preview_is_square_and_titled(area):
    with area() as s:
        fig = charts.preview_figure(s, "50", "จังหวัดเชียงใหม่")
        jpeg = charts.preview_chart(s, "50", "จังหวัดเชียงใหม่")
    text = _texts(fig)
    assert "ความครบถ้วน" in text and "จังหวัดเชียงใหม่" in text and "ช่องสำคัญ ★" in text and "ทุกช่อง" in text
    plt.close(fig)
    with Image.open(io.BytesIO(jpeg)) as img:
        assert img.format == "JPEG" and img.width == img.height
