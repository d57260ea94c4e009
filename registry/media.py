"""Photos: check that bytes are an image, store them under MEDIA_DIR with a thumbnail (Pillow),
and attach them to a product or a ชวนชิม shop with an audit row."""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import ChuanchimPhoto, ChuanchimShop, Product, ProductPhoto, StoredMedia
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
        if target.exists():
            os.utime(target)  # in use again: young files are never pruned (`prune`)
        else:
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


# Folders of MEDIA_DIR that `prune` sweeps: raw copies of the images users send ("line", kept
# by bot.events before a handler runs) and stored photos ("photos", content-addressed).
PRUNED_FOLDERS = ("line", "photos")


@dataclass
class PruneResult:
    cutoff: datetime
    uploads: int = 0  # StoredMedia rows older than the cutoff (attached or not)
    files: list[Path] = field(default_factory=list)  # unused files older than the cutoff
    bytes: int = 0


def find_unused(session: Session, media_dir: Path, cutoff: datetime) -> PruneResult:
    """What nobody will use, so MEDIA_DIR need not grow with every picture sent: uploads older
    than `cutoff` (a picture left waiting for its product that long is not attached any more:
    its "which product?" buttons then answer that it is gone; an attached one lives on as the
    record's photo), and files under `PRUNED_FOLDERS` older than `cutoff` that no photo and no
    younger upload refers to (a picture's raw copy once stored as a photo, pictures never
    attached, photos taken off every record). Only reads: call it in a read-only transaction,
    then `forget_uploads` and `remove_files`. Young files are always kept: a photo sent again
    is stored under the same name, and `store_image` renews its time."""
    result = PruneResult(cutoff)
    result.uploads = session.scalar(select(func.count()).select_from(StoredMedia)
                                    .where(StoredMedia.created_at < cutoff)) or 0
    root = os.path.abspath(media_dir)
    kept = _referenced(session, root, cutoff)
    limit = cutoff.timestamp()
    for folder in PRUNED_FOLDERS:
        for top, _dirs, names in os.walk(os.path.join(root, folder)):
            for name in names:
                path = os.path.join(top, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                if stat.st_mtime < limit and _key(path) not in kept:
                    result.files.append(Path(path))
                    result.bytes += stat.st_size
    return result


def forget_uploads(session: Session, cutoff: datetime) -> None:
    """Delete the uploads older than `cutoff` (their files go with `remove_files`)."""
    session.execute(delete(StoredMedia).where(StoredMedia.created_at < cutoff))


def remove_files(result: PruneResult) -> int:
    """Delete the files `find_unused` listed, unless one was renewed meanwhile (sent again).
    Returns how many were deleted."""
    limit, removed = result.cutoff.timestamp(), 0
    for path in result.files:
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def _key(path: str) -> str:
    """What a file is known by: for a stored photo its content digest (a photo and its
    thumbnail share it: photos/ab/<digest>.jpg), otherwise its absolute path."""
    parent, name = os.path.split(path)
    if os.path.basename(os.path.dirname(parent)) == "photos":
        return name.split(".")[0]
    return path


def _referenced(session: Session, root: str, cutoff: datetime) -> set[str]:
    """Keys of every file a photo, or an upload younger than `cutoff`, refers to (paths
    relative to MEDIA_DIR or absolute; URLs are not files)."""
    keys: set[str] = set()
    for stmt in (select(ProductPhoto.location, ProductPhoto.thumbnail),
                 select(ChuanchimPhoto.location, ChuanchimPhoto.thumbnail),
                 select(StoredMedia.location, StoredMedia.thumbnail).where(StoredMedia.created_at >= cutoff)):
        for row in session.execute(stmt):
            for value in row:
                if value and "://" not in value:
                    keys.add(_key(os.path.normpath(os.path.join(root, value))))
    return keys
