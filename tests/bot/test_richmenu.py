"""Rich menus: drawable in the bundled Thai font, valid requests, deployed through the fake."""

from __future__ import annotations

import io

from PIL import Image

from bot import richmenu


def test_menu_texts_only_use_glyphs_of_the_bundled_font():
    for key, (_, buttons, _) in richmenu.MENUS.items():
        for b in buttons:
            assert set(b.label + b.hint) <= richmenu.THAI_ONLY, (key, b)


def test_images_are_lines_sized_png():
    for key in richmenu.MENUS:
        img = Image.open(io.BytesIO(richmenu.draw(key)))
        assert img.format == "PNG" and img.size in {(2500, 843), (2500, 1686)}


def test_deploy_creates_menus_and_sets_default(runtime, fake_line):
    ids = richmenu.deploy(runtime.api)
    again = richmenu.deploy(runtime.api)  # idempotent: old ones replaced
    assert set(ids) == {"default", "producer", "officer"}
    assert fake_line.default_menu == again["default"]
    assert len(fake_line.rich_menus) == 3 and all(fake_line.rich_menu_images[i] for i in again.values())
    assert all(r.status == 200 for r in fake_line.calls("/v2/bot/richmenu"))
