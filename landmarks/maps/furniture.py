"""Cartographic furniture of a printed map: the scale bar (exact at its own position,
from ``pyproj``'s point scale factors), the north arrow (to true north at its position:
the meridian convergence, not the top of the page), the legend and the QR code of the
view's link.  The scale bar and the north arrow go to the corner that covers the least
land."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Polygon, Rectangle
from shapely.geometry.base import BaseGeometry

from landmarks import i18n
from landmarks.i18n import N_, t
from landmarks.maps import qr
from landmarks.maps.ink import HALO, INK, MUTED, Rect, figure_scale

SCALE_UNIT = "km"
NORTH = N_("北")
LEGEND_TITLE = N_("图例")
LEGEND_WRAP = 36  # characters per line of an English legend label
_NICE_STEPS = (1, 2, 2.5, 5)


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


# Where the scale bar may go (axes fractions x0, y0, x1, y1): lower right, lower left.
SCALE_BAR_CORNERS = ((0.68, 0.0, 1.0, 0.16), (0.0, 0.0, 0.32, 0.16))
NORTH_ARROW_CORNERS = ((0.9, 0.78, 1.0, 1.0), (0.0, 0.78, 0.1, 1.0))


def make_room(ax: Axes, land: BaseGeometry, tolerance: float = 0.02) -> None:
    """Lower the map's bottom edge until a lower corner is clear of land for the scale
    bar (both sides grow alike, so the map keeps its shape)."""
    for _ in range(4):
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        box = SCALE_BAR_CORNERS[clearest(ax, land, SCALE_BAR_CORNERS)]
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


def clearest(ax: Axes, land: BaseGeometry | None, boxes: Sequence[Sequence[float]]) -> int:
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
    fx = (0.70, 0.04)[clearest(ax, land, SCALE_BAR_CORNERS)]
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
    fx = (0.95, 0.05)[clearest(ax, land, NORTH_ARROW_CORNERS)]
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
        path_effects=HALO,
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
    ax.set_title(caption, fontsize=7 * figure_scale(fig), color=INK, pad=2)
    return ax


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
