"""Output value by county: joins, unresolved rows, demonstration data, sums and series."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data.demo_outputs import (
    DEMO_METRIC,
    DEMO_YEARS,
    county_product_counts,
    demo_county_outputs,
)
from landmarks.data.records import prepare_outputs
from landmarks.data.regions import Regions
from landmarks.query import output_values as ov
from tests.synthetic import WUDANG_SCOPE, YICHANG, ZIGUI

YUNYANG = "420304"  # 郧阳区, formerly 郧县 (adcode 420321)
YIDU = "420581"  # 宜都市, 宜昌市
FANGXIAN = "420325"  # 房县, with 房县香菇 of its own
SOURCE = "https://www.cnr.cn/hubei/county.html"


def county_totals(
    regions: Regions, products: pd.DataFrame, rows: list[tuple[str, str, str, str, str]]
) -> pd.DataFrame:
    """County totals (no product) as staff import them: (county, prefecture, year, metric,
    value), through the real import preparation."""
    raw = pd.DataFrame(
        [
            {
                "product": "",
                "prefecture": prefecture,
                "county": county,
                "year": year,
                "metric": metric,
                "value_yi_yuan": value,
                "scope": "全县地理标志产品",
                "note": "",
                "confidence": "high",
                "source_url": SOURCE,
                "other_source_urls": "",
                "source_quality": "media",
                "is_demo": "",
            }
            for county, prefecture, year, metric, value in rows
        ]
    )
    prepared = prepare_outputs(raw, regions, set(products["name"]))
    prepared["year"] = prepared["year"].astype("Int64")
    return prepared


@pytest.fixture
def products(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["products"]


@pytest.fixture
def demo(products: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    return demo_county_outputs(products, regions)


def figures_of(outputs: pd.DataFrame, products: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    joined = ov.join_figures(outputs, regions, set(products["name"]))
    return ov.county_figures(joined, demo_county_outputs(products, regions), regions)


# ---------------------------------------------------------------------------- joins


def test_county_totals_join_by_adcode_and_by_every_spelling_of_the_name(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    imported = county_totals(
        regions,
        tables["products"],
        [
            ("秭归", "宜昌", "2023", "年产值", "12.5"),  # short names
            ("郧县", "十堰市", "2023", "年产值", "8"),  # the old name
            ("宜昌市宜都市", "", "2023", "年产值", "6"),  # prefixed with its prefecture
        ],
    )
    assert list(imported["region_adcode"]) == [ZIGUI, YUNYANG, YIDU]
    # Stored rows of another boundary set: the old adcode of 郧县, or none at all.
    stale = imported.copy()
    stale["region_adcode"] = ["", "420321", "999999"]
    stale["region"] = ["秭归", "郧县", "宜都"]
    for frame, how in ((imported, "行政区划代码"), (stale, "名称（简称、全称或旧称）")):
        joined = ov.join_figures(frame, regions, set(tables["products"]["name"]))
        assert list(joined["county_adcode"]) == [ZIGUI, YUNYANG, YIDU]
        assert set(joined["joined_by"]) == {how}
        assert joined["mapped"].all() and set(joined["use"]) == {ov.USE_MAP}


def test_unresolved_rows_are_listed_with_the_reason_and_the_nearest_names(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    rows = county_totals(regions, tables["products"], [("秭归县", "宜昌市", "2023", "年产值", "5")])
    bad_county = rows.assign(region_adcode="", region="秭龟县")
    bad_product = tables["outputs"].iloc[[0]].assign(subject="秭归脐橙子（全县）", product="")
    joined = ov.join_figures(
        pd.concat([bad_county, bad_product], ignore_index=True),
        regions,
        set(tables["products"]["name"]),
    )
    assert not joined["mapped"].any()
    county, product = joined["use"]
    assert joined["place"].iloc[0] == ov.PLACE_UNKNOWN
    assert "秭龟县" in county and "最接近：" in county and "秭归县" in county
    assert "不在产品表中" in product and "秭归脐橙" in product.split("最接近：")[1]


def test_every_held_row_is_accounted_for(tables: dict[str, pd.DataFrame], regions: Regions) -> None:
    outputs = pd.concat(
        [
            tables["outputs"],
            county_totals(
                regions,
                tables["products"],
                [
                    ("秭归县", "宜昌市", "2023", "年产值", "5"),
                    ("秭归县", "宜昌市", "2023", "年产值", "6"),  # the same figure twice
                    ("秭归县", "宜昌市", "", "年产值", "7"),
                    ("秭归县", "宜昌市", "2023", "品牌价值(非产值)", "90"),
                ],
            ),
        ],
        ignore_index=True,
    )
    joined = ov.join_figures(outputs, regions, set(tables["products"]["name"]))
    assert len(joined) == len(outputs)
    assert (joined["use"] != "").all()
    assert int(joined["mapped"].sum()) == 1
    uses = " ".join(joined["use"])
    for reason in (
        "未重复计入",
        "未注明年份",
        "品牌价值，不是产值",
        "单个产品的公开数字",
        "全省数字",
    ):
        assert reason in uses
    summary = ov.held_summary(joined, None)
    assert f"共持有 {len(outputs)} 条产值记录，其中可上图的县级产值 1 条" in summary


# ------------------------------------------------------------- demonstration data


def test_the_demo_table_is_deterministic_and_flagged(
    products: pd.DataFrame, regions: Regions, demo: pd.DataFrame
) -> None:
    assert demo.equals(demo_county_outputs(products, regions))
    assert demo["is_demo"].all() and (demo["metric"] == DEMO_METRIC).all()
    assert set(demo["year"]) == set(DEMO_YEARS)
    assert (demo["scope"].str.startswith(ov.DEMO_LABEL)).all()
    # Only counties with a product of their own get figures; the rest show 无数据.
    assert set(demo["region_adcode"]) == set(county_product_counts(products).index)
    # 武当道茶's scope spans counties: it gives none of them a figure (房县 has its own).
    assert (set(WUDANG_SCOPE) - {FANGXIAN}).isdisjoint(demo["region_adcode"])


def test_demo_figures_fill_only_years_without_real_county_figures(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    only_demo = figures_of(tables["outputs"], products, regions)
    assert only_demo["is_demo"].all()
    values = ov.output_values(only_demo, DEMO_METRIC, 2023, ov.LEVEL_COUNTY, regions)
    assert values.is_demo and values.with_value > 0

    real = county_totals(
        regions,
        products,
        [
            ("秭归县", "宜昌市", "2023", DEMO_METRIC, "15"),
            ("宜都市", "宜昌市", "2023", DEMO_METRIC, "9"),
        ],
    )
    mixed = figures_of(pd.concat([tables["outputs"], real], ignore_index=True), products, regions)
    in_2023 = mixed[mixed["year"] == 2023]
    assert not in_2023["is_demo"].any() and set(in_2023["adcode"]) == {ZIGUI, YIDU}
    assert mixed[mixed["year"] == 2022]["is_demo"].all()  # other years keep the demo
    replaced = ov.output_values(mixed, DEMO_METRIC, 2023, ov.LEVEL_COUNTY, regions)
    assert not replaced.is_demo and replaced.with_value == 2
    assert replaced.without_value == len(regions.county_list) - 2
    assert replaced.table.loc[ZIGUI, "rank"] == "第 1 / 2 名"


def test_rows_imported_as_demo_are_demo_too(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    imported = county_totals(
        regions, tables["products"], [("秭归县", "宜昌市", "2025", "综合产值", "15")]
    ).assign(is_demo=True)
    figures = figures_of(pd.concat([tables["outputs"], imported]), tables["products"], regions)
    row = figures[figures["metric"] == "综合产值"]
    assert len(row) == 1 and bool(row["is_demo"].iloc[0])
    assert ov.metrics_of(figures)[0] == DEMO_METRIC and "综合产值" in ov.metrics_of(figures)


# ------------------------------------------------------------ sums, brand values


def test_prefecture_totals_sum_one_metric_and_never_brand_values(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    rows = county_totals(
        regions,
        products,
        [
            ("秭归县", "宜昌市", "2023", DEMO_METRIC, "15"),
            ("宜都市", "宜昌市", "2023", DEMO_METRIC, "超9"),
            ("宜都市", "宜昌市", "2023", "品牌价值(非产值)", "500"),
            ("宜都市", "宜昌市", "2023", "综合产值", "40"),
        ],
    )
    figures = figures_of(pd.concat([tables["outputs"], rows]), products, regions)
    assert not figures["metric"].map(ov.is_brand_value).any()
    total = ov.output_values(figures, DEMO_METRIC, 2023, ov.LEVEL_PREFECTURE, regions)
    row = total.table.loc[YICHANG]
    assert row["value"] == 24.0 and bool(row["approximate"])
    assert row["scope"].startswith("2/") and row["detail"] == "部分县无数字，合计偏小"
    assert "品牌价值不相加" in total.rule
    other = ov.output_values(figures, "综合产值", 2023, ov.LEVEL_PREFECTURE, regions)
    assert other.table.loc[YICHANG, "value"] == 40.0


def test_year_change_never_compares_demo_with_real(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    rows = county_totals(
        regions,
        products,
        [
            ("秭归县", "宜昌市", "2023", DEMO_METRIC, "15"),
            ("秭归县", "宜昌市", "2024", DEMO_METRIC, "18"),
        ],
    )
    figures = figures_of(pd.concat([tables["outputs"], rows]), products, regions)
    real = ov.year_change(figures, DEMO_METRIC, 2024, ov.LEVEL_COUNTY, regions)
    assert list(real["名称"]) == ["秭归县"] and real["变化（亿元）"].iloc[0] == 3.0
    # 2023 is real, 2022 demonstration: no change is computed across them.
    assert ov.year_change(figures, DEMO_METRIC, 2023, ov.LEVEL_COUNTY, regions).empty
    demo_only = ov.year_change(figures, DEMO_METRIC, 2022, ov.LEVEL_COUNTY, regions)
    assert len(demo_only) and (demo_only["示例数据"] == ov.DEMO_LABEL).all()


# ------------------------------------------------------------------------ counts


def test_product_counts_follow_the_county_rule(products: pd.DataFrame, regions: Regions) -> None:
    county = ov.count_values(products, regions, ov.ALL_YEARS, ov.LEVEL_COUNTY)
    own = county_product_counts(products)
    assert county.table["value"].sum() == own.sum()
    for code in WUDANG_SCOPE:  # 武当道茶's scope spans counties: in no county's count
        assert county.table.loc[code, "value"] == own.get(code, 0)
    prefecture = ov.count_values(products, regions, ov.ALL_YEARS, ov.LEVEL_PREFECTURE)
    assert prefecture.table["value"].sum() == products["family"].nunique()
    dated = ov.count_values(products, regions, "2010", ov.LEVEL_PREFECTURE)
    years = pd.to_numeric(products["year"])
    assert dated.table["value"].sum() == products.loc[years <= 2010, "family"].nunique()
    assert county.without_value == 0  # a county without products has 0, not 无数据


def test_density_uses_equal_area_square_kilometres(
    products: pd.DataFrame, regions: Regions
) -> None:
    areas = ov.unit_areas_km2(regions, ov.LEVEL_COUNTY)
    # Hubei is about 185,900 km²; planar degrees would give a number near 17.
    assert areas.sum() == pytest.approx(185_900, rel=0.01)
    density = ov.count_values(products, regions, ov.ALL_YEARS, ov.LEVEL_COUNTY, density=True)
    counts = ov.count_values(products, regions, ov.ALL_YEARS, ov.LEVEL_COUNTY)
    expected = counts.table["value"] / areas.reindex(counts.table.index) * 10_000
    assert density.table["value"].to_numpy() == pytest.approx(expected.to_numpy())
    assert density.unit == "个/万平方公里"


# ------------------------------------------------------------------ product series


def test_a_series_never_mixes_metrics_or_scopes(tables: dict[str, pd.DataFrame]) -> None:
    outputs = pd.concat(
        [
            tables["outputs"],
            tables["outputs"].iloc[[0]].assign(metric="销售收入", value_text="超3", value=3.0),
        ],
        ignore_index=True,
    )
    figures = ov.product_figures(outputs, "秭归脐橙")
    assert len(figures) == 4
    for _, series in figures.groupby("series"):
        assert series["metric"].nunique() == 1 and series["kind"].nunique() == 1
        assert series["scope"].nunique() == 1
    # 年产值 2016 and 2020 have different scopes: two series, no line between them.
    assert figures.loc[figures["metric"] == "年产值", "series"].nunique() == 2
    brand = figures[figures["kind"] == ov.KIND_BRAND]
    assert len(brand) == 1 and brand["series"].iloc[0] not in set(
        figures.loc[figures["kind"] == ov.KIND_OUTPUT, "series"]
    )
    assert figures.loc[figures["metric"] == "销售收入", "approximate"].all()


def test_target_progress_names_each_figures_scope(tables: dict[str, pd.DataFrame]) -> None:
    progress = ov.target_progress(tables["outputs"])
    assert progress.target == 1100.0 and progress.target_year == 2026
    assert list(progress.figures["value_text"]) == ["超1000"]
    row = progress.figures.iloc[0]
    assert bool(row["approximate"]) and row["confidence"] == "低"
    assert row["scope"] == "全省地理标志产品年产值"  # the maintainers' remark removed


@pytest.mark.parametrize(
    ("text", "approximate"),
    [("超1000", True), ("近200", True), ("突破750", True), ("10余", True), ("3以上", True),
     ("429.03", False), ("接近4", True), ("12", False)],
)  # fmt: skip
def test_approximate_figures_are_recognised(text: str, approximate: bool) -> None:
    assert ov.is_approximate(text) is approximate
