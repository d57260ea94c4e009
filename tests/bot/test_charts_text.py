"""Chart text is drawn in script runs: the bundled Thai font has no digits or Latin glyphs."""

from PIL import ImageFont

from bot import charts


def test_runs_never_mix_thai_with_digits_or_latin():
    runs = charts._RUNS.findall("ป่าแดด 95% | 425 (ผู้ผลิต) SMEs")
    assert "".join(runs) == "ป่าแดด 95% | 425 (ผู้ผลิต) SMEs"
    for run in runs:
        has_thai = bool(charts._THAI.search(run))
        assert not (has_thai and any(ch.isdigit() or ch.isascii() and ch.isalpha() for ch in run)), run


def test_the_thai_font_lacks_digits_so_the_latin_font_draws_them():
    thai = charts._font(20)
    assert isinstance(thai, ImageFont.FreeTypeFont)
    # A missing glyph renders as the same .notdef box for every character.
    assert thai.getmask("1").getbbox() == thai.getmask("7").getbbox() or thai.getlength("1") == thai.getlength("%")
    latin = charts._latin(20)
    assert latin.getmask("1").getbbox() != latin.getmask("%").getbbox()
