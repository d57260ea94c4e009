"""The NLU contract: intent names, the Context the caller passes in, the Intent it gets back.

The names come from the declarations in `nlu/catalog/` (one `IntentSpec` per intent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import catalog

UNKNOWN = "unknown"
INTENTS: tuple[str, ...] = tuple(catalog.SPECS)
OFFICER_INTENTS: tuple[str, ...] = tuple(n for n in INTENTS if n.startswith("officer."))
PRODUCER_INTENTS: tuple[str, ...] = tuple(n for n in INTENTS if n.startswith("producer."))

# Below this the bot does not guess: it offers `alternatives` as quick replies.
CONFIDENCE_FLOOR = 0.4

# Intents whose handlers write to the registry or send messages on the user's behalf: never
# the reading of a negation or of a question about the topic; their handlers confirm first.
DATA_CHANGING: frozenset[str] = frozenset(n for n, s in catalog.SPECS.items() if s.changes_data)


def changes_data(name: str) -> bool:
    return name in DATA_CHANGING


OFFICER_ROLES = frozenset({"district", "province", "central"})

# The same words mean different things to an officer and to a producer: each pair is one
# request seen from the two sides, and the user's role picks the side.
ROLE_TWINS: dict[str, str] = {s.name: s.twin for s in catalog.SPECS.values() if s.twin and s.name.startswith("producer.")}

# Officer intents without a twin whose words mean something else to a producer (or an unlinked
# user): their model score goes to that intent instead of being dropped.
PRODUCER_SIDE: dict[str, str] = {
    "officer.pending_changes": "producer.request_status",
    "officer.set_national_id": "producer.update_national_id",
}


@dataclass(frozen=True, slots=True)
class Context:
    """What the caller knows about the user and the conversation."""

    role: str | None = None  # None (unlinked) | "producer" | "district" | "province" | "central"
    province_code: str | None = None
    district_code: str | None = None
    flow: str | None = None  # the intent whose conversation is under way
    expecting: str | None = None  # the slot that conversation waits for ("district", "yes_no", ...)
    today: date | None = None  # for "วันนี้"/"พรุ่งนี้"; date.today() when None

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES


@dataclass(frozen=True, slots=True)
class Intent:
    """What the user wants: a name from INTENTS, its slots, and how sure the NLU is."""

    name: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    alternatives: list[tuple[str, float]] = field(default_factory=list)
