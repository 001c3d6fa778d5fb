"""Records: small raw tables (as a user would import them) turned into the app's tables."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from landmarks import i18n
from landmarks.data.model import GI_TYPE_UNKNOWN, GI_TYPES
from landmarks.data.records import (
    BORDER_TOLERANCE_METRES,
    check_products,
    county_is_guessed,
    distance_outside,
    parse_amount,
    prepare_products,
    prepare_registrations,
    with_product_details,
)
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
        ("12.5亿元", 12.5),
        ("10余亿元", 10.0),
        ("-5", None),
        ("约", None),
        ("N/A", None),
    ],
)
def test_amount_parsing(text: str, value: float | None) -> None:
    assert parse_amount(text) == value


SHIYAN_SCOPE = "竹溪县、竹山县，郧县 房县"


def area_names(regions: Regions, stored: pd.Series) -> set[str]:
    return {regions.county_by_adcode(code).name for code in stored["area_adcodes"].split()}


def test_a_scope_of_counties_is_stored_with_old_names_resolved(regions: Regions) -> None:
    stored = prepare(regions, product_row(prefecture="十堰市", county="", scope=SHIYAN_SCOPE)).loc[
        0
    ]
    assert area_names(regions, stored) == {"竹溪县", "竹山县", "郧阳区", "房县"}
    assert (stored["area_level"], stored["precision"], stored["county"]) == (
        "counties",
        "counties",
        "",
    )
    area = shapely.union_all([regions.geometry(c) for c in stored["area_adcodes"].split()])
    assert area.contains(shapely.Point(stored["lon"], stored["lat"]))


def test_a_scope_names_its_prefecture_when_the_row_does_not(regions: Regions) -> None:
    stored = prepare(regions, product_row(prefecture="", county="", scope=SHIYAN_SCOPE)).loc[0]
    assert stored["prefecture"] == "十堰市"


def test_a_place_inside_a_county_stands_for_that_county(regions: Regions) -> None:
    stored = prepare(
        regions, product_row(prefecture="十堰市", county="", scope="武当山特区、房县")
    ).loc[0]
    assert area_names(regions, stored) == {"丹江口市", "房县"}


def test_a_scope_of_one_prefecture_covers_all_its_counties(regions: Regions) -> None:
    stored = prepare(regions, product_row(prefecture="", county="", scope="恩施州")).loc[0]
    assert stored["area_level"] == "prefecture" and stored["prefecture"].startswith("恩施")
    assert len(stored["area_adcodes"].split()) == 8


def test_a_scope_of_one_county_is_county_level(regions: Regions) -> None:
    stored = prepare(regions, product_row(county="", scope="秭归")).loc[0]
    assert (stored["area_level"], stored["county_adcode"], stored["precision"]) == (
        "county",
        ZIGUI,
        "county",
    )


def test_without_a_scope_the_area_is_the_county_or_else_the_prefecture(
    regions: Regions,
) -> None:
    county, prefecture = prepare(
        regions, product_row(name="甲"), product_row(name="乙", county="")
    ).itertuples()
    assert (county.area_level, county.area_adcodes) == ("county", ZIGUI)
    assert prefecture.area_level == "prefecture"
    assert len(prefecture.area_adcodes.split()) == len(regions.counties_of(YICHANG)) == 13


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"scope": "竹溪县、火星县"}, "scope", "未找到县级行政区“火星县”"),
        ({"scope": "竹溪县、秭归县", "prefecture": ""}, "scope", "范围跨了十堰市、宜昌市"),
        ({"scope": "竹溪县、竹山县"}, "scope", "范围属于十堰市，不属于宜昌市"),
        ({"scope": "兴山县、远安县"}, "county", "不在保护范围之内"),
    ],
)
def test_a_bad_scope_is_rejected_with_row_and_field(
    regions: Regions, overrides: dict[str, str], field: str, problem: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        prepare(regions, product_row(**overrides))
    [found] = raised.value.problems
    assert (found.row, found.field) == (2, field)
    assert problem in found.problem


def test_family_and_registration_number_default_to_the_row_itself(regions: Regions) -> None:
    own, member = prepare(
        regions,
        product_row(name="利川工夫红茶", registration_number="质检总局公告2017年第98号"),
        product_row(name="利川红", family="利川工夫红茶"),
    ).itertuples()
    assert (own.family, own.registration_number) == ("利川工夫红茶", "质检总局公告2017年第98号")
    assert (member.family, member.registration_number) == ("利川工夫红茶", "")


def test_registrations_must_name_a_known_product_once(regions: Regions) -> None:
    products = prepare(regions, product_row())
    good = {"product": "测试产品", "gi_type": "地理标志证明商标", "number": "1", "year": "2020"}
    stored = prepare_registrations(pd.DataFrame([good]), products).loc[0]
    assert (stored["gi_type"], stored["year"]) == ("地理标志证明商标", 2020)
    with pytest.raises(ValidationError) as raised:
        prepare_registrations(
            pd.DataFrame([good, good, good | {"product": "无此产品", "gi_type": "商标"}]),
            products,
        )
    problems = {(p.row, p.field) for p in raised.value.problems}
    assert problems == {(3, "number"), (4, "product"), (4, "gi_type")}


def test_product_details_fill_columns_by_name_and_reject_unknown_names() -> None:
    raw = pd.DataFrame([product_row(name="甲"), product_row(name="乙")])
    details = pd.DataFrame([{"name": "乙", "family": "甲", "scope": "秭归县"}])
    merged = with_product_details(raw, details).set_index("name")
    assert merged.loc["乙", "family"] == "甲" and merged.loc["甲", "family"] == ""
    with pytest.raises(ValidationError, match="产品表中没有这个产品"):
        with_product_details(raw, pd.DataFrame([{"name": "丙", "family": "甲"}]))


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("官方发布", "official"),
        ("媒体报道", "media"),
        ("转载", "repost"),
        ("aggregator", "aggregator"),
    ],
)
def test_source_types_are_read_as_labels_or_codes(
    regions: Regions, written: str, code: str
) -> None:
    assert prepare(regions, product_row(source_quality=written)).loc[0, "source_quality"] == code


def test_checking_keeps_every_row_and_every_problem(regions: Regions) -> None:
    raw = pd.DataFrame([product_row(), product_row(name="乙", category="矿产", year="3000")])
    checked = check_products(raw, regions, [7, 9])
    assert len(checked.frame) == 2
    assert [(p.row, p.field) for p in checked.problems] == [(9, "category"), (9, "year")]
    with pytest.raises(ValidationError):
        checked.result()
    assert check_products(raw.iloc[:1], regions).result().loc[0, "name"] == "测试产品"


def test_a_point_just_across_the_county_border_counts_as_inside(regions: Regions) -> None:
    zigui = regions.geometry(ZIGUI)
    bounds = zigui.bounds
    # Walk west along a parallel from inside the county until just outside its border.
    lat = zigui.representative_point().y
    lon = zigui.representative_point().x
    while distance_outside(zigui, lon, lat) == 0.0:
        lon -= 0.0001
    assert 0 < distance_outside(zigui, lon, lat) < BORDER_TOLERANCE_METRES
    assert lon > bounds[0] - 0.01
    stored = prepare(regions, product_row(lon=str(lon), lat=str(lat))).loc[0]
    assert stored["precision"] == "point" and stored["lon"] == lon


def test_in_english_a_point_in_another_county_is_explained_with_pinyin(regions: Regions) -> None:
    zigui = regions.geometry(ZIGUI).representative_point()
    raw = pd.DataFrame(
        [product_row(prefecture="十堰市", county="房县", lon=str(zigui.x), lat=str(zigui.y))]
    )
    with i18n.language(i18n.ENGLISH):
        problems = check_products(raw, regions).problems
    assert [(p.row, p.field) for p in problems] == [(2, "lon/lat")]
    assert problems[0].problem.startswith(
        "The point lies in 秭归县 (Zigui County), not in 房县 (Fang County) ("
    )
    assert problems[0].expected.startswith("Longitude and latitude within 房县 (Fang County)")
