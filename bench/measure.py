"""In-process measurements: page runs through AppTest, map builds by direct calls.

All times are wall-clock milliseconds, the median of several runs; payload bytes are
the UTF-8 size of what the map component sends to the browser (its ``json_args``: the
map's HTML, header and script, and the data layers).
"""

from __future__ import annotations

import contextlib
import logging
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import pandas as pd
import streamlit as st
import streamlit.logger
from streamlit.testing.v1 import AppTest

from bench.data import Scale
from bench.naive import naive_map
from landmarks.data.regions import Regions
from landmarks.maps import assets
from landmarks.maps import builders as maps
from landmarks.query import stats

ROOT = Path(__file__).resolve().parent.parent
APP_FILE = ROOT / "app.py"
NAIVE_APP_FILE = ROOT / "bench" / "naive_app.py"
NAIVE_INPUTS_KEY = "bench_naive_inputs"  # as in bench/naive_app.py
APP_TIMEOUT = 900.0  # seconds; the naive national page takes a while on 2 cores
FILTER_LABEL = "产业链"  # the sidebar multiselect changed for the filter-change rerun
FILTER_VALUES = (["柑橘"], ["茶叶"])


@dataclass(frozen=True)
class PageResult:
    page: str
    first_ms: float
    rerun_ms: float
    filter_ms: float | None
    payload_bytes: int


@dataclass(frozen=True)
class BuildResult:
    ms: float
    html_bytes: int


def median_ms(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls, and the last call's result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def quiet_streamlit() -> None:
    """Bare-mode warnings (no script run context) would drown the table; errors still show."""
    streamlit.logger.set_log_level(logging.ERROR)
    logging.disable(logging.WARNING)


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@contextlib.contextmanager
def using_scale(scale: Scale) -> Iterator[None]:
    """Point the app at ``scale`` and start from empty Streamlit caches."""
    saved = {key: os.environ.get(key) for key in scale.env()}
    os.environ.update(scale.env())
    clear_caches()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        clear_caches()


def component_payloads(at: AppTest) -> list[int]:
    """Byte sizes of the custom components' arguments (the st_folium maps)."""
    sizes: list[int] = []

    def walk(node: Any) -> None:
        if getattr(node, "type", None) == "component_instance":
            sizes.append(len(node.proto.json_args.encode("utf-8")))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return sizes


def _run(at: AppTest) -> AppTest:
    at.run()
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.message for e in at.exception]}")
    return at


def measure_page(script: str, runs: int, with_filter: bool = False) -> PageResult:
    """First run from empty caches, then the median of ``runs`` reruns (and filter changes)."""
    clear_caches()
    at = AppTest.from_file(str(APP_FILE), default_timeout=APP_TIMEOUT)
    if script != "pages/overview.py":
        at.switch_page(script)
    start = time.perf_counter()
    _run(at)
    first_ms = (time.perf_counter() - start) * 1000
    payloads = component_payloads(at)
    rerun_ms, _ = median_ms(lambda: _run(at), runs)

    filter_ms = None
    if with_filter:
        widgets = [w for w in at.sidebar.multiselect if w.label == FILTER_LABEL]
        if widgets:
            turn = iter(range(runs))

            def change_filter() -> None:
                key = widgets[0].key
                at.multiselect(key=key).set_value(FILTER_VALUES[next(turn) % 2])
                _run(at)

            filter_ms, _ = median_ms(change_filter, runs)
    return PageResult(script, first_ms, rerun_ms, filter_ms, sum(payloads))


def measure_naive_page(scale: Scale, runs: int) -> PageResult:
    tables = scale.tables()
    raw = scale.raw_counties()
    at = AppTest.from_file(str(NAIVE_APP_FILE), default_timeout=APP_TIMEOUT)
    at.session_state[NAIVE_INPUTS_KEY] = (raw, tables["products"], tables["sites"], _bounds(scale))
    start = time.perf_counter()
    _run(at)
    first_ms = (time.perf_counter() - start) * 1000
    rerun_ms, _ = median_ms(lambda: _run(at), runs)
    return PageResult("naive", first_ms, rerun_ms, None, sum(component_payloads(at)))


def _bounds(scale: Scale) -> tuple[float, float, float, float]:
    min_x, min_y, max_x, max_y = scale.regions().counties.total_bounds
    return float(min_x), float(min_y), float(max_x), float(max_y)


def app_map(regions: Regions, tables: dict[str, pd.DataFrame]) -> folium.Map:
    """The overview's map with its data layers, as ``landmarks.maps.builders`` builds it."""
    products, sites = tables["products"], tables["sites"]
    chains = [c for c, n in stats.products_by_chain(products).items() if n > 0]
    fmap = maps.base_map(regions, stats.national_zones(tables["zones"]), chains,
                         with_sites=not sites.empty)  # fmt: skip
    for layer in (maps.product_layer(products), maps.site_layer(sites)):
        layer.add_to(fmap)
    return fmap


def measure_builds(scale: Scale, runs: int, naive_runs: int) -> tuple[BuildResult, BuildResult]:
    """Build and render the map to HTML: the app's way, then the naive way."""
    assets.use_local_assets(assets.static_url_prefix())
    tables = scale.tables()
    regions = scale.regions()  # loaded once, as the app caches it per server
    raw = scale.raw_counties()
    bounds = _bounds(scale)

    app_ms, app_html = median_ms(lambda: app_map(regions, tables).get_root().render(), runs)
    naive_ms, naive_html = median_ms(
        lambda: naive_map(raw, tables["products"], tables["sites"], bounds).get_root().render(),
        naive_runs,
    )
    return (
        BuildResult(app_ms, len(app_html.encode("utf-8"))),
        BuildResult(naive_ms, len(naive_html.encode("utf-8"))),
    )
