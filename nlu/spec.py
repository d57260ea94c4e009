"""One declared object per intent: everything the bot knows about an intent, in one place.

An `IntentSpec` carries the intent's name, its Thai label (buttons, "did you mean"), who may
use it, whether it changes data, its rule patterns, training examples, the slots its handler
reads, and where its handler lives. The specs are grouped by file under `nlu/catalog/`; the
intent list, the rules, the training data and the labels are all derived from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Who may use an intent (the handler's @handler(roles=...) must agree; a test checks).
OFFICER = "officer"      # district, province and central officers
PRODUCER = "producer"    # a linked producer
UNLINKED = "unlinked"    # a LINE user not linked yet
ANYONE = "anyone"
LINKED = "linked"        # producers and officers
# A single officer role ("province", "central") may also be named.


@dataclass(frozen=True)
class IntentSpec:
    """An intent, declared once."""

    name: str
    label: str                     # Thai, for buttons and "did you mean"
    who: tuple[str, ...]           # OFFICER / PRODUCER / UNLINKED / ANYONE / LINKED
    handler: str                   # "module:function" that handles it
    changes_data: bool = False     # negations and questions never reach it
    patterns: tuple[str, ...] = ()  # rules over for_matching() text (re.search)
    whole: tuple[str, ...] = ()    # rules that must match the whole message
    priority: int = 50             # lower is tried first; actions before topics
    slots: tuple[str, ...] = ()    # slots its handler reads
    examples: tuple[str, ...] = ()  # training phrases (besides nlu/data/train.tsv)
    twin: str | None = None        # the same words from the other side (producer <-> officer)
    read: str | None = None        # asked as a question about its topic, it means this read
    area: str = "none"             # area rule: none | slots (area in slots) | producer (a record)
    compiled: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)
    compiled_whole: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", tuple(re.compile(p) for p in self.patterns))
        object.__setattr__(self, "compiled_whole", tuple(re.compile(p) for p in self.whole))

    def allows(self, role: str | None) -> bool:
        """May a user of `role` (None: unlinked) use this intent?"""
        if ANYONE in self.who or role in self.who:
            return True
        if role is None:
            return UNLINKED in self.who
        if LINKED in self.who:
            return True
        if role in ("district", "province", "central"):
            return OFFICER in self.who
        return PRODUCER in self.who

    def search(self, text: str) -> re.Match[str] | None:
        """The first rule hit in `text` (whole-message rules first)."""
        for p in self.compiled_whole:
            m = p.fullmatch(text)
            if m:
                return m
        for p in self.compiled:
            m = p.search(text)
            if m:
                return m
        return None


def spec(name: str, label: str, who: tuple[str, ...] | str, handler: str, **kw: object) -> IntentSpec:
    """Shorthand used by the catalog files."""
    return IntentSpec(name, label, (who,) if isinstance(who, str) else tuple(who), handler, **kw)  # type: ignore[arg-type]
