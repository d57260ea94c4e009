"""The place of a shared LINE location, read from the address LINE gives (Thai or English)."""

from __future__ import annotations

import pytest

from registry.located import locate


@pytest.mark.parametrize("address,code,street", [
    ("99 หมู่ 3 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200 ประเทศไทย", "500108", "99 หมู่ 3"),
    ("99 Moo 3, Suthep, Mueang Chiang Mai District, Chiang Mai 50200, Thailand", "500108", "99 Moo 3"),
    ("12 ถนนห้วยแก้ว ต.ช้างเผือก อ.เมือง จ.เชียงใหม่", "500107", "12 ถนนห้วยแก้ว"),  # no postal code
    ("Rim Kok, Mueang Chiang Rai District, Chiang Rai 57100, Thailand", "570114", ""),
])
def test_the_sub_district_and_the_street(address, code, street):
    found = locate(address)
    assert found is not None and (found.place.code, found.street) == (code, street)
    assert (found.code("province"), found.code("district")) == (code[:2], code[:4])


def test_a_postal_code_alone_gives_the_district_it_covers():
    found = locate("ตลาดวโรรส เชียงใหม่ 50300")
    assert found is not None and found.place.level == "district" and found.code("subdistrict") is None


@pytest.mark.parametrize("address", ["", "บ้านป้า", "ร้านกาแฟหน้าวัด"])
def test_nothing_known_is_none(address):
    assert locate(address) is None
