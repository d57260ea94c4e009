"""Handler registration as data: intent name -> Handler(func, roles, area, ...).

    @handler("officer.producer_card", roles=OFFICERS, area=PRODUCER_FROM_SLOTS,
             example_slots={"producer_id": "$producer"})
    def producer_card(ctx: Ctx, slots: dict) -> list[Reply]: ...

`roles` says who may call it (None = a LINE user not linked yet), `area` how to read the
target (an area code or a producer) from the slots for the scope check, which the router runs
once before the handler. `example_slots` is a sample invocation for the access tests:
"$area", "$district", "$province", "$subdistrict", "$producer" are replaced by the test with
values inside or outside the caller's area.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers.permissions import Target
from models import OFFICER_ROLES, Role

Roles = frozenset[Role | None]
ANYONE: Roles = frozenset({None, *Role})
LINKED: Roles = frozenset(Role)
OFFICERS: Roles = frozenset(OFFICER_ROLES)
PRODUCERS: Roles = frozenset({Role.PRODUCER})

AreaReader = Callable[[Mapping[str, Any]], Target]


def NO_AREA(slots: Mapping[str, Any]) -> Target:
    """The handler works only on the caller's own data (or none): no target to check."""
    return Target()


def AREA_FROM_SLOTS(slots: Mapping[str, Any]) -> Target:
    """The most specific of subdistrict_code / district_code / province_code in the slots.

    No code at all means "my own area"; the handler then uses `ctx.scope` to filter."""
    for key in ("subdistrict_code", "district_code", "province_code"):
        if slots.get(key):
            return Target(area_code=str(slots[key]))
    return Target()


def PRODUCER_FROM_SLOTS(slots: Mapping[str, Any]) -> Target:
    """The producer in slot `producer_id` (the database id)."""
    value = slots.get("producer_id")
    try:
        return Target(producer_id=int(value)) if value not in (None, "") else Target()
    except (TypeError, ValueError):
        return Target(producer_id=-1)  # an id that matches nothing: refused, never guessed


@dataclass(frozen=True)
class Handler:
    """One entry of the table the router dispatches on."""

    name: str
    func: Callable[..., list]  # type: ignore[type-arg]
    roles: Roles
    area: AreaReader = NO_AREA
    doc: str = ""
    example_slots: Mapping[str, Any] = field(default_factory=dict)


REGISTRY: dict[str, Handler] = {}


def handler(
    name: str,
    *,
    roles: Roles,
    area: AreaReader = NO_AREA,
    example_slots: Mapping[str, Any] | None = None,
    replace: bool = False,
) -> Callable[[Callable[..., list]], Callable[..., list]]:  # type: ignore[type-arg]
    """Register `func(ctx, slots) -> list[Reply]` for intent `name`."""

    def register(func: Callable[..., list]) -> Callable[..., list]:  # type: ignore[type-arg]
        if name in REGISTRY and not replace and REGISTRY[name].func is not func:
            raise ValueError(f"handler {name!r} registered twice ({REGISTRY[name].func.__module__})")
        REGISTRY[name] = Handler(
            name, func, frozenset(roles), area, (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else "",
            dict(example_slots or {}),
        )
        return func

    return register


def lookup(name: str) -> Handler | None:
    return REGISTRY.get(name)
