"""Which product and county the explorer shows a card for, from map clicks or a URL.

The map script reports a click as ``{"gi_click": {"kind", "id", "n"}}`` (web/gi_map.js):
``kind`` is ``county`` (``id`` an adcode, sent only for a click on the county's own area)
or ``product`` (``id`` the product's name); ``n`` counts clicks so a repeat is new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from landmarks.data.model import AREA_COUNTY, AREA_SEPARATOR
from landmarks.data.regions import RegionNotFoundError, Regions
from landmarks.i18n import t
from landmarks.query import urlparams
from landmarks.query.urlparams import Params

PRODUCT_KEY = "product"
COUNTY_KEY = "county"
SELECTION_QUERY_KEYS: tuple[str, ...] = (PRODUCT_KEY, COUNTY_KEY)
CLICK_KEY = "gi_click"


@dataclass(frozen=True)
class Selection:
    product: str | None = None  # product name
    county: str | None = None  # county adcode


def _known_county(regions: Regions, adcode: str) -> str | None:
    """The adcode if the loaded boundaries have it (data may come from another coverage)."""
    try:
        return regions.county_by_adcode(adcode).adcode if adcode else None
    except KeyError:
        return None


def selection_from_click(
    value: Mapping[str, Any] | None, products: pd.DataFrame, regions: Regions
) -> Selection | None:
    """The selection a map click asks for; None for anything unknown or malformed."""
    click = (value or {}).get(CLICK_KEY)
    if not isinstance(click, Mapping):
        return None
    kind, identifier = click.get("kind"), str(click.get("id") or "")
    if kind == "county":
        county = _known_county(regions, identifier)
        return Selection(county=county) if county else None
    if kind == "product":
        rows = products.loc[products["name"] == identifier, "county_adcode"]
        if rows.empty:
            return None
        return Selection(product=identifier, county=_known_county(regions, rows.iloc[0]))
    return None


def selection_from_query(
    params: Params, products: pd.DataFrame, regions: Regions
) -> tuple[Selection, list[str]]:
    """The selection a shared link asks for; unknown names are dropped with a notice."""
    notices: list[str] = []
    product = urlparams.last_value(params, PRODUCT_KEY) or None
    if product is not None and not (products["name"] == product).any():
        notices.append(
            urlparams.invalid_value_notice(PRODUCT_KEY, product, t("未找到该地理标志产品"))
        )
        product = None

    county = None
    county_text = urlparams.last_value(params, COUNTY_KEY)
    if county_text:
        try:
            county = regions.county(county_text).adcode
        except RegionNotFoundError as error:
            notices.append(urlparams.invalid_value_notice(COUNTY_KEY, county_text, str(error)))
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


def selected_area(products: pd.DataFrame, selection: Selection) -> tuple[str, ...]:
    """The county adcodes of the selected product's area when it is wider than one county
    (a multi-county scope or a whole prefecture): the map draws and frames them.  Empty
    for no product, an unknown one, or a county-level product (its county is its place)."""
    if not selection.product:
        return ()
    rows = products.loc[products["name"] == selection.product]
    if rows.empty or rows.iloc[0]["area_level"] == AREA_COUNTY:
        return ()
    return tuple(str(rows.iloc[0]["area_adcodes"]).split(AREA_SEPARATOR))
