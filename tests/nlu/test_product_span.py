"""The product-name tagger (nlu/product_span.py): spans as typed, without the words around them."""

import pytest

from nlu.parser import parse

from tests.nlu.contexts import OFFICER, PRODUCER


@pytest.mark.parametrize("text, ctx, name", [
    # the issue's own example: product, number and expiry in one message
    ("เพิ่ม มผช. ให้น้ำพริกเผา เลข 123/2566", PRODUCER, "น้ำพริกเผา"),
    ("ส่งรูปกระเป๋าสานกระจูดใหม่ค่ะ", PRODUCER, "กระเป๋าสานกระจูด"),
    ("เปลี่ยนรูปสินค้าผ้าไหมมัดหมี่ของป้าแดงหน่อยครับ", OFFICER, "ผ้าไหมมัดหมี่"),
])
def test_product_name_span(text, ctx, name):
    assert parse(text, ctx).slots.get("product_name") == name


def test_the_shipped_tagger_is_loaded():
    from nlu import product_span

    assert product_span.MODEL_PATH.exists(), "run: python -m nlu.train_spans"
    assert product_span._tagger() is not None


@pytest.mark.parametrize("text", ["เพิ่มมาตรฐานสินค้าต้องทำยังไงคะ", "อยากเพิ่มมาตรฐาน อย. ให้สินค้าค่ะ", "ขอส่งรูปใหม่ค่ะ"])
def test_no_product_named_no_product_guessed(text):
    # The form then asks which product, instead of "this product is not in your registry".
    assert "product_name" not in parse(text, PRODUCER).slots
