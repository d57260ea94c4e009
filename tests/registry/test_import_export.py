"""Import with broken rows, idempotent re-import, export round trips (CSV and XLSX)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from models import AuditEntry, ChuanchimShop, Producer, Product, ProductPhoto, unit_of_work
from registry import gazetteer
from registry.demo import wipe_registry
from registry.exporter import export_registry
from registry.importer import import_files
from registry_helpers import max_updated_at, small_demo, table_counts

BOM = "\ufeff"

PRODUCERS = [
    # header: Thai aliases for some columns, free order, one unknown column
    "รหัสผู้ประกอบการ,producer_type,name,owner_name,เลขประจำตัวประชาชน,birth_date,โทรศัพท์,address,"
    "subdistrict,district,province,sales_channels,star_ratings,หมายเหตุ",
    "P1,กลุ่ม,กลุ่มทอผ้าบ้านดอนแก้ว,สมศรี ใจดี,๑๑๐๑๗๐๐๒๐๗๐๓๐,5/3/2530,๐๘๑-๒๓๔-๕๖๗๘,1 หมู่ 2,,อ.แม่สาย,จ.เชียงราย,ในประเทศ;online,2559:3;2562:4,x",
    "P2,รายเดี่ยว,ร้านป้าศรี,ศรี ดี,,,,,,อำเภอไม่มีจริงเลย,เชียงราย,,,",
    "P3,SMEs,บริษัท ฟ้าใส จำกัด,ฟ้า ใส,,,,,,สารภี,เชียงราย,,,",
    "",
    "P1,กลุ่ม,ซ้ำ,,,,,,,แม่สาย,เชียงราย,,,",
    "P4,group,กลุ่มผิดวัน,,,31/2/2530,,,,เมือง,เชียงราย,,,",
    "P5,individual,ร้านเลขผิด,ก ข,1101700207031,1987-03-05,0812345678,,,เมืองเชียงราย,เชียงราย,,,",
    "P6,,ร้านโทรผิด,ค ง,,,12345,,,บางปะอิน,พจนครศรีอยุธยา,,,",
    "P7,sme,ร้านตำบล,,,,,,บ้านเลน,อ.บางปะอิน,จังหวัดพระนครศรีอยุธยา,export,,",
]
PRODUCTS = [
    "product_id,producer_id,name,ประเภทผลิตภัณฑ์,quadrant,standards,price,keywords,รูปภาพ",
    "R1,P1,ผ้าไหม,ผ้า เครื่องแต่งกาย,QA,มผช. 97/2565;อย. 50-2-01358-2-0012,1200,ผ้าไหม,a.jpg;b.jpg",
    "R2,PX,ไม่มีเจ้าของ,อาหาร,D,,,,",
    "R3,P2,เจ้าของถูกปฏิเสธ,อาหาร,D,,,,",
    "R4,P5,น้ำพริก,food,c,,๑๒๐,,",
    "R5,P5,ประเภทแปลก,ของแปลก,D,,,,",
    "R1,P5,ซ้ำ,อาหาร,D,,,,",
]
CHUANCHIM = [
    "chuanchim_id,name,phone,address,district,province,items,awards,photos",
    "C1,ครัวบ้านสวน,053-123-456,9 หมู่ 1,แม่สาย,เชียงราย,ข้าวซอย;ไส้อั่ว,,",
    "C2,ร้านผิดจังหวัด,,,เมือง,จังหวัดที่ไม่มี,,,",
]


def _write(tmp: Path, name: str, lines: list[str]) -> Path:
    path = tmp / name
    path.write_bytes((BOM + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def _files(tmp_path: Path) -> list[Path]:
    # Recognised by header (no telling names) and by name.
    return [_write(tmp_path, "products_jan.csv", PRODUCTS), _write(tmp_path, "ชวนชิม.csv", CHUANCHIM),
            _write(tmp_path, "export1.csv", PRODUCERS)]


def test_broken_rows_are_reported_and_the_rest_imports(db, tmp_path):
    report = import_files(db, _files(tmp_path))
    got = {(r.sheet, r.row, r.code) for r in report.rejects}
    assert got == {
        ("producers", 3, "unknown_district"), ("producers", 4, "unknown_district"),
        ("producers", 6, "duplicate_id"), ("producers", 7, "bad_date"),
        ("products", 3, "unknown_producer"), ("products", 4, "producer_rejected"),
        ("products", 6, "bad_value"), ("products", 7, "duplicate_id"),
        ("chuanchim", 3, "unknown_province"),
    }
    assert all(r.reason_th and r.source for r in report.rejects)
    c = report.sheets
    assert (c["producers"].created, c["producers"].rejected) == (4, 4)
    assert (c["products"].created, c["products"].rejected) == (2, 4)
    assert (c["chuanchim"].created, c["chuanchim"].rejected) == (1, 1)
    assert report.unknown_columns == {"export1.csv": ["หมายเหตุ"]}
    with db() as s:
        p1 = s.scalars(select(Producer).where(Producer.code == "P1")).one()
        assert (p1.national_id, p1.national_id_valid, p1.phone, p1.phone_valid) == ("1101700207030", True, "0812345678", True)
        assert (p1.district_code, str(p1.birth_date)) == ("5709", "1987-03-05")
        assert [(r.year_be, r.stars) for r in p1.star_ratings] == [(2559, 3), (2562, 4)]
        assert sorted(c.channel.value for c in p1.sales_channels) == ["domestic", "online"]
        p5 = s.scalars(select(Producer).where(Producer.code == "P5")).one()
        assert (p5.national_id, p5.national_id_valid) == ("1101700207031", False)
        p6 = s.scalars(select(Producer).where(Producer.code == "P6")).one()
        assert (p6.phone, p6.phone_valid, p6.province_code) == ("12345", False, "14")
        p7 = s.scalars(select(Producer).where(Producer.code == "P7")).one()
        assert gazetteer.by_code(p7.district_code).name_th == "บางปะอิน"
        assert gazetteer.by_code(p7.subdistrict_code).name_th == "บ้านเลน"
        assert p7.subdistrict_code[:4] == p7.district_code
        r1 = s.scalars(select(Product).where(Product.code == "R1")).one()
        assert {(x.scheme, x.number) for x in r1.standards} == {("มผช.", "97/2565"), ("อย.", "50-2-01358-2-0012")}
        assert sorted(p.location for p in r1.photos) == ["a.jpg", "b.jpg"]
        assert (r1.district_code, r1.quadrant.value) == ("5709", "A")
        r4 = s.scalars(select(Product).where(Product.code == "R4")).one()
        assert (int(r4.price), r4.quadrant.value) == (120, "C")
        created = s.scalars(select(AuditEntry).where(AuditEntry.field == "_created")).all()
        assert len(created) == 4 + 2 + 1 and all(a.channel == "import" for a in created)


def test_second_import_changes_nothing_and_a_change_is_audited(db, tmp_path):
    files = _files(tmp_path)
    first = import_files(db, files)
    before, stamps = table_counts(db), max_updated_at(db)
    second = import_files(db, files)
    assert table_counts(db) == before and max_updated_at(db) == stamps
    for sheet, counts in second.sheets.items():
        assert (counts.created, counts.updated) == (0, 0)
        assert counts.unchanged == first.sheets[sheet].created
    assert len(second.rejects) == len(first.rejects)
    # One changed cell: one update, one audit row with old and new values.
    changed = [line.replace("๐๘๑-๒๓๔-๕๖๗๘", "089-999-9999") for line in PRODUCERS]
    third = import_files(db, [_write(tmp_path, "producers.csv", changed)])
    assert (third.sheets["producers"].updated, third.sheets["producers"].unchanged) == (1, 3)
    with db() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.field == "phone")).all()
        assert [(r.old_value, r.new_value, r.channel) for r in rows] == [("0812345678", "0899999999", "import")]


def _export_bytes(db, out: Path) -> dict[str, bytes]:
    with db() as s:
        export_registry(s, out, fmt="csv")
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_export_import_round_trip_csv_and_xlsx(db, tmp_path):
    small_demo(db)
    original = _export_bytes(db, tmp_path / "a")
    assert set(original) == {"producers.csv", "products.csv", "chuanchim.csv"}
    with db() as s:
        n_products = s.scalar(select(Product.id).order_by(Product.id.desc()).limit(1))
        export_registry(s, tmp_path / "x", fmt="xlsx")
    assert n_products
    for source in ([tmp_path / "a" / n for n in original], [tmp_path / "x" / "registry.xlsx"]):
        with unit_of_work(db) as s:
            wipe_registry(s)
        report = import_files(db, source)
        assert not report.rejects and not report.unknown_columns
        assert _export_bytes(db, tmp_path / f"b{len(source)}") == original
    with db() as s:
        assert s.scalar(select(ProductPhoto.id).limit(1)) is not None
        assert s.scalar(select(ChuanchimShop.id).limit(1)) is not None


def test_xlsx_import_with_thai_headers_numbers_and_unknown_sheet_columns(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "producers"
    ws.append(["รหัสผู้ประกอบการ", "ลักษณะผู้ประกอบการ", "เลขประจำตัวประชาชน", "อำเภอ", "จังหวัด", "extra"])
    ws.append(["X1", "กลุ่ม", 1101700207030, "แม่สาย", "เชียงราย", 1])
    ws.append([None, None, None, None, None, None])
    ws.append(["X2", "รายเดี่ยว", None, "ไม่มีจริงเลยนะ", "เชียงราย", None])
    ws2 = wb.create_sheet("products")
    ws2.append(["product_id", "producer_id", "category", "quadrant", "price"])
    ws2.append(["Y1", "X1", "อาหาร", "B", 35.5])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    report = import_files(db, [path])
    assert [(r.sheet, r.row, r.code) for r in report.rejects] == [("producers", 4, "unknown_district")]
    assert report.unknown_columns == {"book.xlsx:producers": ["extra"]}
    with db() as s:
        x1 = s.scalars(select(Producer).where(Producer.code == "X1")).one()
        assert (x1.national_id, x1.national_id_valid) == ("1101700207030", True)
        y1 = s.scalars(select(Product).where(Product.code == "Y1")).one()
        assert str(y1.price) in ("35.5", "35.50")
    assert import_files(db, [path]).sheets["products"].unchanged == 1
