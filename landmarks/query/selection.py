"""Which product and county the explorer shows a card for, from map clicks or a URL.

streamlit-folium reports a click on any layer as ``last_object_clicked`` ({lat, lng};
a marker reports its own position) and ``last_object_clicked_tooltip`` (the tooltip's
text).  Product markers carry the tooltip ``"{name}｜{chain}｜{county}"``; anything else
(county polygons, zones, sites) resolves to the county under the click.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from landmarks.data.regions import RegionNotFoundError, Regions

PRODUCT_KEY = "product"
COUNTY_KEY = "county"
SELECTION_QUERY_KEYS: tuple[str, ...] = (PRODUCT_KEY, COUNTY_KEY)
TOOLTIP_SEPARATOR = "｜"
# What st_folium must return for clicks (the count makes a repeated click on the same
# object count as new); pan and zoom change none of these, so they cause no rerun.
CLICK_FIELDS: tuple[str, ...] = (
    "last_object_clicked",
    "last_object_clicked_tooltip",
    "last_object_clicked_count",
)


@dataclass(frozen=True)
class Selection:
    product: str | None = None  # product name
    county: str | None = None  # county adcode


@dataclass(frozen=True)
class MapClick:
    lat: float
    lng: float
    tooltip: str
    count: int | None = None


def click_from_map(value: Mapping[str, Any] | None) -> MapClick | None:
    """The click in st_folium's return value, or None when nothing was clicked."""
    if not value:
        return None
    where = value.get("last_object_clicked")
    if not isinstance(where, Mapping):
        return None
    try:
        lat, lng = float(where["lat"]), float(where["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return None
    tooltip = value.get("last_object_clicked_tooltip")
    count = value.get("last_object_clicked_count")
    return MapClick(
        lat, lng, str(tooltip or ""), int(count) if isinstance(count, int | float) else None
    )


def product_in_tooltip(tooltip: str, names: Collection[str]) -> str | None:
    """The product whose name the tooltip starts with (names may contain the separator)."""
    text = tooltip.strip()
    position = text.find(TOOLTIP_SEPARATOR)
    while position != -1:
        if text[:position].strip() in names:
            return text[:position].strip()
        position = text.find(TOOLTIP_SEPARATOR, position + 1)
    return text if text in names else None


def _known_county(regions: Regions, adcode: str) -> str | None:
    """The adcode if the loaded boundaries have it (data may come from another coverage)."""
    try:
        return regions.county_by_adcode(adcode).adcode if adcode else None
    except KeyError:
        return None


def resolve_click(click: MapClick, products: pd.DataFrame, regions: Regions) -> Selection | None:
    """Product clicked → that product and its county; else the county under the click."""
    names = pd.Index(products["name"])
    name = product_in_tooltip(click.tooltip, set(names))
    if name is not None:
        county = products.loc[products["name"] == name, "county_adcode"].iloc[0]
        return Selection(product=name, county=_known_county(regions, county))
    county_found = regions.county_at(click.lng, click.lat)
    if county_found is None:
        return None
    return Selection(product=None, county=county_found.adcode)


def selection_from_query(
    params: Mapping[str, str | Sequence[str]], products: pd.DataFrame, regions: Regions
) -> tuple[Selection, list[str]]:
    """The selection a shared link asks for; unknown names are dropped with a notice."""
    notices: list[str] = []

    def last(key: str) -> str:
        raw = params.get(key, "")
        value = raw if isinstance(raw, str) else (list(raw)[-1] if raw else "")
        return unicodedata.normalize("NFKC", str(value)).strip()

    product = last(PRODUCT_KEY) or None
    if product is not None and not (products["name"] == product).any():
        notices.append(f"链接参数 {PRODUCT_KEY}={product[:40]} 无效，已忽略：未找到该地理标志产品")
        product = None

    county = None
    county_text = last(COUNTY_KEY)
    if county_text:
        try:
            county = regions.county(county_text).adcode
        except RegionNotFoundError as error:
            notices.append(f"链接参数 {COUNTY_KEY}={county_text[:40]} 无效，已忽略：{error}")
    if product is not None and county is None:
        row = products.loc[products["name"] == product].iloc[0]
        county = _known_county(regions, row["county_adcode"])
    return Selection(product=product, county=county), notices


def selection_to_query(selection: Selection) -> dict[str, str]:
    params = {}
    if selection.product:
        params[PRODUCT_KEY] = selection.product
    if selection.county:
        params[COUNTY_KEY] = selection.county
    return params
