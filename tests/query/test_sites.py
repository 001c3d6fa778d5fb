"""地标+文旅 sites: place precision, card, filters, targets and export."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

import pandas as pd
import pytest

from landmarks.data.model import SITE_TARGETS, SITE_TYPES
from landmarks.data.regions import Regions
from landmarks.query import sites
from landmarks.query.labels import is_remark
from tests import synthetic


@pytest.fixture
def data(regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.zones_sites_frames(regions)


@pytest.fixture
def site_table(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return data["sites"]


def card(data: dict[str, pd.DataFrame], name: str) -> sites.SiteCard:
    return sites.site_card(
        name, sites=data["sites"], products=data["products"], sources=data["sources"]
    )


# Precision ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "code", "county", "expected"),
    [
        ("", "point", "422801", sites.PRECISION_POINT),
        ("万寨乡伍家台村", "county", "422825", sites.PRECISION_VILLAGE),
        ("麻柳溪村委会", "county", "422826", sites.PRECISION_VILLAGE),
        ("卧龙镇", "county", "420607", sites.PRECISION_TOWN),
        ("水果湖街道", "county", "420106", sites.PRECISION_TOWN),
        ("小村乡", "county", "422826", sites.PRECISION_TOWN),  # 村 inside a township's name
        ("黄金洞乡、高乐山镇", "county", "422826", sites.PRECISION_TOWN),
        ("伍家台村、桂花镇", "county", "422825", sites.PRECISION_TOWN),  # the coarser of two
        ("桂花镇、羊楼洞", "county", "421202", sites.PRECISION_COUNTY),
        ("羊楼洞", "county", "421281", sites.PRECISION_COUNTY),
        ("水果湖步行街", "county", "420106", sites.PRECISION_COUNTY),
        ("", "county", "421126", sites.PRECISION_COUNTY),
        ("", "prefecture", "", sites.PRECISION_PREFECTURE),
        ("某某村", "prefecture", "", sites.PRECISION_PREFECTURE),
    ],
)
def test_place_precision_is_derived_from_the_data(
    place: str, code: str, county: str, expected: str
) -> None:
    assert sites.site_precision(place, code, county) == expected


def test_site_rows_say_where_each_site_is_and_how_precisely(site_table: pd.DataFrame) -> None:
    rows = sites.site_rows(site_table).set_index("name")
    assert list(rows.columns) == list(sites.SITE_ROW_COLUMNS[1:])
    assert rows.loc["伍家台茶园", "place"] == "宣恩县 万寨乡伍家台村"
    assert rows.loc["伍家台茶园", "place_precision"] == sites.PRECISION_VILLAGE
    assert rows.loc["伍家台茶园", "products"] == ("恩施玉露", synthetic.NOT_REGISTERED)
    assert rows.loc["恩施玉露品鉴馆", "place_precision"] == sites.PRECISION_POINT
    assert rows.loc["恩施玉露品鉴馆", "marker_note"] == "精确位置"
    assert (rows.loc["恩施玉露品鉴馆", "lon"], rows.loc["恩施玉露品鉴馆", "lat"]) == (109.48, 30.28)
    assert rows.loc["武汉地标研学基地", "place"] == "武汉市"
    assert rows.loc["武汉地标研学基地", "place_precision"] == sites.PRECISION_PREFECTURE
    assert rows.loc["武汉地标研学基地", "marker_note"] == "示意位置"
    assert rows.loc["房县香菇小镇", "place_precision"] == sites.PRECISION_TOWN
    assert rows.loc["潜江龙虾样板区", "place_precision"] == sites.PRECISION_TOWN
    assert rows.loc["伍家台茶园", "status"] == "已开放(4A级)"


# The card -----------------------------------------------------------------------------


def test_site_card_lists_type_place_precision_products_status_and_sources(
    data: dict[str, pd.DataFrame],
) -> None:
    shown = card(data, "伍家台茶园")
    assert (shown.site_type, shown.county, shown.county_adcode) == (
        "主题景区",
        "宣恩县",
        synthetic.XUANEN,
    )
    assert shown.place == "宣恩县 万寨乡伍家台村"
    assert shown.place_precision == sites.PRECISION_VILLAGE
    assert shown.precision_text == "位置精确到村（万寨乡伍家台村）；地图标记为宣恩县内的示意位置"
    assert shown.products == ("恩施玉露",)
    assert shown.other_products == (synthetic.NOT_REGISTERED,)
    assert shown.status == "已开放(4A级)"
    assert shown.note == "免费开放"
    assert shown.confidence_label == "高"
    # S1 (media) and S9 (aggregator) have links; S3 is a repost and is never shown.
    assert [link.url for link in shown.sources] == [
        "http://m-longshang.cjyun.org/p/1.html",
        "http://example.org/aggregator",
    ]
    assert [link.label for link in shown.sources] == [
        "来源1 · 长江云（媒体报道）",
        "来源2 · example.org（汇编网站）",
    ]
    assert "S1 S9 S3" in shown.maintainer_note


def test_site_card_texts_for_users_hold_no_remarks_or_source_ids(
    data: dict[str, pd.DataFrame],
) -> None:
    for name in data["sites"]["name"]:
        shown = card(data, name)
        for text in (shown.place, shown.precision_text, shown.status, shown.note):
            assert not is_remark(text), (name, text)
        # Labels name the site (a host name may be Latin), never a source id.
        assert all(not re.search(r"\bS\d+\b", link.label) for link in shown.sources)


def test_site_card_of_an_exact_place_and_of_a_prefecture_only_place(
    data: dict[str, pd.DataFrame],
) -> None:
    exact = card(data, "恩施玉露品鉴馆")
    assert exact.place_precision == sites.PRECISION_POINT
    assert (exact.lon, exact.lat) == (109.48, 30.28)
    assert "经纬度" in exact.precision_text
    wuhan = card(data, "武汉地标研学基地")
    assert (wuhan.county, wuhan.place_precision) == ("", sites.PRECISION_PREFECTURE)
    assert wuhan.precision_text.startswith("来源只写到市州（武汉市）")
    assert wuhan.note == "" and wuhan.sources == ()
    assert wuhan.maintainer_note == "county not reported"


def test_unknown_site_has_no_card(data: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(KeyError):
        card(data, "不存在的站点")


# Targets ------------------------------------------------------------------------------


def test_targets_by_kind_count_each_kind_against_its_target(site_table: pd.DataFrame) -> None:
    targets = sites.targets_by_kind(site_table).set_index("site_type")
    assert list(targets.index) == list(SITE_TYPES)
    for kind in SITE_TYPES:
        recorded = int((site_table["site_type"] == kind).sum())
        assert targets.loc[kind, "recorded"] == recorded
        assert targets.loc[kind, "target"] == SITE_TARGETS[kind]
        assert targets.loc[kind, "share"] == pytest.approx(recorded / SITE_TARGETS[kind])
        assert targets.loc[kind, "remaining"] == SITE_TARGETS[kind] - recorded
    assert targets.loc["主题景区", "recorded"] == 3
    assert targets.loc["省级地标+文旅样板", "recorded"] == 1
    assert targets.loc["休闲驿站", "recorded"] == 0
    assert "只统计已录入的站点" in sites.TARGET_CAVEAT


def test_remaining_never_goes_below_zero(site_table: pd.DataFrame) -> None:
    many = pd.concat([site_table.iloc[[5]]] * 12, ignore_index=True)  # 12 样板, target 10
    targets = sites.targets_by_kind(many).set_index("site_type")
    assert targets.loc["省级地标+文旅样板", "recorded"] == 12
    assert targets.loc["省级地标+文旅样板", "remaining"] == 0


def test_targets_by_prefecture_count_each_prefecture_and_kind(
    site_table: pd.DataFrame, regions: Regions
) -> None:
    by_prefecture = sites.targets_by_prefecture(site_table)
    assert by_prefecture["recorded"].sum() == len(site_table)
    for row in by_prefecture.itertuples():
        expected = (
            (site_table["prefecture_adcode"] == row.prefecture_adcode)
            & (site_table["site_type"] == row.site_type)
        ).sum()
        assert row.recorded == expected
        assert row.target == SITE_TARGETS[row.site_type]
    assert set(by_prefecture["prefecture_adcode"]) == set(site_table["prefecture_adcode"])
    enshi = by_prefecture.set_index(["prefecture", "site_type"])["recorded"]
    assert enshi[("恩施土家族苗族自治州", "主题景区")] == 1
    assert enshi[("恩施土家族苗族自治州", "文创美食品鉴馆")] == 1
    full = sites.targets_by_prefecture(site_table, regions)
    assert len(full) == len(regions.prefecture_list) * len(SITE_TYPES)
    assert full["recorded"].sum() == len(site_table)


# Filters ------------------------------------------------------------------------------


def names(frame: pd.DataFrame) -> list[str]:
    return list(frame["name"])


def test_filters_narrow_by_type_prefecture_county_and_product(site_table: pd.DataFrame) -> None:
    apply = sites.apply_site_filter
    assert names(apply(site_table, sites.SiteFilter())) == names(site_table)
    assert names(apply(site_table, sites.SiteFilter(site_types=("主题景区",)))) == [
        "秭归脐橙文化园",
        "伍家台茶园",
        "房县香菇小镇",
    ]
    enshi = sites.SiteFilter(prefectures=("422800",))
    assert names(apply(site_table, enshi)) == ["伍家台茶园", "恩施玉露品鉴馆"]
    assert names(apply(site_table, sites.SiteFilter(counties=(synthetic.ENSHI_CITY,)))) == [
        "恩施玉露品鉴馆"
    ]
    # A product matches whole names only: 恩施玉露 is not 恩施玉露茶.
    assert names(apply(site_table, sites.SiteFilter(products=("恩施玉露",)))) == [
        "伍家台茶园",
        "恩施玉露品鉴馆",
    ]
    assert names(apply(site_table, sites.SiteFilter(products=("恩施玉露茶",)))) == []
    assert names(apply(site_table, sites.SiteFilter(products=("武当道茶",)))) == ["房县香菇小镇"]
    both = sites.SiteFilter(site_types=("主题景区",), products=("恩施玉露",))
    assert names(apply(site_table, both)) == ["伍家台茶园"]
    # A prefecture-only site belongs to no county.
    wuhan = sites.SiteFilter(prefectures=(synthetic.WUHAN,))
    assert names(apply(site_table, wuhan)) == ["武汉地标研学基地"]
    assert names(apply(site_table, sites.SiteFilter(counties=("420111",)))) == []


def test_site_filter_survives_a_link(regions: Regions) -> None:
    chosen = sites.SiteFilter(
        site_types=("主题景区", "研学基地"),
        prefectures=("422800",),
        counties=(synthetic.XUANEN,),
        products=("恩施玉露",),
    )
    query = urlencode(sites.site_filter_to_query(chosen))
    params = {key: values[-1] for key, values in parse_qs(query).items()}
    parsed, notices = sites.site_filter_from_query(params, regions)
    assert (parsed, notices) == (chosen, [])
    assert chosen.active_count == 4
    assert sites.site_filter_to_query(sites.SiteFilter()) == {}


def test_link_values_are_read_as_users_write_them_and_bad_ones_explained(
    regions: Regions,
) -> None:
    params = {
        "site_type": "主题特色景点,商品销售平台,农家乐",
        "site_prefecture": "恩施州",
        "site_county": "宣恩,秭归县",
        "tab": "x",
    }
    parsed, notices = sites.site_filter_from_query(params, regions, other_keys={"tab"})
    assert parsed.site_types == ("主题景区", "销售平台")
    assert parsed.prefectures == ("422800",)
    assert parsed.counties == (synthetic.XUANEN,)
    assert len(notices) == 2
    assert notices[0].startswith("链接参数 site_type=农家乐 无效，已忽略：不是已知的站点类型")
    assert "不属于所选市州（属于宜昌市）" in notices[1]
    _, unknown = sites.site_filter_from_query({"foo": "1"}, regions)
    assert unknown == ["未识别的链接参数“foo”，已忽略"]


def test_product_options_are_the_products_sites_name(
    site_table: pd.DataFrame, regions: Regions
) -> None:
    options = {o.value: o.count for o in sites.SITE_PRODUCT.options(site_table, regions)}
    assert options["恩施玉露"] == 2
    assert options[synthetic.NOT_REGISTERED] == 1
    assert "恩施玉露茶" not in options
    kept = sites.SITE_PRODUCT.options(site_table, regions, chosen=("未出现的产品",))
    assert kept[-1].value == "未出现的产品" and kept[-1].count == 0
    types = {o.value: o.count for o in sites.SITE_TYPE.options(site_table, regions)}
    assert types == {"省级地标+文旅样板": 1, "主题景区": 3, "文创美食品鉴馆": 1, "研学基地": 1}


# Export -------------------------------------------------------------------------------


def test_site_export_is_what_users_read(data: dict[str, pd.DataFrame]) -> None:
    exported = sites.site_export(data["sites"], data["sources"])
    assert list(exported.columns) == list(sites.EXPORT_HEADERS.values())
    assert len(exported) == len(data["sites"])
    row = exported.set_index("站点名称").loc["伍家台茶园"]
    assert row["关联地理标志产品"] == f"恩施玉露、{synthetic.NOT_REGISTERED}"
    assert row["位置精度"] == sites.PRECISION_VILLAGE
    assert (
        row["来源链接"] == "http://m-longshang.cjyun.org/p/1.html | http://example.org/aggregator"
    )
    texts = exported.drop(columns="来源链接")
    assert not texts.map(lambda v: isinstance(v, str) and is_remark(v)).any().any()


def test_site_type_counts_keep_every_kind(site_table: pd.DataFrame) -> None:
    counts = sites.site_type_counts(site_table)
    assert list(counts) == list(SITE_TYPES)
    assert sum(counts.values()) == len(site_table)
