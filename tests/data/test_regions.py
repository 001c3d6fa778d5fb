"""Name resolution as users write county names: short, full, paired, old names, adcodes."""

from __future__ import annotations

import difflib
from typing import Any

import pytest

from landmarks import i18n
from landmarks.data.regions import RegionNotFoundError, Regions, normalize_name, short_name


@pytest.mark.parametrize(
    ("text", "adcode"),
    [
        ("秭归县", "420527"),
        ("秭归", "420527"),
        ("  秭 归 ", "420527"),
        ("宜昌市秭归县", "420527"),
        ("宜昌秭归", "420527"),
        ("420527", "420527"),
        ("４２０５２７", "420527"),
        ("长阳", "420528"),
        ("恩施州利川市", "422802"),
        ("神农架", "429021"),
        ("潜江", "429005"),
        ("沙市", "421002"),
    ],
)
def test_county_names_resolve(regions: Regions, text: str, adcode: str) -> None:
    assert regions.county(text).adcode == adcode


@pytest.mark.parametrize(
    ("old", "current"),
    [("郧县", "郧阳区"), ("京山县", "京山市"), ("监利县", "监利市"), ("襄阳县", "襄州区")],
)
def test_old_county_names_resolve_to_current(regions: Regions, old: str, current: str) -> None:
    assert regions.county(old).name == current


def test_old_prefecture_name(regions: Regions) -> None:
    assert regions.prefecture("襄樊").name == "襄阳市"
    assert regions.prefecture("襄樊市").adcode == "420600"
    assert regions.prefecture("恩施州").name == "恩施土家族苗族自治州"


def test_old_county_name_within_prefecture(regions: Regions) -> None:
    county = regions.county("郧县", prefecture="十堰市")
    assert (county.name, county.prefecture) == ("郧阳区", "十堰市")


def test_province_administered_units_are_their_own_prefecture(regions: Regions) -> None:
    for name in ("仙桃市", "潜江市", "天门市", "神农架林区"):
        county = regions.county(name)
        assert county.prefecture_adcode == county.adcode
        assert regions.prefecture(name).adcode == county.adcode


def test_unknown_name_lists_closest_candidates(regions: Regions) -> None:
    with pytest.raises(RegionNotFoundError) as caught:
        regions.county("秭龟县")
    assert "秭归县" in caught.value.candidates
    assert "秭龟县" in str(caught.value)
    assert "秭归县" in str(caught.value)


def test_the_closest_candidates_are_found_only_when_asked_for(
    regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed try whose error is dropped compares the text with no name (the public
    page tries thousands); the message, read later, is in the language it was raised in."""
    compared: list[str] = []
    close_matches = difflib.get_close_matches

    def counted(word: str, *args: Any, **kwargs: Any) -> list[str]:
        compared.append(word)
        return close_matches(word, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    with i18n.language(i18n.ENGLISH), pytest.raises(RegionNotFoundError) as caught:
        regions.county("秭龟县")
    assert compared == []
    with i18n.language(i18n.CHINESE):
        assert str(caught.value).startswith('Not found: county-level unit "秭龟县"')
    assert compared == ["秭龟县"] and "秭归县" in caught.value.candidates
    str(caught.value)
    assert compared == ["秭龟县"]  # found once


def test_name_with_no_resemblance_explains_what_is_expected(regions: Regions) -> None:
    with pytest.raises(RegionNotFoundError) as caught:
        regions.county("Atlantis")
    assert caught.value.candidates == []
    assert "6位行政区划代码" in str(caught.value)


def test_county_in_wrong_prefecture_is_rejected(regions: Regions) -> None:
    with pytest.raises(RegionNotFoundError, match="属于宜昌市，不属于武汉市"):
        regions.county("秭归", prefecture="武汉市")


def test_name_helpers() -> None:
    assert normalize_name(" 宜昌 市 ") == "宜昌市"
    assert short_name("长阳土家族自治县") == "长阳"
    assert short_name("沙市区") == "沙市"
    assert short_name("房县") == "房县"


def test_every_county_resolves_by_its_own_names(regions: Regions) -> None:
    for county in regions.county_list:
        assert regions.county(county.name) == county
        assert regions.county(county.adcode) == county
        assert regions.county(county.prefecture + county.name) == county


def test_in_english_names_not_found_are_explained_with_pinyin(regions: Regions) -> None:
    with i18n.language(i18n.ENGLISH):
        with pytest.raises(RegionNotFoundError) as caught:
            regions.county("秭龟县")
        assert str(caught.value).startswith('Not found: county-level unit "秭龟县". Did you mean:')
        assert "秭归县 (Zigui County)" in str(caught.value)
        with pytest.raises(RegionNotFoundError) as caught:
            regions.prefecture("Atlantis")
        assert "6-digit administrative code" in str(caught.value)
        with pytest.raises(RegionNotFoundError) as caught:
            regions.county("秭归", prefecture="武汉市")
        assert str(caught.value) == (
            '"秭归县 (Zigui County)" belongs to 宜昌市 (Yichang City), not to 武汉市 (Wuhan City)'
        )
    assert caught.value.candidates == []


def test_a_prefecture_is_named_by_code_and_name_and_a_county_is_not(regions: Regions) -> None:
    assert regions.names_prefecture("宜昌市") and regions.names_prefecture("420500")
    assert not regions.names_prefecture("秭归县") and not regions.names_prefecture("宜昌秭归")
