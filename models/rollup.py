"""Per-district completeness and report counts held in the database (`registry.rollup`), so
that a province's or the nation's answer is a sum of district rows shared by every process,
instead of a recount of the registry."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class DistrictRollup(Base):
    """One row per district: its counts as of the registry versions it was counted at (the
    whole registry's and the district's, `models.epoch`): a row is used only while both are
    still current, so a row left behind by a writer that did not refresh it is never read."""

    __tablename__ = "district_rollups"

    district_code: Mapped[str] = mapped_column(String(4), primary_key=True)
    whole_version: Mapped[int] = mapped_column(BigInteger)
    district_version: Mapped[int] = mapped_column(BigInteger)
    counts: Mapped[dict] = mapped_column(JSON)
