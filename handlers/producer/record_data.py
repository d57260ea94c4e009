"""A producer's whole record as "my record" and "what is missing" show it, in two statements
(no lazy loads): the registration with its active products and every record's completeness
flags (one row per product), then every list the cards show (star ratings, sales channels,
projects, standards, keywords, photo counts, proposals waiting for the district) in one
UNION ALL. Read only: nothing here is attached to the ORM objects' collections.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, String, Text, and_, bindparam, cast, func, literal, null, select, true, type_coerce, union_all
from sqlalchemy.orm import Session

from models import (PendingChange, PendingChangeStatus, Producer, ProducerProject, Product, ProductKeyword,
                    ProductPhoto, ProductStandard, RegistryEpoch, SalesChannel, StarRating)
from models.pg_direct import rows as direct_rows
from registry.completeness import FieldIssue
from registry.completeness_records import issue_columns, read_issues


@dataclass(frozen=True)
class Standard:
    scheme: str
    number: str
    expires_on: date | None


@dataclass(frozen=True)
class Waiting:
    """A proposal waiting for the district (what `record.pending_line` reads)."""

    entity: str
    entity_id: int
    field: str
    new_value: str | None


@dataclass
class ProductView:
    product: Product
    issues: list[FieldIssue]
    standards: list[Standard] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    photos: int = 0


@dataclass
class RecordView:
    producer: Producer
    issues: list[FieldIssue]
    products: list[ProductView]  # active products, oldest first
    stars: list[tuple[int, int]] = field(default_factory=list)  # (year BE, stars), by year
    channels: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)


def _record_statement(producer_id: Any) -> Any:
    P, PR = Producer.__table__, Product.__table__
    joined = P.outerjoin(PR, and_(PR.c.producer_id == P.c.id, PR.c.active == true()))
    return (select(Producer, Product, *issue_columns("producers"), *issue_columns("products"))
            .select_from(joined).where(P.c.id == producer_id).order_by(PR.c.id))


def _row(kind: str, owner: Any, sort: Any, a: Any = None, b: Any = None, e: Any = None, d: Any = None,
         n: Any = None, sealed: Any = None) -> list[Any]:
    """One part's columns, in the union's shape (kind, owner, sort, a, b, e, d, n, sealed).
    `sealed`: an encrypted column, read through its type (the union takes the column types
    of its first part: the one with the sealed column comes first)."""
    def col(value: Any, type_: Any, name: str) -> Any:  # CAST only NULLs: SQLite's CAST AS DATE makes a number
        return (cast(null(), type_) if value is None else type_coerce(value, type_)).label(name)

    return [literal(kind, String).label("kind"), col(owner, Integer, "owner"), col(sort, Integer, "sort"),
            col(a, String, "a"), col(b, String, "b"), col(e, String, "e"), col(d, Date, "d"), col(n, Integer, "n"),
            col(None, Text, "sealed") if sealed is None else sealed.label("sealed")]


def _pending_part(producer_id: Any, district_code: Any) -> Any:
    """The proposals waiting for the district, in the order of
    `registry.pending.pending_for_area` (requested_at, then id)."""
    return (select(*_row("pending", PendingChange.entity_id, func.row_number().over(
        order_by=(PendingChange.requested_at, PendingChange.id)), a=PendingChange.field,
                         e=PendingChange.entity, sealed=PendingChange.new_value))
            .where(PendingChange.producer_id == producer_id, PendingChange.district_code == district_code,
                   PendingChange.status == PendingChangeStatus.PENDING))


def _lists_statement(producer_id: Any, district_code: Any, products: Any) -> Any:
    """Every list of the cards as rows of `_row`, in the order the cards show them. The
    products' ids are given (read by the first statement): a subquery in their place let
    PostgreSQL choose whole-table scans of the keyword and photo tables when its statistics
    were stale (a national import), 300 ms instead of 1."""
    parts = [
        _pending_part(producer_id, district_code),
        select(*_row("star", StarRating.producer_id, StarRating.year_be, n=StarRating.stars))
        .where(StarRating.producer_id == producer_id),
        select(*_row("channel", SalesChannel.producer_id, SalesChannel.id, a=SalesChannel.channel))
        .where(SalesChannel.producer_id == producer_id),
        select(*_row("project", ProducerProject.producer_id, ProducerProject.id, a=ProducerProject.project))
        .where(ProducerProject.producer_id == producer_id),
        select(*_row("standard", ProductStandard.product_id, ProductStandard.id, a=ProductStandard.scheme,
                     b=ProductStandard.number, d=ProductStandard.expires_on))
        .where(ProductStandard.product_id.in_(products)),
        select(*_row("keyword", ProductKeyword.product_id, ProductKeyword.id, a=ProductKeyword.word))
        .where(ProductKeyword.product_id.in_(products)),
        select(*_row("photos", ProductPhoto.product_id, literal(0), n=func.count()))
        .where(ProductPhoto.product_id.in_(products)).group_by(ProductPhoto.product_id),
    ]
    union = union_all(*parts).subquery()
    return select(union).order_by(union.c.kind, union.c.sort)


def _check_statement(producer_id: Any, district_code: Any, scopes: Any) -> Any:
    """The proposals waiting for the district (never cached: `pending_changes` is not a
    registry table, its changes bump no version) and the registry versions of `scopes`, in
    one statement: all a cached record needs to be shown (`record.record_parts`); with the
    districts of the producer's products (a product added in a district the record had none in
    bumps that district only)."""
    E = RegistryEpoch.__table__
    union = union_all(_pending_part(producer_id, district_code),
                      select(*_row("version", None, None, a=E.c.scope, n=E.c.version))
                      .where(E.c.scope.in_(scopes)),
                      select(*_row("district", None, None, a=Product.district_code))
                      .where(Product.producer_id == producer_id).group_by(Product.district_code)).subquery()
    return select(union).order_by(union.c.kind, union.c.sort)


# Built once, with parameters (building them per message cost more than running them).
_RECORD = _record_statement(bindparam("producer_id"))
_LISTS = _lists_statement(bindparam("producer_id"), bindparam("district_code"),
                          bindparam("products", expanding=True))
_CHECK = _check_statement(bindparam("producer_id"), bindparam("district_code"), bindparam("scopes", expanding=True))


def check_record(session: Session, producer_id: int, district_code: str,
                 scopes: list[str]) -> tuple[list[Waiting], dict[str, int], set[str]]:
    """The proposals of `producer_id` waiting for `district_code`, the versions of `scopes`
    (registry.epoch: a missing row is absent from the dict) and the districts of the
    producer's products, in one statement."""
    waiting: list[Waiting] = []
    versions: dict[str, int] = {}
    districts: set[str] = set()
    for r in direct_rows(session.connection(), _CHECK, {"producer_id": producer_id, "district_code": district_code,
                                                        "scopes": scopes}):  # (PostgreSQL: by psycopg alone)
        if r.kind == "pending":
            waiting.append(Waiting(r.e, r.owner, r.a, r.sealed))
        elif r.kind == "district":
            districts.add(r.a or "")
        else:
            versions[r.a] = r.n
    return waiting, versions, districts


def load_record(session: Session, producer_id: int) -> RecordView | None:
    """The registration `producer_id` with everything its cards show (None: no such record)."""
    rows = session.execute(_RECORD, {"producer_id": producer_id}).all()
    if not rows:
        return None
    producer = rows[0][0]
    view = RecordView(producer, read_issues(rows[0], "producers"),
                      [ProductView(r[1], read_issues(r, "products")) for r in rows if r[1] is not None])
    by_id = {p.product.id: p for p in view.products}
    for r in session.execute(_LISTS, {"producer_id": producer_id, "district_code": producer.district_code,
                                      "products": list(by_id)}):
        kind = r.kind
        if kind == "star":
            view.stars.append((r.sort, r.n))
        elif kind == "channel":
            view.channels.append(r.a)
        elif kind == "project":
            view.projects.append(r.a)
        elif kind == "pending":
            view.waiting.append(Waiting(r.e, r.owner, r.a, r.sealed))
        elif r.owner in by_id:
            p = by_id[r.owner]
            if kind == "standard":
                p.standards.append(Standard(r.a, r.b, r.d))
            elif kind == "keyword":
                p.keywords.append(r.a)
            else:
                p.photos = r.n
    return view
