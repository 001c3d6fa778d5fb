"""展示模式 and the booth tour: their link parameters, the caption of a view, the tour's steps.

Presentation mode shows the explorer's current view full-screen on a big screen; a tour
steps through the ten industry chains or the prefectures on its own.  Both are part of
the shareable link (``?present=1&tour=chains&every=20&idle=60``), so a booth laptop can
open the tour at start-up.  A tour implies presentation mode.

The tour runs in the browser (``GiMap`` in ``landmarks/maps/web/gi_map.js``): every step
is sent once with the data layer (product positions in the published rows, the bounds to
frame, the counties to outline, the caption card's texts), so stepping costs no request.
The chain and prefecture steps cover the products of the current filter; a tour of
saved views (``tour=views&views=chain=茶叶;prefecture=恩施州``) shows each view's own
filter, as its link would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict
from urllib.parse import parse_qs, urlencode

import pandas as pd

from landmarks import i18n
from landmarks.data.chains import chain_names, other_group
from landmarks.data.model import AREA_COUNTY
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.query import filters, urlparams
from landmarks.query.filters import ProductFilter
from landmarks.query.frame import Bounds, map_frame, province_bounds, region_bounds
from landmarks.query.search import NameIndex
from landmarks.query.stats import ResultFigures, one_per_family
from landmarks.query.urlparams import Params

PRESENT_KEY = "present"
TOUR_KEY = "tour"
EVERY_KEY = "every"
IDLE_KEY = "idle"
VIEWS_KEY = "views"
QUERY_KEYS: tuple[str, ...] = (PRESENT_KEY, TOUR_KEY, EVERY_KEY, IDLE_KEY, VIEWS_KEY)

TOUR_NONE = ""
TOUR_CHAINS = "chains"
TOUR_PREFECTURES = "prefectures"
TOUR_VIEWS = "views"
TOUR_LABELS: dict[str, str] = {
    TOUR_NONE: N_("不导览"),
    TOUR_CHAINS: N_("十大产业链"),
    TOUR_PREFECTURES: N_("各市州"),
    TOUR_VIEWS: N_("保存的视图"),
}
# Saved views: each a filter's query string (urlencoded, so it holds no ';'), joined.
VIEW_SEPARATOR = ";"
MAX_VIEWS = 30
# Seconds: per step, and without input before a paused tour starts again from the start.
EVERY_DEFAULT, EVERY_RANGE = 20, (2, 600)
IDLE_DEFAULT, IDLE_RANGE = 60, (2, 3600)
# Brand names listed on a step's card; the rest are counted.
MAX_BRANDS = 12
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class Presentation:
    """Presentation mode as the link and the sidebar set it."""

    present: bool = False
    tour: str = TOUR_NONE
    every: int = EVERY_DEFAULT  # seconds per tour step
    idle: int = IDLE_DEFAULT  # seconds without input before a paused tour restarts
    views: tuple[str, ...] = ()  # saved views: filter query strings (see view_query)


def _seconds(params: Params, key: str, default: int, limits: tuple[int, int]) -> tuple[int, str]:
    text = urlparams.last_value(params, key)
    if not text:
        return default, ""
    low, high = limits
    if text.isdigit() and low <= int(text) <= high:
        return int(text), ""
    reason = t("应为 {low}–{high} 之间的整数（秒）", low=low, high=high)
    return default, urlparams.invalid_value_notice(key, text, reason)


def presentation_from_query(params: Params) -> tuple[Presentation, list[str]]:
    """Read presentation mode from a link; bad values are dropped with a notice."""
    notices: list[str] = []
    present_text = urlparams.last_value(params, PRESENT_KEY).lower()
    present = present_text in _TRUE
    if present_text and not present and present_text not in _FALSE:
        reason = t("应为 1 或 0")
        notices.append(urlparams.invalid_value_notice(PRESENT_KEY, present_text, reason))
    tour = urlparams.last_value(params, TOUR_KEY)
    if tour and tour not in TOUR_LABELS:
        choices = t("、").join(
            t("{key}（{label}）", key=key, label=t(TOUR_LABELS[key])) for key in TOUR_LABELS if key
        )
        reason = t("可选 {choices}", choices=choices)
        notices.append(urlparams.invalid_value_notice(TOUR_KEY, tour, reason))
        tour = TOUR_NONE
    every, every_notice = _seconds(params, EVERY_KEY, EVERY_DEFAULT, EVERY_RANGE)
    idle, idle_notice = _seconds(params, IDLE_KEY, IDLE_DEFAULT, IDLE_RANGE)
    notices += [notice for notice in (every_notice, idle_notice) if notice]
    parts = urlparams.last_value(params, VIEWS_KEY).split(VIEW_SEPARATOR)
    views = tuple(dict.fromkeys(part for part in parts if part))[:MAX_VIEWS]
    # A tour is shown in presentation mode: a booth link needs only ``tour=``.
    return Presentation(present or bool(tour), tour, every, idle, views), notices


def presentation_to_query(presentation: Presentation) -> dict[str, str]:
    """The link parameters of presentation mode (none when it is off)."""
    if not presentation.present:
        return {}
    params = {PRESENT_KEY: "1"}
    if presentation.tour:
        params[TOUR_KEY] = presentation.tour
        if presentation.every != EVERY_DEFAULT:
            params[EVERY_KEY] = str(presentation.every)
        if presentation.idle != IDLE_DEFAULT:
            params[IDLE_KEY] = str(presentation.idle)
        if presentation.tour == TOUR_VIEWS and presentation.views:
            params[VIEWS_KEY] = VIEW_SEPARATOR.join(presentation.views)
    return params


def view_query(product_filter: ProductFilter) -> str:
    """A filter as a saved view of a tour (its link's query string)."""
    return urlencode(filters.filter_to_query(product_filter))


# --- what the caption says ----------------------------------------------------------


def view_title(product_filter: ProductFilter, regions: Regions) -> str:
    """The view in a few words: its places and chains ('全省' when not narrowed)."""
    if product_filter.counties:
        places = [regions.county_by_adcode(code).name for code in product_filter.counties]
    elif product_filter.prefectures:
        places = [regions.prefecture(code).name for code in product_filter.prefectures]
    else:
        places = [t("全省")]
    parts = [i18n.names(places)]
    if product_filter.chains:
        parts.append(t("、").join(t(chain) for chain in product_filter.chains))
    return " · ".join(parts)


def figures_line(figures: ResultFigures) -> str:
    """The view's headline figures, each stated with what it counts."""
    return t(
        "地理标志产品 {shown} 个（共 {total} 个；含 {names} 个登记名称）"
        " · 涉及县市区 {counties} 个 · 有示范区的产品 {with_zone} 个"
        " · 产业链 {chains} 条",
        shown=figures.shown,
        total=figures.total,
        names=figures.names,
        counties=figures.counties,
        with_zone=figures.with_zone,
        chains=figures.chains,
    )


# The rules of ``figures_line`` (stats.PRODUCT_RULE, areas.COUNTY_COUNT_RULE): show t() of it.
FIGURES_SCOPE = N_(
    "口径：产品数按产品计：同一产品的多个登记（一品多标）合并为一项；县市区数按本县产品计：只计保护范围为单个县的产品，跨县和全市范围的产品不计入。"
)


# --- the tour's steps ---------------------------------------------------------------


class TourStepJson(TypedDict):
    """A step as the map script's tour reads it (``maps.options.TourStepOptions``)."""

    title: str  # the card's title
    figures: str  # the card's figures line
    caption: str  # the page's caption bar (展示模式) while the step is shown
    brands: list[str]  # product names listed on the card
    more: int  # products not listed ('… 等，另有 n 个')
    products: list[int]  # positions into the rows' products drawn (clustered)
    frame: Bounds  # fitted (animated) when the step is shown
    area: list[str]  # county adcodes filled with styles.area


class TourJson(TypedDict):
    """``GiMap.data``'s ``tour`` (``maps.options.TourOptions``)."""

    kind: str  # the card's head ('按产业链 2 / 7')
    every: int  # seconds per step
    idle: int  # seconds without input before a paused tour starts again from step 1
    steps: list[TourStepJson]
    note: str  # the card's note ('' for none)


@dataclass(frozen=True)
class TourStep:
    """One step of a tour: what the map shows and what its caption card says."""

    title: str
    figures: str
    brands: tuple[str, ...]  # product names listed on the card (at most MAX_BRANDS)
    more: int  # products not listed
    products: tuple[int, ...]  # positions of the step's rows in the published rows
    frame: Bounds
    area: tuple[str, ...] = field(default=())  # county adcodes outlined (a prefecture)

    @property
    def caption(self) -> str:
        """The caption bar's line while this step is shown: its title and figures."""
        return t("{title}：{figures}", title=self.title, figures=self.figures)

    def to_json(self) -> TourStepJson:
        return {
            "title": self.title,
            "figures": self.figures,
            "caption": self.caption,
            "brands": list(self.brands),
            "more": self.more,
            "products": list(self.products),
            "frame": self.frame,
            "area": list(self.area),
        }


def _step(
    title: str,
    rows: pd.DataFrame,
    products: pd.DataFrame,
    frame: Bounds,
    area: Sequence[str] = (),
) -> TourStep:
    families = one_per_family(rows)
    names = tuple(str(name) for name in families["family"])
    own = rows[(rows["area_level"] == AREA_COUNTY) & (rows["county_adcode"] != "")]
    figures = t(
        "地理标志产品 {products} 个（一品多标合并计） · 有本县产品的县市区 {counties} 个",
        products=len(names),
        counties=own["county_adcode"].nunique(),
    )
    return TourStep(
        title=title,
        figures=figures,
        brands=tuple(i18n.name(name) for name in names[:MAX_BRANDS]),
        more=max(0, len(names) - MAX_BRANDS),
        products=tuple(int(p) for p in products.index.get_indexer(rows.index)),
        frame=frame,
        area=tuple(area),
    )


def chain_steps(
    shown: pd.DataFrame, products: pd.DataFrame, regions: Regions, places: Sequence[str] = ()
) -> list[TourStep]:
    """A step per industry chain with products in ``shown`` (a subset of ``products``,
    whose row positions the steps name).  The tour covers the view: every step frames the
    chosen ``places`` (county or prefecture adcodes), else the whole province, so the
    chains are seen against the same map."""
    frame = region_bounds(regions, places) or province_bounds(regions)
    steps = []
    for chain in chain_names(regions.region):
        if chain == other_group(regions.region):
            continue
        rows = shown[shown["chain"] == chain]
        if not rows.empty:
            steps.append(_step(t(chain), rows, products, frame))
    return steps


def chains_without_steps(shown: pd.DataFrame, chosen: Sequence[str] = ()) -> list[str]:
    """The industry chains a chain tour leaves out because ``shown`` has none of their
    products (of the ``chosen`` chains when the filter names some), in their order."""
    wanted = [chain for chain in chain_names() if chain != other_group()]
    if chosen:
        wanted = [chain for chain in wanted if chain in chosen]
    present = set(shown["chain"])
    return [chain for chain in wanted if chain not in present]


def prefecture_steps(
    shown: pd.DataFrame, products: pd.DataFrame, regions: Regions
) -> list[TourStep]:
    """A step per prefecture with products in ``shown``, framing and outlining it."""
    steps = []
    for prefecture in regions.prefecture_list:
        rows = shown[shown["prefecture_adcode"] == prefecture.adcode]
        frame = region_bounds(regions, [prefecture.adcode])
        if rows.empty or frame is None:
            continue
        area = [county.adcode for county in regions.counties_of(prefecture.adcode)]
        steps.append(_step(i18n.name(prefecture.name), rows, products, frame, area))
    return steps


def view_steps(
    views: Sequence[str],
    products: pd.DataFrame,
    zones: pd.DataFrame,
    regions: Regions,
    index: NameIndex | None = None,
) -> list[TourStep]:
    """A step per saved view (a filter's query string) that matches any product,
    framed as the explorer frames that filter; what a view's link got wrong is ignored."""
    steps = []
    for view in views:
        product_filter, _notices = filters.filter_from_query(parse_qs(view), regions)
        rows = filters.apply_filter(products, zones, product_filter, index)
        if rows.empty:
            continue
        places = product_filter.counties or product_filter.prefectures
        frame = map_frame(regions, rows, places=places, filtered=True)
        title = view_title(product_filter, regions)
        if product_filter.query:
            title = t("{view} · “{query}”", view=title, query=product_filter.query)
        steps.append(_step(title, rows, products, frame))
    return steps


def tour_steps(
    presentation: Presentation,
    shown: pd.DataFrame,
    products: pd.DataFrame,
    zones: pd.DataFrame,
    regions: Regions,
    index: NameIndex | None = None,
    places: Sequence[str] = (),
) -> list[TourStep]:
    """The steps of the chosen tour over ``shown`` (``places``: the filter's counties or
    prefectures, which a chain tour frames)."""
    if presentation.tour == TOUR_CHAINS:
        return chain_steps(shown, products, regions, places)
    if presentation.tour == TOUR_PREFECTURES:
        return prefecture_steps(shown, products, regions)
    if presentation.tour == TOUR_VIEWS:
        return view_steps(presentation.views, products, zones, regions, index)
    return []


def tour_note(presentation: Presentation, shown: pd.DataFrame, chosen: Sequence[str] = ()) -> str:
    """What the tour's card says besides its steps: the chains a chain tour has no step
    for (``chosen``: the chains the filter names), '' when none."""
    if presentation.tour != TOUR_CHAINS:
        return ""
    missing = chains_without_steps(shown, chosen)
    if not missing:
        return ""
    return t(
        "{chains}：暂无地理标志产品，导览不设此步",
        chains=t("、").join(t(chain) for chain in missing),
    )


def tour_options(presentation: Presentation, steps: Sequence[TourStep], note: str = "") -> TourJson:
    """What the map script's tour needs (``GiMap.data``'s ``tour`` option).  A tour of
    one step shows it and says so instead of stepping."""
    return {
        "kind": t(TOUR_LABELS[presentation.tour]),
        "every": presentation.every,
        "idle": presentation.idle,
        "steps": [step.to_json() for step in steps],
        "note": note,
    }
