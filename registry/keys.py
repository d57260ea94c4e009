"""Key rotation for the personal fields encrypted at rest (models.pii).

`rotate` re-encrypts, under the newest key of PII_KEYS, every sealed value that is under an
older one, and recomputes `Producer.national_id_hash` under the current PII_HASH_KEY (so a new
hash key takes effect too). Batches of `batch` rows by primary key, one short transaction
each: the registry stays usable meanwhile, and a run that stops half-way is simply run again.
Then the old key can be removed from PII_KEYS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from typing import Any

from sqlalchemy import Table, Text, select, text, type_coerce
from sqlalchemy.orm import Session, sessionmaker

from models import Base, unit_of_work
from models import pii
from registry.epoch import bump


def sealed_columns() -> dict[str, list[tuple[str, str]]]:
    """Table name -> its sealed columns as (column, purpose), from the models."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.c:
            if isinstance(column.type, pii.Sealed):
                out.setdefault(table.name, []).append((column.name, column.type.purpose))
    return out


@dataclass
class RotationReport:
    rows_read: dict[str, int] = field(default_factory=dict)
    values_resealed: dict[str, int] = field(default_factory=dict)
    hashes_changed: int = 0

    def lines(self) -> list[str]:
        return [f"{t}: {self.rows_read[t]} rows read, {self.values_resealed.get(t, 0)} values re-encrypted"
                for t in self.rows_read] + [f"producers: {self.hashes_changed} national ID hashes recomputed"]


def rotate(factory: sessionmaker[Session], *, batch: int = 2000,
           progress: Callable[[str], None] = lambda _line: None) -> RotationReport:
    """Re-encrypt every value not under the newest key; recompute the national ID hashes."""
    ring = pii.current()
    report = RotationReport()
    for name, columns in sealed_columns().items():
        table: Table = Base.metadata.tables[name]
        pk = next(iter(table.primary_key.columns))
        names = [c for c, _ in columns] + (["national_id_hash"] if name == "producers" else [])
        # The stored (sealed) text, not the columns' decrypting types, both ways.
        read = select(pk, *(type_coerce(table.c[c], Text) for c in names)).order_by(pk).limit(batch)
        # A webhook event's waiting payload is redacted when the event is taken: one taken
        # since it was read here is left as it is (never the sealed text back in a handled row).
        unchanged = [c for c, _ in columns if isinstance(table.c[c].type, pii.SealedUnlessRedacted)]
        write = text(f'UPDATE "{name}" SET ' + ", ".join(f'"{c}" = :{c}' for c in names)
                     + f' WHERE "{pk.name}" = :pk' + "".join(f' AND "{c}" = :was_{c}' for c in unchanged))
        last, report.rows_read[name] = None, 0
        while True:
            with unit_of_work(factory) as session:
                rows = session.execute(read if last is None else read.where(pk > last)).all()
                if not rows:
                    break
                last = rows[-1][0]
                params = [p for row in rows if (p := _rotated(ring, name, columns, row, report)) is not None]
                if params:
                    session.execute(write, params)
                report.rows_read[name] += len(rows)
        progress(f"{name}: {report.rows_read[name]} rows")
    if report.hashes_changed:
        with unit_of_work(factory) as session:
            bump(session)  # duplicate-ID counts depend on the hashes
    return report


def _rotated(ring: pii.Keyring, table: str, columns: list[tuple[str, str]], row: Any,
             report: RotationReport) -> dict[str, Any] | None:
    """The row's new values when any changes (re-encrypted, or a new hash), else None."""
    values: dict[str, Any] = {"pk": row[0]}
    changed = False
    for i, (column, purpose) in enumerate(columns):
        token = row[1 + i]
        if token and not pii.is_public_token(token) and not pii.is_clear_json(token) and ring.kid_of(token) != ring.current_kid:
            token = ring.seal(ring.open(token, purpose), purpose)
            report.values_resealed[table] = report.values_resealed.get(table, 0) + 1
            changed = True
        values[column], values[f"was_{column}"] = token, row[1 + i]
    if table == "producers":
        nid = values["national_id"]
        digest = pii.blind_national_id(ring.open(nid, "producers.national_id") if nid else None)
        values["national_id_hash"] = digest
        if digest != row[-1]:
            report.hashes_changed += 1
            changed = True
    return values if changed else None
