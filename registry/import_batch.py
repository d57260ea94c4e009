"""One batch of an import (`registry.importer`), in the caller's transaction: the parsed rows
against the stored ones (read in a few queries), unchanged rows left alone, changed fields and
lists written and audited field by field, new records inserted with their lists and a
`_created` audit row, a producer's status history and its products' area kept in step, and
the districts the batch changes bumped (`registry.epoch`) before anything is written.
"""

from __future__ import annotations

from itertools import chain
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from models import Base, RegistrationStatus, utcnow
from models.pii import Public
from registry import duplicates
from registry.audit import as_text, audit_row
from registry.bulk import bulk_insert, in_values, insert_tuples
from registry.epoch import CALLER_BUMPS, bump as bump_epoch
from registry.import_values import LIST_TABLES, TABLE_OF, Parsed, RowError

ENTITY = {"producers": "producer", "products": "product", "chuanchim": "chuanchim"}
DERIVED = {"national_id_valid", "national_id_hash", "phone_valid"}  # kept in step with their value, not audited
AREA = ("province_code", "district_code", "subdistrict_code")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _norm_list(values: Iterable[tuple[Any, ...]]) -> tuple[tuple[str | None, ...], ...]:
    return tuple(sorted(tuple(as_text(v) for v in item) for item in values))


@dataclass
class BatchContext:
    """What the batches of one import share: who imports, the day, what earlier batches refused."""

    actor: str
    today: date
    rejected_producers: set[str] = field(default_factory=set)
    duplicates: dict[int, str] = field(default_factory=dict)  # producers' row -> duplicate-ID note
    bumped: set[str] = field(default_factory=set)  # registry versions the batches bumped (counted at the end)


def _load_lists(session: Session, sheet: str, names: Iterable[str], ids: list[int]) -> dict[str, dict[int, list]]:
    """Per list column: record id -> its child rows as value tuples (as read)."""
    out: dict[str, dict[int, list]] = {}
    for name in names:
        table_name, fk, cols = LIST_TABLES[(sheet, name)]
        t = _table(table_name)
        found: dict[int, list] = {}
        if ids:
            for row in session.execute(select(t.c[fk], *(t.c[c] for c in cols)).where(in_values(session, t.c[fk], ids))):
                found.setdefault(row[0], []).append(tuple(row[1:]))
        out[name] = found
    return out


def _same_value(old: Any, new: Any) -> bool:
    """Values equal as the audit log would write them (typed comparison first: cheap)."""
    return old == new or as_text(old) == as_text(new)


def _same_list(new: tuple[tuple[Any, ...], ...], old: list[tuple[Any, ...]]) -> bool:
    """A parsed list (distinct, sorted items) against the stored child rows, as sets of texts."""
    if len(new) == len(old) and set(new) == set(old):
        return True  # the new items are distinct, so the stored ones are the same set
    return _norm_list(new) == _norm_list(old)


def _insert_lists(session: Session, sheet: str, lists: Iterable[tuple[int, dict[str, tuple]]]) -> None:
    rows: dict[str, list[tuple]] = {}
    now = utcnow()
    for record_id, by_name in lists:
        for name, values in by_name.items():
            if name == "photos":
                rows.setdefault(name, []).extend((record_id, *value, now) for value in values)
            else:
                rows.setdefault(name, []).extend((record_id, *value) for value in values)
    for name, batch in rows.items():
        table_name, fk, cols = LIST_TABLES[(sheet, name)]
        columns = (fk, *cols, "created_at") if name == "photos" else (fk, *cols)
        insert_tuples(session, _table(table_name), columns, batch)


@dataclass
class _Change:
    """An existing record whose row differs from the file: the fields and lists to write."""

    number: int
    parsed: Parsed
    old: Any  # the stored row (id, code, district_code, the file's columns, ...)
    changed: dict[str, Any]
    lists_changed: dict[str, tuple[tuple[Any, ...], ...]]
    old_lists: dict[str, list[tuple[Any, ...]]]  # the stored items of the changed lists


def apply_batch(session: Session, sheet: str, batch: list[tuple[int, Parsed]], ctx: BatchContext) -> list[tuple[int, Parsed, str | RowError]]:
    """Write one batch of parsed rows in the session's transaction; outcome per row."""
    t = _table(TABLE_OF[sheet])
    outcome: list[tuple[int, Parsed, str | RowError]] = []
    if sheet == "products":
        p = _table("producers")
        wanted = {x.producer_code for _, x in batch}
        owners = {r.code: r for r in session.execute(
            select(p.c.code, p.c.id, *(p.c[a] for a in AREA)).where(in_values(session, p.c.code, wanted)))}
        kept = []
        for number, x in batch:
            owner = owners.get(x.producer_code or "")
            if owner is None:
                code = "producer_rejected" if x.producer_code in ctx.rejected_producers else "unknown_producer"
                outcome.append((number, x, RowError(code, f"producer_id {x.producer_code}")))
                continue
            x.values.update(producer_id=owner.id, **{a: getattr(owner, a) for a in AREA})
            kept.append((number, x))
        batch = kept
    if not batch:
        return outcome
    keys = list(dict.fromkeys(chain.from_iterable(x.values for _, x in batch)))
    wanted_cols = dict.fromkeys(["id", "code", "district_code", *keys,
                                 *(("status", "national_id_hash", *AREA) if sheet == "producers" else ())])
    existing = {r.code: r._mapping for r in session.execute(
        select(*(t.c[c] for c in wanted_cols)).where(in_values(session, t.c.code, [x.code for _, x in batch])))}
    list_names = list(batch[0][1].lists)
    old_lists = _load_lists(session, sheet, list_names, [r["id"] for r in existing.values()])
    changes: list[_Change] = []
    new_items: list[tuple[int, Parsed]] = []
    for number, x in batch:
        old = existing.get(x.code)
        if old is None:
            if sheet != "products" and "district_code" not in x.values:
                outcome.append((number, x, RowError("unknown_district", "no province/district given")))
                continue
            new_items.append((number, x))
            continue
        changed = {k: v for k, v in x.values.items() if not _same_value(old[k], v)}
        lists_changed = {n: v for n, v in x.lists.items() if not _same_list(v, old_lists[n].get(old["id"], []))}
        if not changed and not lists_changed:
            outcome.append((number, x, "unchanged"))
            continue
        changes.append(_Change(number, x, old, changed, lists_changed,
                               {n: old_lists[n].get(old["id"], []) for n in lists_changed}))
    if sheet == "producers":  # an ID another active record holds: written, and reported
        ctx.duplicates.update(duplicates.batch_notes(session, changes, new_items))
    districts = _changed_districts(session, sheet, changes, new_items)
    bump_epoch(session, None if None in districts else districts)  # None: unknown, the whole registry
    now = utcnow()
    audits: list[dict] = []
    for change in changes:
        audits += _write_change(session, sheet, t, change, ctx, now)
        outcome.append((change.number, change.parsed, "updated"))
    if audits:
        bulk_insert(session, _table("audit_log"), audits)
    if new_items:
        _insert_new(session, sheet, t, new_items, ctx, now)
        outcome += [(number, x, "created") for number, x in new_items]
    return outcome


def _changed_districts(session: Session, sheet: str, changes: list[_Change],
                       new_items: list[tuple[int, Parsed]]) -> set[str | None]:
    """The districts whose cached answers a batch changes (read before anything is written):
    a new record's district; a changed record's district, and its new one when it moves (its
    list rows count where it is); for a changed producer, also its products' districts (they
    count only while their producer is active, and move with it). One query, for producers."""
    districts: set[str | None] = {x.values["district_code"] for _, x in new_items}
    for change in changes:
        districts.add(change.old["district_code"])
        districts.add(change.changed.get("district_code", change.old["district_code"]))
    if sheet == "producers":  # the holders of IDs given, taken or whose holder's status changes
        districts |= duplicates.batch_districts(session, changes, new_items)
    if sheet == "producers" and changes:
        pr = _table("products")
        districts.update(session.execute(select(pr.c.district_code).distinct().where(
            in_values(session, pr.c.producer_id, [c.old["id"] for c in changes]))).scalars())
    return districts


def _write(session: Session, statement: Any) -> None:
    """Run an INSERT / UPDATE / DELETE whose districts `apply_batch` has bumped itself."""
    session.execute(statement, execution_options={CALLER_BUMPS: True})


def _write_change(session: Session, sheet: str, t: Table, change: _Change, ctx: BatchContext, now: Any) -> list[dict]:
    """Write a changed record's fields and lists; its audit rows."""
    old, changed, rid = change.old, change.changed, change.old["id"]
    if changed:
        _write(session, update(t).where(t.c.id == rid).values(**changed, updated_at=now))
    audits = [audit_row(actor=ctx.actor, channel="import", entity=ENTITY[sheet], entity_id=rid, field=k,
                        old=old[k], new=v, at=now) for k, v in changed.items() if k not in DERIVED]
    for name, values in change.lists_changed.items():
        table_name, fk, _cols = LIST_TABLES[(sheet, name)]
        _write(session, delete(_table(table_name)).where(_table(table_name).c[fk] == rid))
        audits.append(audit_row(actor=ctx.actor, channel="import", entity=ENTITY[sheet], entity_id=rid,
                                field=name, old=[":".join(map(str, v)) for v in _norm_list(change.old_lists[name])],
                                new=[":".join(as_text(i) or "" for i in v) for v in values], at=now))
    if change.lists_changed:
        _insert_lists(session, sheet, [(rid, change.lists_changed)])
    if sheet == "producers":
        _producer_side_effects(session, rid, old, changed, now)
    return audits


_AUDIT_COLUMNS = ("at", "actor", "channel", "entity", "entity_id", "field", "old_value", "new_value")


def _insert_new(session: Session, sheet: str, t: Table, items: list[tuple[int, Parsed]], ctx: BatchContext, now: Any) -> None:
    """Insert new records (every row of a batch has the same value keys), their lists and
    their `_created` audit rows."""
    keys = list(items[0][1].values)
    if sheet == "producers":
        extra_cols = [c for c in ("registered_on", "status") if c not in keys]
        values_of = {"registered_on": ctx.today, "status": RegistrationStatus.ACTIVE}

        def extra(x: Parsed) -> tuple:
            return tuple(values_of[c] for c in extra_cols)
    else:
        extra_cols = ["active"]

        def extra(x: Parsed) -> tuple:
            return (True,)
    status_at = keys.index("status") if sheet == "producers" and "status" in keys else -1
    rows = []
    for _, x in items:
        row = [x.values[k] for k in keys]
        if status_at >= 0 and not row[status_at]:
            row[status_at] = RegistrationStatus.ACTIVE
        rows.append((x.code, *row, now, now, *extra(x)))
    insert_tuples(session, t, ("code", *keys, "created_at", "updated_at", *extra_cols), rows)
    ids = dict(session.execute(select(t.c.code, t.c.id).where(in_values(session, t.c.code, [x.code for _, x in items]))).all())
    _insert_lists(session, sheet, [(ids[x.code], x.lists) for _, x in items if x.lists])
    entity = ENTITY[sheet]
    insert_tuples(session, _table("audit_log"), _AUDIT_COLUMNS,
                  [(now, ctx.actor, "import", entity, ids[x.code], "_created", None, Public(x.code)) for _, x in items])


def _producer_side_effects(session: Session, rid: int, old: Any, changed: dict[str, Any], now: Any) -> None:
    """A status change is recorded in the history; an area change moves the products too."""
    if "status" in changed:
        _write(session, insert(_table("producer_status_changes")).values(
            producer_id=rid, old_status=old["status"], new_status=changed["status"], at=now, reason="import"))
    if any(a in changed for a in AREA):
        pr = _table("products")
        _write(session, update(pr).where(pr.c.producer_id == rid).values(
            **{a: changed.get(a, old[a]) for a in AREA}, updated_at=now))
