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
from sqlalchemy import delete, select
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
    uploads: int = 0  # StoredMedia rows older than the cutoff (attached or not) removed
    files: list[Path] = field(default_factory=list)  # to remove once the rows are committed
    bytes: int = 0
    cutoff: datetime | None = None


def prune(session: Session, media_dir: Path, now: datetime, keep: timedelta, *, dry_run: bool = False) -> PruneResult:
    """Forget what nobody will use, so MEDIA_DIR does not grow with every picture sent: uploads
    older than `keep` (a picture left waiting for its product that long is not attached any
    more: its "which product?" buttons then answer that it is gone; an attached one lives on
    as the record's photo), and files under `PRUNED_FOLDERS` older than `keep` that no photo
    or waiting upload refers to (a picture's raw copy once stored as a photo, pictures never
    attached, photos taken off every record). Young files are always kept: a photo sent again
    is stored under the same name, and `store_image` renews its time. The rows are deleted in
    the caller's transaction; the files are listed, for `remove_files` after it commits."""
    result = PruneResult(cutoff=now - keep)
    old = select(StoredMedia.id).where(StoredMedia.created_at < result.cutoff)
    result.uploads = len(session.scalars(old).all())
    if not dry_run and result.uploads:
        session.execute(delete(StoredMedia).where(StoredMedia.created_at < result.cutoff))
    kept = _referenced(session, Path(media_dir), result.cutoff)
    limit = result.cutoff.timestamp()
    for folder in PRUNED_FOLDERS:
        for root, _dirs, names in os.walk(Path(media_dir) / folder):
            for name in names:
                path = Path(root, name)
                try:
                    stat = path.stat()
                except FileNotFoundError:
                    continue
                if stat.st_mtime < limit and _key(path) not in kept:
                    result.files.append(path)
                    result.bytes += stat.st_size
    return result


def remove_files(result: PruneResult) -> int:
    """Delete the files `prune` listed (after its transaction committed), unless one was
    renewed meanwhile (sent again). Returns how many were deleted."""
    assert result.cutoff is not None
    limit, removed = result.cutoff.timestamp(), 0
    for path in result.files:
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def _key(path: Path) -> str:
    """What a file is known by: for a stored photo its content digest (a photo and its
    thumbnail share it: photos/ab/<digest>.jpg), otherwise its resolved path."""
    if path.parent.parent.name == "photos":
        return path.name.split(".")[0]
    return str(path.resolve())


def _referenced(session: Session, media_dir: Path, cutoff: datetime) -> set[str]:
    """Keys of every file a photo, or an upload younger than `cutoff`, refers to (paths
    relative to MEDIA_DIR or absolute; URLs are not files)."""
    keys: set[str] = set()
    for stmt in (select(ProductPhoto.location, ProductPhoto.thumbnail),
                 select(ChuanchimPhoto.location, ChuanchimPhoto.thumbnail),
                 select(StoredMedia.location, StoredMedia.thumbnail).where(StoredMedia.created_at >= cutoff)):
        for location, thumbnail in session.execute(stmt):
            for value in (location, thumbnail):
                if value and "://" not in value:
                    keys.add(_key(Path(value) if os.path.isabs(value) else media_dir / value))
    return keys
