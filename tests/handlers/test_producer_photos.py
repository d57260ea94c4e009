"""Photos through LINE image messages: fetched from the (fake) data API, stored under MEDIA_DIR
with a thumbnail, attached to the product the producer picks; non-images refused."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from bot.testing import quick_replies, texts
from handlers.replies import decode_postback
from handlers.texts import T as CORE_T
from models import ConversationState, ProductPhoto, StoredMedia, unit_of_work
from registry.completeness import issues_for_record
from tests.handlers.producer_world import OTHER_PRODUCER, PRODUCER, World, audits, world  # noqa: F401


def jpeg(color: str = "orange", size=(64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def photos(db, product_id: int) -> list[ProductPhoto]:
    with db() as s:
        return list(s.scalars(select(ProductPhoto).where(ProductPhoto.product_id == product_id)))


def photo_missing(db, product_id: int) -> bool:
    with db() as s:
        return any(i.key == "products.photos" for i in issues_for_record(s, "products", product_id))


def test_photo_first_then_pick_the_product(line_client, db, settings, world: World):
    assert photo_missing(db, world.cotton_id)
    got = line_client.send_image(PRODUCER, jpeg())
    assert "ผลิตภัณฑ์ใด" in texts(got)
    picks = {q["label"]: decode_postback(q["data"]) for q in quick_replies(got) if q["type"] == "postback"}
    assert set(picks) >= {"ผ้าไหมทอมือ", "ผ้าฝ้ายย้อมคราม"}
    data = picks["ผ้าฝ้ายย้อมคราม"]
    got = texts(line_client.tap(PRODUCER, "&".join(f"{k}={v}" for k, v in data.items())))
    assert "บันทึกรูปให้ผลิตภัณฑ์ \"ผ้าฝ้ายย้อมคราม\" แล้ว" in got and "1 รูป" in got
    [photo] = photos(db, world.cotton_id)
    media = Path(settings.media_dir)
    assert (media / photo.location).is_file() and (media / photo.thumbnail).is_file()
    with Image.open(media / photo.thumbnail) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 240
    assert not photo_missing(db, world.cotton_id)
    assert photo_missing(db, world.silk_id)
    [row] = audits(db, "product", world.cotton_id, "photos")
    assert (row.new_value, row.actor, row.channel) == (photo.location, PRODUCER, "chat")
    # the same upload cannot be attached by another producer to their product
    got = texts(line_client.tap(OTHER_PRODUCER, f"i=product.photo_attach&media_id={data['media_id']}"
                                                f"&product_id={world.other_product_id}"))
    assert "ไม่พบรูป" in got
    assert photos(db, world.other_product_id) == []


def test_choose_the_product_then_send_the_photo_not_an_image_is_refused(line_client, db, world: World):
    got = line_client.say(PRODUCER, "ส่งรูปสินค้า")
    assert "ผลิตภัณฑ์ใด" in texts(got)
    # a picture sent while the product list is open is kept, and attached after the choice (issue 14)
    assert "ได้รับรูปแล้ว" in texts(line_client.send_image(PRODUCER, jpeg("red")))
    got = texts(line_client.tap(PRODUCER, f"i=flow.answer&v={world.cotton_id}"))
    assert "ผลิตภัณฑ์: ผ้าฝ้ายย้อมคราม\nรูป: รูปที่ส่งมา 1 รูป" in got and photos(db, world.cotton_id) == []
    line_client.say(PRODUCER, "ยืนยัน")
    assert len(photos(db, world.cotton_id)) == 1
    line_client.say(PRODUCER, "ส่งรูปสินค้า")
    line_client.tap(PRODUCER, f"i=flow.answer&v={world.silk_id}")
    got = texts(line_client.say(PRODUCER, "เดี๋ยวส่งนะ"))
    assert "ยังไม่ได้รับรูป" in got
    got = texts(line_client.send_image(PRODUCER, b"%PDF-1.4 not a picture at all"))
    assert "ไม่ใช่รูปภาพ" in got
    assert photos(db, world.silk_id) == []
    with db() as s:
        assert s.get(ConversationState, PRODUCER).state == "photo"
    line_client.send_image(PRODUCER, jpeg("green"))
    got = texts(line_client.say(PRODUCER, "ยืนยัน"))
    assert "ผ้าไหมทอมือ" in got and "บันทึกรูป" in got
    assert len(photos(db, world.silk_id)) == 1 and not photo_missing(db, world.silk_id)


def test_not_an_image_out_of_the_blue(line_client, db, world: World):
    got = texts(line_client.send_image(PRODUCER, b"GIF89a broken"))
    assert "ไม่ใช่รูปภาพ" in got
    with db() as s:
        assert s.scalars(select(StoredMedia)).all() == []
        assert s.scalars(select(ProductPhoto)).all() == []


def test_a_photo_from_an_officer_goes_to_the_officer_photo_flow(line_client, db, world: World):
    """Producers' picture handling is for producers only: an officer's picture starts the
    officer's own photo flow (which asks for the product) and touches no producer's product."""
    from handlers.officer.photo import T as OFFICER_PHOTO_T
    from tests.handlers.producer_world import OFFICER_A

    got = texts(line_client.send_image(OFFICER_A, jpeg("blue")))
    assert OFFICER_PHOTO_T["ask_product"] in got
    assert CORE_T["image_received"] not in got
    with db() as s:
        assert s.scalars(select(ProductPhoto)).all() == []



def test_pictures_nobody_uses_are_pruned_and_attached_photos_kept(line_client, db, settings, world: World):
    """The clock's daily prune (`bot.remind.prune_media`): raw copies of sent pictures, uploads
    never attached, and unused files go after a week; photos on records and anything young
    stay; a button of a pruned upload says the picture is gone."""
    import os
    from datetime import timedelta

    from bot.remind import prune_media
    from models import utcnow

    media = Path(settings.media_dir)
    got = line_client.send_image(PRODUCER, jpeg("purple"))  # attached
    data = next(decode_postback(q["data"]) for q in quick_replies(got) if q["label"] == "ผ้าฝ้ายย้อมคราม")
    line_client.tap(PRODUCER, "&".join(f"{k}={v}" for k, v in data.items()))
    got = line_client.send_image(PRODUCER, jpeg("teal"))  # left waiting for its product
    left = next(decode_postback(q["data"]) for q in quick_replies(got) if q["label"] == "ผ้าไหมทอมือ")
    [photo] = photos(db, world.cotton_id)
    with db() as s:
        waiting = s.scalars(select(StoredMedia).where(StoredMedia.id == int(left["media_id"]))).one()
    raw = sorted((media / "line").iterdir())
    assert len(raw) == 2  # the pictures as LINE sent them

    now = utcnow()
    assert "0 uploads older than 7 days and 0 unused files" in prune_media(db, media, now)  # all young
    week_ago = (now - timedelta(days=8)).timestamp()
    for path in media.rglob("*"):
        if path.is_file():
            os.utime(path, (week_ago, week_ago))
    dry = prune_media(db, media, now + timedelta(days=8), dry_run=True)
    # both uploads' rows; the 2 raw copies, the waiting picture and its thumbnail
    assert "would remove 2 uploads older than 7 days and 4 unused files" in dry
    assert all(p.exists() for p in raw)
    done = prune_media(db, media, now + timedelta(days=8))
    assert "removed 2 uploads older than 7 days and 4 unused files" in done
    assert not any(p.exists() for p in raw)
    assert not (media / waiting.location).exists() and not (media / waiting.thumbnail).exists()
    assert (media / photo.location).is_file() and (media / photo.thumbnail).is_file()  # on a record: kept
    with db() as s:
        assert s.get(StoredMedia, waiting.id) is None
    got = texts(line_client.tap(PRODUCER, "&".join(f"{k}={v}" for k, v in left.items())))
    assert "ไม่พบรูป" in got and photos(db, world.silk_id) == []
    # a photo taken off its record is unused: a week later it goes too
    with unit_of_work(db) as s:
        s.delete(s.get(ProductPhoto, photo.id))
    assert "removed 0 uploads older than 7 days and 2 unused files" in prune_media(db, media, now + timedelta(days=8))
    assert not (media / photo.location).exists() and not any((media / "photos").rglob("*.*"))
