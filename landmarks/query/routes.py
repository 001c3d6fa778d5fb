"""Themed routes (主题线路): stops in order, leg and total distances, link, GeoJSON, print.

A route (``landmarks.data.routes.Route``) names its stops; their positions come from the
current sites and products.  Legs are geodesics between consecutive stops' map positions
(``landmarks.query.geo``): straight-line distances on the ground, not road distances,
which every text showing them says.  A stop whose site or product is no longer in the
data is left out of the drawing with a notice (``missing_stops``).

A route travels in a link as two parameters: ``route`` (its name) and ``stops``
(``s:站点名|p:产品名``); ``route_from_query`` reads them back, dropping what it cannot
use with notices in Chinese.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from landmarks import i18n
from landmarks.data.routes import (
    STOP_PRODUCT,
    STOP_SITE,
    Route,
    SavedRoute,
    Stop,
    StopKind,
    load_example_routes,
)
from landmarks.data.seed import SEED_DIR
from landmarks.data.text import normalize_text
from landmarks.data.times import beijing_time, time_text
from landmarks.i18n import N_, t
from landmarks.query import urlparams
from landmarks.query.geo import geodesic_km, km_text
from landmarks.query.sites import place_text
from landmarks.query.urlparams import Params

__all__ = [
    "EXAMPLE_LABEL",
    "MAX_STOPS",
    "ROUTE_QUERY_KEYS",
    "STOP_KIND_LABELS",
    "Route",
    "SavedRoute",
    "Stop",
    "example_routes",
    "missing_stops",
    "route_from_query",
    "route_geojson",
    "route_legs",
    "route_name_problem",
    "route_stops",
    "route_text",
    "route_to_query",
    "route_total_km",
    "saved_routes_table",
]

EXAMPLE_LABEL = N_("示例线路")
STOP_KIND_LABELS: dict[str, str] = {STOP_SITE: N_("站点"), STOP_PRODUCT: N_("地标产品")}
# A route is a day or two of travel: 12 stops keep the map's numbered markers apart and the
# leg table on one projector screen (1280x720); the picker and links stop there.
MAX_STOPS = 12
MAX_NAME_LENGTH = 40
DISTANCE_NOTE = N_("距离为相邻两站地图位置之间的大地线直线距离，不是道路里程")

ROUTE_KEY = "route"
STOPS_KEY = "stops"
ROUTE_QUERY_KEYS: tuple[str, ...] = (ROUTE_KEY, STOPS_KEY)
_STOP_SEPARATOR = "|"
_KIND_MARK = re.compile(r"\s*([^:：]*?)\s*[:：]")  # not UI: "s:" or "ｓ：" before a stop's name
_KIND_PREFIXES: dict[str, StopKind] = {"s": STOP_SITE, "p": STOP_PRODUCT}
_PREFIX_OF_KIND = {kind: prefix for prefix, kind in _KIND_PREFIXES.items()}

STOP_COLUMNS: tuple[str, ...] = (
    "order",
    "kind",
    "kind_label",
    "name",
    "lon",
    "lat",
    "detail",
    "approximate",
)
LEG_COLUMNS: tuple[str, ...] = ("leg", "from_name", "to_name", "km", "km_text")


def example_routes(seed_dir: Path = SEED_DIR) -> tuple[Route, ...]:
    """The example routes shipped with the app (``is_example``: labelled 示例线路)."""
    return load_example_routes(seed_dir)


def route_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a saved route's name (in Chinese), or None."""
    text = normalize_text(name)
    if not text:
        return t("请填写线路名称")
    if len(text) > MAX_NAME_LENGTH:
        return t("线路名称不能超过 {limit} 个字", limit=MAX_NAME_LENGTH)
    return None


# Stops -----------------------------------------------------------------------------------


def _table(kind: str, sites: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    return sites if kind == STOP_SITE else products


def _find(stop: Stop, sites: pd.DataFrame, products: pd.DataFrame) -> pd.Series | None:
    """The row a stop names: by exact name, else by the name as users may retype it."""
    table = _table(stop.kind, sites, products)
    found = table[table["name"] == stop.name]
    if found.empty:
        wanted = normalize_text(stop.name)
        found = table[table["name"].map(normalize_text) == wanted]
    return None if found.empty else found.iloc[0]


def _detail(kind: str, row: pd.Series) -> str:
    if kind == STOP_SITE:
        place = place_text(row["place"], row["county"], row["prefecture"])
        return f"{t(row['site_type'])} · {place}"
    return f"{t(row['category'])} · {i18n.name(row['county'] or row['prefecture'])}"


def route_stops(route: Route, sites: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """The route's stops found in the data, in order (``STOP_COLUMNS``): order counts
    from 1 over the found stops; ``approximate`` when the position is a stand-in."""
    rows: list[dict[str, Any]] = []
    for stop in route.stops:
        row = _find(stop, sites, products)
        if row is None:
            continue
        rows.append(
            {
                "order": len(rows) + 1,
                "kind": stop.kind,
                "kind_label": t(STOP_KIND_LABELS[stop.kind]),
                "name": str(row["name"]),
                "lon": float(row["lon"]),
                "lat": float(row["lat"]),
                "detail": _detail(stop.kind, row),
                "approximate": str(row["precision"]) != "point",
            }
        )
    return pd.DataFrame(rows, columns=list(STOP_COLUMNS))


def missing_stops(route: Route, sites: pd.DataFrame, products: pd.DataFrame) -> list[str]:
    """A notice for each stop whose site or product is not in the data."""
    return [
        t(
            "{kind}“{name}”已不在数据中，线路中略去该站",
            kind=t(STOP_KIND_LABELS[stop.kind]),
            name=i18n.name(stop.name),
        )
        for stop in route.stops
        if _find(stop, sites, products) is None
    ]


def _legs(stops: pd.DataFrame) -> pd.DataFrame:
    rows = []
    points = list(zip(stops["name"], stops["lon"], stops["lat"], strict=True))
    for leg, ((start, lon1, lat1), (end, lon2, lat2)) in enumerate(
        itertools.pairwise(points), start=1
    ):
        km = geodesic_km(lon1, lat1, lon2, lat2)
        rows.append(
            {"leg": leg, "from_name": start, "to_name": end, "km": km, "km_text": km_text(km)}
        )
    return pd.DataFrame(rows, columns=list(LEG_COLUMNS))


def route_legs(route: Route, sites: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """The legs between consecutive found stops (``LEG_COLUMNS``), geodesic km."""
    return _legs(route_stops(route, sites, products))


def route_total_km(legs: pd.DataFrame) -> float:
    return float(legs["km"].sum()) if len(legs) else 0.0


# Links -----------------------------------------------------------------------------------


def _escape(name: str) -> str:
    return name.replace("%", "%25").replace(_STOP_SEPARATOR, "%7C")


def _unescape(text: str) -> str:
    return text.replace("%7C", _STOP_SEPARATOR).replace("%7c", _STOP_SEPARATOR).replace("%25", "%")


def route_to_query(route: Route) -> dict[str, str]:
    """The link parameters of a route: its name and its stops in order."""
    stops = _STOP_SEPARATOR.join(
        f"{_PREFIX_OF_KIND[stop.kind]}:{_escape(stop.name)}" for stop in route.stops
    )
    return {ROUTE_KEY: route.name, STOPS_KEY: stops}


def _parsed_stops(text: str) -> tuple[list[Stop], list[str]]:
    stops: list[Stop] = []
    notices: list[str] = []
    for part in text.split(_STOP_SEPARATOR):
        item = part.strip()
        if not item:
            continue
        # The kind and its colon may be typed full-width (ｓ：); the name is kept as written.
        found = _KIND_MARK.match(item)
        prefix, colon, name = (found[1], ":", item[found.end() :]) if found else ("", "", item)
        kind = _KIND_PREFIXES.get(normalize_text(prefix).lower())
        if not colon or kind is None or not name.strip():
            reason = t("每一站应写作 s:站点名称 或 p:产品名称")
            notices.append(urlparams.invalid_value_notice(STOPS_KEY, item, reason))
            continue
        stops.append(Stop(kind, _unescape(name.strip())))
    return stops, notices


def route_from_query(
    params: Params,
    *,
    sites: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    examples: Iterable[Route] = (),
) -> tuple[Route | None, list[str]]:
    """The route a link carries, or None when it carries none, with notices for what was
    dropped.  With ``sites`` and ``products``, stops not in the data are dropped (names
    retyped with full-width characters are matched); a route equal to one of ``examples``
    is that example."""
    text = urlparams.last_text(params, STOPS_KEY)  # names as written; lookups fold them
    if not text:
        return None, []
    stops, notices = _parsed_stops(text)
    if sites is not None and products is not None:
        kept = []
        for stop in stops:
            row = _find(stop, sites, products)
            if row is None:
                reason = t(
                    "数据中没有名为“{name}”的{kind}",
                    name=stop.name,
                    kind=t(STOP_KIND_LABELS[stop.kind]),
                )
                notices.append(urlparams.invalid_value_notice(STOPS_KEY, stop.name, reason))
            else:
                kept.append(Stop(stop.kind, str(row["name"])))
        stops = kept
    if len(stops) > MAX_STOPS:
        notices.append(t("线路超过 {limit} 站，只保留前 {limit} 站", limit=MAX_STOPS))
        stops = stops[:MAX_STOPS]
    if not stops:
        return None, notices
    name = urlparams.last_text(params, ROUTE_KEY)[:MAX_NAME_LENGTH] or t("未命名线路")
    route = Route(name, tuple(stops))
    for example in examples:
        if (example.name, example.stops) == (route.name, route.stops):
            return example, notices
    return route, notices


# GeoJSON and print ------------------------------------------------------------------------


def _title(route: Route) -> str:
    if route.is_example:
        return t("{route}（{label}）", route=route.name, label=t(EXAMPLE_LABEL))
    return route.name


def route_geojson(route: Route, sites: pd.DataFrame, products: pd.DataFrame) -> dict[str, Any]:
    """The route as a GeoJSON FeatureCollection (WGS-84 lon/lat): the line through the
    stops in order, then one numbered point per stop."""
    stops = route_stops(route, sites, products)
    legs = _legs(stops)
    coordinates = [[lon, lat] for lon, lat in zip(stops["lon"], stops["lat"], strict=True)]
    features: list[dict[str, Any]] = []
    if len(coordinates) >= 2:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coordinates},
                "properties": {
                    "name": route.name,
                    "title": _title(route),
                    "is_example": route.is_example,
                    "stops": len(coordinates),
                    "total_km": round(route_total_km(legs), 1),
                    "legs_km": [round(km, 1) for km in legs["km"]],
                    "distance_note": t(DISTANCE_NOTE),
                },
            }
        )
    for stop in stops.itertuples(index=False):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [stop.lon, stop.lat]},
                "properties": {
                    "order": stop.order,
                    "name": stop.name,
                    "kind": stop.kind,
                    "kind_label": stop.kind_label,
                    "detail": stop.detail,
                    "position": t("示意位置") if stop.approximate else t("精确位置"),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def route_geojson_bytes(route: Route, sites: pd.DataFrame, products: pd.DataFrame) -> bytes:
    """``route_geojson`` as a UTF-8 file (Chinese kept readable)."""
    payload = route_geojson(route, sites, products)
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def route_text(route: Route, sites: pd.DataFrame, products: pd.DataFrame) -> str:
    """The route as a printable list: title, each stop with the leg to the next, total."""
    stops = route_stops(route, sites, products)
    legs = _legs(stops)
    lines = [t("主题线路：{route}", route=_title(route))]
    if stops.empty:
        lines.append(t("（线路中的站点都已不在数据中）"))
    else:
        total = km_text(route_total_km(legs))
        if stops["approximate"].any():
            note = t(
                "{note}；含示意位置的站，距离为近似值",
                note=t(DISTANCE_NOTE),
            )
        else:
            note = t(DISTANCE_NOTE)
        lines.append(
            t("共 {count} 站，全程约 {total}（{note}）", count=len(stops), total=total, note=note)
        )
        lines.append("")
        for position, stop in enumerate(stops.itertuples(index=False)):
            values = {
                "order": stop.order,
                "name": i18n.name(str(stop.name)),
                "kind": stop.kind_label,
                "detail": stop.detail,
            }
            if stop.approximate:
                lines.append(t("{order}. {name}（{kind} · {detail}，示意位置）", **values))
            else:
                lines.append(t("{order}. {name}（{kind} · {detail}）", **values))
            if position < len(legs):
                lines.append(f"   ↓ {legs['km_text'].iloc[position]}")
    lines.extend(
        t("注：{notice}", notice=notice)
        for notice in missing_stops(route, sites, products)  # a stop per line
    )
    return "\n".join(lines) + "\n"


def saved_routes_table(saved: Sequence[SavedRoute]) -> pd.DataFrame:
    """The shared list as users read it: 线路名称, 站数, 保存人, 保存时间（北京时间）."""
    rows = []
    for item in saved:
        moment = beijing_time(item.saved_at)
        rows.append(
            {
                t("线路名称"): item.route.name,
                t("站数"): len(item.route.stops),
                t("保存人"): item.author or t("未署名"),
                t("保存时间（北京时间）"): time_text(moment) if moment else "",
            }
        )
    columns = [t("线路名称"), t("站数"), t("保存人"), t("保存时间（北京时间）")]
    return pd.DataFrame(rows, columns=columns)
