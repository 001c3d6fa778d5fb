"""Printable posters of a map view, drawn on the server with geopandas and matplotlib.

A poster is one page, A4 or A3, landscape or portrait: a title and the view's filters,
the map (counties, prefecture outlines, the shown products coloured by their industry
chain, an optional selected area and the counties with a national demonstration zone),
a legend, a scale bar, a north arrow, and a footer with the source line, the data's
date and the time it was generated (Beijing time).  Optionally a QR code of the view's
link (``landmarks.maps.qr``) so a visitor can open it on a phone.

The map is drawn in a Lambert conformal conic projection centred on the view, its two
standard parallels at a sixth of the view's height from its edges: over Hubei the scale
varies by less than 0.1 %, and the scale bar is drawn for the scale at its own position
(``pyproj``'s point scale factors), so its label is exact there.  The north arrow points
to true north at its position (the meridian convergence), not to the top of the page.

PNG files are rendered at 300 dpi, exactly the paper's size in pixels (mm / 25.4 × 300,
rounded); PDF files are vector, with the paper's size in points and their text as text
(the CJK font is embedded: ``landmarks.maps.fonts``).  No browser is involved.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from shapely.geometry.base import BaseGeometry

from landmarks import i18n
from landmarks.data.chains import CHAIN_COLORS, NON_CHAIN
from landmarks.data.model import AREA_COUNTY
from landmarks.data.regions import Regions
from landmarks.data.visible import visible
from landmarks.i18n import N_, t
from landmarks.maps import fonts, qr
from landmarks.maps.builders import STYLES
from landmarks.maps.geometry import label_point
from landmarks.maps.paper import (
    A4,
    LANDSCAPE,
    MM_PER_INCH,
    PAPER_MM,
    PDF,
    PNG,
    PNG_DPI,
    SOFTWARE,
    MapView,
    Paper,
    PosterText,
)
from landmarks.query import stats
from landmarks.query.frame import Bounds, province_bounds

Rect = tuple[float, float, float, float]  # left, bottom, width, height (figure fraction)

SCALE_UNIT = "km"
NORTH = N_("北")
LEGEND_TITLE = N_("图例")
MAP_NOTE = N_("示意图：产品圆点为县域内或保护范围内的示意位置，界线仅供参考。")
ZONE_LEGEND = N_("国家级保护示范区所在县")
AREA_LEGEND = N_("所选产品的保护范围")
SELECTED_LEGEND = N_("所选县市区")
PREFECTURE_LEGEND = N_("市州界")
COUNTY_LEGEND = N_("县市区界")
SITES_LEGEND = N_("地标+文旅站点")
# A dot is one registered name (登记); a chain's count counts products (families of
# registrations, 一品多标 once), so its label says both.
CHAIN_LEGEND = N_("{name}：{products} 个产品（{marks} 个登记点）")
WIDE_LEGEND = N_("全市州范围或跨县登记（虚线圈，示意位置）")
LEGEND_WRAP = 36  # characters per line of an English legend label
# Product names are printed next to their markers up to this many products.
MAX_PRODUCT_LABELS = 60
_NICE_STEPS = (1, 2, 2.5, 5)

INK = "#2b2520"
MUTED = "#6b6258"
COUNTY_FILL = STYLES["county"]["fillColor"]
COUNTY_EDGE = STYLES["county"]["color"]
PREFECTURE_EDGE = STYLES["prefecture"]["color"]
ZONE_FILL = STYLES["zone"]["fillColor"]
AREA_FILL = STYLES["area"]["fillColor"]
AREA_EDGE = STYLES["area"]["color"]
SELECTED_EDGE = STYLES["selected"]["color"]
OUTSIDE_FILL, OUTSIDE_EDGE = "#fbfaf8", "#d6d0c6"  # counties around a brief's subject
WIDE_DASHES = (0, (1.8, 1.1))  # the hollow ring's dashes (the web map's "4 3" at its size)
_HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


# ------------------------------------------------------------------ projection


def view_crs(bounds: Bounds) -> pyproj.CRS:
    """Lambert conformal conic centred on ``bounds`` ((south, west), (north, east))."""
    (south, west), (north, east) = bounds
    height = max(north - south, 0.2)
    middle = (south + north) / 2
    return pyproj.CRS.from_dict(
        {
            "proj": "lcc",
            "lat_1": round(middle - height / 3, 4),
            "lat_2": round(middle + height / 3, 4),
            "lat_0": round(middle, 4),
            "lon_0": round((west + east) / 2, 4),
            "ellps": "GRS80",  # CGCS2000's ellipsoid
            "units": "m",
            "no_defs": True,
        }
    )


def nice_length(km: float) -> float:
    """The largest 1, 2, 2.5 or 5 × 10ⁿ km not above ``km``."""
    if km <= 0:
        raise ValueError("length must be positive")
    power = 10.0 ** math.floor(math.log10(km))
    return float(max(step * power for step in _NICE_STEPS if step * power <= km))


def _km_text(km: float) -> str:
    return f"{km:g}"


@dataclass(frozen=True)
class ScaleBar:
    """The drawn scale bar: its label in km and its ends in map coordinates."""

    km: float
    start: tuple[float, float]
    end: tuple[float, float]
    ratio: int  # 1 : ratio when printed at the paper's own size


# ------------------------------------------------------------------ the map


def _projected(frame: gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    return frame.to_crs(crs)


def _points(frame: pd.DataFrame, crs: pyproj.CRS) -> tuple[np.ndarray, np.ndarray]:
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = transformer.transform(
        frame["lon"].astype(float).to_numpy(), frame["lat"].astype(float).to_numpy()
    )
    return np.asarray(x), np.asarray(y)


def projected_extent(
    bounds: Bounds, crs: pyproj.CRS, margin: float = 0.03
) -> tuple[float, float, float, float]:
    """(min_x, max_x, min_y, max_y) of ``bounds`` in ``crs``, with a margin around."""
    (south, west), (north, east) = bounds
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    grid_lon, grid_lat = np.meshgrid(np.linspace(west, east, 9), np.linspace(south, north, 9))
    x, y = transformer.transform(grid_lon.ravel(), grid_lat.ravel())
    min_x, max_x = float(np.min(x)), float(np.max(x))
    min_y, max_y = float(np.min(y)), float(np.max(y))
    pad_x, pad_y = (max_x - min_x) * margin, (max_y - min_y) * margin
    return min_x - pad_x, max_x + pad_x, min_y - pad_y, max_y + pad_y


def frame_aspect(bounds: Bounds) -> float:
    """Height over width of the framed area as drawn."""
    min_x, max_x, min_y, max_y = projected_extent(bounds, view_crs(bounds))
    return (max_y - min_y) / (max_x - min_x)


def _frame_limits(ax: Axes, bounds: Bounds, crs: pyproj.CRS) -> None:
    """Fit the axes to ``bounds`` (projected), keeping true shape: the box is filled."""
    min_x, max_x, min_y, max_y = projected_extent(bounds, crs)
    # Grow one side so that a map metre is as long across as up: the box is filled.
    box = ax.get_position()
    fig_width, fig_height = _root(ax).get_size_inches()
    box_ratio = (box.height * fig_height) / (box.width * fig_width)
    width, height = max_x - min_x, max_y - min_y
    if height / width < box_ratio:
        grow = (width * box_ratio - height) / 2
        min_y, max_y = min_y - grow, max_y + grow
    else:
        grow = (height / box_ratio - width) / 2
        min_x, max_x = min_x - grow, max_x + grow
    ax.set_xlim(min_x, max_x)
    ax.set_ylim(min_y, max_y)
    ax.set_aspect("equal", adjustable="box")


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


@dataclass
class _Labels:
    """Places text without overlaps: a label that would overlap one placed before it
    (higher priority first) or leave the map is dropped."""

    ax: Axes
    placed: list[Bbox] = field(default_factory=list)

    def block(self, ax: Axes, x: np.ndarray, y: np.ndarray, radius: float) -> None:
        """Keep labels off these points (map coordinates; ``radius`` in points)."""
        pixels = radius * _root(ax).dpi / 72
        for px, py in ax.transData.transform(np.column_stack([x, y])):
            self.placed.append(
                Bbox.from_extents(px - pixels, py - pixels, px + pixels, py + pixels)
            )

    def add(self, text: Text, pad: float = 1.5) -> bool:
        renderer = self.ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        box = text.get_window_extent(renderer).expanded(1.0, 1.0).padded(pad)
        inside = self.ax.get_window_extent(renderer)
        fits = (
            box.x0 >= inside.x0
            and box.x1 <= inside.x1
            and box.y0 >= inside.y0
            and box.y1 <= inside.y1
        )
        if not fits or any(box.overlaps(other) for other in self.placed):
            text.remove()
            return False
        self.placed.append(box)
        return True


@dataclass(frozen=True)
class MapDrawing:
    """What ``draw_map`` drew: its projection, the legend's entries and the land (the
    province in map coordinates), which the scale bar and north arrow keep clear of."""

    crs: pyproj.CRS
    handles: list[Artist]
    land: BaseGeometry


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
    ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            facecolor="none",
            edgecolor=MUTED,
            linewidth=line_width,
            zorder=20,
            clip_on=False,  # clipped, the frame's edges would be half as wide or gone
        )
    )
    return ax, drawn


def draw_map(ax: Axes, regions: Regions, view: MapView, scale: float = 1.0) -> MapDrawing:
    """Draw the view into ``ax``."""
    bounds = view.frame or province_bounds(regions)
    crs = view_crs(bounds)
    counties = _projected(regions.counties, crs)
    prefectures = _projected(regions.prefectures, crs)
    ax.set_axis_off()
    _frame_limits(ax, bounds, crs)
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
    prefectures.boundary.plot(ax=ax, color=PREFECTURE_EDGE, linewidth=1.1 * scale, zorder=6)
    land = shapely.union_all(prefectures.geometry.to_numpy())
    _make_room(ax, land)
    outline = gpd.GeoSeries([land], crs=crs)
    outline.boundary.plot(ax=ax, color=INK, linewidth=1.8 * scale, zorder=6)

    products = view.products
    size = (5.2 * scale) ** 2
    if not products.empty:
        x, y = _points(products, crs)
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
        x, y = _points(sites, crs)
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

    labels = _Labels(ax)
    _place_labels(ax, labels, regions, view, crs, scale)

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
    handles.append(
        Line2D([], [], color=PREFECTURE_EDGE, linewidth=1.1 * scale, label=t(PREFECTURE_LEGEND))
    )
    handles.append(Patch(facecolor=COUNTY_FILL, edgecolor=COUNTY_EDGE, label=t(COUNTY_LEGEND)))
    return MapDrawing(crs, handles, land)


def _place_labels(
    ax: Axes, labels: _Labels, regions: Regions, view: MapView, crs: pyproj.CRS, scale: float
) -> None:
    """Prefecture names first, then product names (when few), then county names."""
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def at(lon: float, lat: float) -> tuple[float, float]:
        x, y = transformer.transform(lon, lat)
        return float(x), float(y)

    for name, geometry in zip(
        regions.prefectures["name"], regions.prefectures.geometry, strict=True
    ):
        x, y = at(*label_point(geometry))
        text = ax.text(
            x,
            y,
            i18n.name(name),
            fontsize=8.5 * scale,
            color=INK,
            ha="center",
            va="center",
            zorder=12,
            path_effects=_HALO,
        )
        labels.add(text)

    products = view.products
    if not products.empty:
        labels.block(ax, *_points(products, crs), radius=2.8 * scale)
    show = view.label_products
    if show is None:
        show = 0 < len(products) <= MAX_PRODUCT_LABELS
    if show and not products.empty:
        xs, ys = _points(products, crs)
        for name, px, py in zip(products["name"], xs, ys, strict=True):
            text = ax.annotate(
                i18n.name(str(name)),
                (px, py),
                xytext=(4.5 * scale, 0),
                textcoords="offset points",
                fontsize=5.6 * scale,
                color=INK,
                va="center",
                zorder=11,
                path_effects=_HALO,
                annotation_clip=False,
            )
            labels.add(text)

    for name, geometry in zip(regions.counties["name"], regions.counties.geometry, strict=True):
        x, y = at(*label_point(geometry))
        text = ax.text(
            x,
            y,
            i18n.name(name),
            fontsize=4.8 * scale,
            color=MUTED,
            ha="center",
            va="center",
            zorder=7,
            path_effects=_HALO,
        )
        labels.add(text, pad=0.5)


# Where the scale bar may go (axes fractions x0, y0, x1, y1): lower right, lower left.
SCALE_BAR_CORNERS = ((0.68, 0.0, 1.0, 0.16), (0.0, 0.0, 0.32, 0.16))
NORTH_ARROW_CORNERS = ((0.9, 0.78, 1.0, 1.0), (0.0, 0.78, 0.1, 1.0))


def _make_room(ax: Axes, land: BaseGeometry, tolerance: float = 0.02) -> None:
    """Lower the map's bottom edge until a lower corner is clear of land for the scale
    bar (both sides grow alike, so the map keeps its shape)."""
    for _ in range(4):
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        box = SCALE_BAR_CORNERS[_clearest(ax, land, SCALE_BAR_CORNERS)]
        shape = shapely.box(
            x0 + (x1 - x0) * box[0],
            y0 + (y1 - y0) * box[1],
            x0 + (x1 - x0) * box[2],
            y0 + (y1 - y0) * box[3],
        )
        if shape.intersection(land).area <= shape.area * tolerance:
            return
        grow = (y1 - y0) * 0.08
        ax.set_ylim(y0 - grow, y1)
        side = grow * (x1 - x0) / (y1 - y0) / 2
        ax.set_xlim(x0 - side, x1 + side)


def _clearest(ax: Axes, land: BaseGeometry | None, boxes: Sequence[Sequence[float]]) -> int:
    """Which of the boxes (axes fractions x0, y0, x1, y1) covers the least land."""
    if land is None:
        return 0
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()

    def covered(box: Sequence[float]) -> float:
        shape = shapely.box(
            x0 + (x1 - x0) * box[0],
            y0 + (y1 - y0) * box[1],
            x0 + (x1 - x0) * box[2],
            y0 + (y1 - y0) * box[3],
        )
        return float(shape.intersection(land).area)

    areas = [covered(box) for box in boxes]
    return areas.index(min(areas))


def add_scale_bar(
    ax: Axes,
    crs: pyproj.CRS,
    paper_width_mm: float,
    scale: float = 1.0,
    land: BaseGeometry | None = None,
) -> ScaleBar:
    """A scale bar of about a fifth of the map's width, exact at its own latitude, in the
    lower corner that covers the least land."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    width = x1 - x0
    # Where the bar starts (axes fraction): lower right or lower left.
    fx = (0.70, 0.04)[_clearest(ax, land, SCALE_BAR_CORNERS)]
    start_x, start_y = x0 + width * fx, y0 + (y1 - y0) * 0.06
    lon, lat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
        start_x, start_y
    )
    factor = float(pyproj.Proj(crs).get_factors(lon, lat).parallel_scale)
    km = nice_length(width * 0.22 / 1000 / factor)
    length = km * 1000 * factor  # map units for km on the ground here
    segments = 4 if km / 4 == int(km / 4) or km < 4 else 2
    height = (y1 - y0) * 0.008 * scale
    box_pad_x, box_pad_y = width * 0.012, (y1 - y0) * 0.012
    ax.add_patch(
        Rectangle(
            (start_x - box_pad_x, start_y - box_pad_y * 2.8),
            length + box_pad_x * 2 + width * 0.03,
            height + box_pad_y * 6.4,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=14,
        )
    )
    for i in range(segments):
        ax.add_patch(
            Rectangle(
                (start_x + length * i / segments, start_y),
                length / segments,
                height,
                facecolor=INK if i % 2 == 0 else "white",
                edgecolor=INK,
                linewidth=0.6 * scale,
                zorder=15,
            )
        )
    for i in (0, segments // 2, segments):
        value = km * i / segments
        ax.text(
            start_x + length * i / segments,
            start_y - box_pad_y * 0.5,
            _km_text(value),
            fontsize=6.5 * scale,
            color=INK,
            ha="center",
            va="top",
            zorder=16,
        )
    ax.text(
        start_x + length + width * 0.008,
        start_y + height / 2,
        SCALE_UNIT,
        fontsize=6.5 * scale,
        color=INK,
        ha="left",
        va="center",
        zorder=16,
    )
    # The printed scale: map metres per metre of paper at 100 % print size.
    axes_mm = ax.get_position().width * paper_width_mm
    ratio = int(round(width / factor / (axes_mm / 1000), -4 if width > 2e5 else -3))
    ax.text(
        start_x,
        start_y + height + box_pad_y * 0.9,
        t("比例尺 1:{ratio}（按原尺寸打印）", ratio=f"{ratio:,}"),
        fontsize=6 * scale,
        color=MUTED,
        ha="left",
        va="bottom",
        zorder=16,
    )
    return ScaleBar(km, (start_x, start_y), (start_x + length, start_y), ratio)


def add_north_arrow(
    ax: Axes, crs: pyproj.CRS, scale: float = 1.0, land: BaseGeometry | None = None
) -> float:
    """An arrow to true north in the upper corner that covers the least land; returns
    its angle from the page's vertical in degrees (the meridian convergence there)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    fx = (0.95, 0.05)[_clearest(ax, land, NORTH_ARROW_CORNERS)]
    cx, cy = x0 + (x1 - x0) * fx, y1 - min(x1 - x0, y1 - y0) * 0.12
    lon, lat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(cx, cy)
    angle = float(pyproj.Proj(crs).get_factors(lon, lat).meridian_convergence)
    size = min(x1 - x0, y1 - y0) * 0.045 * scale
    rad = math.radians(angle)
    # pyproj's convergence is the angle from grid north to true north, clockwise positive.
    dx, dy = math.sin(rad), math.cos(rad)
    px, py = -dy, dx  # perpendicular
    tip = (cx + dx * size, cy + dy * size)
    base = (cx - dx * size * 0.55, cy - dy * size * 0.55)
    left = (cx + px * size * 0.38 - dx * size * 0.8, cy + py * size * 0.38 - dy * size * 0.8)
    right = (cx - px * size * 0.38 - dx * size * 0.8, cy - py * size * 0.38 - dy * size * 0.8)
    ax.add_patch(
        Polygon(
            [tip, left, base],
            closed=True,
            facecolor=INK,
            edgecolor=INK,
            linewidth=0.6 * scale,
            zorder=15,
        )
    )
    ax.add_patch(
        Polygon(
            [tip, right, base],
            closed=True,
            facecolor="white",
            edgecolor=INK,
            linewidth=0.6 * scale,
            zorder=15,
        )
    )
    ax.text(
        tip[0] + dx * size * 0.12,
        tip[1] + dy * size * 0.12,
        t(NORTH),
        fontsize=9 * scale,
        color=INK,
        ha="center",
        va="bottom",
        rotation=-angle,
        zorder=16,
        path_effects=_HALO,
    )
    return angle


def add_qr(fig: Figure, url: str, rect: Rect, caption: str) -> Axes | None:
    """The QR code of ``url`` drawn in ``rect`` (figure fraction), one image pixel per
    module, never smoothed; None when the link is too long for a QR code (the footer
    prints the link anyway)."""
    try:
        modules = np.array(qr.matrix(url), dtype=float)
    except qr.TooLongError:
        return None
    ax: Axes = fig.add_axes(rect)
    ax.imshow(1 - modules, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_title(caption, fontsize=7 * _figure_scale(fig), color=INK, pad=2)
    return ax


FOOTER_LINE_MM = 4.4
_NO_LINE_START = frozenset("）)，,。.；;、：:！？」』】")  # not UI: typography


def footer_lines(
    fig: Figure, text: PosterText, width: float, fontsize: float
) -> list[tuple[str, bool]]:
    """The footer's lines, wrapped to ``width``: source line (flagged True), dates, the
    map note and the link."""
    given = [part for part in (text.data_date, text.generated_text()) if part]
    dates = t("{first}　{second}", first=given[0], second=given[1]) if len(given) == 2 else given[0]
    parts = [text.source_line, dates, t(MAP_NOTE)]
    if text.link:
        parts.append(t("链接：{link}", link=text.link))
    return [
        (piece, index == 0)
        for index, part in enumerate(parts)
        for piece in wrap_text(fig, part, width, fontsize)
    ]


def wrap_text(fig: Figure, line: str, width: float, fontsize: float) -> list[str]:
    """``line`` broken into pieces at most ``width`` (figure fraction) wide when set at
    ``fontsize``; Chinese text breaks between any two characters, English text (in
    English) between words where it can."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    probe = fig.text(0, 0, "", fontsize=fontsize)
    limit = width * fig.bbox.width
    pieces: list[str] = []
    current = ""
    for char in line:
        probe.set_text(current + char)
        too_wide = probe.get_window_extent(renderer).width > limit
        # Closing punctuation never starts a line (it may stick out a little instead).
        if current and too_wide and char not in _NO_LINE_START:
            head, space, tail = current.rpartition(" ")
            if i18n.english() and space and head.strip() and not char.isspace():
                pieces.append(head)  # the word being cut moves to the next line
                current = tail + char
                continue
            pieces.append(current)
            current = char.lstrip()
        else:
            current += char
    probe.remove()
    return [*pieces, current] if current else pieces


def _root(ax: Axes) -> Figure:
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    return figure


def _figure_scale(fig: Figure) -> float:
    width, height = fig.get_size_inches()
    return math.sqrt(min(width, height) * MM_PER_INCH / PAPER_MM[A4][0])


def new_figure(paper: Paper) -> Figure:
    fonts.use_cjk()
    fig = Figure(figsize=paper.inches, dpi=72, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def add_legend(fig: Figure, handles: list[Artist], scale: float, **placement: Any) -> Legend:
    if i18n.english():  # English labels run longer than the legend's column: wrap them
        for handle in handles:
            handle.set_label(textwrap.fill(str(handle.get_label()), LEGEND_WRAP))
    legend: Legend = fig.legend(
        handles=handles,
        title=t(LEGEND_TITLE),
        fontsize=7.5 * scale,
        title_fontsize=8.5 * scale,
        frameon=False,
        alignment="left",
        handlelength=1.6,
        borderaxespad=0,
        **placement,
    )
    legend.set_gid("poster-legend")
    return legend


def map_box(
    left: float,
    bottom: float,
    width: float,
    height: float,
    aspect: float,
    fig: Figure,
    top: bool,
    centre: bool = True,
    full_width: bool = False,
) -> Rect:
    """The largest box of the framed area's ``aspect`` inside the given one (figure
    fraction): at the top (``top``) or centred up and down; centred across (``centre``)
    or at the left.  With ``full_width`` a frame taller than the box still gets the
    box's whole width (the map then shows more on either side of the frame)."""
    fig_width, fig_height = fig.get_size_inches()
    box_aspect = (height * fig_height) / (width * fig_width)
    if full_width:
        aspect = min(aspect, box_aspect)
    if aspect <= box_aspect:  # wider than the box: full width, less height
        shown = width * fig_width * aspect / fig_height
        return (left, bottom + (height - shown if top else (height - shown) / 2), width, shown)
    shown = height * fig_height / aspect / fig_width
    return (left + ((width - shown) / 2 if centre else 0), bottom, shown, height)


TITLE_POINTS, MIN_TITLE_POINTS = 22, 16  # on A4; A3 is scaled up
TITLE_LINE_SPACING = 1.2
TITLE_BREAK = " · "  # a long title breaks after its separators (share.TITLE_SEPARATOR)


def _text_width(fig: Figure, line: str, fontsize: float) -> float:
    """``line``'s width set at ``fontsize``, in figure fraction."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    probe = fig.text(0, 0, line, fontsize=fontsize)
    width = probe.get_window_extent(renderer).width / fig.bbox.width
    probe.remove()
    return float(width)


def title_layout(fig: Figure, title: str, width: float, scale: float) -> tuple[float, list[str]]:
    """The title's type size and lines within ``width`` (figure fraction): one line,
    set smaller down to ``MIN_TITLE_POINTS`` if need be, else broken after its " · "
    separators (a part too long for a line alone is wrapped like any text)."""
    size = TITLE_POINTS * scale
    full = _text_width(fig, title, size)
    if full <= width:
        return size, [title]
    size = max(MIN_TITLE_POINTS * scale, size * width / full)
    if _text_width(fig, title, size) <= width:
        return size, [title]
    parts = title.split(TITLE_BREAK)
    lines: list[str] = []
    for index, part in enumerate(parts):
        piece = part + (TITLE_BREAK.rstrip() if index < len(parts) - 1 else "")
        joined = f"{lines[-1]} {piece}" if lines else piece
        if lines and _text_width(fig, joined, size) <= width:
            lines[-1] = joined
        else:
            lines.extend(wrap_text(fig, piece, width, size))
    return size, lines


def poster_figure(regions: Regions, view: MapView, text: PosterText, paper: Paper) -> Figure:
    """The poster as a matplotlib figure (inspect it, or save it with ``render``)."""
    fig = new_figure(paper)
    scale = paper.scale
    width_mm, height_mm = paper.mm
    mm_x, mm_y = 1 / width_mm, 1 / height_mm
    margin = 12 * scale
    left, right, top, bottom = margin * mm_x, 1 - margin * mm_x, 1 - margin * mm_y, margin * mm_y

    size, title_lines = title_layout(fig, text.title, right - left, scale)
    fig.text(
        left,
        top,
        "\n".join(title_lines),
        fontsize=size,
        color=INK,
        ha="left",
        va="top",
        linespacing=TITLE_LINE_SPACING,
    )
    # Lines past the first push the subtitle and the map down.
    below_title = (len(title_lines) - 1) * size * TITLE_LINE_SPACING / 72 * MM_PER_INCH * mm_y
    top -= below_title
    if text.subtitle:
        fig.text(
            left,
            top - 12 * scale * mm_y,
            text.subtitle,
            fontsize=10 * scale,
            color=MUTED,
            ha="left",
            va="top",
            wrap=True,
        )
    map_top = top - 24 * scale * mm_y
    footer = footer_lines(fig, text, right - left, 7 * scale)
    footer_top = bottom + (len(footer) * FOOTER_LINE_MM + 2) * scale * mm_y
    aspect = frame_aspect(view.frame or province_bounds(regions))
    qr_w, qr_h = 30 * scale * mm_x, 30 * scale * mm_y
    if paper.orientation == LANDSCAPE:
        side = 62 * scale * mm_x
        map_rect = map_box(
            left,
            footer_top + 3 * mm_y,
            right - left - side - 6 * scale * mm_x,
            map_top - footer_top - 3 * mm_y,
            aspect,
            fig,
            top=False,
            full_width=True,
        )
        legend_at = (right - side, map_rect[1] + map_rect[3])
        qr_rect: Rect = (right - side, map_rect[1], qr_w, qr_h)
        columns = 1
    else:
        below = 62 * scale * mm_y
        map_rect = map_box(
            left,
            footer_top + below,
            right - left,
            map_top - footer_top - below,
            aspect,
            fig,
            top=True,
            full_width=True,
        )
        legend_at = (left, map_rect[1] - 5 * scale * mm_y)
        qr_rect = (right - qr_w, legend_at[1] - qr_h - 4 * scale * mm_y, qr_w, qr_h)
        columns = 2
    ax, drawn = framed_map(fig, map_rect, "poster-map", regions, view, scale, 0.6 * scale)
    add_scale_bar(ax, drawn.crs, width_mm, scale, drawn.land)
    add_north_arrow(ax, drawn.crs, scale, drawn.land)
    legend = add_legend(
        fig, drawn.handles, scale, loc="upper left", bbox_to_anchor=legend_at, ncols=columns
    )
    if text.figures:
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        box = legend.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        width = (right - legend_at[0]) if paper.orientation == LANDSCAPE else qr_rect[0] - left
        lines = [
            part
            for line in text.figures
            for part in wrap_text(fig, line, width - 4 * scale * mm_x, 7.5 * scale)
        ]
        fig.text(
            legend_at[0],
            box.y0 - 5 * scale * mm_y,
            "\n".join(lines),
            fontsize=7.5 * scale,
            color=INK,
            ha="left",
            va="top",
            linespacing=1.6,
        )
    if text.link:
        add_qr(fig, text.link, qr_rect, t("扫码打开当前视图"))

    for i, (line, first) in enumerate(footer):
        fig.text(
            left,
            footer_top - (2 + i * FOOTER_LINE_MM) * scale * mm_y,
            line,
            fontsize=7 * scale,
            color=INK if first else MUTED,
            ha="left",
            va="top",
        )
    return fig


def render(fig: Figure, paper: Paper, file_type: str, dpi: int = PNG_DPI) -> bytes:
    """The figure as PNG (exactly the paper's size in pixels at ``dpi``) or vector PDF."""
    _visible_texts(fig)
    buffer = io.BytesIO()
    if file_type == PNG:
        width, height = paper.pixels(dpi)
        fig.set_size_inches(width / dpi, height / dpi)
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": t(SOFTWARE)})
        fig.set_size_inches(*paper.inches)
    elif file_type == PDF:
        fig.set_size_inches(*paper.inches)
        fig.savefig(
            buffer, format="pdf", metadata={"Title": _title_of(fig), "Creator": t(SOFTWARE)}
        )
    else:
        raise ValueError(f"unknown file type {file_type!r}")
    return buffer.getvalue()


def _visible_texts(fig: Figure) -> None:
    """Every text of a printed figure without the invisible characters data may hold
    (bidi controls, zero-width spaces): the PDF writer fails on a zero-width glyph, and
    they only hide or reorder what is printed.  Mathtext is off already (``fonts``)."""
    for text in fig.findobj(Text):
        shown = text.get_text()
        if shown and (cleaned := visible(shown)) != shown:
            text.set_text(cleaned)


def _title_of(fig: Figure) -> str:
    texts = [t.get_text() for t in fig.texts]
    return texts[0].replace("\n", " ") if texts else ""


def poster(
    regions: Regions, view: MapView, text: PosterText, paper: Paper, file_type: str
) -> bytes:
    """PNG or PDF bytes of the poster."""
    return render(poster_figure(regions, view, text, paper), paper, file_type)


def figure_texts(fig: Figure) -> list[str]:
    """Every text drawn on the figure (titles, labels, legend, scale bar): for checks."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
