"""Thai understanding for the OTOP registry bot: `parse(text, context) -> Intent`.

Pure: no database, no network, no LINE. Call `warm_up()` once at app start.
"""

from .intents import CONFIDENCE_FLOOR, DESTRUCTIVE_INTENTS, INTENTS, Context, Intent
from .parser import parse, warm_up

__all__ = ["CONFIDENCE_FLOOR", "DESTRUCTIVE_INTENTS", "INTENTS", "Context", "Intent", "parse", "warm_up"]
