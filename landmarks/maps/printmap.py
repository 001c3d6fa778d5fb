"""The map of a printed page (posters, briefs): counties, prefecture outlines and the
province's outline, the shown products coloured by their industry chain, an optional
selected area, the counties with a national demonstration zone and the sites, in the
view's projection (``projection``), labelled (``labels``); the legend's entries for
what was drawn."""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from landmarks.data.chains import CHAIN_COLORS, NON_CHAIN
from landmarks.data.model import AREA_COUNTY
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.maps import inset
from landmarks.maps.builders import STYLES
from landmarks.maps.furniture import make_room
from landmarks.maps.ink import INK, MUTED, Rect, add_frame
from landmarks.maps.labels import Labels, place_labels
from landmarks.maps.paper import MapView
from landmarks.maps.projection import frame_limits, points, projected, view_crs
from landmarks.query import stats
from landmarks.query.frame import Bounds, province_bounds

ZONE_LEGEND = N_("国家级保护示范区所在县")
AREA_LEGEND = N_("所选产品的保护范围")
SELECTED_LEGEND = N_("所选县市区")
PROVINCE_LEGEND = N_("省级界")
PREFECTURE_LEGEND = N_("市州界")
COUNTY_LEGEND = N_("县市区界")
SITES_LEGEND = N_("地标+文旅站点")
# A dot is one registered name (登记); a chain's count counts products (families of
# registrations, 一品多标 once), so its label says both.
CHAIN_LEGEND = N_("{name}：{products} 个产品（{marks} 个登记点）")
WIDE_LEGEND = N_("全市州范围或跨县登记（虚线圈，示意位置）")

COUNTY_FILL = STYLES["county"]["fillColor"]
COUNTY_EDGE = STYLES["county"]["color"]
PREFECTURE_EDGE = STYLES["prefecture"]["color"]
ZONE_FILL = STYLES["zone"]["fillColor"]
AREA_FILL = STYLES["area"]["fillColor"]
AREA_EDGE = STYLES["area"]["color"]
SELECTED_EDGE = STYLES["selected"]["color"]
OUTSIDE_FILL, OUTSIDE_EDGE = "#fbfaf8", "#d6d0c6"  # counties around a brief's subject
WIDE_DASHES = (0, (1.8, 1.1))  # the hollow ring's dashes (the web map's "4 3" at its size)


def chains_shown(products: pd.DataFrame) -> list[tuple[str, int, int]]:
    """(chain, products, dots) for the chains with products, in the chains' order: a
    family of registrations (一品多标) counts once as a product, each of its registered
    names is a dot on the map."""
    counts = stats.products_by_chain(products)
    dots = products["chain"].value_counts()
    return [
        (str(name), int(count), int(dots.get(name, 0))) for name, count in counts.items() if count
    ]


def _wide(products: pd.DataFrame) -> pd.Series:
    return products["area_level"] != AREA_COUNTY


@dataclass(frozen=True)
class MapDrawing:
    """What ``draw_map`` drew: its projection, the legend's entries and the land (the
    province in map coordinates), which the scale bar and north arrow keep clear of."""

    crs: pyproj.CRS
    handles: list[Artist]
    land: BaseGeometry
    whole_country: bool = False  # a map of the whole country: framed_map adds the inset
    inset_axes: Axes | None = None  # the 南海诸岛 inset (framed_map, whole country only)


def map_bounds(regions: Regions, view: MapView) -> tuple[Bounds, bool]:
    """The frame the map is drawn at, and whether it is a map of the whole country (the
    country north of the South China Sea islands, which go into an inset: ``inset``)."""
    if inset.is_whole_country(regions, view.frame):
        return inset.main_frame(regions), True
    return view.frame or province_bounds(regions), False


def framed_map(
    fig: Figure,
    rect: Rect,
    gid: str,
    regions: Regions,
    view: MapView,
    scale: float,
    line_width: float,
) -> tuple[Axes, MapDrawing]:
    """The map drawn in new axes at ``rect`` (named ``gid`` in SVG/PDF), in a thin frame."""
    ax = fig.add_axes(rect)
    ax.set_gid(gid)
    drawn = draw_map(ax, regions, view, scale)
    if drawn.whole_country:
        inset_ax, covered = inset.add_inset(
            ax, regions, inset.sea_layer(regions.region), drawn.crs, scale, line_width
        )
        drawn = replace(drawn, land=shapely.union_all([drawn.land, covered]), inset_axes=inset_ax)
    add_frame(ax, MUTED, line_width)
    return ax, drawn


def draw_map(ax: Axes, regions: Regions, view: MapView, scale: float = 1.0) -> MapDrawing:
    """Draw the view into ``ax``."""
    bounds, whole_country = map_bounds(regions, view)
    crs = view_crs(bounds)
    counties = projected(regions.counties, crs)
    prefectures = projected(regions.prefectures, crs)
    ax.set_axis_off()
    frame_limits(ax, bounds, crs)
    line = 0.35 * scale

    counties.plot(ax=ax, facecolor=COUNTY_FILL, edgecolor=COUNTY_EDGE, linewidth=line, zorder=1)
    if view.focus:
        others = counties[~counties["adcode"].isin(list(view.focus))]
        others.plot(
            ax=ax, facecolor=OUTSIDE_FILL, edgecolor=OUTSIDE_EDGE, linewidth=line, zorder=1.5
        )
    handles: list[Artist] = []
    zones = counties[counties["adcode"].isin(list(view.zone_counties))]
    if not zones.empty:
        zones.plot(
            ax=ax, facecolor=ZONE_FILL, edgecolor=COUNTY_EDGE, linewidth=line, alpha=0.75, zorder=2
        )
    area = counties[counties["adcode"].isin(list(view.area))]
    if not area.empty:
        area.plot(ax=ax, facecolor=AREA_FILL, alpha=0.25, edgecolor="none", zorder=3)
        area.boundary.plot(ax=ax, color=AREA_EDGE, linewidth=1.6 * scale, zorder=4)
    selected = counties[counties["adcode"] == (view.selected_county or "")]
    if not selected.empty:
        selected.boundary.plot(ax=ax, color=SELECTED_EDGE, linewidth=2.2 * scale, zorder=5)
    provinces = regions.provinces if whole_country else None
    if provinces is not None:  # the country: provinces over thinner prefecture lines
        prefectures.boundary.plot(ax=ax, color=PREFECTURE_EDGE, linewidth=0.6 * scale, zorder=6)
        provinces = projected(provinces, crs)
        provinces.boundary.plot(ax=ax, color=INK, linewidth=1.1 * scale, zorder=6)
        land = shapely.union_all(provinces.geometry.to_numpy())
    else:
        prefectures.boundary.plot(ax=ax, color=PREFECTURE_EDGE, linewidth=1.1 * scale, zorder=6)
        land = shapely.union_all(prefectures.geometry.to_numpy())
    make_room(ax, land)
    outline = gpd.GeoSeries([land], crs=crs)
    outline.boundary.plot(ax=ax, color=INK, linewidth=1.8 * scale, zorder=6)

    products = view.products
    size = (5.2 * scale) ** 2
    if not products.empty:
        x, y = points(products, crs)
        colors = products["chain"].map(CHAIN_COLORS).fillna(CHAIN_COLORS[NON_CHAIN]).to_numpy()
        wide = _wide(products).to_numpy()
        if (~wide).any():
            ax.scatter(
                x[~wide],
                y[~wide],
                s=size,
                c=list(colors[~wide]),
                edgecolors="white",
                linewidths=0.6 * scale,
                zorder=9,
            )
        if wide.any():
            ax.scatter(
                x[wide],
                y[wide],
                s=size * 1.3,
                facecolors="white",
                edgecolors=list(colors[wide]),
                linewidths=1.5 * scale,
                linestyles=WIDE_DASHES,
                zorder=8,
            )
    sites = view.sites
    if sites is not None and not sites.empty:
        x, y = points(sites, crs)
        ax.scatter(
            x,
            y,
            s=size * 0.9,
            marker="D",
            c="#00796b",
            edgecolors="white",
            linewidths=0.5 * scale,
            zorder=8,
        )

    labels = Labels(ax)
    place_labels(
        ax,
        labels,
        regions,
        view,
        crs,
        scale,
        counties=not whole_country,
        provinces=provinces is not None,
    )

    for name, count, marks in chains_shown(products):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=6.5 * scale,
                markerfacecolor=CHAIN_COLORS[name],
                markeredgecolor="white",
                label=t(CHAIN_LEGEND, name=t(name), products=count, marks=marks),
            )
        )
    if not products.empty and _wide(products).any():
        # A scatter of no visible point: the legend draws its dashed ring.
        handles.append(
            ax.scatter(
                [np.nan],
                [np.nan],
                s=size * 1.3,
                facecolors="white",
                edgecolors=MUTED,
                linewidths=1.5 * scale,
                linestyles=WIDE_DASHES,
                label=t(WIDE_LEGEND),
            )
        )
    if sites is not None and not sites.empty:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markersize=5.5 * scale,
                markerfacecolor="#00796b",
                markeredgecolor="white",
                label=t(SITES_LEGEND),
            )
        )
    if not zones.empty:
        handles.append(Patch(facecolor=ZONE_FILL, edgecolor=COUNTY_EDGE, label=t(ZONE_LEGEND)))
    if not area.empty:
        handles.append(
            Patch(facecolor=AREA_FILL, alpha=0.4, edgecolor=AREA_EDGE, label=t(AREA_LEGEND))
        )
    if not selected.empty:
        handles.append(Patch(facecolor="none", edgecolor=SELECTED_EDGE, label=t(SELECTED_LEGEND)))
    if provinces is not None:
        handles.append(Line2D([], [], color=INK, linewidth=1.1 * scale, label=t(PROVINCE_LEGEND)))
    prefecture_line = (0.6 if provinces is not None else 1.1) * scale
    handles.append(
        Line2D([], [], color=PREFECTURE_EDGE, linewidth=prefecture_line, label=t(PREFECTURE_LEGEND))
    )
    handles.append(Patch(facecolor=COUNTY_FILL, edgecolor=COUNTY_EDGE, label=t(COUNTY_LEGEND)))
    return MapDrawing(crs, handles, land, whole_country)
