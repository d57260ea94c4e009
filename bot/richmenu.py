"""Rich menus per role, drawn with Pillow in the bundled Thai font (Noto Sans Thai, OFL).

`deploy(api)` (re)creates three menus through the Messaging API: "default" for users not
linked yet (set as the default menu), "producer" and "officer" (linked to a user when the
dispatcher sets their role). Buttons send postbacks `i=<intent>` routed like any postback.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

from linebot.v3.messaging import RichMenuRequest
from PIL import Image, ImageDraw, ImageFont

from bot.lineapi import LineApi
from handlers.replies import encode_postback, postback

log = logging.getLogger(__name__)
FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
FONT_BOLD = FONT_DIR / "NotoSansThai-Bold.ttf"
FONT_REGULAR = FONT_DIR / "NotoSansThai-Regular.ttf"
WIDTH = 2500
MENU_NAMES = {"default": "otop-default", "producer": "otop-producer", "officer": "otop-officer"}


@dataclass(frozen=True)
class Button:
    label: str
    hint: str
    intent: str


MENUS: dict[str, tuple[str, list[Button], str]] = {
    # key: (chat bar text, buttons (3 per row), colour)
    "default": ("เริ่มใช้งาน", [
        Button("ผูกบัญชีผู้ผลิต", "เลขบัตรและเบอร์โทร", "producer.link"),
        Button("ใส่รหัสเชิญ", "รหัสแปดตัวจากเจ้าหน้าที่", "account.redeem_code"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help"),
    ], "#1E6B52"),
    "producer": ("เมนูผู้ผลิต", [
        Button("ข้อมูลของฉัน", "ดูข้อมูลที่ลงทะเบียน", "producer.my_record"),
        Button("ยังขาดอะไร", "ข้อมูลที่ต้องเติม", "producer.missing"),
        Button("ส่งรูปสินค้า", "เพิ่มรูปผลิตภัณฑ์", "producer.send_photo"),
        Button("แจ้งเลิกหรือย้าย", "เลิกกิจการ ย้ายที่ตั้ง", "producer.request_closure"),
        Button("เมนู", "คำสั่งทั้งหมด", "menu"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help"),
    ], "#B5541C"),
    "officer": ("เมนู จนท.", [
        Button("ยังไม่ครบ", "ข้อมูลที่ยังขาด", "officer.incomplete"),
        Button("รายงาน", "สรุปรายเดือน", "officer.monthly_report"),
        Button("คำขอรออนุมัติ", "เลิก ย้าย แก้ไข", "officer.pending_requests"),
        Button("ค้นหา", "ผู้ผลิต ผลิตภัณฑ์", "officer.find"),
        Button("รายชื่อผู้ผลิต", "ในพื้นที่ของท่าน", "officer.list_producers"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help"),
    ], "#24508F"),
}


# Noto Sans Thai has Thai glyphs only (plus space): labels drawn on images stay in Thai.
THAI_ONLY = set(" ") | {chr(c) for c in range(0x0E01, 0x0E5C)}


def _layout(key: str) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    buttons = MENUS[key][1]
    rows = (len(buttons) + 2) // 3
    height = 843 * rows
    cell_w = WIDTH // 3
    boxes = [((i % 3) * cell_w, (i // 3) * 843, cell_w if i % 3 < 2 else WIDTH - 2 * cell_w, 843)
             for i in range(len(buttons))]
    return WIDTH, height, boxes


def draw(key: str) -> bytes:
    """The menu image as PNG bytes (2500x843 per row of three buttons)."""
    _, buttons, colour = MENUS[key]
    width, height, boxes = _layout(key)
    img = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(img)
    small = ImageFont.truetype(str(FONT_REGULAR), 70)
    for button, (x, y, w, h) in zip(buttons, boxes):
        pen.rounded_rectangle((x + 24, y + 24, x + w - 24, y + h - 24), radius=60, fill=colour)
        size = 120
        big = ImageFont.truetype(str(FONT_BOLD), size)
        while pen.textlength(button.label, font=big) > w - 120 and size > 60:
            size -= 6
            big = ImageFont.truetype(str(FONT_BOLD), size)
        cx, cy = x + w // 2, y + h // 2
        pen.text((cx, cy - 60), button.label, font=big, fill="white", anchor="mm")
        pen.text((cx, cy + 110), button.hint, font=small, fill="#F3F3F3", anchor="mm")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def request_for(key: str) -> RichMenuRequest:
    chat_bar, buttons, _ = MENUS[key]
    width, height, boxes = _layout(key)
    areas = [
        {"bounds": {"x": x, "y": y, "width": w, "height": h},
         "action": {"type": "postback", "label": b.label[:20], "data": encode_postback(postback(b.intent)),
                    "displayText": b.label}}
        for b, (x, y, w, h) in zip(buttons, boxes)
    ]
    return RichMenuRequest.from_dict({
        "size": {"width": width, "height": height}, "selected": True, "name": MENU_NAMES[key],
        "chatBarText": chat_bar, "areas": areas,
    })


def deploy(api: LineApi) -> dict[str, str]:
    """(Re)create the three menus, upload their images, make "default" the default."""
    existing = api.messaging.get_rich_menu_list().richmenus or []
    ids: dict[str, str] = {}
    for key in MENUS:
        for old in existing:
            if old.name == MENU_NAMES[key]:
                api.messaging.delete_rich_menu(old.rich_menu_id)
        menu_id = api.messaging.create_rich_menu(request_for(key)).rich_menu_id
        api.blob.set_rich_menu_image(menu_id, draw(key), _headers={"Content-Type": "image/png"})
        ids[key] = menu_id
    api.messaging.set_default_rich_menu(ids["default"])
    return ids


def link_user(api: LineApi, user_id: str, key: str) -> None:
    """Show the menu of `key` ("producer", "officer"; "default" = unlink) to a user."""
    if key == "default":
        api.messaging.unlink_rich_menu_id_from_user(user_id)
        return
    menus = {m.name: m.rich_menu_id for m in api.messaging.get_rich_menu_list().richmenus or []}
    menu_id = menus.get(MENU_NAMES.get(key, ""))
    if menu_id is None:
        log.warning("rich menu %s not deployed; run `python -m bot richmenu deploy`", key)
        return
    api.messaging.link_rich_menu_id_to_user(user_id, menu_id)
