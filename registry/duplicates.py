"""One person, one national ID: which other active producer records hold an ID.

National IDs are encrypted (models.pii); records are matched by `Producer.national_id_hash`.
A valid ID held by two active records is a completeness issue of its own
(`producers.national_id_duplicate` in registry.completeness); entering one (chat) or importing
one is reported with the other record's code and the masked ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Producer, RegistrationStatus
from models.pii import blind_national_id
from registry.bulk import in_values
from registry.ids import mask_national_id


@dataclass(frozen=True)
class Holder:
    """Another active producer record holding the same national ID."""

    id: int
    code: str
    name: str | None
    district_code: str


def holders(session: Session, national_id: str | None, *, except_id: int | None = None) -> list[Holder]:
    """Active producer records (other than `except_id`) holding this national ID (13 digits)."""
    digest = blind_national_id(national_id)
    if digest is None:
        return []
    stmt = select(Producer.id, Producer.code, Producer.name, Producer.district_code).where(
        Producer.national_id_hash == digest, Producer.status == RegistrationStatus.ACTIVE)
    if except_id is not None:
        stmt = stmt.where(Producer.id != except_id)
    return [Holder(*row) for row in session.execute(stmt.order_by(Producer.code).limit(20))]


def holder_districts(session: Session, hashes: Iterable[str | None]) -> set[str]:
    """Districts of the records holding any of these hashes (their duplicate counts follow)."""
    wanted = {h for h in hashes if h}
    if not wanted:
        return set()
    return set(session.execute(select(Producer.district_code).distinct().where(
        in_values(session, Producer.__table__.c.national_id_hash, wanted))).scalars())


def batch_districts(session: Session, changes: list[Any], new_items: list[tuple[int, Any]]) -> set[str]:
    """An import batch's (registry.import_batch) extra districts to bump: those of the holders of
    the IDs it gives, takes away, or whose holder's status it changes."""
    hashes: list[str | None] = [x.values.get("national_id_hash") for _, x in new_items]
    for c in changes:
        if "national_id_hash" in c.changed or "status" in c.changed:
            hashes += [c.old.get("national_id_hash"), c.changed.get("national_id_hash")]
    return holder_districts(session, hashes)


def batch_notes(session: Session, changes: list[Any], new_items: list[tuple[int, Any]]) -> dict[int, str]:
    """For the rows of an import batch that write a national ID: row number -> a note naming
    the other active record(s) holding the same ID (stored ones, or earlier rows of the batch)."""
    # the keyed hash as parsed (registry.import_values): computed once per value
    wanted = {n: (x.code, x.values["national_id"], x.values["national_id_hash"])
              for n, x in new_items if x.values.get("national_id_hash")}
    wanted.update({c.number: (c.parsed.code, c.changed["national_id"], c.changed["national_id_hash"])
                   for c in changes if c.changed.get("national_id_hash")})
    hashes = {h for _, _, h in wanted.values() if h}
    if not hashes:
        return {}
    t = Producer.__table__
    stored: dict[str, list[str]] = {}
    for code, digest in session.execute(select(t.c.code, t.c.national_id_hash).where(
            in_values(session, t.c.national_id_hash, hashes), t.c.status == RegistrationStatus.ACTIVE.value)):
        stored.setdefault(digest, []).append(code)
    notes: dict[int, str] = {}
    seen: dict[str, list[str]] = {}
    for number, (code, nid, digest) in wanted.items():
        if digest is None:
            continue
        others = [c for c in stored.get(digest, []) + seen.get(digest, []) if c != code]
        seen.setdefault(digest, []).append(code)
        if others:
            notes[number] = (f"{code}: national ID {mask_national_id(nid)} is also held by active producer "
                             f"{', '.join(sorted(set(others)))}")
    return notes
