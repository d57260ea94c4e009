"""The registry version that cached answers are keyed by (see `models.epoch` for how and when
it changes). Bulk writers that bypass the Session (COPY) call `bump(session)` in their
transaction; everything written through the Session bumps it by itself."""

from models.epoch import TRACKED_TABLES, bump, current, has_uncommitted_bump

__all__ = ["TRACKED_TABLES", "bump", "current", "has_uncommitted_bump"]
