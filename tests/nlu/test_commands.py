"""Global words in any phrasing (nlu.commands): commands with particles and extra words
around them, and real answers that contain a command word but are not commands."""

from __future__ import annotations

import pytest

from nlu.commands import global_command, non_answer


@pytest.mark.parametrize("text", [
    "ยกเลิก", "ยกเลิกค่ะ ไม่แก้แล้ว", "ยกเลิกค่ะไม่แก้แล้ว", "ไม่เอาแล้วค่ะ", "พอก่อน", "พอก่อนนะคะ",
    "หยุดก่อนครับ", "ไม่ทำแล้ว", "เปลี่ยนใจแล้วค่ะ", "ขอยกเลิกก่อนนะคะ", "Cancel", "ไว้ก่อนค่ะ",
    "งง ยกเลิกดีกว่า", "ยกเลิกค่ะ ไม่ย้ายแล้ว", "ไม่เลิกแล้วค่ะ", "ยกเลิก ไม่ส่งแล้ว", "ไม่ขอแล้วครับ",
])
def test_cancel(text):
    assert global_command(text) == "cancel"


@pytest.mark.parametrize("text", [
    "ช่วยเหลือ", "งงค่ะ ช่วยด้วย ต้องพิมพ์ยังไง", "งงค่ะ ต้องพิมพ์ยังไง", "งงงงค่ะ", "ไม่เข้าใจค่ะ",
    "ต้องพิมพ์อะไรคะ", "?", "help", "ช่วยหน่อยค่ะ ใส่อะไร", "พิมพ์ยังไงคะ",
])
def test_help(text):
    assert global_command(text) == "help"


@pytest.mark.parametrize("text,kind", [
    ("เมนู", "menu"), ("เมนูค่ะ", "menu"), ("กลับเมนูหลักค่ะ", "menu"), ("ขอดูเมนูหน่อย", "menu"),
    ("กลับ", "back"), ("ย้อนกลับค่ะ", "back"), ("กลับไปแก้ข้อก่อนหน้าค่ะ", "back"),
    ("ขอคุยกับเจ้าหน้าที่", "officer"), ("ขอคุยกับเจ้าหน้าที่หน่อยค่ะ", "officer"),
    ("ติดต่อเจ้าหน้าที่ได้ไหมคะ", "officer"), ("อยากคุยกับคนจริง ๆ ค่ะ", "officer"),
])
def test_menu_back_officer(text, kind):
    assert global_command(text) == kind


@pytest.mark.parametrize("text", [
    "ยกเลิกคำขอเลิกกิจการ", "เปลี่ยนใจแล้ว ขอยกเลิกคำขอเลิกกิจการ", "หยุดส่งแจ้งเตือน", "ไม่อยากได้รับแจ้งเตือนแล้วค่ะ",
    "99 หมู่ 3 ต.ริมกก", "โครงการหนึ่งตำบลหนึ่งผลิตภัณฑ์", "0891234567", "กลับบ้านเกิดที่เชียงราย",
    "ไม่", "ใช่", "ข้าม", "ได้ค่ะ", "ค่ะ", "", "   ", "แก้ไขข้อมูล", "ผ้าไหมทอมือ", "เมนูอาหารพื้นเมือง",
    "เจ้าหน้าที่บอกให้ส่งเอกสาร", "ย้ายไปอยู่กับลูก", "ออกกำลังกาย", "menuitem",
])
def test_real_answers_are_not_commands(text):
    assert global_command(text) is None


@pytest.mark.parametrize("text,kind", [
    ("ไม่ใช่ค่ะ", "no"), ("ไม่ใช่ทั้งหมดเลยค่ะ", "no"), ("อันไหนก็ได้", "any"), ("อะไรก็ได้ค่ะ", "any"),
    ("แล้วแต่เลยค่ะ", "any"), ("555", "chat"), ("55555555", "chat"), ("ฮ่าๆ", "chat"), ("ขอบคุณค่ะ", "chat"),
])
def test_non_answers_to_a_closed_choice(text, kind):
    assert non_answer(text) == kind


@pytest.mark.parametrize("text", ["ผ้าไหมทอมือ", "ข้าวหอมมะลิ ไทยทอง", "2566", "55", "5", "ไม่ใช่อาหาร สมุนไพร",
                                  "กลุ่ม", "บุคคล", "ไม่มีหน้าร้าน ขายออนไลน์"])
def test_answers_are_not_non_answers(text):
    assert non_answer(text) is None
