"""The one-page PDF brief (简报) of a prefecture or a chain (content: ``query.briefs``).

One A4 portrait page: the title and headline counts, the map of the subject's products
(a prefecture's own counties stand out from their greyed neighbours) with its legend,
scale bar and north arrow, a QR code of the same list in the explorer, then the GI
brands, the demonstration zones, the sites and the published figures with their scopes,
and the footer (source line, data date, generated time).  Lists longer than the page
holds end with how many more there are; the QR code opens them all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.maps import poster
from landmarks.maps.ink import INK, MUTED
from landmarks.maps.paper import A4, PDF, PNG, PORTRAIT, MapView, Paper, PosterText
from landmarks.maps.printmap import map_bounds
from landmarks.query.briefs import PREFECTURE, Brief
from landmarks.query.frame import map_frame

PAPER = Paper(A4, PORTRAIT)
LINE_MM = 4.3
FOOTER_LINE_MM, FOOTER_SIZE = 3.6, 6.2
MAP_HEIGHT_MM = 98.0
# The GI types (stored values; the brief's lists show them translated) and their short
# forms; another type is shown as it is.
TYPE_SHORT: dict[str, str] = {  # not UI: keys are stored GI types
    "地理标志保护产品": N_("保护产品"),
    "地理标志证明商标": N_("证明商标"),
    "地理标志集体商标": N_("集体商标"),
    "农产品地理标志": N_("农产品地标"),
}
TYPE_NOTE = N_(
    "类型简称：保护产品＝地理标志保护产品，证明商标／集体商标＝地理标志证明／集体商标，"
    "农产品地标＝农产品地理标志"
)
# The headers of the brief's lists (query.briefs names them t(<header>)).
_PRODUCT_COLUMNS = ("产品", "类型", "所在地", "最早获批")  # not UI: column keys
_ZONE_COLUMNS = ("示范区", "所在地", "状态")  # not UI: column keys
_SITE_COLUMNS = ("站点", "类型", "地点", "关联产品")  # not UI: column keys
_FIGURE_COLUMNS = ("产品", "年份", "指标", "数值", "口径")  # not UI: column keys
FLOOR_LINES = 5
MORE = N_("……另有 {n} 项，完整名单请扫码查看")
EMPTY = N_("（暂无记录）")


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[str]
    columns: int = 1


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (Chinese; English letters are narrower: twice
    as many; the column's width cuts again as printed)."""
    text = str(text)
    limit = limit * 2 if i18n.english() else limit
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_types(text: str) -> str:
    """The types of a product (as the brief lists them, 、-joined and translated) short."""
    short = {t(full): t(brief) for full, brief in TYPE_SHORT.items()}
    separator = t("、")
    return separator.join(short.get(part, part) for part in str(text).split(separator) if part)


def sections(brief: Brief) -> list[Section]:
    """The brief's lists as lines of text, in page order.  The lists' columns are read
    by position, in ``query.briefs``' order (their headers follow the language)."""

    def joined(*parts: object) -> str:
        return t("｜").join(str(part) for part in parts)

    def rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
        # The columns are named in the language (query.briefs: t(<Chinese header>)).
        return list(frame[[t(column) for column in columns]].itertuples(index=False))

    products = [
        joined(_clip(name, 16), _short_types(types), _clip(place, 16), year)
        for name, types, place, year in rows(brief.product_list, *_PRODUCT_COLUMNS)
    ]
    zones = [
        joined(name, place, _clip(status, 30))
        for name, place, status in rows(brief.zones, *_ZONE_COLUMNS)
    ]
    sites = [
        joined(
            t("{site}（{kind}）", site=name, kind=kind),
            _clip(place, 20),
            t("关联：{products}", products=_clip(linked, 24)),
        )
        for name, kind, place, linked in rows(brief.site_list, *_SITE_COLUMNS)
    ]
    figures = [
        joined(
            product,
            t("{year}年 {metric} {value}", year=year, metric=metric, value=value),
            t("口径：{scope}", scope=_clip(scope, 34)),
        )
        for product, year, metric, value, scope in rows(brief.figures, *_FIGURE_COLUMNS)
    ]
    return [
        Section(t("地理标志产品（{count}）", count=len(products)), products, columns=2),
        Section(t("保护示范区（{count}）", count=len(zones)), zones),
        Section(t("地标+文旅站点（{count}）", count=len(sites)), sites),
        Section(t("产值与品牌价值（来源公布数字，{count} 条）", count=len(figures)), figures),
    ]


def fit(parts: Sequence[Section], capacity: int) -> list[Section]:
    """Cut the lists to ``capacity`` lines in all (a title and, for an empty list, its
    '暂无记录' take a line each): each list keeps at least a few lines, the products the
    most; a cut list's last line says how many more there are."""
    needs = [math.ceil(max(len(p.lines), 1) / p.columns) for p in parts]
    budget = capacity - len(parts)  # the titles
    # Short lists are kept whole (up to FLOOR_LINES lines) before the rest is handed out.
    shares = [min(need, FLOOR_LINES) for need in needs]
    spare = budget - sum(shares)
    # Hand out the remaining lines in page order, the products first.
    for i, need in enumerate(needs):
        extra = max(0, min(need - shares[i], spare))
        shares[i] += extra
        spare -= extra
    fitted = []
    for part, share in zip(parts, shares, strict=True):
        if not part.lines:
            fitted.append(Section(part.title, [t(EMPTY)], part.columns))
            continue
        room = max(share, 1) * part.columns
        if len(part.lines) <= room:
            fitted.append(part)
            continue
        kept = part.lines[: room - 1]
        fitted.append(
            Section(part.title, [*kept, t(MORE, n=len(part.lines) - len(kept))], part.columns)
        )
    return fitted


def _fit_width(fig: Figure, text: Text, width: float) -> None:
    """Shorten ``text`` (ending it with …) until it is at most ``width`` (figure
    fraction) wide."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    limit = width * fig.bbox.width
    content = text.get_text()
    while len(content) > 2 and text.get_window_extent(renderer).width > limit:
        content = content[:-2] + "…"
        text.set_text(content)


def brief_figure(
    brief: Brief,
    regions: Regions,
    *,
    zone_counties: dict[str, str] | None = None,
    text: PosterText,
) -> Figure:
    """The brief's page as a figure (``text``: title, source line, data date, link)."""
    fig = poster.new_figure(PAPER)
    width_mm, height_mm = PAPER.mm
    mm_x, mm_y = 1 / width_mm, 1 / height_mm
    left, right, top, bottom = 12 * mm_x, 1 - 12 * mm_x, 1 - 11 * mm_y, 11 * mm_y
    scale = 0.85

    fig.text(left, top, brief.title, fontsize=19, color=INK, ha="left", va="top")
    if text.subtitle:
        fig.text(
            left, top - 10 * mm_y, text.subtitle, fontsize=8.5, color=MUTED, ha="left", va="top"
        )
    cell = (right - left) / len(brief.headline)
    for i, (label, value) in enumerate(brief.headline):
        x = left + i * cell
        fig.text(x, top - 16 * mm_y, value, fontsize=15, color=INK, ha="left", va="top")
        fig.text(x, top - 24.5 * mm_y, label, fontsize=7.5, color=MUTED, ha="left", va="top")
    for i, rule in enumerate(brief.rules):
        fig.text(
            left,
            top - (29 + i * 3) * mm_y,
            (t("计数规则：") if i == 0 else _rule_indent()) + rule,
            fontsize=5.8,
            color=MUTED,
            ha="left",
            va="top",
        )

    map_top = top - (31 + 3 * len(brief.rules)) * mm_y
    side = 52 * mm_x
    # A prefecture is framed; a chain's products are shown on the whole province.
    frame = map_frame(regions, brief.products, places=brief.places)
    focus = (
        tuple(c.adcode for c in regions.counties_of(brief.key)) if brief.kind == PREFECTURE else ()
    )
    view = MapView(
        brief.products,
        frame=frame,
        zone_counties=zone_counties or {},
        sites=brief.sites,
        focus=focus,
    )
    rect = poster.map_box(
        left,
        map_top - MAP_HEIGHT_MM * mm_y,
        right - left - side - 4 * mm_x,
        MAP_HEIGHT_MM * mm_y,
        poster.frame_aspect(map_bounds(regions, view)[0]),
        fig,
        top=True,
        centre=False,
    )
    ax, drawn = poster.framed_map(fig, rect, "brief-map", regions, view, scale, 0.5)
    poster.add_scale_bar(ax, drawn.crs, width_mm, scale, drawn.land)
    poster.add_north_arrow(ax, drawn.crs, scale, drawn.land)
    poster.add_legend(
        fig, drawn.handles, scale * 0.9, loc="upper left", bbox_to_anchor=(right - side, map_top)
    )
    if text.link:
        size = 27
        poster.add_qr(
            fig,
            text.link,
            (right - size * mm_x, map_top - MAP_HEIGHT_MM * mm_y, size * mm_x, size * mm_y),
            t("扫码查看完整名单"),
        )

    lists_top = map_top - (MAP_HEIGHT_MM + 5) * mm_y
    footer = poster.footer_lines(fig, text, right - left, FOOTER_SIZE, regions.region)
    footer_top = bottom + (len(footer) * FOOTER_LINE_MM + 1.5) * mm_y
    note_mm = 4.0  # the line of type abbreviations above the footer
    capacity = int(((lists_top - footer_top) / mm_y - note_mm) / LINE_MM)
    y = lists_top
    for section in fit(sections(brief), capacity):
        fig.text(left, y, section.title, fontsize=8.5, color=INK, ha="left", va="top")
        y -= LINE_MM * mm_y
        rows = math.ceil(len(section.lines) / section.columns)
        column_width = (right - left) / section.columns
        for i, line in enumerate(section.lines):
            column, row = divmod(i, rows)
            shown = fig.text(
                left + 2 * mm_x + column * column_width,
                y - row * LINE_MM * mm_y,
                line,
                fontsize=6.6,
                color=INK if line != t(EMPTY) else MUTED,
                ha="left",
                va="top",
            )
            _fit_width(fig, shown, column_width - 4 * mm_x)
        y -= rows * LINE_MM * mm_y
    fig.text(
        left, footer_top + 1 * mm_y, t(TYPE_NOTE), fontsize=5.8, color=MUTED, ha="left", va="bottom"
    )

    for i, (line, first) in enumerate(footer):
        fig.text(
            left,
            footer_top - (1.5 + i * FOOTER_LINE_MM) * mm_y,
            line,
            fontsize=FOOTER_SIZE,
            color=INK if first else MUTED,
            ha="left",
            va="top",
        )
    return fig


def brief_pdf(
    brief: Brief, regions: Regions, *, zone_counties: dict[str, str] | None = None, text: PosterText
) -> bytes:
    """The brief as a one-page vector PDF (A4 portrait)."""
    fig = brief_figure(brief, regions, zone_counties=zone_counties, text=text)
    return poster.render(fig, PAPER, PDF, region=regions.region)


def brief_png(
    brief: Brief,
    regions: Regions,
    *,
    zone_counties: dict[str, str] | None = None,
    text: PosterText,
    dpi: int = 150,
) -> bytes:
    """The brief as a PNG (a preview; 150 dpi unless asked otherwise)."""
    fig = brief_figure(brief, regions, zone_counties=zone_counties, text=text)
    return poster.render(fig, PAPER, PNG, dpi=dpi, region=regions.region)


def file_name(brief: Brief) -> str:
    return f"{brief.title}.pdf"


def _rule_indent() -> str:
    """Room under 计数规则：, as wide as it is."""
    return " " * 14 if i18n.english() else "\u3000" * 5  # not UI: spaces
