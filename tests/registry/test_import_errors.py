"""Import errors in words: encodings detected (UTF-8 with or without BOM, TIS-620/cp874) or
refused; a cell over the limit refuses its row; broken quoting and a file that is not what
its name says refuse the file, with nothing written; every message names the file and the
row; the command exits non-zero when anything was refused and never shows a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import _register, cli
from models import Producer
from registry.import_check import MAX_CELL
from registry.importer import import_files

HEADER = "producer_id,producer_type,name,owner_name,district,province"


def _rows(n: int, start: int = 1) -> list[str]:
    return [f"P{i},กลุ่ม,กลุ่มทอผ้าที่ {i},สมศรี ใจดี,แม่สาย,เชียงราย" for i in range(start, start + n)]


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db() as s:
        return s.scalar(select(func.count()).select_from(Producer))


def _cli(database_url: str, monkeypatch, *paths: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", database_url)
    _register()
    return CliRunner().invoke(cli, ["import", *map(str, paths)])


@pytest.mark.parametrize("encoding, bom", [("utf-8", "\ufeff"), ("utf-8", ""), ("cp874", "")])
def test_utf8_with_or_without_bom_and_tis620_import(db, tmp_path, encoding, bom):
    path = tmp_path / "producers.csv"
    path.write_bytes((bom + "\r\n".join([HEADER, *_rows(3)]) + "\r\n").encode(encoding))
    report = import_files(db, [path])
    assert report.ok and report.sheets["producers"].created == 3, report.lines()
    with db() as s:
        assert s.scalar(select(Producer.name).where(Producer.code == "P2")) == "กลุ่มทอผ้าที่ 2"


def test_text_in_another_encoding_is_refused_with_nothing_imported(db, database_url, tmp_path, monkeypatch):
    path = tmp_path / "producers.csv"
    path.write_bytes("\r\n".join([HEADER, "P1,group,Café Ünïcode,x,แม่สาย,เชียงราย"]).replace("แม่สาย", "A")
                     .replace("เชียงราย", "B").encode("latin-1"))
    out = _cli(database_url, monkeypatch, path)
    assert out.exit_code == 1 and "Traceback" not in out.output, out.output
    assert "producers.csv: the text is neither UTF-8 nor TIS-620" in out.output and "CSV UTF-8" in out.output
    assert "nothing imported" in out.output and _count(db) == 0


def test_an_oversized_cell_refuses_its_row_only(db, database_url, tmp_path, monkeypatch):
    path = tmp_path / "producers.csv"
    big = "ก" * (10 * 1024 * 1024)  # a 10 MB cell (30 MB of UTF-8)
    lines = [HEADER, *_rows(2), f"P9,กลุ่ม,{big},x,แม่สาย,เชียงราย", *_rows(1, start=3)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    out = _cli(database_url, monkeypatch, path)
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert "producers.csv row 4 [producers] P9: cell_too_large (ข้อมูลในช่องยาวเกินกำหนด)" in out.output
    assert f"limit {MAX_CELL:,}" in out.output and "created 3" in out.output and _count(db) == 3


def test_broken_quoting_after_good_rows_refuses_the_file(db, database_url, tmp_path, monkeypatch):
    """The old importer imported the first 100 rows, swallowed the rest into one cell and
    exited 0."""
    path = tmp_path / "producers.csv"
    lines = [HEADER, *_rows(100), 'P101,กลุ่ม,"กลุ่มเปิดคำพูด,x,แม่สาย,เชียงราย', *_rows(20, start=102)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    out = _cli(database_url, monkeypatch, path)
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert "producers.csv: row 102: a quote (\") opens a cell that never closes" in out.output
    assert _count(db) == 0
    path.write_bytes(("\r\n".join([HEADER, *_rows(3), 'P4,กลุ่ม,"ชื่อ"ต่อ,x,แม่สาย,เชียงราย']) + "\r\n").encode())
    out = _cli(database_url, monkeypatch, path)
    assert out.exit_code == 1 and "producers.csv: row 5: broken quoting" in out.output and _count(db) == 0


def test_a_picture_renamed_xlsx_is_named_for_what_it_is(db, database_url, tmp_path, monkeypatch):
    png = tmp_path / "registry.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    good = tmp_path / "producers.csv"
    good.write_bytes(("\r\n".join([HEADER, *_rows(2)]) + "\r\n").encode())
    out = _cli(database_url, monkeypatch, good, png)
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert "registry.xlsx: not an Excel workbook (.xlsx) but a PNG picture" in out.output
    assert _count(db) == 0  # the good file is not imported alone: nothing half-written
    fake = tmp_path / "producers2.csv"
    fake.write_bytes(b"%PDF-1.4 ...")
    out = _cli(database_url, monkeypatch, fake)
    assert out.exit_code == 1 and "producers2.csv: not a CSV file but a PDF document" in out.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    out = _cli(database_url, monkeypatch, broken)
    assert out.exit_code == 1 and "broken.xlsx: a damaged Excel workbook" in out.output
