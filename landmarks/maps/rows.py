"""Products and sites as compact rows for the browser, published once per data version.

The file names its own fields (``fields``), so Python and the map script share one field
order: the script looks every value up by name.  A rerun then sends only the positions of
the rows to show (see ``builders.data_layer``).

Each product row carries its area (see ``landmarks.data.model``).  ``area`` is how far a
product's area reaches beyond one county, as its tooltip says it (全市范围 / 跨 N 个县),
and '' for a county-level product: a product with an ``area`` stands at a stand-in
position and its marker is drawn apart.  ``area_adcodes`` lists the counties of such an
area ('' for a county-level product, whose county is its place); ``scope`` is the popup's
保护范围 with the source's remark on a partial scope.

Display values are in the current language; in English the rows also carry ``title``,
the name with its pinyin (``name`` stays the stored name, which clicks report), so the
file differs per language (its content-hashed URL too).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from landmarks import i18n
from landmarks.data.chains import CHAINS
from landmarks.data.model import (
    AREA_COUNTY,
    AREA_PREFECTURE,
    AREA_SEPARATOR,
    CONFIDENCE_LABELS,
    GI_TYPES_SEPARATOR,
    PRECISION_LABELS,
)
from landmarks.i18n import N_, t
from landmarks.maps.site_kinds import all_kinds, kind_index

PRODUCT_FIELDS: tuple[str, ...] = (
    "lat", "lon", "chain", "name", "place", "category", "gi_types", "year", "confidence",
    "precision", "area", "area_adcodes", "scope", "county_adcode", "prefecture_adcode",
)  # fmt: skip
PRODUCT_POPUP: dict[str, str] = {
    "chain": N_("产业链"),
    "category": N_("品类"),
    "gi_types": N_("类型"),
    "place": N_("所在地"),
    "scope": N_("保护范围"),
    "year": N_("获批年份"),
    "confidence": N_("可信度"),
    "precision": N_("位置"),
}
SITE_FIELDS: tuple[str, ...] = (
    "lat", "lon", "name", "site_type", "products", "place", "status", "precision", "kind",
)  # fmt: skip
SITE_POPUP: dict[str, str] = {
    "site_type": N_("类型"),
    "products": N_("关联产品"),
    "place": N_("地点"),
    "status": N_("状态"),
    "precision": N_("位置"),
}
TITLE = "title"  # the shown name (English only: the name with its pinyin)
UNSTATED = N_("未注明")

_CHAIN_INDEX = {chain.name: index for index, chain in enumerate(CHAINS)}
COORDINATE_DECIMALS = 5


def _place(frame: pd.DataFrame, *columns: str, names: int = 0) -> list[str]:
    """The columns' non-empty values joined by spaces, per row (an empty table: none);
    the first ``names`` columns are place names (with their pinyin in English)."""
    parts = frame[list(columns)].fillna("").astype(str).to_numpy().tolist()
    if not i18n.english():
        return [" ".join(value for value in row if value) for row in parts]
    return [
        ", ".join(
            i18n.name(value) if index < names else value for index, value in enumerate(row) if value
        )
        for row in parts
    ]


def _labelled(values: pd.Series, labels: dict[str, str]) -> pd.Series:
    """Stored codes as their labels in the current language (an unknown code as it is)."""
    return values.map(lambda value: t(labels[value]) if value in labels else value)


def _shown(values: pd.Series, separator: str = "") -> pd.Series:
    """Stored vocabulary values as shown: in English each translated (each part of a
    ``separator``-joined list); in Chinese as stored."""
    if not i18n.english():
        return values

    def show(value: object) -> object:
        if not isinstance(value, str):
            return value
        if separator:
            return ", ".join(t(part) for part in value.split(separator) if part)
        return t(value)

    return values.map(show)


def is_wide(products: pd.DataFrame) -> pd.Series:
    """True for products whose area is wider than one county (drawn as a hollow ring)."""
    return products["area_level"] != AREA_COUNTY


def area_label(area_level: str, area_adcodes: str) -> str:
    """How far an area reaches, as the tooltip says it; '' for a single county."""
    if area_level == AREA_COUNTY:
        return ""
    if area_level == AREA_PREFECTURE:
        return t("全市范围")
    return t("跨 {count} 个县", count=len(area_adcodes.split(AREA_SEPARATOR)))


def _scope(label: str, note: str) -> str:
    """The popup's 保护范围: the reach (本县 for one county), then the source's remark."""
    reach = label or t("本县")
    return t("{reach}（{note}）", reach=reach, note=note) if note else reach


def _codes(products: pd.DataFrame, column: str) -> pd.Series:
    """An adcode column as text ('' where none; all '' for a table without it)."""
    if column not in products:
        return pd.Series("", index=products.index)
    return products[column].fillna("").astype(str)


def product_rows(products: pd.DataFrame) -> list[list[Any]]:
    """One row per product, in the table's order, with display values in the current
    language (and in English a last column ``title``, see ``product_fields``)."""
    labels = [
        area_label(level, adcodes)
        for level, adcodes in zip(products["area_level"], products["area_adcodes"], strict=True)
    ]
    values = pd.DataFrame(
        {
            "lat": products["lat"].astype(float).round(COORDINATE_DECIMALS),
            "lon": products["lon"].astype(float).round(COORDINATE_DECIMALS),
            "chain": products["chain"].map(_CHAIN_INDEX).fillna(len(CHAINS) - 1).astype(int),
            "name": products["name"],
            "place": _place(products, "prefecture", "county", names=2),
            "category": _shown(products["category"]),
            "gi_types": _shown(products["gi_types"], GI_TYPES_SEPARATOR),
            "year": products["year"].map(lambda y: t(UNSTATED) if pd.isna(y) else str(int(y))),
            "confidence": _labelled(products["confidence"], CONFIDENCE_LABELS),
            "precision": _labelled(products["precision"], PRECISION_LABELS),
            "area": labels,
            "area_adcodes": products["area_adcodes"].where(is_wide(products), ""),
            "scope": [
                _scope(label, note)
                for label, note in zip(labels, products["scope_note"], strict=True)
            ],
            # The county and prefecture the product stands in: a national map counts its
            # aggregates by them, and a county's card lists the county's products.
            "county_adcode": _codes(products, "county_adcode"),
            "prefecture_adcode": _codes(products, "prefecture_adcode"),
            TITLE: products["name"].map(lambda n: i18n.name(str(n))),
        },
        index=products.index,
    )
    return values[list(product_fields())].to_numpy().tolist()


def product_fields() -> tuple[str, ...]:
    """The product rows' fields in the current language (English adds ``title``)."""
    return (*PRODUCT_FIELDS, TITLE) if i18n.english() else PRODUCT_FIELDS


def site_fields() -> tuple[str, ...]:
    """The site rows' fields in the current language (English adds ``title``)."""
    return (*SITE_FIELDS, TITLE) if i18n.english() else SITE_FIELDS


def _products_of_site(products: pd.Series) -> pd.Series:
    """A site's related products as shown (未注明 when none); names with their pinyin."""
    if i18n.english():
        products = products.map(
            lambda text: i18n.names(text.split()) if isinstance(text, str) else text
        )  # stored names, space-separated
    return products.replace("", t(UNSTATED))


def site_rows(sites: pd.DataFrame) -> list[list[Any]]:
    values = pd.DataFrame(
        {
            "lat": sites["lat"].astype(float).round(COORDINATE_DECIMALS),
            "lon": sites["lon"].astype(float).round(COORDINATE_DECIMALS),
            "name": sites["name"],
            "site_type": _shown(sites["site_type"]),
            "products": _products_of_site(sites["products"]),
            "place": _place(sites, "prefecture", "county", "place", names=2),
            "status": _shown(sites["status"]),
            "precision": _labelled(sites["precision"], PRECISION_LABELS),
            "kind": [kind_index(str(site_type)) for site_type in sites["site_type"]],
            TITLE: sites["name"].map(lambda n: i18n.name(str(n))),
        },
        index=sites.index,
    )
    return values[list(site_fields())].to_numpy().tolist()


def map_rows(products: pd.DataFrame, sites: pd.DataFrame) -> bytes:
    """The JSON file the map script loads: products, sites, chain palette, popup labels,
    in the current language."""
    document = {
        "products": {
            "fields": product_fields(),
            "rows": product_rows(products),
            "chains": [[t(chain.name), chain.color] for chain in CHAINS],
            "popup_fields": list(PRODUCT_POPUP),
            "popup_labels": [t(label) for label in PRODUCT_POPUP.values()],
        },
        "sites": {
            "fields": site_fields(),
            "rows": site_rows(sites),
            # Per kind (``kind`` indexes it): name, colour and icon (``site_kinds``).
            "kinds": [[t(kind.name), kind.color, kind.svg()] for kind in all_kinds()],
            "popup_fields": list(SITE_POPUP),
            "popup_labels": [t(label) for label in SITE_POPUP.values()],
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
