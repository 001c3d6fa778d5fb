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
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from landmarks.data.chains import CHAINS
from landmarks.data.model import (
    AREA_COUNTY,
    AREA_PREFECTURE,
    AREA_SEPARATOR,
    CONFIDENCE_LABELS,
    PRECISION_LABELS,
)
from landmarks.maps.site_kinds import all_kinds, kind_index

PRODUCT_FIELDS: tuple[str, ...] = (
    "lat", "lon", "chain", "name", "place", "category", "gi_types", "year", "confidence",
    "precision", "area", "area_adcodes", "scope",
)  # fmt: skip
PRODUCT_POPUP: dict[str, str] = {
    "chain": "产业链",
    "category": "品类",
    "gi_types": "类型",
    "place": "所在地",
    "scope": "保护范围",
    "year": "获批年份",
    "confidence": "可信度",
    "precision": "位置",
}
SITE_FIELDS: tuple[str, ...] = (
    "lat", "lon", "name", "site_type", "products", "place", "status", "precision", "kind",
)  # fmt: skip
SITE_POPUP: dict[str, str] = {
    "site_type": "类型",
    "products": "关联产品",
    "place": "地点",
    "status": "状态",
    "precision": "位置",
}
_CHAIN_INDEX = {chain.name: index for index, chain in enumerate(CHAINS)}
COORDINATE_DECIMALS = 5


def _place(frame: pd.DataFrame, *columns: str) -> list[str]:
    """The columns' non-empty values joined by spaces, per row (an empty table: none)."""
    parts = frame[list(columns)].fillna("").astype(str).to_numpy().tolist()
    return [" ".join(value for value in row if value) for row in parts]


def is_wide(products: pd.DataFrame) -> pd.Series:
    """True for products whose area is wider than one county (drawn as a hollow ring)."""
    return products["area_level"] != AREA_COUNTY


def area_label(area_level: str, area_adcodes: str) -> str:
    """How far an area reaches, as the tooltip says it; '' for a single county."""
    if area_level == AREA_COUNTY:
        return ""
    if area_level == AREA_PREFECTURE:
        return "全市范围"
    return f"跨 {len(area_adcodes.split(AREA_SEPARATOR))} 个县"


def _scope(label: str, note: str) -> str:
    """The popup's 保护范围: the reach (本县 for one county), then the source's remark."""
    reach = label or "本县"
    return f"{reach}（{note}）" if note else reach


def product_rows(products: pd.DataFrame) -> list[list[Any]]:
    """One row per product, in the table's order, with display values in Chinese."""
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
            "place": _place(products, "prefecture", "county"),
            "category": products["category"],
            "gi_types": products["gi_types"],
            "year": products["year"].map(lambda y: "未注明" if pd.isna(y) else str(int(y))),
            "confidence": products["confidence"].map(lambda c: CONFIDENCE_LABELS.get(c, c)),
            "precision": products["precision"].map(lambda p: PRECISION_LABELS.get(p, p)),
            "area": labels,
            "area_adcodes": products["area_adcodes"].where(is_wide(products), ""),
            "scope": [
                _scope(label, note)
                for label, note in zip(labels, products["scope_note"], strict=True)
            ],
        },
        index=products.index,
    )
    return values[list(PRODUCT_FIELDS)].to_numpy().tolist()


def site_rows(sites: pd.DataFrame) -> list[list[Any]]:
    values = pd.DataFrame(
        {
            "lat": sites["lat"].astype(float).round(COORDINATE_DECIMALS),
            "lon": sites["lon"].astype(float).round(COORDINATE_DECIMALS),
            "name": sites["name"],
            "site_type": sites["site_type"],
            "products": sites["products"].replace("", "未注明"),
            "place": _place(sites, "prefecture", "county", "place"),
            "status": sites["status"],
            "precision": sites["precision"].map(lambda p: PRECISION_LABELS.get(p, p)),
            "kind": [kind_index(str(site_type)) for site_type in sites["site_type"]],
        },
        index=sites.index,
    )
    return values[list(SITE_FIELDS)].to_numpy().tolist()


def map_rows(products: pd.DataFrame, sites: pd.DataFrame) -> bytes:
    """The JSON file the map script loads: products, sites, chain palette, popup labels."""
    document = {
        "products": {
            "fields": PRODUCT_FIELDS,
            "rows": product_rows(products),
            "chains": [[chain.name, chain.color] for chain in CHAINS],
            "popup_fields": list(PRODUCT_POPUP),
            "popup_labels": list(PRODUCT_POPUP.values()),
        },
        "sites": {
            "fields": SITE_FIELDS,
            "rows": site_rows(sites),
            # Per kind (``kind`` indexes it): name, colour and icon (``site_kinds``).
            "kinds": [[kind.name, kind.color, kind.svg()] for kind in all_kinds()],
            "popup_fields": list(SITE_POPUP),
            "popup_labels": list(SITE_POPUP.values()),
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
