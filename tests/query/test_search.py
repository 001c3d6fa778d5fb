"""Pinyin-aware name search: Chinese, full pinyin, initials, spaces and full-width input."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.query.search import NameIndex, name_key, normalize_query

NAMES = ["秭归脐橙", "秭归夏橙", "恩施玉露", "长阳山药", "蕲艾", "绿松石", "5A茶园", "英山云雾茶"]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(NAMES)


@pytest.mark.parametrize(
    "query",
    [
        "秭归脐橙",
        "脐橙",
        "zigui",
        "ZiGui",
        "zi gui",
        "zi'gui",
        "ｚｉｇｕｉ",
        "zgqc",
        "ZGQC",
        "z g q c",
        "ziguiqicheng",
        "秭 归　脐橙",
        "guiqi",
    ],
)
def test_zigui_navel_orange_is_found_by_every_spelling(index: NameIndex, query: str) -> None:
    assert "秭归脐橙" in index.search(query)


def test_search_is_specific(index: NameIndex) -> None:
    assert index.search("zgqc") == {"秭归脐橙"}
    assert index.search("zigui") == {"秭归脐橙", "秭归夏橙"}
    assert index.search("esyl") == {"恩施玉露"}
    assert index.search("xyz不存在") == set()


def test_polyphonic_characters_match_every_reading(index: NameIndex) -> None:
    # pypinyin's main reading of 长 here is 'zhang'; place names read it 'chang'.
    assert "长阳山药" in index.search("changyang")
    assert "长阳山药" in index.search("cysy")
    assert "长阳山药" in index.search("zhangyang")


def test_u_umlaut_can_be_typed_as_v_or_u(index: NameIndex) -> None:
    assert "绿松石" in index.search("lvsongshi")
    assert "绿松石" in index.search("lusongshi")


def test_latin_and_digits_inside_names(index: NameIndex) -> None:
    assert index.search("5a") == {"5A茶园"}
    assert "5A茶园" in index.search("5ACY")


def test_empty_query_matches_everything(index: NameIndex) -> None:
    assert index.search("  ") == set(NAMES)


def test_mask_keys_names_missing_from_the_index(index: NameIndex) -> None:
    names = pd.Series(["秭归脐橙", "房县香菇", "恩施玉露"], index=[10, 11, 12])
    mask = index.mask(names, "fangxian")
    assert mask.tolist() == [False, True, False]
    assert list(mask.index) == [10, 11, 12]


def test_normalize_query() -> None:
    assert normalize_query(" Ｚｉ　Gui ") == "zigui"
    assert normalize_query("秭 归") == "秭归"


def test_key_holds_name_pinyin_and_initials() -> None:
    key = name_key("秭归脐橙")
    for part in ("秭归脐橙", "ziguiqicheng", "zgqc"):
        assert part in key


def test_ten_thousand_names_are_searched_exactly() -> None:
    names = [f"{base}{i}" for i, base in enumerate(NAMES * 1250)]
    index = NameIndex(names)
    found = index.search("zgqc")
    assert len(found) == 1250 and all(name.startswith("秭归脐橙") for name in found)
    mask = index.mask(pd.Series(names), "zgqc")
    assert int(mask.sum()) == 1250
