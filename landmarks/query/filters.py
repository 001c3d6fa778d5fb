"""The explorer's product filters, declared once as a table of fields.

Each row of ``FILTER_FIELDS`` names its URL key, the session key of its widget, the
products column it tests, its Chinese label and widget kind, and knows how to read its
value from a shared link (dropping a bad value with a notice in Chinese), write it back
and narrow the products (the kinds of row: ``landmarks.query.filter_fields``).  The URL
codec (``filter_from_query`` / ``filter_to_query``), the session seeding and reset
(``landmarks.ui.explorer_state``), the sidebar (``landmarks.ui.sidebar``) and
``apply_filter`` all loop over this table, so a new filter is one new row.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from landmarks.data.chains import chain_names, grouping_label
from landmarks.data.model import (
    AREA_SEPARATOR,
    CATEGORIES,
    CONFIDENCE_LABELS,
    GI_TYPE_UNKNOWN,
    GI_TYPES,
)
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.query import urlparams
from landmarks.query.filter_fields import (
    ChoiceField,
    FilterData,
    FilterField,
    FlagField,
    Option,
    Resolver,
    SearchField,
    Vocabulary,
    YearBounds,
    YearField,
    YearRange,
    county_outside,
    county_vocabulary,
    facet_options,
    from_query,
    matching,
    prefecture_vocabulary,
    to_query,
)
from landmarks.query.search import NameIndex
from landmarks.query.urlparams import Params


@dataclass(frozen=True)
class ProductFilter:
    """What the user filters on; empty values mean 'no restriction'."""

    query: str = ""
    chains: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    gi_types: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()  # adcodes
    counties: tuple[str, ...] = ()  # adcodes
    years: YearRange | None = None
    confidences: tuple[str, ...] = ()  # high / medium / low
    zone_only: bool = False

    @property
    def active_count(self) -> int:
        """How many filters restrict the list (for the sidebar summary)."""
        return sum(field.is_active(field.value_in(self)) for field in FILTER_FIELDS)


# --- the rows' resolvers and vocabularies ------------------------------------


def _member(
    labels: Mapping[str, str], what: str, aliases: Mapping[str, str] | None = None
) -> Resolver:
    """A value of a fixed list, written as its code, its label or an old alias."""
    by_label = {label: code for code, label in labels.items()} | dict(aliases or {})

    def resolve(text: str, regions: Regions) -> str:
        for candidate in (text, text.lower()):
            if candidate in labels:
                return candidate
            if candidate in by_label:
                return by_label[candidate]
        choices = t("、").join(t(label) for label in labels.values())
        raise ValueError(t("不是已知的{what}（可选：{choices}）", what=t(what), choices=choices))

    return resolve


def _fixed(values: Mapping[str, str]) -> Vocabulary:
    return lambda regions, parent: dict(values)


def zone_products(zones: pd.DataFrame) -> set[str]:
    """Names of the GI products that have a demonstration zone (any level)."""
    return {name for name in zones["product"] if name}


def _has_zone(products: pd.DataFrame, data: FilterData) -> pd.Series:
    return products["name"].isin(zone_products(data.zones))


def _names(values: Collection[str]) -> dict[str, str]:
    return {value: value for value in values}


# --- the table ----------------------------------------------------------------------

SEARCH = SearchField(
    attr="query",
    url_key="q",
    state_key="explorer_query",
    column="name",
    label=N_("搜索产品名称"),
    placeholder=N_("中文、全拼或首字母，如 zigui、zgqc"),
    help=N_("不区分大小写，可含空格和全角字符。"),
)
CHAINS = ChoiceField(
    attr="chains",
    url_key="chain",
    state_key="explorer_chains",
    column="chain",
    label=N_("产业链"),
    vocabulary=lambda regions, parent: _names(chain_names(regions.region)),
    resolve=lambda text, regions: _member(
        _names(chain_names(regions.region)), grouping_label(regions.region)
    )(text, regions),
    placeholder=N_("全部产业链"),
    help=N_(
        "括号内为产品数，一品多标的产品计一次；地图上每个圆点是一个登记名称，"
        "同一产品在不同地方登记时有多个圆点。"
    ),
)
CATEGORY = ChoiceField(
    attr="categories",
    url_key="category",
    state_key="explorer_categories",
    column="category",
    label=N_("品类"),
    vocabulary=_fixed(_names(CATEGORIES)),
    resolve=_member(_names(CATEGORIES), N_("品类")),
    placeholder=N_("全部品类"),
)
GI_TYPE = ChoiceField(
    attr="gi_types",
    url_key="gi_type",
    state_key="explorer_gi_types",
    column="gi_types",
    label=N_("地理标志类型"),
    vocabulary=_fixed(_names(GI_TYPES)),
    # Older links and the research data write an unstated type as 未注明 / unknown.
    resolve=_member(
        _names(GI_TYPES),
        N_("地理标志类型"),
        {"unknown": GI_TYPE_UNKNOWN, "未注明": GI_TYPE_UNKNOWN},  # not UI: old link values
    ),
    placeholder=N_("全部类型"),
    multi_valued=True,
    help=N_("许多产品同时拥有多种地理标志身份，任一身份符合即显示。"),
)
PREFECTURE = ChoiceField(
    attr="prefectures",
    url_key="prefecture",
    state_key="explorer_prefectures",
    column="prefecture_adcode",
    label=N_("市州"),
    vocabulary=prefecture_vocabulary,
    resolve=lambda text, regions: regions.prefecture(text).adcode,
    placeholder=N_("全部市州"),
)
COUNTY = ChoiceField(
    attr="counties",
    url_key="counties",
    state_key="explorer_counties",
    column="area_adcodes",
    label=N_("县市区"),
    vocabulary=county_vocabulary,
    resolve=lambda text, regions: regions.county(text).adcode,
    placeholder=N_("全部县市区"),
    multi_valued=True,
    separator=AREA_SEPARATOR,
    within="prefectures",
    check_within=county_outside,
    help=(
        N_(
            "显示保护范围覆盖所选县的产品：本县产品，以及跨县和全市范围（来源只注明到市州）的产品。"
            "括号内为保护范围覆盖该县的产品数。"
        )
    ),
)
YEARS = YearField(
    attr="years",
    url_key="year",
    state_key="explorer_years",
    column="year",
    label=N_("获批年份"),
    undated_url_key="undated",
    undated_state_key="explorer_undated",
    undated_label=N_("包含年份不详的产品"),
    help=N_("取完整范围时包括年份不详的产品；缩小范围后可选择是否包括。"),
)
CONFIDENCE = ChoiceField(
    attr="confidences",
    url_key="confidence",
    state_key="explorer_confidences",
    column="confidence",
    label=N_("可信度"),
    vocabulary=_fixed(CONFIDENCE_LABELS),
    resolve=_member(CONFIDENCE_LABELS, N_("可信度")),
    placeholder=N_("全部"),
)
ZONE = FlagField(
    attr="zone_only",
    url_key="zone",
    state_key="explorer_zone_only",
    column="name",
    label=N_("仅看有示范区的产品"),
    test=_has_zone,
    meaning=N_("仅看示范区产品"),
    help=N_("国家地理标志保护示范区（含筹建）及农产品地理标志示范样板。"),
)

# In sidebar order; a narrowing field comes after the field it narrows.
FILTER_FIELDS: tuple[FilterField[Any], ...] = (
    SEARCH,
    CHAINS,
    CATEGORY,
    GI_TYPE,
    PREFECTURE,
    COUNTY,
    YEARS,
    CONFIDENCE,
    ZONE,
)


# --- using the table ----------------------------------------------------------------


def apply_filter(
    products: pd.DataFrame,
    zones: pd.DataFrame,
    product_filter: ProductFilter,
    index: NameIndex | None = None,
) -> pd.DataFrame:
    """The products matching every active filter, in their original order."""
    return matching(products, FILTER_FIELDS, product_filter, FilterData(zones, index))


def option_counts(
    products: pd.DataFrame,
    zones: pd.DataFrame,
    regions: Regions,
    product_filter: ProductFilter,
    index: NameIndex | None = None,
) -> dict[str, list[Option]]:
    """The options of each choice filter (by ``attr``), each counted with every other
    active filter applied: after 茶叶, 市州 counts tea products."""
    return facet_options(products, FILTER_FIELDS, product_filter, FilterData(zones, index), regions)


def filter_to_query(product_filter: ProductFilter) -> dict[str, str]:
    """Query-string parameters for a filter; unrestricted filters are left out."""
    return to_query(FILTER_FIELDS, product_filter)


def filter_from_query(
    params: Params, regions: Regions, other_keys: Collection[str] = ()
) -> tuple[ProductFilter, list[str]]:
    """Parse a shared link's parameters; bad values are dropped and explained in notices.

    ``other_keys`` are parameters handled elsewhere (e.g. the selected product), which
    are therefore not reported as unknown.
    """
    parsed, notices = from_query(FILTER_FIELDS, params, regions, other_keys)
    return ProductFilter(**parsed), notices


def fit_years(product_filter: ProductFilter, bounds: YearBounds) -> tuple[ProductFilter, list[str]]:
    """Clip a link's year range to the years in the data (the slider's range)."""
    years = product_filter.years
    if years is None or bounds is None:
        return product_filter, []
    start, end = max(years.start, bounds[0]), min(years.end, bounds[1])
    if start > end:
        reason = t("超出数据的年份范围（{first}–{last}）", first=bounds[0], last=bounds[1])
        notice = urlparams.invalid_value_notice(YEARS.url_key, f"{years.start}-{years.end}", reason)
        return replace(product_filter, years=None), [notice]
    fitted = None if (start, end) == bounds else YearRange(start, end, years.undated)
    return replace(product_filter, years=fitted), []


def year_bounds(products: pd.DataFrame) -> YearBounds:
    """The slider's range: the approval years present in the data (None if fewer than 2)."""
    years = products[YEARS.column].dropna()
    if years.empty or int(years.min()) == int(years.max()):
        return None
    return int(years.min()), int(years.max())


def undated_count(products: pd.DataFrame) -> int:
    """Products whose approval year no source gives."""
    return int(products[YEARS.column].isna().sum())


def undated_note(
    products: pd.DataFrame,
    zones: pd.DataFrame,
    product_filter: ProductFilter,
    filtered: pd.DataFrame,
    index: NameIndex | None = None,
) -> str:
    """What the year filter says about products of unknown year: how many the result
    includes, or how many a narrowed range leaves out ('' when there are none)."""
    years = product_filter.years
    if years is None or years.undated:
        included = undated_count(filtered)
        return t("含 {count} 个年份不详的产品", count=included) if included else ""
    others = apply_filter(products, zones, replace(product_filter, years=None), index)
    left_out = undated_count(others)
    if not left_out:
        return ""
    return t(
        "另有 {count} 个年份不详的产品未显示（可勾选“{option}”）",
        count=left_out,
        option=t(YEARS.undated_label),
    )
