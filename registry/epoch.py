"""The registry versions that cached answers are keyed by (see `models.epoch` for how and when
they change). Bulk writers that bypass the Session (COPY) call `bump(session)` in their
transaction; everything written through the Session bumps them by itself."""

from models.epoch import (TRACKED_TABLES, WHOLE, all_versions, bump, current, has_uncommitted_bump,
                          versions)

__all__ = ["TRACKED_TABLES", "WHOLE", "all_versions", "bump", "current", "has_uncommitted_bump", "versions"]
