"""What every printed map shares (posters, briefs): its inks, the white halo behind
text on the map, and the few figure measures the drawing modules need."""

from __future__ import annotations

import math

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from landmarks.maps.paper import A4, MM_PER_INCH, PAPER_MM

Rect = tuple[float, float, float, float]  # left, bottom, width, height (figure fraction)

INK = "#2b2520"
MUTED = "#6b6258"
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


def root(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn on."""
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)
    return figure


def add_frame(ax: Axes, color: str, line_width: float) -> None:
    """A line around ``ax`` (the map's own frame, the inset's box), above what is drawn."""
    ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            facecolor="none",
            edgecolor=color,
            linewidth=line_width,
            zorder=20,
            clip_on=False,  # clipped, the frame's edges would be half as wide or gone
        )
    )


def figure_scale(fig: Figure) -> float:
    """How much larger than A4 the page is (1 on A4, √2 on A3): type scales with it."""
    width, height = fig.get_size_inches()
    return math.sqrt(min(width, height) * MM_PER_INCH / PAPER_MM[A4][0])
