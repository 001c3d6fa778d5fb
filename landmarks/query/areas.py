"""Where a product is: its protection area, and how precisely the source gives it.

Each product row carries ``area_level`` and ``area_adcodes`` (landmarks.data.model): one
county (``county``), a protection scope of several named counties (``counties``), or a
whole prefecture when the source names nothing finer (``prefecture``; ``area_adcodes``
then lists every county of it).  A county "has" a product in one of three ways, kept apart
wherever products are listed or counted for a county:

- 本县: the product's area is this county alone;
- 跨县: the county is one of a multi-county protection scope;
- 全市范围: the source names only the prefecture.  Such a product is never counted as a
  GI of any county, least of all of the prefecture's seat district.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from landmarks import i18n
from landmarks.data.model import AREA_COUNTIES, AREA_COUNTY, AREA_PREFECTURE, AREA_SEPARATOR
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t

GROUP_OWN = N_("本县")
GROUP_SHARED = N_("跨县")
GROUP_PREFECTURE = N_("全市范围")
AREA_GROUPS: tuple[str, ...] = (GROUP_OWN, GROUP_SHARED, GROUP_PREFECTURE)
_GROUP_OF_LEVEL = {
    AREA_COUNTY: GROUP_OWN,
    AREA_COUNTIES: GROUP_SHARED,
    AREA_PREFECTURE: GROUP_PREFECTURE,
}
AREA_GROUP_COLUMN = "area_group"

# The rule behind every per-county count, said wherever such a count is shown.
PREFECTURE_RULE = N_("全市范围指来源只注明到市州的产品，不计为本县产品")
COUNTY_COUNT_RULE = N_("按本县产品计：只计保护范围为单个县的产品，跨县和全市范围的产品不计入")
# Listed counties of a multi-county area shown before the rest are elided.
MAX_LISTED_COUNTIES = 6


def area_label(level: str, n_counties: int) -> str:
    """How precisely the source places a product: 本县 / 跨 N 个县 / 全市范围."""
    if level == AREA_COUNTIES:
        return t("跨 {count} 个县", count=n_counties)
    if level == AREA_PREFECTURE:
        return GROUP_PREFECTURE
    return GROUP_OWN


def area_codes(area_adcodes: str) -> list[str]:
    """The county adcodes of a product's ``area_adcodes`` value, in stored order."""
    return [code for code in str(area_adcodes or "").split(AREA_SEPARATOR) if code]


def area_labels(products: pd.DataFrame) -> pd.Series:
    """``area_label`` of every product row."""
    return pd.Series(
        [
            area_label(str(level), len(area_codes(codes)))
            for level, codes in zip(
                products["area_level"].tolist(), products["area_adcodes"].tolist(), strict=True
            )
        ],
        index=products.index,
        dtype=object,
    )


def area_text(
    level: str,
    area_adcodes: str,
    county: str,
    prefecture: str,
    county_names: Mapping[str, str],
) -> str:
    """The place as users read it: the county; 跨 N 个县：A、B、C…; or 全市范围（X市）."""
    if level == AREA_PREFECTURE:
        return t("全市范围（{prefecture}）", prefecture=i18n.name(prefecture))
    codes = area_codes(area_adcodes)
    if level == AREA_COUNTIES:
        names = [county_names.get(code, code) for code in codes]
        listed = i18n.names(names[:MAX_LISTED_COUNTIES])
        if len(names) > MAX_LISTED_COUNTIES:
            return t("跨 {count} 个县：{counties}等", count=len(codes), counties=listed)
        return t("跨 {count} 个县：{counties}", count=len(codes), counties=listed)
    return i18n.name(county) if county else i18n.names([county_names.get(c, c) for c in codes])


def area_texts(products: pd.DataFrame, county_names: Mapping[str, str]) -> pd.Series:
    """``area_text`` of every product row."""
    return pd.Series(
        [
            area_text(str(level), str(codes), str(county), str(prefecture), county_names)
            for level, codes, county, prefecture in zip(
                products["area_level"].tolist(),
                products["area_adcodes"].tolist(),
                products["county"].tolist(),
                products["prefecture"].tolist(),
                strict=True,
            )
        ],
        index=products.index,
        dtype=object,
    )


def county_names(regions: Regions) -> dict[str, str]:
    """County adcode → its name, for area texts."""
    return {county.adcode: county.name for county in regions.county_list}


def covers(products: pd.DataFrame, adcodes: Collection[str]) -> pd.Series:
    """Which products' areas cover any of the counties ``adcodes``."""
    wanted = set(adcodes)
    return pd.Series(
        [not wanted.isdisjoint(area_codes(codes)) for codes in products["area_adcodes"].tolist()],
        index=products.index,
        dtype=bool,
    )


def area_groups(products: pd.DataFrame) -> pd.Series:
    """本县 / 跨县 / 全市范围 of every product row (by its area level)."""
    return products["area_level"].map(_GROUP_OF_LEVEL).fillna(GROUP_OWN)


def products_covering(products: pd.DataFrame, adcode: str) -> pd.DataFrame:
    """The products whose area covers the county, with their ``area_group`` (本县 / 跨县 /
    全市范围), 本县 first, each group in the products' order.

    A county-level product belongs to the county named as its area and to no other, so a
    product the source places only in a prefecture is never in its seat district's 本县.
    """
    covering = products[covers(products, [adcode])]
    groups = pd.Categorical(area_groups(covering), categories=list(AREA_GROUPS), ordered=True)
    result = covering.assign(**{AREA_GROUP_COLUMN: groups})
    return result.sort_values(AREA_GROUP_COLUMN, kind="stable")


def group_counts(covering: pd.DataFrame, unit: str = "name") -> dict[str, int]:
    """How many distinct ``unit`` values (product names, or families) each group holds,
    in group order with zeros kept; a value is counted in its most precise group only."""
    counted: set[str] = set()
    counts = dict.fromkeys(AREA_GROUPS, 0)
    for group in AREA_GROUPS:
        values = set(covering.loc[covering[AREA_GROUP_COLUMN] == group, unit]) - counted
        counts[group] = len(values)
        counted |= values
    return counts


def group_counts_text(counts: Mapping[str, int]) -> str:
    """'本县 3 项 · 跨县 1 项 · 全市范围 5 项（全市范围指…）'."""
    parts = " · ".join(
        t("{group} {count} 项", group=t(group), count=counts.get(group, 0)) for group in AREA_GROUPS
    )
    return t("{counts}（{rule}）", counts=parts, rule=t(PREFECTURE_RULE))
