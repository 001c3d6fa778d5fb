"""Records: small raw tables (as a user would import them) turned into the app's tables."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from landmarks.data.model import GI_TYPE_UNKNOWN, GI_TYPES
from landmarks.data.records import county_is_guessed, parse_amount, prepare_products
from landmarks.data.regions import Regions
from landmarks.data.validation import ValidationError

ZIGUI = "420527"
YICHANG = "420500"
SEAT_GUESS = "county=市(州)政府驻地区县(general knowledge, not from source)"


def product_row(**overrides: str) -> dict[str, str]:
    row = {
        "name": "测试产品",
        "category": "茶叶",
        "gi_type": "地理标志保护产品",
        "prefecture": "宜昌市",
        "county": "秭归县",
        "year": "2020",
        "note": "",
        "confidence": "high",
        "source_url": "",
        "other_source_urls": "",
        "source_quality": "media",
    }
    return row | overrides


def prepare(regions: Regions, *rows: dict[str, str]) -> pd.DataFrame:
    return prepare_products(pd.DataFrame(list(rows)), regions)


@pytest.mark.parametrize("written", ["unknown", "", "未注明", GI_TYPE_UNKNOWN])
def test_an_unstated_gi_type_is_stored_as_the_apps_own_value(
    regions: Regions, written: str
) -> None:
    stored = prepare(regions, product_row(gi_type=written)).loc[0]
    assert stored["gi_type"] == stored["gi_types"] == GI_TYPE_UNKNOWN
    assert GI_TYPE_UNKNOWN in GI_TYPES and GI_TYPE_UNKNOWN == "类型待核实"


def test_an_unstated_gi_type_gives_way_to_types_named_in_the_note(regions: Regions) -> None:
    stored = prepare(regions, product_row(gi_type="unknown", note="亦为GI证明商标")).loc[0]
    assert (stored["gi_type"], stored["gi_types"]) == (GI_TYPE_UNKNOWN, "地理标志证明商标")


def test_a_misspelt_gi_type_is_rejected_in_chinese(regions: Regions) -> None:
    with pytest.raises(ValidationError) as caught:
        prepare(regions, product_row(gi_type="证明商标?"))
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (2, "gi_type")
    assert GI_TYPE_UNKNOWN in problem.expected and "留空" in problem.expected


@pytest.mark.parametrize(
    ("note", "guessed"),
    [
        (SEAT_GUESS + " because source gives only the prefecture-level area", True),
        ("county 新洲区 from general knowledge (李集街道), not from source", True),
        ("county 枝江市 from General Knowledge (关庙山), NOT from source", True),
        ("area not stated - county=州府 恩施市", True),
        ("保护范围恩施州8县市", False),
        ("", False),
    ],
)
def test_guessed_counties_are_recognised_by_their_note(note: str, guessed: bool) -> None:
    assert county_is_guessed(note) is guessed


def test_a_guessed_county_is_not_stored(regions: Regions) -> None:
    stored = prepare(
        regions,
        product_row(name="宜昌某产品", county="西陵区", note=SEAT_GUESS),
        product_row(name="无市州的产品", prefecture="", county="西陵区", note=SEAT_GUESS),
    )
    assert (stored["county"] == "").all() and (stored["county_adcode"] == "").all()
    assert (stored["prefecture_adcode"] == YICHANG).all()
    assert (stored["precision"] == "prefecture").all()
    prefecture = regions.geometry(YICHANG)
    for product in stored.itertuples():
        assert prefecture.contains(shapely.Point(product.lon, product.lat))


def test_a_guessed_county_is_still_checked(regions: Regions) -> None:
    with pytest.raises(ValidationError) as caught:
        prepare(regions, product_row(county="西陵县", note=SEAT_GUESS))
    assert [problem.field for problem in caught.value.problems] == ["county"]


def test_a_county_from_the_source_is_kept(regions: Regions) -> None:
    stored = prepare(regions, product_row(note="保护范围秭归县")).loc[0]
    assert (stored["county_adcode"], stored["precision"]) == (ZIGUI, "county")
    assert regions.geometry(ZIGUI).contains(shapely.Point(stored["lon"], stored["lat"]))


def test_a_prefecture_without_county_is_prefecture_level(regions: Regions) -> None:
    stored = prepare(regions, product_row(county="")).loc[0]
    assert (stored["prefecture_adcode"], stored["county"], stored["precision"]) == (
        YICHANG,
        "",
        "prefecture",
    )


def test_exact_coordinates_inside_the_county_are_kept(regions: Regions) -> None:
    inside = regions.geometry(ZIGUI).representative_point()
    stored = prepare(regions, product_row(lon=str(inside.x), lat=str(inside.y))).loc[0]
    assert stored["precision"] == "point"
    assert (stored["lon"], stored["lat"]) == (inside.x, inside.y)


def test_repost_links_are_dropped(regions: Regions) -> None:
    repost = product_row(
        source_quality="repost",
        source_url="http://unrelated.example/x",
        other_source_urls="http://unrelated.example/y",
    )
    stored = prepare(regions, repost, product_row(name="媒体来源", source_url="https://m.example"))
    assert stored[["source_url", "other_source_urls"]].values.tolist() == [
        ["", ""],
        ["https://m.example", ""],
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("429.03", 429.03),
        ("超1000", 1000.0),
        ("10余", 10.0),
        ("近200", 200.0),
        ("3以上", 3.0),
        ("突破750", 750.0),
        ("约", None),
        ("N/A", None),
    ],
)
def test_amount_parsing(text: str, value: float | None) -> None:
    assert parse_amount(text) == value
