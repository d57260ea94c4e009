"""Who may see what: a `Scope` read from the LINE account, checked once by the router.

Areas are official codes that nest by prefix: province "50", district "5001", sub-district
"500101". A central officer sees everything, a province officer codes under their province,
a district officer codes under their district, a producer only their own producer record.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, true
from sqlalchemy.orm import Session

from models import OFFICER_ROLES, LineAccount, Producer, Role


@dataclass(frozen=True)
class Target:
    """What a request is about, read from its slots: an area code and/or a producer."""

    area_code: str | None = None
    producer_id: int | None = None

    @property
    def empty(self) -> bool:
        return self.area_code is None and self.producer_id is None


@dataclass(frozen=True)
class Scope:
    """The data a user may see and change."""

    role: Role | None = None
    province_code: str | None = None
    district_code: str | None = None
    producer_id: int | None = None

    @classmethod
    def of(cls, account: LineAccount | None) -> Scope:
        if account is None or account.role is None:
            return cls()
        return cls(account.role, account.province_code, account.district_code, account.producer_id)

    @property
    def linked(self) -> bool:
        return self.role is not None

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def home_area(self) -> str | None:
        """The officer's own area code ("" = the whole country), None for non-officers."""
        if self.role is Role.CENTRAL:
            return ""
        if self.role is Role.PROVINCE:
            return self.province_code
        if self.role is Role.DISTRICT:
            return self.district_code
        return None

    def allows_area(self, code: str | None) -> bool:
        """True when `code` (2/4/6 digits; None or "" = country) lies within the user's area."""
        home = self.home_area
        if home is None:
            return False
        if home == "":
            return True
        return bool(code) and code.startswith(home)  # type: ignore[union-attr]

    def allows_producer(self, producer: Producer | None) -> bool:
        """Officers: the producer's district is in their area; producers: it is their own."""
        if producer is None:
            return False
        if self.role is Role.PRODUCER:
            return producer.id == self.producer_id
        return self.allows_area(producer.subdistrict_code or producer.district_code)

    def allows(self, target: Target, session: Session) -> bool:
        """The one area check the router runs before a handler."""
        if target.producer_id is not None:
            if not self.allows_producer(session.get(Producer, target.producer_id)):
                return False
        if target.area_code is not None:
            return self.allows_area(target.area_code)
        return True

    def filter(self, stmt: Select, model: type) -> Select:  # type: ignore[type-arg]
        """`stmt` restricted to rows of `model` (with province/district codes) in scope."""
        if self.role is Role.CENTRAL:
            return stmt.where(true())
        if self.role is Role.PROVINCE:
            return stmt.where(model.province_code == self.province_code)  # type: ignore[attr-defined]
        if self.role is Role.DISTRICT:  # the province too: the (province, district, ...) index serves it
            return stmt.where(model.province_code == (self.district_code or "")[:2],  # type: ignore[attr-defined]
                              model.district_code == self.district_code)  # type: ignore[attr-defined]
        if self.role is Role.PRODUCER and hasattr(model, "producer_id"):
            return stmt.where(model.producer_id == self.producer_id)  # type: ignore[attr-defined]
        if self.role is Role.PRODUCER and model is Producer:
            return stmt.where(Producer.id == self.producer_id)
        return stmt.where(false())
