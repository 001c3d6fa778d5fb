"""Product filters of the brand-map explorer and their form in a shareable URL.

A ``ProductFilter`` is the whole filter state; ``apply_filter`` narrows the products
table with it, and ``filter_to_query`` / ``filter_from_query`` turn it into query-string
parameters and back.  Parameters that do not parse are dropped with a notice in Chinese,
so a mangled link still opens a working page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import pandas as pd

from landmarks.data.chains import CHAIN_NAMES
from landmarks.data.model import CATEGORIES, CONFIDENCE_LABELS, GI_TYPES, GI_TYPES_SEPARATOR
from landmarks.data.regions import Regions
from landmarks.query.search import NameIndex

# Query-string keys, kept short and stable: links get shared in chats and documents.
QUERY_KEY = "q"
CHAIN_KEY = "chain"
CATEGORY_KEY = "category"
GI_TYPE_KEY = "gi_type"
PREFECTURE_KEY = "prefecture"
COUNTIES_KEY = "counties"
YEAR_KEY = "year"
CONFIDENCE_KEY = "confidence"
ZONE_KEY = "zone"
FILTER_QUERY_KEYS: tuple[str, ...] = (
    QUERY_KEY,
    CHAIN_KEY,
    CATEGORY_KEY,
    GI_TYPE_KEY,
    PREFECTURE_KEY,
    COUNTIES_KEY,
    YEAR_KEY,
    CONFIDENCE_KEY,
    ZONE_KEY,
)
# Streamlit's own display options may appear in any app URL.
STREAMLIT_QUERY_KEYS: frozenset[str] = frozenset({"embed", "embed_options"})

MAX_QUERY_LENGTH = 50
MIN_YEAR, MAX_YEAR = 1949, 2100
_LIST_SEPARATOR = ","
_TRUE = frozenset({"1", "true", "yes", "on", "是"})
_FALSE = frozenset({"0", "false", "no", "off", "否", ""})
_YEAR_RANGE = re.compile(r"(\d{4})(?:\s*[-~～—–至到]\s*(\d{4}))?")


@dataclass(frozen=True)
class ProductFilter:
    """What the user filters on; empty tuples and ``None`` mean 'no restriction'."""

    query: str = ""
    chains: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    gi_types: tuple[str, ...] = ()
    prefectures: tuple[str, ...] = ()  # adcodes
    counties: tuple[str, ...] = ()  # adcodes
    years: tuple[int, int] | None = None  # inclusive; products without a year are excluded
    confidences: tuple[str, ...] = ()  # high / medium / low
    zone_only: bool = False

    @property
    def active_count(self) -> int:
        """How many filters restrict the list (for the sidebar summary)."""
        default = ProductFilter()
        return sum(getattr(self, f.name) != getattr(default, f.name) for f in fields(self))


def zone_products(zones: pd.DataFrame) -> set[str]:
    """Names of the GI products that have a demonstration zone (any level)."""
    return {name for name in zones["product"] if name}


def _gi_type_mask(gi_types: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    # gi_types holds every status a product has ('；'-joined); match whole items only.
    alternatives = "|".join(re.escape(t) for t in wanted)
    pattern = f"(?:^|{GI_TYPES_SEPARATOR})(?:{alternatives})(?:{GI_TYPES_SEPARATOR}|$)"
    return gi_types.fillna("").str.contains(pattern, regex=True)


def apply_filter(
    products: pd.DataFrame,
    zones: pd.DataFrame,
    product_filter: ProductFilter,
    index: NameIndex | None = None,
) -> pd.DataFrame:
    """The products matching every active filter, in their original order."""
    f = product_filter
    mask = pd.Series(True, index=products.index)
    if f.chains:
        mask &= products["chain"].isin(f.chains)
    if f.categories:
        mask &= products["category"].isin(f.categories)
    if f.gi_types:
        mask &= _gi_type_mask(products["gi_types"], f.gi_types)
    if f.prefectures:
        mask &= products["prefecture_adcode"].isin(f.prefectures)
    if f.counties:
        mask &= products["county_adcode"].isin(f.counties)
    if f.years is not None:
        years = products["year"]
        mask &= (years >= f.years[0]).fillna(False) & (years <= f.years[1]).fillna(False)
    if f.confidences:
        mask &= products["confidence"].isin(f.confidences)
    if f.zone_only:
        mask &= products["name"].isin(zone_products(zones))
    if f.query.strip():
        names = products["name"]
        mask &= (index or NameIndex(names)).mask(names, f.query)
    return products[mask.astype(bool)]


def filter_to_query(product_filter: ProductFilter) -> dict[str, str]:
    """Query-string parameters for a filter; unrestricted filters are left out."""
    f = product_filter
    params: dict[str, str] = {}
    if f.query.strip():
        params[QUERY_KEY] = f.query.strip()
    for key, values in (
        (CHAIN_KEY, f.chains),
        (CATEGORY_KEY, f.categories),
        (GI_TYPE_KEY, f.gi_types),
        (PREFECTURE_KEY, f.prefectures),
        (COUNTIES_KEY, f.counties),
        (CONFIDENCE_KEY, f.confidences),
    ):
        if values:
            params[key] = _LIST_SEPARATOR.join(values)
    if f.years is not None:
        params[YEAR_KEY] = f"{f.years[0]}-{f.years[1]}"
    if f.zone_only:
        params[ZONE_KEY] = "1"
    return params


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    """Every value of a parameter, whether repeated (?a=1&a=2) or comma-joined (?a=1,2)."""
    raw = params.get(key, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    found = [_clean(part) for item in items for part in str(item).split(_LIST_SEPARATOR)]
    return list(dict.fromkeys(value for value in found if value))


class _Notices:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, key: str, value: str, reason: str) -> None:
        shown = value if len(value) <= 40 else value[:40] + "…"
        self.items.append(f"链接参数 {key}={shown} 无效，已忽略：{reason}")


def _choices(
    params: Mapping[str, str | Sequence[str]],
    key: str,
    resolve: Callable[[str], str],
    notices: _Notices,
) -> tuple[str, ...]:
    chosen = []
    for value in _values(params, key):
        try:
            chosen.append(resolve(value))
        except (KeyError, ValueError) as error:
            notices.add(key, value, str(error.args[0]) if error.args else "无法识别")
    return tuple(dict.fromkeys(chosen))


def _member(allowed: Iterable[str], what: str) -> Callable[[str], str]:
    options = tuple(allowed)

    def resolve(value: str) -> str:
        if value in options:
            return value
        raise ValueError(f"不是已知的{what}（可选：{'、'.join(options)}）")

    return resolve


def _confidence(value: str) -> str:
    by_label = {label: code for code, label in CONFIDENCE_LABELS.items()}
    code = value.lower() if value.lower() in CONFIDENCE_LABELS else by_label.get(value)
    if code is None:
        raise ValueError("可信度应为 high、medium、low（或 高、中、低）")
    return code


def _years(value: str) -> tuple[int, int]:
    match = _YEAR_RANGE.fullmatch(value)
    if not match:
        raise ValueError("年份范围应写作 2010-2020 或 2015")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if not (MIN_YEAR <= start <= MAX_YEAR and MIN_YEAR <= end <= MAX_YEAR):
        raise ValueError(f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间")
    if start > end:
        raise ValueError("起始年份晚于结束年份")
    return start, end


def filter_from_query(
    params: Mapping[str, str | Sequence[str]],
    regions: Regions,
    other_keys: Collection[str] = (),
) -> tuple[ProductFilter, list[str]]:
    """Parse a shared link's parameters; bad values are dropped and explained in notices.

    ``other_keys`` are parameters handled elsewhere (e.g. the selected product), which
    are therefore not reported as unknown.
    """
    notices = _Notices()
    known = {*FILTER_QUERY_KEYS, *STREAMLIT_QUERY_KEYS, *other_keys}
    for key in params:
        if key not in known:
            notices.items.append(f"未识别的链接参数“{key}”，已忽略")

    # The search text may itself contain commas: take it whole.
    raw_query = params.get(QUERY_KEY, "")
    query = _clean(raw_query if isinstance(raw_query, str) else " ".join(raw_query))
    if len(query) > MAX_QUERY_LENGTH:
        notices.add(QUERY_KEY, query, f"搜索词超过 {MAX_QUERY_LENGTH} 个字符")
        query = ""

    prefectures = _choices(params, PREFECTURE_KEY, lambda v: regions.prefecture(v).adcode, notices)
    counties = []
    for adcode in _choices(params, COUNTIES_KEY, lambda v: regions.county(v).adcode, notices):
        county = regions.county_by_adcode(adcode)
        if prefectures and county.prefecture_adcode not in prefectures:
            notices.add(COUNTIES_KEY, county.name, f"不属于所选市州（属于{county.prefecture}）")
        else:
            counties.append(adcode)

    years = None
    year_values = _values(params, YEAR_KEY)
    if year_values:
        try:
            years = _years(year_values[-1])
        except ValueError as error:
            notices.add(YEAR_KEY, year_values[-1], str(error))

    zone_only = False
    zone_values = [v.lower() for v in _values(params, ZONE_KEY)]
    if zone_values:
        if zone_values[-1] in _TRUE:
            zone_only = True
        elif zone_values[-1] not in _FALSE:
            notices.add(ZONE_KEY, zone_values[-1], "应为 1（仅看示范区产品）或 0")

    product_filter = ProductFilter(
        query=query,
        chains=_choices(params, CHAIN_KEY, _member(CHAIN_NAMES, "产业链"), notices),
        categories=_choices(params, CATEGORY_KEY, _member(CATEGORIES, "品类"), notices),
        gi_types=_choices(params, GI_TYPE_KEY, _member(GI_TYPES, "地理标志类型"), notices),
        prefectures=prefectures,
        counties=tuple(counties),
        years=years,
        confidences=_choices(params, CONFIDENCE_KEY, _confidence, notices),
        zone_only=zone_only,
    )
    return product_filter, notices.items
