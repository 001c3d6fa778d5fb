"""Label placement on a printed map: prefecture names first, then product names (when
few), then county names, each dropped when it would overlap a label placed before it,
a product's dot, or leave the map."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyproj
from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.maps.geometry import label_point
from landmarks.maps.ink import HALO, INK, MUTED, root
from landmarks.maps.paper import MapView
from landmarks.maps.projection import points

# Product names are printed next to their markers up to this many products.
MAX_PRODUCT_LABELS = 60


@dataclass
class Labels:
    """Places text without overlaps: a label that would overlap one placed before it
    (higher priority first) or leave the map is dropped."""

    ax: Axes
    placed: list[Bbox] = field(default_factory=list)

    def block(self, ax: Axes, x: np.ndarray, y: np.ndarray, radius: float) -> None:
        """Keep labels off these points (map coordinates; ``radius`` in points)."""
        pixels = radius * root(ax).dpi / 72
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


def area_label(
    ax: Axes, name: str, xy: tuple[float, float], fontsize: float, color: str, zorder: int
) -> Text:
    """An area's (province, prefecture, county) name centred on ``xy``, with its halo."""
    return ax.text(
        xy[0],
        xy[1],
        i18n.name(name),
        fontsize=fontsize,
        color=color,
        ha="center",
        va="center",
        zorder=zorder,
        path_effects=HALO,
    )


def place_labels(
    ax: Axes,
    labels: Labels,
    regions: Regions,
    view: MapView,
    crs: pyproj.CRS,
    scale: float,
    counties: bool = True,
    provinces: bool = False,
) -> None:
    """Prefecture names first (province names instead with ``provinces``: the country's
    map), then product names (when few), then county names (unless not ``counties``: on a
    map of the whole country a county's name would be wider than most counties, and
    placing thousands of them takes most of a minute)."""
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def at(lon: float, lat: float) -> tuple[float, float]:
        x, y = transformer.transform(lon, lat)
        return float(x), float(y)

    areas = regions.provinces if provinces and regions.provinces is not None else None
    if areas is None:
        areas = regions.prefectures
    for name, geometry in zip(areas["name"], areas.geometry, strict=True):
        labels.add(area_label(ax, name, at(*label_point(geometry)), 8.5 * scale, INK, 12))

    products = view.products
    if not products.empty:
        labels.block(ax, *points(products, crs), radius=2.8 * scale)
    show = view.label_products
    if show is None:
        show = 0 < len(products) <= MAX_PRODUCT_LABELS
    if show and not products.empty:
        xs, ys = points(products, crs)
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
                path_effects=HALO,
                annotation_clip=False,
            )
            labels.add(text)

    if not counties:
        return
    for name, geometry in zip(regions.counties["name"], regions.counties.geometry, strict=True):
        label = area_label(ax, name, at(*label_point(geometry)), 4.8 * scale, MUTED, 7)
        labels.add(label, pad=0.5)
