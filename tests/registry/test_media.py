import io

import pytest
from PIL import Image

from registry.media import MAX_BYTES, MediaError, store_image


def _png(w=640, h=480) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


def test_image_and_thumbnail_are_stored_once(tmp_path):
    data = _png()
    first = store_image(tmp_path, data)
    again = store_image(tmp_path, data)
    assert first == again
    assert (tmp_path / first.location).read_bytes() == data
    with Image.open(tmp_path / first.thumbnail) as thumb:
        assert max(thumb.size) <= 240 and thumb.format == "JPEG"
    assert (first.width, first.height) == (640, 480)


@pytest.mark.parametrize("data", [b"%PDF-1.4 not a picture", b"", b"\x89PNG\r\n\x1a\n broken"])
def test_not_an_image_is_refused_and_nothing_written(tmp_path, data):
    with pytest.raises(MediaError) as err:
        store_image(tmp_path, data)
    assert err.value.code == "not_image"
    assert not any(tmp_path.rglob("*.*"))


def test_too_large_is_refused(tmp_path):
    with pytest.raises(MediaError) as err:
        store_image(tmp_path, b"\xff" * (MAX_BYTES + 1))
    assert err.value.code == "too_large"


def test_storing_a_picture_again_renews_its_time(tmp_path):
    """A stored photo that nothing refers to is pruned once old (registry.media.find_unused); the
    same picture sent again must count as young."""
    import os
    import time

    first = store_image(tmp_path, _png())
    old = time.time() - 30 * 86400
    for rel in (first.location, first.thumbnail):
        os.utime(tmp_path / rel, (old, old))
    store_image(tmp_path, _png())
    for rel in (first.location, first.thumbnail):
        assert (tmp_path / rel).stat().st_mtime > time.time() - 60
