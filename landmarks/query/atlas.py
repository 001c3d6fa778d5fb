"""统计与资源图谱: the product counts as tables, chain coverage, and the chain → product →
county flow, each entry with a link that opens the explorer on it.

Products are counted as users count them: a family of registrations (一品多标) once
(``stats.PRODUCT_RULE``), except by GI type and by approval year, which count registered
names (``stats.GI_TYPE_RULE``).  A product's place is its area (``landmarks.query.areas``):
one county, several named counties, or the whole prefecture, which the flow shows as a
prefecture node rather than spreading the product over every county.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landmarks import i18n
from landmarks.data.chains import CHAINS, NON_CHAIN, chain_names
from landmarks.data.model import AREA_COUNTY, AREA_PREFECTURE, CATEGORIES
from landmarks.data.regions import Regions
from landmarks.i18n import t
from landmarks.query import stats
from landmarks.query.areas import area_codes
from landmarks.query.families import type_label
from landmarks.query.filters import ProductFilter, filter_to_query, zone_products
from landmarks.query.labels import UNKNOWN_YEAR
from landmarks.query.selection import COUNTY_KEY, PRODUCT_KEY
from landmarks.query.urlparams import share_url

EXPLORER_PATH = "explorer"
TEN_CHAINS: tuple[str, ...] = tuple(chain.name for chain in CHAINS if chain.name != NON_CHAIN)


def explorer_link(
    product_filter: ProductFilter | None = None, *, product: str = "", county: str = ""
) -> str:
    """A relative link that opens the explorer filtered, or on a product or county."""
    params = filter_to_query(product_filter or ProductFilter())
    if product:
        params[PRODUCT_KEY] = product
    if county:
        params[COUNTY_KEY] = county
    return share_url(EXPLORER_PATH, params)


def _counts(series: pd.Series, label: str, unit: str) -> pd.DataFrame:
    return series.rename_axis(label).reset_index(name=unit)


def by_chain(products: pd.DataFrame) -> pd.DataFrame:
    table = _counts(stats.products_by_chain(products), t("产业链"), t("产品数"))
    table[t("打开品牌地图")] = [
        explorer_link(ProductFilter(chains=(chain,))) for chain in table[t("产业链")]
    ]
    return table


def by_category(products: pd.DataFrame) -> pd.DataFrame:
    counts = stats.count_by(stats.one_per_family(products), "category", CATEGORIES)
    table = _counts(counts, t("品类"), t("产品数"))
    table[t("打开品牌地图")] = [
        explorer_link(ProductFilter(categories=(category,))) for category in table[t("品类")]
    ]
    return table


def by_gi_type(products: pd.DataFrame) -> pd.DataFrame:
    """Registered names per primary type; 类型待核实 a row of its own."""
    return _counts(stats.products_by_gi_type(products), t("地理标志类型"), t("登记名称数"))


def by_prefecture(products: pd.DataFrame, regions: Regions) -> pd.DataFrame:
    """Products (families) per prefecture, split by how far their areas reach."""
    families = stats.one_per_family(products)
    rows = []
    for prefecture in regions.prefecture_list:
        here = families[families["prefecture_adcode"] == prefecture.adcode]
        own = int((here["area_level"] == AREA_COUNTY).sum())
        wide = int((here["area_level"] == AREA_PREFECTURE).sum())
        rows.append(
            {
                t("市州"): i18n.name(prefecture.name),
                t("产品数"): len(here),
                t("本县产品"): own,
                t("跨县产品"): len(here) - own - wide,
                t("全市范围产品"): wide,
                t("打开品牌地图"): explorer_link(ProductFilter(prefectures=(prefecture.adcode,))),
            }
        )
    return pd.DataFrame(rows).sort_values(t("产品数"), ascending=False, kind="stable")


def approvals_by_year(products: pd.DataFrame) -> pd.DataFrame:
    """Registered names per approval year and type; undated ones as 年份不详."""
    years = pd.to_numeric(products["year"], errors="coerce")
    unknown = t(UNKNOWN_YEAR)
    labels = years.map(lambda y: unknown if pd.isna(y) else str(int(y)))
    year, gi_type = t("年份"), t("地理标志类型")
    table = (
        pd.DataFrame({year: labels, gi_type: products["gi_type"].map(type_label)})
        .groupby([year, gi_type])
        .size()
        .reset_index(name=t("登记名称数"))
    )
    return table.sort_values(year, key=lambda s: s.replace(unknown, "9999")).reset_index(drop=True)


def chain_coverage(products: pd.DataFrame, zones: pd.DataFrame) -> pd.DataFrame:
    """How each of the ten chains is covered: products, prefectures, counties, zones."""
    families = stats.one_per_family(products)
    with_zone = zone_products(zones)
    rows = []
    for chain in TEN_CHAINS:
        here = families[families["chain"] == chain]
        members = products[products["chain"] == chain]
        counties = {code for codes in members["area_adcodes"] for code in area_codes(codes)}
        rows.append(
            {
                t("产业链"): chain,
                t("产品数"): len(here),
                t("覆盖市州"): int(members["prefecture_adcode"].nunique()),
                t("覆盖县市区（含跨县、全市范围）"): len(counties),
                t("有示范区的产品"): int(here["name"].isin(with_zone).sum()),
                t("状态"): t("已覆盖") if len(here) else t("暂无产品"),
                t("打开品牌地图"): explorer_link(ProductFilter(chains=(chain,))),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------- the flow


@dataclass(frozen=True)
class Flow:
    """Nodes (column 0 chain, 1 product, 2 place) and edges of one chain's flow."""

    nodes: pd.DataFrame  # id, label, column, row, link
    edges: pd.DataFrame  # source, target (node ids)


def chain_flow(products: pd.DataFrame, regions: Regions, chain: str) -> Flow:
    """chain → product (family) → county, or → 全市范围 of the prefecture."""
    families = stats.one_per_family(products[products["chain"] == chain])
    families = families.sort_values(["prefecture_adcode", "county_adcode", "family"])
    names = {county.adcode: county.name for county in regions.county_list}
    nodes: dict[str, dict[str, object]] = {
        f"c:{chain}": {
            "label": t(chain),
            "column": 0,
            "link": explorer_link(ProductFilter(chains=(chain,))),
        }
    }
    edges = []
    for row in families.itertuples():
        product_id = f"p:{row.family}"
        nodes[product_id] = {
            "label": i18n.name(str(row.family)),
            "column": 1,
            "link": explorer_link(product=str(row.name)),
        }
        edges.append((f"c:{chain}", product_id))
        if row.area_level == AREA_PREFECTURE:
            place_id = f"w:{row.prefecture_adcode}"
            nodes.setdefault(
                place_id,
                {
                    "label": t(
                        "{prefecture}（全市范围）", prefecture=i18n.name(str(row.prefecture))
                    ),
                    "column": 2,
                    "link": explorer_link(ProductFilter(prefectures=(str(row.prefecture_adcode),))),
                },
            )
            edges.append((product_id, place_id))
            continue
        for code in area_codes(str(row.area_adcodes)):
            place_id = f"k:{code}"
            nodes.setdefault(
                place_id,
                {
                    "label": i18n.name(names.get(code, code)),
                    "column": 2,
                    "link": explorer_link(county=code),
                },
            )
            edges.append((product_id, place_id))
    frame = pd.DataFrame([{"id": key, **value} for key, value in nodes.items()])
    frame["row"] = frame.groupby("column").cumcount()
    # Each column spread over the same height, so the chain sits in the middle.
    sizes = frame.groupby("column")["row"].transform("max").clip(lower=1)
    tallest = int(frame["row"].max()) if len(frame) else 0
    frame["y"] = (frame["row"] / sizes * tallest).where(sizes > 0, 0.0)
    frame.loc[frame["column"] == 0, "y"] = tallest / 2
    return Flow(frame, pd.DataFrame(edges, columns=["source", "target"]))


def chains_in_order(products: pd.DataFrame) -> list[str]:
    """Chains with products, in the chains' order."""
    present = set(products["chain"])
    return [name for name in chain_names() if name in present]
