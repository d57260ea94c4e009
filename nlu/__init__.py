"""Thai understanding for the OTOP registry bot: `parse(text, context) -> Intent`.

Pure: no database, no network, no LINE. Call `warm_up()` once at app start.
"""

from .intents import CONFIDENCE_FLOOR, DATA_CHANGING, INTENTS, Context, Intent, changes_data
from .parser import parse, warm_up

__all__ = ["CONFIDENCE_FLOOR", "DATA_CHANGING", "changes_data", "INTENTS", "Context", "Intent", "parse", "warm_up"]
