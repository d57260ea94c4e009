"""Rich menus per role, drawn with Pillow in the bundled Thai font (Noto Sans Thai, OFL).

One menu per role: "unlinked" (the default menu, for users not linked yet), "producer",
"district", "province" and "central". A role with more than six actions gets pages: the last
button of a page switches to the next one with a rich-menu alias (`richmenuswitch`, no
message sent; the postback it also delivers is `i=richmenu.switched`, answered with nothing).
Other buttons send postbacks `i=<intent>` routed like any postback.

`deploy(api)` (re)creates every page, its image and its alias (`otop-<role>-<page>`), and
makes "unlinked" the default; `link_user(api, user, role_key)` shows a user the first page of
their role's menu. `python -m bot richmenu draw DIR` writes the images to look at.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from linebot.v3.messaging import CreateRichMenuAliasRequest, RichMenuRequest, UpdateRichMenuAliasRequest
from PIL import Image, ImageDraw, ImageFont

from bot.lineapi import LineApi
from bot.richmenu_icons import draw_icon
from handlers.replies import encode_postback, postback

log = logging.getLogger(__name__)
FONT_DIR = Path(__file__).resolve().parent / "assets" / "fonts"
FONT_BOLD = FONT_DIR / "NotoSansThai-Bold.ttf"
FONT_REGULAR = FONT_DIR / "NotoSansThai-Regular.ttf"
WIDTH, ROW_HEIGHT, PER_ROW, PER_PAGE = 2500, 843, 3, 6
SWITCHED = "richmenu.switched"


@dataclass(frozen=True)
class Button:
    label: str
    hint: str
    intent: str
    icon: str


@dataclass(frozen=True)
class Menu:
    chat_bar: str
    colour: str
    buttons: tuple[Button, ...]


NEXT = ("เมนูถัดไป", "คำสั่งอื่น ๆ", "next")
BACK = ("เมนูหลัก", "กลับหน้าแรก", "back")

MENUS: dict[str, Menu] = {
    "unlinked": Menu("เริ่มใช้งาน", "#1E6B52", (
        Button("ผูกบัญชีผู้ผลิต", "เลขบัตรและเบอร์โทร", "producer.link", "link"),
        Button("ใส่รหัสเชิญ", "รหัสแปดตัวจากเจ้าหน้าที่", "account.redeem_code", "key"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help", "help"),
    )),
    "producer": Menu("เมนูผู้ผลิต", "#B5541C", (
        Button("ข้อมูลของฉัน", "ดูข้อมูลที่ลงทะเบียน", "producer.my_record", "person"),
        Button("ยังขาดอะไร", "ข้อมูลที่ต้องเติม", "producer.missing", "list"),
        Button("ส่งรูปสินค้า", "เพิ่มรูปผลิตภัณฑ์", "producer.send_photo", "camera"),
        Button("แก้ไขข้อมูล", "เบอร์โทร ที่อยู่ สินค้า", "producer.edit_menu", "edit"),
        Button("สถานะคำขอ", "คำขอเลิกหรือย้าย", "producer.request_status", "inbox"),
        Button("แจ้งเลิกหรือย้าย", "เลิกกิจการ ย้ายที่ตั้ง", "producer.request_closure", "exit"),
        Button("หยุดแจ้งเตือน", "ไม่รับข้อความเตือน", "producer.stop_reminders", "bell"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help", "help"),
    )),
    "district": Menu("เมนูอำเภอ", "#24508F", (
        Button("ยังไม่ครบ", "ข้อมูลที่ยังขาดในอำเภอ", "officer.incomplete", "list"),
        Button("รายชื่อผู้ผลิต", "ผู้ผลิตในอำเภอ", "officer.list_producers", "person"),
        Button("คำขอรออนุมัติ", "เลิก ย้าย", "officer.pending_requests", "inbox"),
        Button("ค้นหา", "ผู้ผลิต ผลิตภัณฑ์", "officer.find", "search"),
        Button("รายงานอำเภอ", "ตารางของกรม กราฟ", "officer.province_report", "chart"),
        Button("สรุปรายเดือน", "ความเคลื่อนไหว", "officer.monthly_report", "doc"),
        Button("คำขอแก้ไขข้อมูล", "จากผู้ผลิต", "officer.pending_changes", "edit"),
        Button("เตือนผู้ผลิต", "ส่งข้อความเตือน", "officer.remind_area", "bell"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help", "help"),
    )),
    "province": Menu("เมนูจังหวัด", "#5B2C83", (
        Button("รายงานจังหวัด", "ตารางของกรม กราฟ", "officer.province_report", "chart"),
        Button("ยังไม่ครบ", "รายอำเภอ รายช่อง", "officer.incomplete", "list"),
        Button("คำขอรออนุมัติ", "เลิก ย้าย", "officer.pending_requests", "inbox"),
        Button("ตั้งเป้าหมาย", "ความครบถ้วนรายอำเภอ", "officer.set_target", "target"),
        Button("สรุปรายเดือน", "ความเคลื่อนไหว", "officer.monthly_report", "doc"),
        Button("ค้นหา", "ผู้ผลิต ผลิตภัณฑ์", "officer.find", "search"),
        Button("รายชื่อผู้ผลิต", "ผู้ผลิตในจังหวัด", "officer.list_producers", "person"),
        Button("เตือนผู้ผลิต", "ส่งข้อความเตือน", "officer.remind_area", "bell"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help", "help"),
    )),
    "central": Menu("เมนูส่วนกลาง", "#7A1F3D", (
        Button("รายงานทั้งประเทศ", "ตารางของกรม กราฟ", "officer.national_report", "chart"),
        Button("ยังไม่ครบ", "รายจังหวัด รายช่อง", "officer.incomplete", "list"),
        Button("สรุปรายเดือน", "ความเคลื่อนไหว", "officer.monthly_report", "doc"),
        Button("ค้นหา", "ผู้ผลิต ผลิตภัณฑ์", "officer.find", "search"),
        Button("คำขอรออนุมัติ", "ทั่วประเทศ", "officer.pending_requests", "inbox"),
        Button("ตั้งเป้าหมาย", "ความครบถ้วนรายอำเภอ", "officer.set_target", "target"),
        Button("ช่วยเหลือ", "วิธีใช้งาน", "help", "help"),
    )),
}


def pages(key: str) -> list[list[Button]]:
    """The menu's pages of at most six buttons; the last slot of each page of a paged menu
    switches to the next page (the last page's back to the first)."""
    buttons = list(MENUS[key].buttons)
    if len(buttons) <= PER_PAGE:
        return [buttons]
    per = PER_PAGE - 1
    chunks = [buttons[i:i + per] for i in range(0, len(buttons), per)]
    out = []
    for n, chunk in enumerate(chunks):
        label, hint, icon = BACK if n == len(chunks) - 1 else NEXT
        out.append([*chunk, Button(label, hint, f"switch:{alias(key, (n + 1) % len(chunks))}", icon)])
    return out


def alias(key: str, page: int) -> str:
    """The rich-menu alias (and menu name) of a page: otop-<role>-<page>."""
    return f"otop-{key}-{page}"


def _layout(n: int) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    rows = (n + PER_ROW - 1) // PER_ROW
    cell_w = WIDTH // PER_ROW
    boxes = [((i % PER_ROW) * cell_w, (i // PER_ROW) * ROW_HEIGHT,
              cell_w if i % PER_ROW < PER_ROW - 1 else WIDTH - (PER_ROW - 1) * cell_w, ROW_HEIGHT) for i in range(n)]
    return WIDTH, ROW_HEIGHT * rows, boxes


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def _fitted(pen: ImageDraw.ImageDraw, text: str, path: Path, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The largest font (from `size` down) in which `text` fits `width`."""
    while size > 40 and pen.textlength(text, font=_font(path, size)) > width:
        size -= 4
    return _font(path, size)


def draw(key: str, page: int = 0) -> bytes:
    """One page's image as PNG (2500 wide, 843 high per row of three buttons)."""
    buttons = pages(key)[page]
    colour = MENUS[key].colour
    width, height, boxes = _layout(len(buttons))
    img = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(img)
    for button, (x, y, w, h) in zip(buttons, boxes):
        switch = button.intent.startswith("switch:")
        pen.rounded_rectangle((x + 24, y + 24, x + w - 24, y + h - 24), radius=60,
                              fill="#6B6B6B" if switch else colour)
        cx = x + w // 2
        draw_icon(pen, button.icon, cx - 90, y + 110, 180)
        pen.text((cx, y + 430), button.label, font=_fitted(pen, button.label, FONT_BOLD, 120, w - 110),
                 fill="white", anchor="mm")
        pen.text((cx, y + 600), button.hint, font=_fitted(pen, button.hint, FONT_REGULAR, 70, w - 110),
                 fill="#F3F3F3", anchor="mm")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _action(button: Button) -> dict:
    if button.intent.startswith("switch:"):
        target = button.intent.split(":", 1)[1]
        return {"type": "richmenuswitch", "label": button.label[:20], "richMenuAliasId": target,
                "data": encode_postback(postback(SWITCHED, to=target))}
    return {"type": "postback", "label": button.label[:20], "data": encode_postback(postback(button.intent)),
            "displayText": button.label}


def request_for(key: str, page: int = 0) -> RichMenuRequest:
    buttons = pages(key)[page]
    width, height, boxes = _layout(len(buttons))
    areas = [{"bounds": {"x": x, "y": y, "width": w, "height": h}, "action": _action(b)}
             for b, (x, y, w, h) in zip(buttons, boxes)]
    return RichMenuRequest.from_dict({
        "size": {"width": width, "height": height}, "selected": True, "name": alias(key, page),
        "chatBarText": MENUS[key].chat_bar, "areas": areas,
    })


def deploy(api: LineApi) -> dict[str, str]:
    """(Re)create every page of every menu with its image and alias; "unlinked" is the default.
    Returns alias -> rich menu id."""
    existing = api.messaging.get_rich_menu_list().richmenus or []
    aliases = {a.rich_menu_alias_id for a in (api.messaging.get_rich_menu_alias_list().aliases or [])}
    ids: dict[str, str] = {}
    for key in MENUS:
        for page in range(len(pages(key))):
            ids[alias(key, page)] = api.messaging.create_rich_menu(request_for(key, page)).rich_menu_id
            api.blob.set_rich_menu_image(ids[alias(key, page)], draw(key, page),
                                         _headers={"Content-Type": "image/png"})
    for name, menu_id in ids.items():  # every page exists before any switch can point at it
        if name in aliases:
            api.messaging.update_rich_menu_alias(name, UpdateRichMenuAliasRequest(rich_menu_id=menu_id))
        else:
            api.messaging.create_rich_menu_alias(CreateRichMenuAliasRequest(rich_menu_alias_id=name,
                                                                            rich_menu_id=menu_id))
    for old in existing:  # the previous deploy's menus, now replaced
        if old.name.startswith("otop-"):
            api.messaging.delete_rich_menu(old.rich_menu_id)
    api.messaging.set_default_rich_menu(ids[alias("unlinked", 0)])
    return ids


def link_user(api: LineApi, user_id: str, key: str) -> None:
    """Show the first page of the menu of `key` (a role's menu; "unlinked"/"default" = unlink)."""
    if key in ("default", "unlinked"):
        api.messaging.unlink_rich_menu_id_from_user(user_id)
        return
    menus = {m.name: m.rich_menu_id for m in api.messaging.get_rich_menu_list().richmenus or []}
    menu_id = menus.get(alias(key, 0))
    if menu_id is None:
        log.warning("rich menu %s not deployed; run `python -m bot richmenu deploy`", key)
        return
    api.messaging.link_rich_menu_id_to_user(user_id, menu_id)
