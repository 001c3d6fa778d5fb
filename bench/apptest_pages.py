"""Page runs through Streamlit's AppTest: server-side script times and component payloads.

``bench.measure.measure_pages`` runs ``main`` in a process of its own whose working
directory is the app's folder, first on ``sys.path``, so the pages import that tree's
``landmarks`` (``python -m bench --app-dir`` measures another checkout the same way).
So this module imports nothing from the project, only Streamlit and the standard library.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.logger
from streamlit.testing.v1 import AppTest

APP_TIMEOUT = 900.0  # seconds; the naive national page takes a while on 2 cores
FILTER_LABEL = "产业链"  # the sidebar multiselect changed for the filter-change rerun
FILTER_VALUES = (["柑橘"], ["茶叶"])
# The app publishes its public page in a process of its own for each new data version;
# the page runs here count the data on (``new_data_version``) and clear the caches that
# guard that, so the publishing would compete with the very runs being timed (at national
# scale it took most of them).  It is off for the page runs and timed on its own
# (``publish_ms``).
PUBLISH_ENV = "LANDMARKS_PUBLISH_PUBLIC_PAGE"


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


def run_checked(at: AppTest) -> AppTest:
    """Run the page; fail if it raised or shows an error box (the app catches and shows)."""
    at.run()
    if at.exception:
        raise RuntimeError(f"the page raised: {[e.message for e in at.exception]}")
    if at.error:
        raise RuntimeError(f"the page shows an error: {[e.value for e in at.error]}")
    return at


DB_ENV_VARIABLE = "LANDMARKS_DB"  # the app's database (landmarks.data.store)


def new_data_version() -> bool:
    """Count the database's data one version on, as an import does (its content stays):
    every cache keyed on the data version is then computed again.  False when the app's
    database is not named in the environment (nothing changed)."""
    from landmarks.data import store

    path = os.environ.get(DB_ENV_VARIABLE, "").strip()
    if not path or not store.exists(path):
        return False
    with store.opened(path) as db, db.write():
        db.set_meta("data_version", str(db.data_version() + 1))
    return True


def _opened(app_file: Path, script: str) -> AppTest:
    at = AppTest.from_file(str(app_file), default_timeout=APP_TIMEOUT)
    if script != "pages/overview.py":
        at.switch_page(script)
    return at


def measure_page(app_file: Path, script: str, runs: int, with_filter: bool) -> dict[str, Any]:
    """First run from empty caches, then the median of ``runs`` reruns (and filter changes).

    A warm-up run comes first, so the first run counts the page's work and not the
    imports (nor the seeding of a fresh database); the caches are cleared after it.
    """
    run_checked(_opened(app_file, script))
    clear_caches()
    at = _opened(app_file, script)
    start = time.perf_counter()
    run_checked(at)
    first_ms = (time.perf_counter() - start) * 1000
    payloads = component_payloads(at)
    rerun_ms, _ = median_ms(lambda: run_checked(at), runs)

    filter_ms = None
    widgets = [w for w in at.sidebar.multiselect if w.label == FILTER_LABEL]
    if with_filter and widgets:
        turn = iter(range(runs))

        def change_filter() -> None:
            at.multiselect(key=widgets[0].key).set_value(FILTER_VALUES[next(turn) % 2])
            run_checked(at)

        filter_ms, _ = median_ms(change_filter, runs)

    # The first run after an import (issue 20: 17 s once): a new data version, same page.
    new_version_ms = None
    if new_data_version():
        times = []
        for _ in range(runs):
            new_data_version()
            start = time.perf_counter()
            run_checked(at)
            times.append((time.perf_counter() - start) * 1000)
        new_version_ms = statistics.median(times)
    return {
        "page": script,
        "first_ms": first_ms,
        "rerun_ms": rerun_ms,
        "filter_ms": filter_ms,
        "payload_bytes": sum(payloads),
        "new_version_ms": new_version_ms,
    }


def publish_ms() -> float | None:
    """Building and publishing the public page of the database's current data into an
    empty folder, as the app's publisher does after an import (None: an app without a
    public page, or no database named)."""
    try:
        from landmarks.data import store
        from landmarks.data.regions import load_regions
        from landmarks.maps import public_publish
    except ImportError:
        return None
    path = os.environ.get(DB_ENV_VARIABLE, "").strip()
    if not path or not store.exists(path):
        return None
    with store.opened(path, read_only=True) as db:
        tables, version = dict(db.read_tables()), db.data_version()
    regions = load_regions()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        public_publish.publish_tables(tables, regions, version, folder=Path(folder))
        took = (time.perf_counter() - start) * 1000
        # Into the app's own folder too, as a running deployment has it: the servers
        # started next find this version published instead of each starting a publisher
        # (stopped with its server seconds later, before it could finish).
        shutil.copytree(folder, public_publish.public_dir(), dirs_exist_ok=True)
    return took


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="AppTest page runs of one app (JSON out)")
    parser.add_argument("--app", type=Path, required=True, help="the app's entry script")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--page", action="append", default=[], help="page script (repeat)")
    parser.add_argument("--filter-page", default="", help="page whose filter is changed")
    parser.add_argument("--out", type=Path, required=True, help="JSON list of page results")
    parser.add_argument(
        "--publish", action="store_true", help="time the public page's publishing instead"
    )
    args = parser.parse_args(argv)
    quiet_streamlit()
    if args.publish:
        args.out.write_text(json.dumps(publish_ms()), encoding="utf-8")
        return 0
    os.environ[PUBLISH_ENV] = "0"
    results = []
    for script in args.page:
        clear_caches()
        results.append(measure_page(args.app, script, args.runs, script == args.filter_page))
    args.out.write_text(json.dumps(results), encoding="utf-8")
    return 0
