"""The NLU contract: intent names, the Context the caller passes in, the Intent it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

OFFICER_INTENTS: tuple[str, ...] = (
    "officer.incomplete",
    "officer.list_records",
    "officer.province_report",
    "officer.national_report",
    "officer.monthly_report",
    "officer.pending_requests",
    "officer.approve",
    "officer.reject",
    "officer.record_step",
    "officer.start_closure",
    "officer.find",
    "officer.update_photo",
    "officer.add_standard",
    "officer.set_quadrant",
    "officer.set_category",
    "officer.set_producer_type",
    "officer.set_national_id",
    "officer.pending_changes",
    "officer.issue_link_code",
    "officer.remind_area",
)
PRODUCER_INTENTS: tuple[str, ...] = (
    "producer.link",
    "producer.my_record",
    "producer.missing",
    "producer.update_phone",
    "producer.update_address",
    "producer.update_sales_channels",
    "producer.add_star",
    "producer.add_standard",
    "producer.send_photo",
    "producer.request_closure",
    "producer.request_relocation",
    "producer.request_status",
    "producer.stop_reminders",
    "producer.resume_reminders",
)
COMMON_INTENTS: tuple[str, ...] = (
    "account.redeem_code",
    "greeting",
    "help",
    "menu",
    "cancel",
    "thanks",
    "yes",
    "no",
)
UNKNOWN = "unknown"

INTENTS: tuple[str, ...] = OFFICER_INTENTS + PRODUCER_INTENTS + COMMON_INTENTS + (UNKNOWN,)

# Below this the bot does not guess: it offers `alternatives` as quick replies.
CONFIDENCE_FLOOR = 0.4

# Intents that change a registration irreversibly: the bot always asks for confirmation.
DESTRUCTIVE_INTENTS: frozenset[str] = frozenset(
    {
        "officer.start_closure",
        "officer.reject",
        "producer.request_closure",
        "producer.request_relocation",
    }
)

OFFICER_ROLES = frozenset({"district", "province", "central"})

# The same words mean different things to an officer and to a producer: each pair is one
# request seen from the two sides, and the user's role picks the side.
ROLE_TWINS: dict[str, str] = {
    "producer.missing": "officer.incomplete",
    "producer.add_standard": "officer.add_standard",
    "producer.send_photo": "officer.update_photo",
    "producer.request_closure": "officer.start_closure",
    "producer.request_status": "officer.pending_requests",
    "producer.my_record": "officer.find",
}

# Officer intents without a twin whose words mean something else to a producer (or an unlinked
# user): their model score goes to that intent instead of being dropped. An officer's "edits
# waiting for me" is a producer's "where are my requests"; a national ID talked about by a
# non-officer is about linking the account, as it was before the officer intent existed.
PRODUCER_SIDE: dict[str, str] = {
    "officer.pending_changes": "producer.request_status",
    "officer.set_national_id": "producer.link",
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

    @property
    def destructive(self) -> bool:
        """True when the bot must confirm before acting."""
        return self.name in DESTRUCTIVE_INTENTS
