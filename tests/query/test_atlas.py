"""统计与资源图谱: counts with their rules, chain coverage, the flow and its explorer links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from landmarks.data.model import GI_TYPE_UNKNOWN
from landmarks.data.regions import Regions
from landmarks.query import atlas, filters
from landmarks.query.selection import selection_from_query
from tests.synthetic import FAMILY, PREFECTURE_ONLY, WUDANG_SCOPE, YICHANG


@pytest.fixture
def products(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["products"]


def params_of(link: str) -> dict[str, list[str]]:
    parts = urlsplit(link)
    assert parts.path == atlas.EXPLORER_PATH
    return parse_qs(parts.query)


def test_counts_by_chain_and_category_count_a_family_once(products: pd.DataFrame) -> None:
    chains = atlas.by_chain(products)
    categories = atlas.by_category(products)
    families = products["family"].nunique()
    assert chains["产品数"].sum() == families == categories["产品数"].sum()
    assert len(products) > families  # 恩施玉露 has two rows
    tea = chains.set_index("产业链").loc["茶叶"]
    assert tea["产品数"] == products.loc[products["chain"] == "茶叶", "family"].nunique()


def test_gi_types_keep_unknown_as_its_own_row(products: pd.DataFrame) -> None:
    types = atlas.by_gi_type(products).set_index("地理标志类型")["登记名称数"]
    assert types[GI_TYPE_UNKNOWN] == int((products["gi_type"] == GI_TYPE_UNKNOWN).sum()) > 0
    assert types.sum() == len(products)
    assert "unknown" not in types.index


def test_prefecture_counts_split_by_area(products: pd.DataFrame, regions: Regions) -> None:
    table = atlas.by_prefecture(products, regions).set_index("市州")
    assert table["产品数"].sum() == products["family"].nunique()
    yichang = table.loc["宜昌市"]
    assert yichang["全市范围产品"] == len(PREFECTURE_ONLY)
    assert yichang["产品数"] == yichang[["本县产品", "跨县产品", "全市范围产品"]].sum()
    assert table.loc["十堰市", "跨县产品"] == 1  # 武当道茶


def test_approvals_by_year_keep_undated_names(products: pd.DataFrame) -> None:
    table = atlas.approvals_by_year(products)
    assert table["登记名称数"].sum() == len(products)
    undated = table.loc[table["年份"] == "年份不详", "登记名称数"].sum()
    assert undated == int(products["year"].isna().sum()) > 0
    assert table["年份"].iloc[-1] == "年份不详"


def test_chain_coverage_lists_all_ten_chains(
    products: pd.DataFrame, tables: dict[str, pd.DataFrame]
) -> None:
    coverage = atlas.chain_coverage(products, tables["zones"]).set_index("产业链")
    assert len(coverage) == 10 and "非十大链" not in coverage.index
    tea = coverage.loc["茶叶"]
    assert tea["覆盖县市区（含跨县、全市范围）"] >= len(WUDANG_SCOPE)
    assert (coverage.loc[coverage["产品数"] == 0, "状态"] == "暂无产品").all()
    assert coverage.loc["柑橘", "有示范区的产品"] == 1  # 秭归脐橙


def test_the_flow_links_chain_products_and_places(products: pd.DataFrame, regions: Regions) -> None:
    flow = atlas.chain_flow(products, regions, "茶叶")
    nodes = flow.nodes.set_index("id")
    edges = set(zip(flow.edges["source"], flow.edges["target"], strict=True))
    assert ("p:武当道茶", "c:茶叶") not in edges
    assert {target for source, target in edges if source == "p:武当道茶"} == {
        f"k:{code}" for code in WUDANG_SCOPE
    }
    assert ("c:茶叶", f"p:{FAMILY}") in edges
    assert len([n for n in nodes.index if n == f"p:{FAMILY}"]) == 1  # a family once
    assert set(nodes["column"]) == {0, 1, 2}
    # Each link opens the explorer on what the node names.
    chain_filter, notices = filters.filter_from_query(
        params_of(nodes.loc["c:茶叶", "link"]), regions
    )
    assert chain_filter.chains == ("茶叶",) and not notices
    county = next(iter(WUDANG_SCOPE))
    chosen, _ = selection_from_query(params_of(nodes.loc[f"k:{county}", "link"]), products, regions)
    assert chosen.county == county
    product, _ = selection_from_query(params_of(nodes.loc["p:武当道茶", "link"]), products, regions)
    assert product.product == "武当道茶"


def test_a_prefecture_wide_product_flows_to_its_prefecture(
    products: pd.DataFrame, regions: Regions
) -> None:
    chain = products.set_index("name").loc[PREFECTURE_ONLY[0], "chain"]
    flow = atlas.chain_flow(products, regions, chain)
    targets = set(flow.edges.loc[flow.edges["source"] == f"p:{PREFECTURE_ONLY[0]}", "target"])
    assert targets == {f"w:{YICHANG}"}
    node = flow.nodes.set_index("id").loc[f"w:{YICHANG}"]
    assert node["label"] == "宜昌市（全市范围）"
    parsed, _ = filters.filter_from_query(params_of(node["link"]), regions)
    assert parsed.prefectures == (YICHANG,)
