"""One-page briefs (简报) of a prefecture or an industry chain, as plain data.

A brief is what a presenter hands a visitor: the map of the subject's products, the list
of its GI brands (one line per product, a family of registrations once), its
demonstration zones, its 地标+文旅 sites and the published figures of its products, each
with its scope, and headline counts that state their rule.  Its products are those the
explorer shows for the same filter (``ProductFilter(prefectures=…)`` or
``ProductFilter(chains=…)``), so the brief's link opens the same list.

Rendering is ``landmarks.maps.brief``; nothing here draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from landmarks import i18n
from landmarks.data.chains import chain_names
from landmarks.data.model import AREA_COUNTY
from landmarks.data.region import Region, has_chain_vocabulary
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.query import stats
from landmarks.query.areas import COUNTY_COUNT_RULE, area_texts, county_names
from landmarks.query.families import family_rows, type_label
from landmarks.query.filters import ProductFilter, apply_filter
from landmarks.query.labels import confidence_label, without_remarks, year_text
from landmarks.query.output_values import UNIT_YI_YUAN, figure_kind, is_approximate

PREFECTURE, CHAIN = "prefecture", "chain"
KINDS: dict[str, str] = {PREFECTURE: N_("按市州"), CHAIN: N_("按产业链")}
PRODUCT_COLUMNS = (N_("产品"), N_("类型"), N_("所在地"), N_("最早获批"))
ZONE_COLUMNS = (N_("示范区"), N_("所在地"), N_("状态"))
SITE_COLUMNS = (N_("站点"), N_("类型"), N_("地点"), N_("关联产品"))
FIGURE_COLUMNS = (N_("产品"), N_("年份"), N_("指标"), N_("数值"), N_("口径"))


@dataclass(frozen=True)
class Brief:
    """Everything a one-page brief shows."""

    kind: str  # PREFECTURE or CHAIN
    key: str  # prefecture adcode or chain name
    title: str
    product_filter: ProductFilter
    products: pd.DataFrame  # the product rows (every registered name) on the map
    product_list: pd.DataFrame  # PRODUCT_COLUMNS, one row per product (family)
    zones: pd.DataFrame  # ZONE_COLUMNS
    sites: pd.DataFrame  # rows of the sites table (on the map)
    site_list: pd.DataFrame  # SITE_COLUMNS
    figures: pd.DataFrame  # FIGURE_COLUMNS
    headline: tuple[tuple[str, str], ...]  # (label, value) pairs
    rules: tuple[str, ...]  # how the headline counts count
    places: tuple[str, ...]  # adcodes the map frames (empty: the products)


def subjects(products: pd.DataFrame, regions: Regions, kind: str) -> dict[str, str]:
    """The subjects a brief can be made for (key → label), those with products first
    in their usual order: prefectures by adcode, chains in the chains' order."""
    if kind == PREFECTURE:
        held = set(products["prefecture_adcode"])
        return {p.adcode: i18n.name(p.name) for p in regions.prefecture_list if p.adcode in held}
    if kind == CHAIN:
        held = set(products["chain"])
        return {name: t(name) for name in chain_names(regions.region) if name in held}
    raise ValueError(f"unknown brief kind {kind!r}")


def brief_title(kind: str, label: str, region: Region | None = None) -> str:
    """'宜昌市地理标志品牌简报', '茶叶产业链地理标志品牌简报'; where the region groups by
    category (no chains), '粮油地理标志品牌简报'."""
    chained = has_chain_vocabulary(region)
    if kind == CHAIN and chained and not label.endswith("链"):  # not UI: the chain's name
        return t("{chain}产业链地理标志品牌简报", chain=t(label))
    if kind == CHAIN:
        return t("{chain}地理标志品牌简报", chain=t(label))
    return t("{prefecture}地理标志品牌简报", prefecture=i18n.name(label))


def _linked_to(sites: pd.DataFrame, names: set[str]) -> pd.Series:
    listed = sites["products"].fillna("").str.split()
    return listed.map(lambda items: not names.isdisjoint(items)).astype(bool)


def _product_list(
    shown: pd.DataFrame, registrations: pd.DataFrame, regions: Regions
) -> pd.DataFrame:
    families = family_rows(shown, registrations)
    others = [
        i18n.names([name for name in str(listed).split("、") if name != family])  # not UI: data
        for family, listed in zip(families["family"], families["registered_names"], strict=True)
    ]
    names = [
        t("{product}（含{others}）", product=i18n.name(str(family)), others=other)
        if other
        else i18n.name(str(family))
        for family, other in zip(families["family"], others, strict=True)
    ]
    types = families["gi_types"].map(
        lambda text: t("、").join(t(type_label(part)) for part in str(text).split("；"))  # not UI
    )
    return pd.DataFrame(
        {
            t("产品"): names,
            t("类型"): types,
            t("所在地"): area_texts(families, county_names(regions)),
            t("最早获批"): families["year"].map(year_text),
        }
    ).reset_index(drop=True)


def _zone_list(zones: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("示范区"): zones["name"].map(i18n.name),
            t("所在地"): (zones["prefecture"] + zones["county"]).str.strip().map(i18n.name),
            t("状态"): zones["status"].map(without_remarks),
        }
    ).reset_index(drop=True)


def _site_list(sites: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("站点"): sites["name"].map(i18n.name),
            t("类型"): sites["site_type"].map(t),
            t("地点"): (
                sites["county"].map(i18n.name) + " " + sites["place"].map(without_remarks)
            ).str.strip(),
            t("关联产品"): sites["products"].fillna("").str.split().map(i18n.names),
        }
    ).reset_index(drop=True)


def _figures(outputs: pd.DataFrame, names: set[str]) -> pd.DataFrame:
    """The products' published figures (not demonstration data), newest first, each with
    its scope and its kind (产值, 品牌价值 are never mixed)."""
    rows = outputs[outputs["product"].isin(names) & ~outputs["is_demo"].astype(bool)]
    rows = rows.sort_values(["product", "year"], ascending=[True, False], na_position="last")
    metric = [
        t("{metric}（概数）", metric=m) if is_approximate(v) and "概数" not in m else m  # not UI
        for m, v in zip(rows["metric"], rows["value_text"], strict=True)
    ]
    scope = [
        t("；").join(
            part
            for part in (without_remarks(s), t("可信度{level}", level=confidence_label(c)))
            if part
        )
        for s, c in zip(rows["scope"], rows["confidence"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("产品"): rows["product"].map(i18n.name).to_numpy(),
            t("年份"): rows["year"].map(year_text).to_numpy(),
            t("指标"): metric,
            t("数值"): [f"{value} {t(UNIT_YI_YUAN)}" for value in rows["value_text"]],
            t("口径"): scope,
            t("类别"): rows["metric"].map(figure_kind).map(t).to_numpy(),
        }
    ).reset_index(drop=True)


def make_brief(
    kind: str,
    key: str,
    *,
    products: pd.DataFrame,
    zones: pd.DataFrame,
    sites: pd.DataFrame,
    outputs: pd.DataFrame,
    registrations: pd.DataFrame,
    regions: Regions,
) -> Brief:
    """The brief of a prefecture (``key`` its adcode) or a chain (``key`` its name)."""
    if kind == PREFECTURE:
        prefecture = regions.prefecture(key)
        product_filter = ProductFilter(prefectures=(prefecture.adcode,))
        title = brief_title(kind, prefecture.name)
        places: tuple[str, ...] = (prefecture.adcode,)
    elif kind == CHAIN:
        if key not in chain_names(regions.region):
            raise KeyError(key)
        product_filter = ProductFilter(chains=(key,))
        title = brief_title(kind, key, regions.region)
        places = ()
    else:
        raise ValueError(f"unknown brief kind {kind!r}")

    shown = apply_filter(products, zones, product_filter)
    names = set(shown["name"])
    if kind == PREFECTURE:
        zone_rows = zones[zones["prefecture_adcode"] == key]
        site_rows = sites[sites["prefecture_adcode"] == key]
    else:
        zone_rows = zones[zones["product"].isin(names)]
        site_rows = sites[_linked_to(sites, names)]
    own = shown[(shown["area_level"] == AREA_COUNTY) & (shown["county_adcode"] != "")]
    headline = (
        (t("地理标志产品"), t("{count} 个", count=stats.family_count(shown))),
        (t("登记名称"), t("{count} 个", count=len(shown))),
        (t("涉及县市区"), t("{count} 个", count=own["county_adcode"].nunique())),
        (t("示范区"), t("{count} 个", count=len(zone_rows))),
        (t("地标+文旅站点"), t("{count} 个", count=len(site_rows))),
    )
    rules = (
        t(stats.PRODUCT_RULE),
        t("涉及县市区{rule}", rule=t(COUNTY_COUNT_RULE)),
        t("产值等数字均为来源公布的数字，按来源的口径注明，不同口径不相加"),
    )
    return Brief(
        kind=kind,
        key=key,
        title=title,
        product_filter=product_filter,
        products=shown,
        product_list=_product_list(shown, registrations, regions),
        zones=_zone_list(zone_rows),
        sites=site_rows,
        site_list=_site_list(site_rows),
        figures=_figures(outputs, names),
        headline=headline,
        rules=rules,
        places=places,
    )
