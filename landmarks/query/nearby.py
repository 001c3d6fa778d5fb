"""Nearby: the 地标+文旅 sites near a GI product, and the GI products around a site.

Distances are geodesics on the WGS-84 ellipsoid between the map positions of the two
records (``landmarks.query.geo``), never differences of degrees.  A record known only to
its county (or prefecture) sits at a stand-in point inside it, so a distance involving one
is approximate; each result says whether it is (``approximate``).

Around a site, products are related by area, not by distance: those whose protection area
covers the site's county (本县) and those covering a county that shares a border with it
(邻县).  Products the sources place only in a whole prefecture (全市范围) belong to no county
and are left out, as in the county cards.
"""

from __future__ import annotations

import pandas as pd
import shapely

from landmarks import i18n
from landmarks.data.model import AREA_PREFECTURE
from landmarks.data.regions import County, Regions
from landmarks.i18n import N_
from landmarks.query.areas import area_codes
from landmarks.query.geo import geodesic_km, geodesic_km_many, km_text

DEFAULT_KM = 30.0
RELATION_OWN = N_("本县")
RELATION_NEIGHBOUR = N_("邻县")
RELATION_PREFECTURE = N_("本市州")  # for a site the sources place only in a prefecture
RELATIONS: tuple[str, ...] = (RELATION_OWN, RELATION_NEIGHBOUR, RELATION_PREFECTURE)
NEARBY_NOTE = N_(
    "距离为地图标记之间的大地线直线距离（WGS-84 椭球），不是道路里程；"
    "只知道所在县或市州的记录使用示意位置，其距离为近似值。"
)
PRODUCTS_NEARBY_NOTE = N_(
    "列出保护范围覆盖本县或相邻县（有共同边界）的地理标志产品；"
    "来源只注明到市州的产品不属于任何县，不在此列。"
)


def _is_approximate(precision: object) -> bool:
    return str(precision) != "point"


def sites_near_product(product_row: pd.Series, sites: pd.DataFrame, km: float) -> pd.DataFrame:
    """The sites within ``km`` of the product's map position: the sites' columns plus
    ``km`` (geodesic distance), ``km_text`` and ``approximate``; nearest first (then by
    name)."""
    distances = geodesic_km_many(
        float(product_row["lon"]),
        float(product_row["lat"]),
        sites["lon"].astype(float).tolist(),
        sites["lat"].astype(float).tolist(),
    )
    found = sites.assign(km=distances)
    found = found[found["km"] <= km]
    product_approximate = _is_approximate(product_row["precision"])
    found = found.assign(
        km_text=found["km"].map(km_text),
        approximate=[product_approximate or _is_approximate(p) for p in found["precision"]],
    )
    return found.sort_values(["km", "name"], kind="stable").reset_index(drop=True)


def neighbours(regions: Regions, adcode: str) -> list[County]:
    """The counties sharing a border (a line, not a single point) with the county
    ``adcode``, in adcode order."""
    shape = regions.geometry(adcode)
    counties = regions.counties
    candidates = counties[counties.geometry.intersects(shape) & (counties["adcode"] != adcode)]
    found = [
        regions.county_by_adcode(str(code))
        for code, geometry in zip(candidates["adcode"], candidates.geometry, strict=True)
        if shapely.intersection(shape, geometry).length > 0
    ]
    return sorted(found, key=lambda county: county.adcode)


def products_near_site(
    site_row: pd.Series, products: pd.DataFrame, regions: Regions
) -> pd.DataFrame:
    """The GI products around a site: the products' columns plus ``relation`` (本县 /
    邻县; 本市州 when the site's county is unknown), ``via`` (the counties of the
    relation, '、'-joined), ``km`` (geodesic, site to product marker), ``km_text`` and
    ``approximate``.  本县 first, then by distance."""
    county = str(site_row["county_adcode"] or "")
    if county:
        own = {county: regions.county_by_adcode(county).name}
        around = {c.adcode: c.name for c in neighbours(regions, county)}
        relations = [(RELATION_OWN, own), (RELATION_NEIGHBOUR, around)]
    else:
        within = {c.adcode: c.name for c in regions.counties_of(str(site_row["prefecture_adcode"]))}
        relations = [(RELATION_PREFECTURE, within)]
    candidates = products[products["area_level"] != AREA_PREFECTURE]
    rows: list[int] = []
    relation_of: list[str] = []
    via_of: list[str] = []
    seen: set[int] = set()
    for relation, counties in relations:
        for position, codes in enumerate(candidates["area_adcodes"]):
            if position in seen:
                continue
            shared = [counties[code] for code in area_codes(codes) if code in counties]
            if shared:
                seen.add(position)
                rows.append(position)
                relation_of.append(relation)
                via_of.append(i18n.names(shared))
    found = candidates.iloc[rows]
    site_lon, site_lat = float(site_row["lon"]), float(site_row["lat"])
    site_approximate = _is_approximate(site_row["precision"])
    distances = [
        geodesic_km(site_lon, site_lat, float(lon), float(lat))
        for lon, lat in zip(found["lon"], found["lat"], strict=True)
    ]
    found = found.assign(
        relation=relation_of,
        via=via_of,
        km=distances,
        km_text=[km_text(d) for d in distances],
        approximate=[site_approximate or _is_approximate(p) for p in found["precision"]],
    )
    order = found.assign(_rank=found["relation"].map(RELATIONS.index))
    order = order.sort_values(["_rank", "km", "name"], kind="stable")
    return order.drop(columns="_rank").reset_index(drop=True)
