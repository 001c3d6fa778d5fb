"""The one normalisation of typed and pasted text."""

from __future__ import annotations

from landmarks.data.text import normalize_text


def test_full_width_input_becomes_plain() -> None:
    assert normalize_text("  ＺＩＧＵＩ　秭归 ") == "ZIGUI 秭归"
    assert normalize_text("２０１０－２０２０") == "2010-2020"
    assert normalize_text("宜昌 市　秭归 县", keep_spaces=False) == "宜昌市秭归县"
    assert normalize_text(2010) == "2010"


def test_names_that_look_identical_are_one_key() -> None:
    """Bidi marks and overrides (removed from everything shown) do not make two names."""
    from landmarks.data.text import key_text

    assert {
        key_text(n) for n in ["ABC茶", "ABC茶\u200e", "ABC\u202e茶", "\u2066ＡＢＣ茶\u2069"]
    } == {"abc茶"}
    emoji = "👨\u200d👩\u200d👧茶"
    assert key_text(emoji) == emoji  # the zero-width joiner of an emoji sequence stays


def test_the_import_removes_what_display_removes_and_keeps_emoji_joiners() -> None:
    from landmarks.data.reading import clean_cell
    from landmarks.data.visible import visible

    for cell in ["ABC茶\u200e", "\u202eABC茶", "A\u200bB\u2060C\u2063茶\ufeff", "\u061cABC茶"]:
        assert clean_cell(cell) == visible(cell) == "ABC茶"
    emoji = "👨\u200d👩\u200d👧茶"
    assert clean_cell(emoji) == visible(emoji) == emoji
