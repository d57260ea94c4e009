"""Issue 16: quick-reply and button labels are shortened at Thai word boundaries."""

from __future__ import annotations

from bot.render import MAX_LABEL, label


def test_labels_are_cut_between_words_never_inside_one():
    got = label("รูป: ชาใบหม่อน สายน้ำผึ้งอบแห้ง")
    assert got == "รูป: ชาใบหม่อน…"  # the old cut gave "รูป: ชาใบหม่อน สายน…"
    assert label("ผลิตภัณฑ์ผ้าฝ้ายทอมือย้อมสีธรรมชาติ") == "ผลิตภัณฑ์ผ้าฝ้ายทอ…"
    for text in ("ดูข้อมูลอำเภอเมืองเชียงราย", "น้ำพริกเผาสูตรโบราณแม่บุญมีตราห้าดาว", "ก" * 40):
        assert len(label(text)) <= MAX_LABEL and label(text).endswith("…")
    assert label("ยังไม่ครบ") == "ยังไม่ครบ"


def test_a_single_long_word_keeps_its_marks_with_its_letter():
    text = "ที่" * 10  # 30 characters, vowel and tone marks after every consonant
    got = label(text)
    assert len(got) <= MAX_LABEL and got[:-1].endswith("ที่")
