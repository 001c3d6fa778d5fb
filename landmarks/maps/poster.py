"""Printable posters of a map view, drawn on the server with geopandas and matplotlib:
the page's layout.

A poster is one page, A4 or A3, landscape or portrait: a title and the view's filters,
the map (``printmap``: counties, prefecture outlines, the shown products coloured by
their industry chain, an optional selected area and the counties with a national
demonstration zone, in the view's projection: ``projection``; labelled: ``labels``),
a legend, a scale bar, a north arrow (``furniture``), and a footer with the source line,
the data's date and the time it was generated (Beijing time).  Optionally a QR code of
the view's link (``landmarks.maps.qr``) so a visitor can open it on a phone.

PNG files are rendered at 300 dpi, exactly the paper's size in pixels (mm / 25.4 × 300,
rounded); PDF files are vector, with the paper's size in points and their text as text
(the CJK font is embedded: ``landmarks.maps.fonts``).  No browser is involved.

The drawing's parts live in their own modules; their names used by pages, briefs and
tests stay importable from here.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from landmarks import i18n
from landmarks.data.region import Region, app_title
from landmarks.data.regions import Regions
from landmarks.data.visible import visible
from landmarks.i18n import N_, t
from landmarks.maps import fonts
from landmarks.maps.furniture import (
    LEGEND_TITLE,
    NORTH,
    SCALE_UNIT,
    ScaleBar,
    add_legend,
    add_north_arrow,
    add_qr,
    add_scale_bar,
    nice_length,
)
from landmarks.maps.ink import INK, MUTED, Rect
from landmarks.maps.paper import (
    LANDSCAPE,
    MM_PER_INCH,
    PDF,
    PNG,
    PNG_DPI,
    MapView,
    Paper,
    PosterText,
)
from landmarks.maps.printmap import (
    AREA_LEGEND,
    SELECTED_LEGEND,
    WIDE_LEGEND,
    ZONE_LEGEND,
    MapDrawing,
    chains_shown,
    draw_map,
    framed_map,
    map_bounds,
)
from landmarks.maps.projection import frame_aspect, projected_extent, view_crs

__all__ = [
    "AREA_LEGEND",
    "INK",
    "LEGEND_TITLE",
    "MUTED",
    "NORTH",
    "SCALE_UNIT",
    "SELECTED_LEGEND",
    "WIDE_LEGEND",
    "ZONE_LEGEND",
    "MapDrawing",
    "ScaleBar",
    "add_legend",
    "add_north_arrow",
    "add_qr",
    "add_scale_bar",
    "chains_shown",
    "draw_map",
    "figure_texts",
    "footer_lines",
    "frame_aspect",
    "framed_map",
    "map_box",
    "new_figure",
    "nice_length",
    "poster",
    "poster_figure",
    "projected_extent",
    "render",
    "title_layout",
    "view_crs",
    "wrap_text",
]

MAP_NOTE = N_("示意图：产品圆点为县域内或保护范围内的示意位置，界线仅供参考。")


FOOTER_LINE_MM = 4.4
_NO_LINE_START = frozenset("）)，,。.；;、：:！？」』】")  # not UI: typography


def footer_lines(
    fig: Figure, text: PosterText, width: float, fontsize: float, region: Region | None = None
) -> list[tuple[str, bool]]:
    """The footer's lines, wrapped to ``width``: source line (flagged True), dates, the
    map note, the 审图号 line (``paper.approval_line``) and the link."""
    given = [part for part in (text.data_date, text.generated_text()) if part]
    dates = t("{first}　{second}", first=given[0], second=given[1]) if len(given) == 2 else given[0]
    parts = [text.source_line, dates, t(MAP_NOTE)]
    if approval := text.approval_text(region):
        parts.append(approval)
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


class _PrintCanvas(FigureCanvasAgg):
    """A canvas that draws only when saved: geopandas asks for a redraw after each layer
    it plots (``draw_idle``), which on a printed page (never shown on a screen) only
    costs time: seconds per layer on a map of the whole country."""

    def draw_idle(self, *args: object, **kwargs: object) -> None:
        pass


def new_figure(paper: Paper) -> Figure:
    fonts.use_cjk()
    fig = Figure(figsize=paper.inches, dpi=72, facecolor="white")
    _PrintCanvas(fig)
    return fig


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
    footer = footer_lines(fig, text, right - left, 7 * scale, regions.region)
    footer_top = bottom + (len(footer) * FOOTER_LINE_MM + 2) * scale * mm_y
    aspect = frame_aspect(map_bounds(regions, view)[0])
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


def render(
    fig: Figure, paper: Paper, file_type: str, dpi: int = PNG_DPI, region: Region | None = None
) -> bytes:
    """The figure as PNG (exactly the paper's size in pixels at ``dpi``) or vector PDF; the
    file names ``region``'s app (湖南地标品牌地图 …) as the software that made it."""
    _visible_texts(fig)
    software = app_title(region)
    buffer = io.BytesIO()
    if file_type == PNG:
        width, height = paper.pixels(dpi)
        fig.set_size_inches(width / dpi, height / dpi)
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": software})
        fig.set_size_inches(*paper.inches)
    elif file_type == PDF:
        fig.set_size_inches(*paper.inches)
        fig.savefig(buffer, format="pdf", metadata={"Title": _title_of(fig), "Creator": software})
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
    fig = poster_figure(regions, view, text, paper)
    return render(fig, paper, file_type, region=regions.region)


def figure_texts(fig: Figure) -> list[str]:
    """Every text drawn on the figure (titles, labels, legend, scale bar): for checks."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
