"""The procedures as data: one state table per request kind, plus the value types around them.

A table maps each open step to the actions allowed there; each action is a `Transition`
saying who may take it (roles, and whose area: the request's origin or its relocation
target), what it needs (meeting date, note), the effect on the registry it triggers (a name
looked up in `effects.EFFECTS`), the next step, and who is told. Terminal states are
`done`, `rejected` and `cancelled`. Rejecting is possible at every open step for whoever may
act there, and withdrawing for the filer before any officer has acted; both are handled
generically in `actions`, not listed in the tables.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from models import LineAccount, RequestKind, Role

DONE, REJECTED, CANCELLED = "done", "rejected", "cancelled"
TERMINAL = frozenset({DONE, REJECTED, CANCELLED})

# Officers who sit in (or stand in for) the district office. Central admins can view every
# request but act on none: the committees are local bodies, and an admin acting from Bangkok
# would bypass them. Province officers may act on steps in their province (a stand-in when a
# district office is short-handed, and the province sub-committee oversees it anyway).
LOCAL_OFFICERS = frozenset({Role.DISTRICT, Role.PROVINCE})


class Area(enum.StrEnum):
    """Whose area a step belongs to."""

    ORIGIN = "origin"  # the request's (the producer's current) district
    TARGET = "target"  # the relocation's new district


@dataclass(frozen=True)
class Actor:
    """Who acts: built by the chat layer from the LineAccount (or "cli" for the console)."""

    actor_id: str
    role: Role
    province_code: str | None = None
    district_code: str | None = None
    producer_id: int | None = None
    channel: str = "chat"  # audit channel: chat | web | cli | system

    @classmethod
    def from_account(cls, account: LineAccount, channel: str = "chat") -> Actor:
        """The actor for a linked LINE account (raises ValueError when it has no role)."""
        if account.role is None:
            raise ValueError(f"account {account.user_id} has no role")
        return cls(account.user_id, account.role, account.province_code,
                   account.district_code, account.producer_id, channel)


@dataclass(frozen=True)
class Notice:
    """A message to send after the transaction commits.

    audience: ("producer", producer_id) | ("district", district_code) | ("province", province_code).
    """

    audience: tuple[str, Any]
    event: str
    request_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """One allowed action at a step."""

    to: str
    needs: frozenset[str] = frozenset()  # "meeting_date", "note"
    who: frozenset[Role] = LOCAL_OFFICERS
    area: Area = Area.ORIGIN
    effect: str | None = None  # key of effects.EFFECTS, run before the step moves
    # (audience kind, event): kinds are producer, district, province (origin area),
    # target_district, target_province (relocation target)
    notify: tuple[tuple[str, str], ...] = (("producer", "step_approved"), ("district", "step_approved"))


@dataclass(frozen=True)
class Machine:
    """The state table of one request kind."""

    kind: RequestKind
    start: str
    steps: dict[str, dict[str, Transition]]
    filed_by: frozenset[Role]  # who may open it (producers only for their own registration)
    on_reject: dict[str, str] = field(default_factory=dict)  # step -> compensating effect

    def transition(self, step: str, action: str) -> Transition | None:
        return self.steps.get(step, {}).get(action)


MEETING = frozenset({"meeting_date"})

_CLOSED_NOTICES = (
    ("producer", "cancelled_in_system"),
    ("district", "cancelled_in_system"),
    ("province", "reported_to_province"),
)

CLOSURE_PRESENT = Machine(
    kind=RequestKind.CLOSURE_PRESENT,
    start="district_subcommittee",
    filed_by=frozenset({Role.PRODUCER, Role.DISTRICT, Role.PROVINCE}),
    steps={
        "district_subcommittee": {"approve": Transition("district_cancel", needs=MEETING)},
        "district_cancel": {
            "cancel_in_system": Transition(DONE, effect="close_registration", notify=_CLOSED_NOTICES),
        },
    },
)

CLOSURE_ABSENT = Machine(
    kind=RequestKind.CLOSURE_ABSENT,
    start="fact_check",
    filed_by=frozenset({Role.DISTRICT, Role.PROVINCE}),
    steps={
        "fact_check": {
            "record_fact_check": Transition(
                "network_committee", needs=frozenset({"meeting_date", "note"}),
                notify=(("district", "step_approved"),),
            ),
        },
        "network_committee": {
            "approve": Transition("district_subcommittee", needs=MEETING,
                                  notify=(("district", "step_approved"),)),
        },
        "district_subcommittee": {
            "approve": Transition("district_cancel", needs=MEETING,
                                  notify=(("district", "step_approved"),)),
        },
        "district_cancel": {
            "cancel_in_system": Transition(DONE, effect="close_registration", notify=_CLOSED_NOTICES),
        },
    },
)

RELOCATION = Machine(
    kind=RequestKind.RELOCATION,
    start="old_district_cancel",
    filed_by=frozenset({Role.PRODUCER, Role.DISTRICT, Role.PROVINCE}),
    steps={
        "old_district_cancel": {
            "cancel_in_system": Transition(
                "new_district_register", effect="mark_moved",
                notify=(("producer", "cancelled_in_system"), ("district", "cancelled_in_system"),
                        ("target_district", "relocation_handover")),
            ),
        },
        "new_district_register": {
            "register": Transition(
                DONE, area=Area.TARGET, effect="register_relocated",
                notify=(("producer", "registered"), ("district", "registered"),
                        ("target_district", "registered")),
            ),
        },
    },
    # The new district refuses: the old registration is reinstated rather than left "moved"
    # with no registration anywhere.
    on_reject={"new_district_register": "reinstate"},
)

MACHINES: dict[RequestKind, Machine] = {m.kind: m for m in (CLOSURE_PRESENT, CLOSURE_ABSENT, RELOCATION)}
