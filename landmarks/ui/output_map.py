"""The output map's controls, cached data, map and year player (产值地图).

The joined figures, the demonstration table and the county areas are computed once per
data version (or per server) here, at the UI boundary.  The map is the explorer's base
map without zones or legend; each rerun sends only the choropleth layer.

The map section of the page is a fragment: changing the year or the classes reruns only
it, so the sections below (product figures, target, diagnostics) are not sent again.
Playing through the years: while 播放 is on, the fragment reruns itself every
``PLAY_SECONDS`` and moves the year on, until the last year or until 暂停 is pressed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial

import folium
import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data.demo_outputs import demo_county_outputs
from landmarks.i18n import N_, t
from landmarks.maps import basemaps, builders
from landmarks.maps import options as gi
from landmarks.query import export, urlparams
from landmarks.query import output_values as ov
from landmarks.query.classify import (
    DEFAULT_CLASSES,
    MAX_CLASSES,
    MIN_CLASSES,
    SCHEMES,
    SELF_SIZED,
)
from landmarks.query.frame import province_bounds
from landmarks.ui import browser_values, mapview
from landmarks.ui import data as ui_data
from landmarks.ui.link_notices import show as link_notices_shown

MAP_KEY = "output_map"
MEASURE = "output_map_measure"
METRIC = "output_map_metric"
LEVEL = "output_map_level"
SCHEME = "output_map_scheme"
CLASSES = "output_map_classes"
YEAR = "output_map_year"
PLAYING = "output_map_playing"
TOGGLED = "output_map_play_toggled"
LAST_STEP = "output_map_last_step"
NOTICES = "output_map_notices"  # the link's parameters this page ignored, until dismissed
# What a link to this page may carry (besides the language and Streamlit's own): the
# year, classes and scheme are not read from links, so a link naming them is told so.
QUERY_KEYS: frozenset[str] = frozenset({basemaps.QUERY_KEY})
PLAY_SECONDS = 1.6


@dataclass(frozen=True)
class Prepared:
    joined: pd.DataFrame  # every held figure, placed (``output_values.join_figures``)
    figures: pd.DataFrame  # county totals of output, demonstration where none is real
    demo_rows: int  # rows of the generated demonstration table


@dataclass(frozen=True)
class Choice:
    measure: str
    metric: str  # the output metric (output measure only)
    level: str
    scheme: str
    classes: int
    year: str  # a year, or ov.ALL_YEARS for the count measures


@st.cache_resource(show_spinner=False, max_entries=4)
def _prepared(path: str, version: int, language: str, _data: ui_data.Tables) -> Prepared:
    regions = ui_data.regions()
    with i18n.language(language):  # the figures' notes are in the page's language
        joined = ov.join_figures(_data.outputs, regions, set(_data.products["name"]))
        demo = demo_county_outputs(_data.products, regions)
        return Prepared(joined, ov.county_figures(joined, demo, regions), len(demo))


def prepared(data: ui_data.Tables) -> Prepared:
    return _prepared(str(ui_data.db_target()), data.version, i18n.current_language(), data)


@st.cache_resource(show_spinner=False)
def areas_km2(level: str) -> pd.Series:
    """Areas in an equal-area projection, once per server."""
    return ov.unit_areas_km2(ui_data.regions(), level)


def _latest_real_year(figures: pd.DataFrame, metric: str, years: list[int]) -> int:
    real = figures[(figures["metric"] == metric) & ~figures["is_demo"]]
    return int(real["year"].max()) if len(real) else years[-1]


def year_options(measure: str, metric: str, prep: Prepared, products: pd.DataFrame) -> list[str]:
    """The years the slider offers: those with county figures of the metric, or for the
    count measures every approval year and 全部."""
    if measure == ov.MEASURE_OUTPUT:
        return [str(y) for y in ov.years_of(prep.figures, metric)]
    return ov.count_years(products)


def controls(prep: Prepared, products: pd.DataFrame) -> Choice:
    """The widgets above the map; returns what they show."""
    top = st.columns([2.2, 1.3, 1.3, 2, 1.4])
    measure = top[0].selectbox(
        t("指标"), list(ov.MEASURES), format_func=lambda m: t(ov.MEASURES[m]), key=MEASURE
    )
    metrics = ov.metrics_of(prep.figures)
    metric = ""
    if measure == ov.MEASURE_OUTPUT:
        metric = (
            top[1].selectbox(
                t("统计指标"),
                metrics,
                key=METRIC,
                format_func=t,
                disabled=len(metrics) < 2,
                help=t("只比较同一指标的县级数字；品牌价值不是产值，不在此列。"),
            )
            or ""
        )
    level = str(
        top[2].radio(t("层级"), list(ov.LEVELS), format_func=lambda v: t(ov.LEVELS[v]), key=LEVEL)
    )
    scheme = str(
        top[3].selectbox(
            t("分级方法"), list(SCHEMES), format_func=lambda s: t(SCHEMES[s]), key=SCHEME
        )
    )
    classes = top[4].slider(
        t("分级数"),
        MIN_CLASSES,
        MAX_CLASSES,
        DEFAULT_CLASSES,
        key=CLASSES,
        disabled=scheme in SELF_SIZED,
        help=t("头尾断点按数据自定级数。"),
    )
    year = year_slider(year_options(measure, metric, prep, products), measure, metric, prep)
    return Choice(str(measure), str(metric), level, scheme, int(classes), year)


def year_slider(options: list[str], measure: str, metric: str, prep: Prepared) -> str:
    """The year (a slider that a play button moves on); kept valid when options change."""
    if not options:
        return ""
    _step(options)
    restart_if_toggled()
    # After a server restart the year the browser shows (a fresh session has none yet).
    sent = browser_values.sent_choice(YEAR, {year: t(year) for year in options})
    if sent is not None:
        st.session_state[YEAR] = sent
    if st.session_state.get(YEAR) not in options:
        default = options[-1]
        if measure == ov.MEASURE_OUTPUT:
            years = [int(y) for y in options]
            default = str(_latest_real_year(prep.figures, metric, years))
        st.session_state[YEAR] = default
    slider_column, button_column = st.columns([6, 1], vertical_alignment="bottom")
    playing = bool(st.session_state.get(PLAYING))
    button_column.button(
        t("暂停") if playing else t("播放"),
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key="output_map_play",
        on_click=partial(_toggle_play, options),
        disabled=len(options) < 2,
        width="stretch",
    )
    if len(options) < 2:
        slider_column.caption(t("年份：{year}（只有这一年的数字）", year=t(options[0])))
        return options[0]
    return str(slider_column.select_slider(t("年份"), options=options, format_func=t, key=YEAR))


def _toggle_play(options: list[str]) -> None:
    playing = not st.session_state.get(PLAYING)
    st.session_state[PLAYING] = playing
    st.session_state[TOGGLED] = True
    st.session_state[LAST_STEP] = time.monotonic()
    if playing and st.session_state.get(YEAR) == options[-1]:
        st.session_state[YEAR] = options[0]  # played to the end before: start again


def play_interval() -> float | None:
    """How often the map section reruns itself: every ``PLAY_SECONDS`` while playing."""
    return PLAY_SECONDS if st.session_state.get(PLAYING) else None


def restart_if_toggled() -> None:
    """After 播放/暂停 the whole page reruns, so the map section's timer is set anew."""
    if st.session_state.pop(TOGGLED, False):
        st.rerun(scope="app")


def _step(options: list[str]) -> None:
    """While playing, move to the next year once ``PLAY_SECONDS`` have passed (a rerun by
    the timer; a change of classification meanwhile keeps the year); stop at the last."""
    if not st.session_state.get(PLAYING):
        return
    now = time.monotonic()
    if now - st.session_state.get(LAST_STEP, now) < PLAY_SECONDS * 0.8:
        return
    st.session_state[LAST_STEP] = now
    current = st.session_state.get(YEAR)
    position = options.index(current) if current in options else -1
    if position + 1 < len(options):
        st.session_state[YEAR] = options[position + 1]
    if position + 2 >= len(options):  # the last year is shown: stop the timer
        st.session_state[PLAYING] = False
        st.session_state[TOGGLED] = True


def map_values(choice: Choice, prep: Prepared, products: pd.DataFrame) -> ov.MapValues | None:
    regions = ui_data.regions()
    if not choice.year:
        return None
    if choice.measure == ov.MEASURE_OUTPUT:
        return ov.output_values(
            prep.figures, choice.metric, int(choice.year), choice.level, regions
        )
    return ov.count_values(
        products,
        regions,
        choice.year,
        choice.level,
        density=choice.measure == ov.MEASURE_DENSITY,
        areas=areas_km2(choice.level) if choice.measure == ov.MEASURE_DENSITY else None,
    )


def base_map(basemap: gi.TileChoice | None = None) -> folium.Map:
    """The explorer's base map without zones, legend or clicks (identical on every rerun
    of a basemap); ``basemap``: online tiles (``landmarks.ui.basemap.options``)."""
    return builders.base_map(
        mapview.base_files(),
        province_bounds(ui_data.regions()),
        zones={},
        legend="",
        report_clicks=False,
        basemap=basemap,
    )


def view_key(choice: Choice) -> str:
    """The view's name as the map reports it (tests read it from the map's container)."""
    parts = (choice.measure, choice.metric, choice.level, choice.year, choice.scheme)
    return "|".join([*parts, str(choice.classes)])


# Links into the explorer are relative to the app: left out of exported files.
LINK_COLUMN = N_("打开品牌地图")


def export_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX of a table as shown (its explorer links left out), made when clicked."""
    frame = frame.drop(columns=[LINK_COLUMN, t(LINK_COLUMN)], errors="ignore")
    row = st.container(horizontal=True)
    row.download_button(
        t("导出 CSV"),
        data=partial(export.to_csv_bytes, frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_csv",
        disabled=frame.empty,
    )
    row.download_button(
        t("导出 Excel"),
        data=partial(export.to_xlsx_bytes, frame, name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_xlsx",
        disabled=frame.empty,
    )


def read_link() -> None:
    """On entering the page: name the link's parameters it does not use, and drop them
    from the address (as every other page does), so a shared link carries none."""
    if MEASURE in st.session_state:  # drawn on every run: absent only on entering
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    st.session_state[NOTICES] = urlparams.unknown_key_notices(params, QUERY_KEYS)
    for key in params:
        if key not in QUERY_KEYS and key not in urlparams.ANY_PAGE_KEYS:
            del st.query_params[key]


def link_notices() -> None:
    """What the link asked for that the page ignored, until dismissed."""
    link_notices_shown(NOTICES, "output_map_dismiss_notices")
