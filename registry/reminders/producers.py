"""Reminders to producers: what their record misses (a nudge, at most once a month and within
the monthly cap), a standard about to expire, and an officer's reminder to an area."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import distinct, select
from sqlalchemy.orm import Session

from models import LineAccount, Producer, Product, ProductStandard, RegistrationStatus, Role
from registry import gazetteer
from registry.completeness import RULE_BY_KEY, SPECS, FieldIssue, area_filter, issues_for_records
from registry.labels_th import FIELD_LABELS
from registry.reminders.base import (Button, Plan, ReminderConfig, _chunks, capped_users, existing_keys,
                                     had_kind_since, local_date, month_label, month_start_utc, reachable)
from registry.reminders.texts import FIELD_BUTTONS, TEXTS

MAX_PRODUCT_LINES = 5


def producer_accounts(session: Session, producer_ids: Sequence[int] | None = None) -> dict[int, list[str]]:
    """Reachable LINE accounts of active producers, by producer id."""
    stmt = (reachable().join(Producer, Producer.id == LineAccount.producer_id)
            .where(LineAccount.role == Role.PRODUCER, Producer.status == RegistrationStatus.ACTIVE)
            .order_by(LineAccount.producer_id, LineAccount.user_id))
    out: dict[int, list[str]] = defaultdict(list)
    if producer_ids is None:
        for account in session.scalars(stmt):
            out[account.producer_id].append(account.user_id)  # type: ignore[index]
        return dict(out)
    for chunk in _chunks(list(producer_ids)):
        for account in session.scalars(stmt.where(LineAccount.producer_id.in_(chunk))):
            out[account.producer_id].append(account.user_id)  # type: ignore[index]
    return dict(out)


def _labels(issues: Sequence[FieldIssue]) -> str:
    return ", ".join(i.label_th + (TEXTS["invalid_suffix"] if i.kind == "invalid" else "") for i in issues)


def nudge_buttons(fields: Sequence[str]) -> tuple[Button, ...]:
    """"ดูสิ่งที่ขาด" first, then a button per fixable field (in the order given)."""
    buttons = [Button(TEXTS["btn_missing"], "producer.missing")]
    for key in dict.fromkeys(fields):
        if key in FIELD_BUTTONS:
            label_key, intent = FIELD_BUTTONS[key]
            buttons.append(Button(TEXTS[label_key], intent))
    return tuple(buttons)


ORGANISATION_WORDS = ("กลุ่ม", "ร้าน", "บริษัท", "วิสาหกิจ", "สหกรณ์", "ห้าง", "หจก", "บจก", "ชมรม", "ศูนย์")


def salutation(name: str) -> str:
    """"คุณ" for a person; nothing before a group, shop or company ("เรียนคุณร้านป้าสมหมาย" read
    as if the shop were a person)."""
    return "" if name.strip().startswith(ORGANISATION_WORDS) else "คุณ"


def nudge_text(name: str, own: Sequence[FieldIssue], products: Sequence[tuple[str, Sequence[FieldIssue]]]) -> str:
    lines = [TEXTS["nudge_title"].format(to=salutation(name), name=name)]
    if own:
        lines.append(TEXTS["nudge_producer_line"].format(fields=_labels(own)))
    for product, issues in products[:MAX_PRODUCT_LINES]:
        lines.append(TEXTS["nudge_product_line"].format(product=product, fields=_labels(issues)))
    if len(products) > MAX_PRODUCT_LINES:
        lines.append(TEXTS["nudge_more_products"].format(n=len(products) - MAX_PRODUCT_LINES))
    lines.append(TEXTS["nudge_footer"])
    return "\n".join(lines)


def nudge_plans(session: Session, now: datetime, config: ReminderConfig) -> list[Plan]:
    """One personal nudge per incomplete producer with a reachable account: not if it had a
    nudge this month, not to accounts at the monthly cap."""
    accounts = producer_accounts(session)
    users = [u for ids in accounts.values() for u in ids]
    skip = capped_users(session, users, now, config.nudges_per_month)
    skip |= had_kind_since(session, users, "nudge", month_start_utc(now))
    targets = {pid: [u for u in ids if u not in skip] for pid, ids in accounts.items()}
    targets = {pid: ids for pid, ids in targets.items() if ids}
    month = month_label(now)
    plans: list[Plan] = []
    for chunk in _chunks(sorted(targets)):
        producers = {p.id: p for p in session.scalars(select(Producer).where(Producer.id.in_(chunk)))}
        own = issues_for_records(session, "producers", chunk)
        products = session.execute(select(Product.id, Product.producer_id, Product.name, Product.code)
                                   .where(Product.producer_id.in_(chunk), Product.active.is_(True))
                                   .order_by(Product.producer_id, Product.id)).all()
        product_issues = issues_for_records(session, "products", [r.id for r in products]) if products else {}
        waiting = _waiting_fields(session, chunk)
        own = {pid: [i for i in issues if ("producer", pid, i.key) not in waiting] for pid, issues in own.items()}
        per_producer: dict[int, list[tuple[str, list[FieldIssue]]]] = defaultdict(list)
        for r in products:
            left = [i for i in product_issues.get(r.id, []) if ("product", r.id, i.key) not in waiting]
            if left:
                per_producer[r.producer_id].append((r.name or r.code, left))
        keys = {pid: f"nudge:{pid}:{month}" for pid in chunk}
        done = existing_keys(session, list(keys.values()))
        for pid in chunk:
            mine, theirs = own.get(pid, []), per_producer.get(pid, [])
            if (not mine and not theirs) or keys[pid] in done:
                continue
            fields = [i.key for i in mine] + [i.key for _, issues in theirs for i in issues]
            name = producers[pid].name or producers[pid].code
            plans.append(Plan("nudge", tuple(targets[pid]), keys[pid], nudge_text(name, mine, theirs),
                              nudge_buttons(fields), gaps=len(fields)))
    return plans


# A proposed change waiting for the officer, by (entity, field) -> the completeness field it fills.
PENDING_FIELDS = {("product", "standard"): "products.standards", ("product", "category"): "products.category",
                  ("product", "quadrant"): "products.quadrant", ("producer", "national_id"): "producers.national_id",
                  ("producer", "producer_type"): "producers.producer_type"}


def _waiting_fields(session: Session, producer_ids: Sequence[int]) -> set[tuple[str, int, str]]:
    """(entity, id, completeness field) the producer already sent and an officer has yet to
    confirm: a nudge does not ask for them again."""
    from models import PendingChange, PendingChangeStatus

    rows = session.execute(select(PendingChange.entity, PendingChange.entity_id, PendingChange.field).where(
        PendingChange.producer_id.in_(producer_ids), PendingChange.status == PendingChangeStatus.PENDING)).all()
    return {(e, i, PENDING_FIELDS[(e, f)]) for e, i, f in rows if (e, f) in PENDING_FIELDS}


def expiry_plans(session: Session, now: datetime, config: ReminderConfig) -> list[Plan]:
    """A reminder per standard that expires within `expiry_days` (once per standard and date)."""
    today = local_date(now)
    rows = session.execute(
        select(ProductStandard, Product.name, Product.code, Product.producer_id)
        .join(Product, Product.id == ProductStandard.product_id)
        .join(Producer, Producer.id == Product.producer_id)
        .where(ProductStandard.expires_on >= today, ProductStandard.expires_on <= today + timedelta(days=config.expiry_days),
               Product.active.is_(True), Producer.status == RegistrationStatus.ACTIVE)
        .order_by(ProductStandard.expires_on, ProductStandard.id)).all()
    if not rows:
        return []
    accounts = producer_accounts(session, sorted({r.producer_id for r in rows}))
    keys = [f"expiry:{r[0].id}:{r[0].expires_on.isoformat()}" for r in rows]
    done = existing_keys(session, keys)
    plans = []
    for (std, name, code, producer_id), key in zip(rows, keys, strict=True):
        if key in done or not accounts.get(producer_id):
            continue
        text = "\n".join([
            TEXTS["expiry_title"].format(scheme=std.scheme, number=std.number, product=name or code,
                                         date=_thai_date(std.expires_on), days=(std.expires_on - today).days),
            TEXTS["expiry_footer"]])
        plans.append(Plan("expiry", tuple(accounts[producer_id]), key, text,
                          (Button(TEXTS["btn_add_standard"], "producer.add_standard"),)))
    return plans


def area_recipients(session: Session, area_code: str | None, field: str | None, now: datetime,
                    config: ReminderConfig) -> list[str]:
    """Reachable accounts of active producers in an area (None/"" = the country) — only those
    whose record misses `field` when given — that are under the monthly cap."""
    if field:
        rule = RULE_BY_KEY[field]
        spec = SPECS[rule.dataset]
        if rule.dataset == "producers":
            ids_stmt = select(spec.table.c.id)
        elif rule.dataset == "products":
            ids_stmt = select(distinct(spec.table.c.producer_id))
        else:
            return []  # ชวนชิม shops have no LINE accounts
        ids_stmt = ids_stmt.select_from(spec.from_).where(spec.active, area_filter(spec.table, area_code), rule.issue)
        stmt = reachable().where(LineAccount.role == Role.PRODUCER, LineAccount.producer_id.in_(ids_stmt))
    else:
        stmt = (reachable().join(Producer, Producer.id == LineAccount.producer_id)
                .where(LineAccount.role == Role.PRODUCER, Producer.status == RegistrationStatus.ACTIVE,
                       area_filter(Producer.__table__, area_code)))  # type: ignore[arg-type]
    users = list(session.scalars(stmt.with_only_columns(LineAccount.user_id).order_by(LineAccount.user_id)))
    full = capped_users(session, users, now, config.nudges_per_month)
    return [u for u in users if u not in full]


def area_name(area_code: str | None) -> str:
    if not area_code:
        return TEXTS["country"]
    place = gazetteer.by_code(area_code)
    return place.name_th if place else area_code


def area_plan(area_code: str | None, field: str | None, user_ids: Sequence[str], now: datetime) -> Plan:
    """An officer's reminder to the producers of an area (the same text to all: multicast)."""
    lines = [TEXTS["area_title"].format(area=area_name(area_code)),
             TEXTS["area_field"].format(field=FIELD_LABELS[field]) if field else TEXTS["area_any"]]
    key = f"area:{area_code or 'TH'}:{field or 'all'}:{local_date(now).isoformat()}"
    return Plan("area", tuple(user_ids), key, "\n".join(lines), nudge_buttons([field] if field else []))


def _thai_date(d) -> str:  # type: ignore[no-untyped-def]
    """วัน/เดือน/ปี พ.ศ., as officers write dates."""
    return f"{d.day}/{d.month}/{d.year + 543}"
