"""The registry versions that cached answers are keyed by (see `models.epoch` for how and when
they change). Bulk writers that bypass the Session (COPY) call `bump(session, districts)` in
their transaction, and mark the statements they run through the Session with `CALLER_BUMPS`;
everything else written through the Session bumps them by itself."""

from models.epoch import (CALLER_BUMPS, SNAPSHOTS, TRACKED_TABLES, WHOLE, bump, bumped_scopes, current,
                          has_uncommitted_bump, rows, snapshots_version, versions)

__all__ = ["CALLER_BUMPS", "SNAPSHOTS", "TRACKED_TABLES", "WHOLE", "bump", "bumped_scopes", "current",
           "has_uncommitted_bump", "rows", "snapshots_version", "versions"]
