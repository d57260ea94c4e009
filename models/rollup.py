"""Per-area completeness and report counts held in the database (`registry.rollup`), so
that a province's or the nation's answer is a sum of district rows shared by every process,
instead of a recount of the registry."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class AreaRollup(Base):
    """One row per district, per province (the sum of its districts) and for the nation ("",
    the sum of the provinces): the counts as of the registry versions they were counted at
    (the whole registry's, and the area's own: a district's version, or its districts'
    versions combined, `models.epoch`). A row is used only while both are still current, so a
    row left behind by a writer that did not refresh it is never read."""

    __tablename__ = "area_rollups"

    area_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    whole_version: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(BigInteger)
    counts: Mapped[dict] = mapped_column(JSON)
