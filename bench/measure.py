"""Measurements without a browser: page runs through AppTest, map builds by direct calls.

The app's pages run in a process of the app's own tree (``bench/apptest_pages.py``);
the map builds and the naive baseline run in this process.  All times are wall-clock
milliseconds, the median of several runs; payload bytes are the UTF-8 size of what the
map component sends to the browser (its ``json_args``: the map's HTML, header and
script, and the data layers).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import pandas as pd
from streamlit.testing.v1 import AppTest

from bench import apptest_pages
from bench.apptest_pages import (
    APP_TIMEOUT,
    clear_caches,
    component_payloads,
    median_ms,
    run_checked,
)
from bench.data import Scale
from bench.naive import naive_map
from landmarks.ui import data as ui_data
from landmarks.ui import mapview

ROOT = Path(__file__).resolve().parent.parent
NAIVE_APP_FILE = ROOT / "bench" / "naive_app.py"
NAIVE_INPUTS_KEY = "bench_naive_inputs"  # as in bench/naive_app.py
PAGE_RUNNER = Path(apptest_pages.__file__)
# Runs apptest_pages.main with the app's folder first on sys.path ("" = the working directory).
_RUNNER_CODE = "import runpy, sys; sys.exit(runpy.run_path(sys.argv[1])['main'](sys.argv[2:]))"


@dataclass(frozen=True)
class PageResult:
    page: str
    first_ms: float
    rerun_ms: float
    filter_ms: float | None
    payload_bytes: int
    new_version_ms: float | None = None  # the rerun after a new data version (an import)


@dataclass(frozen=True)
class BuildResult:
    ms: float  # median build + render
    html_bytes: int
    first_ms: float | None = None  # the first build, publishing the app's base files


@contextlib.contextmanager
def using_env(env: Mapping[str, str]) -> Iterator[None]:
    """Point the app at a scale (``Scale.fresh_app_env``), from empty Streamlit caches."""
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
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


def streamlit_script(app_dir: Path) -> Path:
    """The script AppTest runs: ``main.py`` where ``app.py`` is the server serving it (an
    ``st.App``), else ``app.py`` itself (older trees).  ``streamlit run app.py`` starts both."""
    script = app_dir / "main.py"
    return script if script.is_file() else app_dir / "app.py"


def measure_pages(
    app_dir: Path, env: Mapping[str, str], scripts: Sequence[str], runs: int, filter_page: str
) -> dict[str, PageResult]:
    """AppTest runs of the app in ``app_dir``, in a process of that tree (see apptest_pages).

    Returns the results by page script; ``filter_page`` also gets filter-change reruns.
    """
    arguments = ["--runs", str(runs), "--filter-page", filter_page]
    for script in scripts:
        arguments += ["--page", script]
    rows = _page_runner(app_dir, env, arguments)
    return {row["page"]: PageResult(**row) for row in rows}


def measure_publish(app_dir: Path, env: Mapping[str, str]) -> float | None:
    """The public page of the app in ``app_dir`` built and published once (ms; None: the
    app has none), in a process of that tree, as its own publisher process does after an
    import (the page runs of ``measure_pages`` leave it out)."""
    found: float | None = _page_runner(app_dir, env, ["--publish"])
    return found


def _page_runner(app_dir: Path, env: Mapping[str, str], arguments: list[str]) -> Any:
    """Run ``apptest_pages.main`` in a process of the tree ``app_dir``; its JSON output."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "pages.json"
        app = str(streamlit_script(app_dir))
        command = [sys.executable, "-c", _RUNNER_CODE, str(PAGE_RUNNER), "--app", app,
                   "--out", str(out), *arguments]  # fmt: skip
        done = subprocess.run(command, cwd=app_dir, env={**os.environ, **env},
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"AppTest runs of {app_dir} failed:\n{done.stderr[-4000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def measure_naive_page(scale: Scale, tables: Mapping[str, pd.DataFrame], runs: int) -> PageResult:
    raw = scale.raw_counties()
    at = AppTest.from_file(str(NAIVE_APP_FILE), default_timeout=APP_TIMEOUT)
    at.session_state[NAIVE_INPUTS_KEY] = (raw, tables["products"], tables["sites"], _bounds(scale))
    start = time.perf_counter()
    run_checked(at)
    first_ms = (time.perf_counter() - start) * 1000
    rerun_ms, _ = median_ms(lambda: run_checked(at), runs)
    return PageResult("naive", first_ms, rerun_ms, None, sum(component_payloads(at)))


def _bounds(scale: Scale) -> tuple[float, float, float, float]:
    min_x, min_y, max_x, max_y = scale.regions().counties.total_bounds
    return float(min_x), float(min_y), float(max_x), float(max_y)


def app_map() -> folium.Map:
    """The overview's map with its data layer, built as the page builds it.

    Through ``landmarks.ui.mapview``, whose caches hold outside a script run too: the
    first build publishes the base geometry and the rows, later ones reuse them.
    """
    data = ui_data.tables()
    fmap = mapview.base_map(data, report_clicks=False)
    mapview.data_layer(data, data.products, frame=None, popups=True).add_to(fmap)
    return fmap


def _render_app_map() -> str:
    return app_map().get_root().render()


def measure_builds(
    scale: Scale, tables: Mapping[str, pd.DataFrame], runs: int, naive_runs: int
) -> tuple[BuildResult, BuildResult]:
    """Build and render the map to HTML: the app's way (first, then again), the naive way.

    Call within ``using_env``: the app reads the scale through its own caches; the naive
    map is given the same ``tables``.
    """
    mapview.prepare_map_assets()
    ui_data.regions()  # loaded once per server, before any map, as in the app
    ui_data.tables()
    start = time.perf_counter()
    _render_app_map()
    first_ms = (time.perf_counter() - start) * 1000
    app_ms, app_html = median_ms(_render_app_map, runs)

    raw = scale.raw_counties()
    bounds = _bounds(scale)
    naive_ms, naive_html = median_ms(
        lambda: naive_map(raw, tables["products"], tables["sites"], bounds).get_root().render(),
        naive_runs,
    )
    return (
        BuildResult(app_ms, len(app_html.encode("utf-8")), first_ms),
        BuildResult(naive_ms, len(naive_html.encode("utf-8"))),
    )
