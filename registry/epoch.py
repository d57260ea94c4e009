"""The registry versions that cached answers are keyed by (see `models.epoch` for how and when
they change). Bulk writers that bypass the Session (COPY) call `bump(session)` in their
transaction; everything written through the Session bumps them by itself."""

from models.epoch import TRACKED_TABLES, WHOLE, bump, current, has_uncommitted_bump, rows, versions

__all__ = ["TRACKED_TABLES", "WHOLE", "bump", "current", "has_uncommitted_bump", "rows", "versions"]
