"""Photos: check that bytes are an image, store them under MEDIA_DIR with a thumbnail (Pillow),
and attach them to a product or a ชวนชิม shop with an audit row."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ChuanchimPhoto, ChuanchimShop, Product, ProductPhoto
from registry import audit

MAX_BYTES = 10 * 1024 * 1024  # LINE images are at most 10 MB
MAX_PIXELS = 40_000_000
THUMB_SIZE = (240, 240)
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


class MediaError(ValueError):
    """The bytes cannot be kept as a photo; `code` says why (for the user's message)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class StoredImage:
    location: str  # relative to MEDIA_DIR
    thumbnail: str  # relative to MEDIA_DIR
    sha256: str
    width: int
    height: int


def store_image(media_dir: Path, data: bytes, *, folder: str = "photos") -> StoredImage:
    """Verify `data` is a real image, write it and a JPEG thumbnail; content-addressed, so the
    same photo sent twice is stored once. Raises MediaError("too_large" | "not_image")."""
    if len(data) > MAX_BYTES:
        raise MediaError("too_large", f"{len(data)} bytes")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            if fmt not in FORMATS:
                raise MediaError("not_image", f"format {fmt!r}")
            if img.width * img.height > MAX_PIXELS:
                raise MediaError("too_large", f"{img.width}x{img.height}")
            width, height = img.size
            thumb = img.convert("RGB")
            thumb.thumbnail(THUMB_SIZE)
            buf = io.BytesIO()
            thumb.save(buf, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise MediaError("not_image", str(exc)) from exc
    digest = hashlib.sha256(data).hexdigest()
    rel = Path(folder) / digest[:2] / f"{digest}.{FORMATS[fmt]}"
    rel_thumb = Path(folder) / digest[:2] / f"{digest}.thumb.jpg"
    for path, content in ((rel, data), (rel_thumb, buf.getvalue())):
        target = Path(media_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            tmp = target.with_suffix(target.suffix + ".part")
            tmp.write_bytes(content)
            tmp.replace(target)
    return StoredImage(rel.as_posix(), rel_thumb.as_posix(), digest, width, height)


def attach_to_product(session: Session, product: Product, image: StoredImage, *, actor: str, channel: str) -> bool:
    """Add the photo to the product (once); audited. Returns False when it was already there."""
    exists = session.scalar(
        select(ProductPhoto.id).where(ProductPhoto.product_id == product.id, ProductPhoto.location == image.location)
    )
    if exists is not None:
        return False
    session.add(ProductPhoto(product_id=product.id, location=image.location, thumbnail=image.thumbnail,
                             sha256=image.sha256))
    audit.record(session, actor=actor, channel=channel, entity="product", entity_id=product.id,
                 field="photos", old=None, new=image.location)
    return True


def attach_to_shop(session: Session, shop: ChuanchimShop, image: StoredImage, *, actor: str, channel: str) -> bool:
    """Add the photo to a ชวนชิม shop (once); audited."""
    exists = session.scalar(
        select(ChuanchimPhoto.id).where(ChuanchimPhoto.shop_id == shop.id, ChuanchimPhoto.location == image.location)
    )
    if exists is not None:
        return False
    session.add(ChuanchimPhoto(shop_id=shop.id, location=image.location, thumbnail=image.thumbnail))
    audit.record(session, actor=actor, channel=channel, entity="chuanchim", entity_id=shop.id,
                 field="photos", old=None, new=image.location)
    return True
