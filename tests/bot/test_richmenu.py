"""Rich menus per role: drawable in the bundled Thai font with labels that fit, every button
an intent the role may use, pages switched by rich-menu aliases, deployed through the fake
LINE API (which checks each request against LINE's spec)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

import handlers
from bot import richmenu
from handlers.registry import REGISTRY
from models import Role

THAI_ONLY = set(" ") | {chr(c) for c in range(0x0E01, 0x0E5C)}
ROLES = {"unlinked": None, "producer": Role.PRODUCER, "district": Role.DISTRICT, "province": Role.PROVINCE,
         "central": Role.CENTRAL}


def test_one_menu_per_role_and_every_button_is_allowed_for_it():
    handlers.load_all()
    assert set(richmenu.MENUS) == set(ROLES)
    for key, role in ROLES.items():
        intents = [b.intent for b in richmenu.MENUS[key].buttons]
        assert len(intents) == len(set(intents)), key
        for intent in intents:
            assert intent in REGISTRY and role in REGISTRY[intent].roles, (key, intent)
    producer = {b.intent for b in richmenu.MENUS["producer"].buttons}
    assert {"producer.edit_menu", "producer.request_status"} <= producer
    assert "officer.set_target" in {b.intent for b in richmenu.MENUS["province"].buttons}
    assert "officer.set_target" not in {b.intent for b in richmenu.MENUS["district"].buttons}


def test_labels_use_the_fonts_glyphs_and_fit_their_button():
    img = Image.new("RGB", (10, 10))
    pen = ImageDraw.Draw(img)
    cell = richmenu.WIDTH // richmenu.PER_ROW - 110
    for key, menu in richmenu.MENUS.items():
        assert len(menu.chat_bar) <= 14, key  # LINE's limit
        for b in (*menu.buttons, *(p[-1] for p in richmenu.pages(key))):
            assert set(b.label + b.hint) <= THAI_ONLY, (key, b)
            assert len(b.label) <= 20
            font = richmenu._fitted(pen, b.label, richmenu.FONT_BOLD, 120, cell)
            assert font.size >= 84 and pen.textlength(b.label, font=font) <= cell, (key, b.label)


def test_roles_with_more_than_six_actions_get_pages_that_switch():
    for key, menu in richmenu.MENUS.items():
        pages = richmenu.pages(key)
        assert all(len(p) <= 6 for p in pages)
        assert sum(len(p) for p in pages) == len(menu.buttons) + (len(pages) if len(pages) > 1 else 0)
        if len(menu.buttons) > 6:
            targets = [p[-1].intent for p in pages]
            assert targets == [f"switch:{richmenu.alias(key, (i + 1) % len(pages))}" for i in range(len(pages))]
    assert len(richmenu.pages("district")) == 2 and len(richmenu.pages("unlinked")) == 1


@pytest.mark.parametrize("key", list(ROLES))
def test_images_are_png_of_lines_sized_rows(key):
    for page in range(len(richmenu.pages(key))):
        img = Image.open(io.BytesIO(richmenu.draw(key, page)))
        assert img.format == "PNG" and img.size in {(2500, 843), (2500, 1686)}


def test_deploy_creates_every_page_with_its_alias_and_sets_default(runtime, fake_line):
    ids = richmenu.deploy(runtime.api)
    again = richmenu.deploy(runtime.api)  # idempotent: old menus replaced, aliases moved to the new ones
    names = {richmenu.alias(k, p) for k in richmenu.MENUS for p in range(len(richmenu.pages(k)))}
    assert set(ids) == set(again) == names
    assert fake_line.default_menu == again["otop-unlinked-0"]
    assert len(fake_line.rich_menus) == len(names) and all(fake_line.rich_menu_images[i] for i in again.values())
    assert fake_line.rich_menu_aliases == again
    switch = [a["action"] for a in fake_line.rich_menus[again["otop-district-0"]]["areas"]][-1]
    assert switch["type"] == "richmenuswitch" and switch["richMenuAliasId"] == "otop-district-1"
    assert all(r.status == 200 for r in fake_line.calls("/v2/bot/richmenu")) and not fake_line.schema_failures


def test_a_page_switch_postback_is_answered_with_nothing(line_client):
    got = line_client.tap("U" + "9" * 32, "i=richmenu.switched&to=otop-district-1")
    assert got == []
