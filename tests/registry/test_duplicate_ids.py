"""One person, one national ID at import: an ID another active record holds (stored, or an
earlier row of the same file) is imported, reported with that record's code and the masked
ID, and counted as a completeness issue of its own; closing one holder ends the issue."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from models import Producer, RegistrationStatus, unit_of_work
from registry import completeness
from registry.importer import import_files

NID = "1101700207030"
MASKED = "1-1017-xxxxx-xx-0"
HEADER = "producer_id,name,national_id,district,province,status"


def _csv(tmp: Path, name: str, rows: list[str]) -> Path:
    path = tmp / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _duplicates(db, area: str = "57") -> int:
    with unit_of_work(db) as s:
        return completeness.area_counts(s, area).field("producers.national_id_duplicate").invalid


def test_imported_duplicates_are_reported_counted_and_end_when_one_closes(db, tmp_path):
    first = import_files(db, [_csv(tmp_path, "producers_a.csv", [f"P1,กลุ่มหนึ่ง,{NID},แม่สาย,เชียงราย,"])])
    assert first.duplicates == [] and _duplicates(db) == 0
    second = import_files(db, [_csv(tmp_path, "producers_b.csv", [
        f"P2,กลุ่มสอง,{NID[:1]}-{NID[1:5]}-{NID[5:10]}-{NID[10:12]}-{NID[12]},เมืองเชียงราย,เชียงราย,",
        "P3,กลุ่มสาม,1101700207048,แม่สาย,เชียงราย,",
        "P4,กลุ่มสี่,1101700207048,แม่สาย,เชียงราย,"])])
    assert second.sheets["producers"].created == 3 and not second.rejects  # imported, not refused
    assert second.duplicates == [f"P2: national ID {MASKED} is also held by active producer P1",
                                 "P4: national ID 1-1017-xxxxx-xx-8 is also held by active producer P3"]
    assert any(line.startswith("duplicate national ID: P2") for line in second.lines())
    assert _duplicates(db) == 4  # counted in the province (two districts) as in the nation
    with db() as s:
        district = {p.code: p.district_code for p in s.scalars(select(Producer))}
    assert district["P1"] != district["P2"] and _duplicates(db, district["P2"]) == 1  # a pair across districts
    with unit_of_work(db) as s:
        p1 = s.scalars(select(Producer).where(Producer.code == "P1")).one()
        p1.status = RegistrationStatus.CLOSED  # the other district's cached count must follow
    assert _duplicates(db, district["P2"]) == 0 and _duplicates(db) == 2
