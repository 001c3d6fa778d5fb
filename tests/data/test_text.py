"""The one normalisation of typed and pasted text."""

from __future__ import annotations

from landmarks.data.text import normalize_text


def test_full_width_input_becomes_plain() -> None:
    assert normalize_text("  ＺＩＧＵＩ　秭归 ") == "ZIGUI 秭归"
    assert normalize_text("２０１０－２０２０") == "2010-2020"
    assert normalize_text("宜昌 市　秭归 县", keep_spaces=False) == "宜昌市秭归县"
    assert normalize_text(2010) == "2010"
