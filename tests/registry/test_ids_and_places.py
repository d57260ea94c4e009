import pytest
from sqlalchemy import func, select

from models import District, Province, Subdistrict
from registry import gazetteer, ids


@pytest.mark.parametrize(
    "text,expected",
    [("1101700207030", True), ("1-1017-00207-03-0", True), ("๑๑๐๑๗๐๐๒๐๗๐๓๐", True),
     ("1101700207031", False), ("110170020703", False)],
)
def test_national_id_check_digit(text, expected):
    digits = ids.national_id_digits(text)
    assert (digits is not None and ids.national_id_check_ok(digits)) is expected


def test_check_digit_completes_any_twelve_digits():
    for first in ("110170020703", "310040012345", "000000000000"):
        assert ids.national_id_check_ok(first + ids.national_id_check_digit(first))


def test_mask_keeps_first_and_last_digit_only():
    assert ids.mask_national_id("1101700207030") == "1-1017-xxxxx-xx-0"


@pytest.mark.parametrize(
    "text,digits,valid",
    [("081-234-5678", "0812345678", True), ("+66 81 234 5678", "0812345678", True),
     ("02-123-4567", "021234567", True), ("053-123-456", "053123456", True),
     ("๐๘๑๒๓๔๕๖๗๘", "0812345678", True), ("12345", "12345", False), ("0112345678", "0112345678", False)],
)
def test_phone(text, digits, valid):
    assert ids.normalize_phone(text) == digits
    assert ids.phone_valid(digits) is valid


def test_dates_be_and_ce():
    assert str(ids.parse_date("5/3/2530")) == "1987-03-05"
    assert str(ids.parse_date("1987-03-05")) == "1987-03-05"
    assert ids.parse_date("") is None
    with pytest.raises(ValueError):
        ids.parse_date("31/2/2530")
    with pytest.raises(ValueError):
        ids.parse_date("yesterday")


@pytest.mark.parametrize(
    "name,code",
    [("พจนครศรีอยุธยา", "14"), ("อุดรพิศสัย", "53"), ("จ.เชียงใหม่", "50"), ("จังหวัด เชียงราย", "57"),
     ("เชียงใม่", "50")],
)
def test_province_resolution(name, code):
    assert gazetteer.resolve_province(name).place.code == code


def test_district_within_province_and_ambiguity():
    assert gazetteer.resolve_district("อำเภอเมือง", "57").place.code == "5701"
    assert gazetteer.resolve_district("อ.แม่สาย", "57").place.code == "5709"
    close = gazetteer.resolve_district("แม่สวย", "57")
    assert close.place is None and close.ambiguous
    assert {c.place.name_th for c in close.candidates[:2]} == {"แม่สรวย", "แม่สาย"}
    assert gazetteer.resolve_district("ไม่มีอำเภอนี้เลยจริงๆ", "57").place is None


def test_upgrade_loads_the_whole_gazetteer(db):
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Province)) == 77
        assert s.scalar(select(func.count()).select_from(District)) == 928
        assert s.scalar(select(func.count()).select_from(Subdistrict)) == 7436
